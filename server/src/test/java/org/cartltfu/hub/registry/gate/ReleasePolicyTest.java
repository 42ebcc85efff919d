package org.cartltfu.hub.registry.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReleasePolicyTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

    private final ReleasePolicy policy = new ReleasePolicy(Map.of(
            "SG", new JurisdictionRule(null, List.of(), List.of(), List.of()),
            "VN", new JurisdictionRule(null, List.of("vn-pdpl"), List.of("vn-transfer-dossier"), List.of()),
            "CN", new JurisdictionRule("cn-pipl", List.of(), List.of("cn-standard-contract"), List.of()),
            "IN", new JurisdictionRule(null, List.of(), List.of(), List.of("XX"))));

    private final RecipientTerms cibmtr =
            new RecipientTerms("CIBMTR", "US", Set.of("HRESCH"), Set.of("vn-transfer-dossier", "cn-standard-contract"));
    private final RecipientTerms noBases = new RecipientTerms("EBMT", "NL", Set.of("HRESCH"), Set.of());

    private static ConsentTerms consent(String id, String rule, String... policies) {
        return new ConsentTerms(
                id,
                true,
                true,
                LocalDate.of(2024, 2, 20),
                LocalDate.of(2039, 3, 4),
                Set.of("HRESCH"),
                rule,
                Set.of(policies));
    }

    @Test
    void consentInForceReleasesWhereTheRuleAsksNothingMore() {
        ReleaseDecision decision = policy.decide(cibmtr, "SG", List.of(consent("c1", "sg-pdpa")), TODAY);
        assertTrue(decision.released());
        assertEquals("consent c1 meets the rule of SG", decision.reason());
    }

    @Test
    void noConsentWithholds() {
        ReleaseDecision decision = policy.decide(cibmtr, "SG", List.of(), TODAY);
        assertFalse(decision.released());
        assertEquals("no active consent in force on 2026-11-21 permits purpose HRESCH", decision.reason());
    }

    @Test
    void inactiveExpiredNotYetValidOrOtherPurposeConsentsDoNotCount() {
        List<ConsentTerms> useless = List.of(
                new ConsentTerms("inactive", false, true, null, null, Set.of(), "sg-pdpa", Set.of()),
                new ConsentTerms("expired", true, true, null, TODAY.minusDays(1), Set.of(), "sg-pdpa", Set.of()),
                new ConsentTerms("future", true, true, TODAY.plusDays(1), null, Set.of(), "sg-pdpa", Set.of()),
                new ConsentTerms("marketing", true, true, null, null, Set.of("HMARKT"), "sg-pdpa", Set.of()));
        assertFalse(policy.decide(cibmtr, "SG", useless, TODAY).released());
    }

    @Test
    void consentEndingTodayStillCountsAndStartingTodayToo() {
        assertTrue(policy.decide(
                        cibmtr,
                        "SG",
                        List.of(new ConsentTerms("ends", true, true, null, TODAY, Set.of(), "sg-pdpa", Set.of())),
                        TODAY)
                .released());
        assertTrue(policy.decide(
                        cibmtr,
                        "SG",
                        List.of(new ConsentTerms("starts", true, true, TODAY, null, Set.of(), "sg-pdpa", Set.of())),
                        TODAY)
                .released());
    }

    @Test
    void aDenyingConsentWinsOverAPermittingOne() {
        ConsentTerms deny = new ConsentTerms(
                "withdrawn", true, false, TODAY.minusDays(3), null, Set.of("HRESCH"), "sg-pdpa", Set.of());
        ReleaseDecision decision = policy.decide(cibmtr, "SG", List.of(consent("c1", "sg-pdpa"), deny), TODAY);
        assertFalse(decision.released());
        assertEquals("consent withdrawn denies this use", decision.reason());
    }

    @Test
    void vietnamNeedsTheConsentToNameItsLawAndTheRecipientToHoldTheDossier() {
        assertTrue(policy.decide(cibmtr, "VN", List.of(consent("c1", "sg-pdpa", "vn-pdpl")), TODAY)
                .released());
        ReleaseDecision notNamed = policy.decide(cibmtr, "VN", List.of(consent("c2", "sg-pdpa")), TODAY);
        assertFalse(notNamed.released());
        assertEquals("consent c2 does not meet the rule of VN: a consent naming vn-pdpl", notNamed.reason());
        ReleaseDecision noDossier = policy.decide(noBases, "VN", List.of(consent("c1", "sg-pdpa", "vn-pdpl")), TODAY);
        assertFalse(noDossier.released());
        assertEquals("EBMT holds none of the transfer bases VN requires: vn-transfer-dossier", noDossier.reason());
    }

    @Test
    void chinaNeedsASeparateConsentUnderPipl() {
        ReleaseDecision merelyNamed = policy.decide(cibmtr, "CN", List.of(consent("c1", "sg-pdpa", "cn-pipl")), TODAY);
        assertFalse(merelyNamed.released());
        assertEquals(
                "consent c1 does not meet the rule of CN: a separate consent taken under cn-pipl",
                merelyNamed.reason());
        assertTrue(policy.decide(cibmtr, "CN", List.of(consent("c1", "sg-pdpa"), consent("c2", "cn-pipl")), TODAY)
                .released());
    }

    @Test
    void blockedDestinationWithholdsWhateverTheConsent() {
        RecipientTerms blocked = new RecipientTerms("Registry X", "XX", Set.of(), Set.of());
        ReleaseDecision decision = policy.decide(blocked, "IN", List.of(consent("c1", "in-dpdp")), TODAY);
        assertFalse(decision.released());
        assertEquals("IN does not allow transfers to XX (Registry X)", decision.reason());
    }

    @Test
    void unknownOrUnconfiguredJurisdictionWithholds() {
        assertEquals(
                "jurisdiction unknown: the patient's follow-up site has no country",
                policy.decide(cibmtr, null, List.of(consent("c1", "sg-pdpa")), TODAY)
                        .reason());
        assertEquals(
                "no transfer rule is configured for jurisdiction MY",
                policy.decide(cibmtr, "MY", List.of(consent("c1", "my-pdpa")), TODAY)
                        .reason());
    }

    @Test
    void consentWithoutPurposeCoversAnyResearchUse() {
        ConsentTerms open = new ConsentTerms("open", true, true, null, null, Set.of(), "sg-pdpa", Set.of());
        assertTrue(policy.decide(cibmtr, "SG", List.of(open), TODAY).released());
    }
}
