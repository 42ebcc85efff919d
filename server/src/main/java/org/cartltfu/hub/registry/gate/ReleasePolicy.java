package org.cartltfu.hub.registry.gate;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides, patient by patient, whether data may go to a registry: only with a consent in force that permits the
 * recipient's purpose, and only where the rule of the patient's jurisdiction is met. Anything not explicitly allowed is
 * withheld: a country without a rule, a denying or withdrawn consent, a recipient without the transfer basis the
 * jurisdiction asks for.
 */
public final class ReleasePolicy {

    private final Map<String, JurisdictionRule> rules;

    /** @param rules by jurisdiction (ISO 3166 alpha-2 country code, upper case) */
    public ReleasePolicy(Map<String, JurisdictionRule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /**
     * @param recipient who the extract is for
     * @param jurisdiction the country of the patient's follow-up site (null when unknown)
     * @param consents all of the patient's stored research consents
     * @param day the day of the extract
     */
    public ReleaseDecision decide(
            RecipientTerms recipient, String jurisdiction, List<ConsentTerms> consents, LocalDate day) {
        if (jurisdiction == null || jurisdiction.isBlank()) {
            return ReleaseDecision.withhold("jurisdiction unknown: the patient's follow-up site has no country");
        }
        JurisdictionRule rule = rules.get(jurisdiction);
        if (rule == null) {
            return ReleaseDecision.withhold("no transfer rule is configured for jurisdiction " + jurisdiction);
        }
        if (recipient.country() != null && rule.blockedDestinations().contains(recipient.country())) {
            return ReleaseDecision.withhold(jurisdiction + " does not allow transfers to " + recipient.country() + " ("
                    + recipient.name() + ")");
        }
        if (!rule.transferBases().isEmpty()
                && rule.transferBases().stream().noneMatch(recipient.transferBases()::contains)) {
            return ReleaseDecision.withhold(recipient.name() + " holds none of the transfer bases " + jurisdiction
                    + " requires: " + String.join(", ", rule.transferBases()));
        }
        List<ConsentTerms> inForce = consents.stream()
                .filter(ConsentTerms::active)
                .filter(consent -> consent.inForceOn(day))
                .filter(consent -> coversPurpose(consent, recipient.purposes()))
                .toList();
        List<ConsentTerms> denials =
                inForce.stream().filter(consent -> !consent.permit()).toList();
        if (!denials.isEmpty()) {
            return ReleaseDecision.withhold("consent " + ids(denials) + " denies this use");
        }
        if (inForce.isEmpty()) {
            return ReleaseDecision.withhold("no active consent in force on " + day + " permits "
                    + (recipient.purposes().isEmpty()
                            ? "research use"
                            : "purpose " + String.join("/", recipient.purposes())));
        }
        List<ConsentTerms> meetingRule = inForce.stream()
                .filter(consent -> rule.consentUnder() == null
                        || rule.consentUnder().isBlank()
                        || rule.consentUnder().equals(consent.policyRule()))
                .filter(consent -> rule.consentCovers().stream().allMatch(consent::names))
                .toList();
        if (meetingRule.isEmpty()) {
            return ReleaseDecision.withhold(
                    "consent " + ids(inForce) + " does not meet the rule of " + jurisdiction + describe(rule));
        }
        return ReleaseDecision.release("consent " + ids(meetingRule) + " meets the rule of " + jurisdiction);
    }

    private static boolean coversPurpose(ConsentTerms consent, Set<String> wanted) {
        return consent.purposes().isEmpty()
                || wanted.isEmpty()
                || consent.purposes().stream().anyMatch(wanted::contains);
    }

    private static String ids(List<ConsentTerms> consents) {
        return consents.stream().map(ConsentTerms::id).collect(Collectors.joining(", "));
    }

    private static String describe(JurisdictionRule rule) {
        StringBuilder text = new StringBuilder();
        if (rule.consentUnder() != null && !rule.consentUnder().isBlank()) {
            text.append(": a separate consent taken under ").append(rule.consentUnder());
        }
        if (!rule.consentCovers().isEmpty()) {
            text.append(text.isEmpty() ? ": " : "; ")
                    .append("a consent naming ")
                    .append(String.join(" and ", rule.consentCovers()));
        }
        return text.toString();
    }
}
