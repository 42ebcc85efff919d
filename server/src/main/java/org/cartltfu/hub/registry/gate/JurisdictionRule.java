package org.cartltfu.hub.registry.gate;

import java.util.List;

/**
 * What the law of one jurisdiction (the country of the patient's follow-up site) asks before that patient's data may go
 * to a registry. Data, not code: the hub's privacy officer writes these rules in configuration, per country.
 *
 * @param consentUnder the consent must have been taken under this regime (its {@code Consent.policyRule}), e.g.
 *     {@code cn-pipl}: China's PIPL asks for a separate consent to the transfer itself; empty when any regime will do
 * @param consentCovers regimes the consent must name, as its policyRule or in {@code Consent.policy}
 *     (e.g. {@code vn-pdpl}: the patient was told the transfer is also governed by Vietnamese law)
 * @param transferBases the recipient must hold at least one of these documented transfer bases (e.g. a standard
 *     contract, a filed transfer-impact dossier); empty when consent alone is enough
 * @param blockedDestinations recipient countries (ISO 3166 alpha-2) this jurisdiction forbids transfers to
 */
public record JurisdictionRule(
        String consentUnder, List<String> consentCovers, List<String> transferBases, List<String> blockedDestinations) {

    public JurisdictionRule {
        consentCovers = consentCovers == null ? List.of() : List.copyOf(consentCovers);
        transferBases = transferBases == null ? List.of() : List.copyOf(transferBases);
        blockedDestinations = blockedDestinations == null ? List.of() : List.copyOf(blockedDestinations);
    }
}
