package org.cartltfu.hub.registry.gate;

import java.time.LocalDate;
import java.util.Set;

/**
 * What one stored Consent says, reduced to what the release decision needs.
 *
 * @param id the Consent's id, named in the decision
 * @param active {@code Consent.status} is active
 * @param permit the base provision permits (rather than denies)
 * @param start first day the provision applies (null: from the start)
 * @param end last day the provision applies (null: open-ended)
 * @param purposes the provision's purpose codes (e.g. {@code HRESCH}); empty means any purpose
 * @param policyRule the regime the consent was taken under (jurisdiction-policy code)
 * @param policies further regimes the consent names (jurisdiction-policy codes)
 */
public record ConsentTerms(
        String id,
        boolean active,
        boolean permit,
        LocalDate start,
        LocalDate end,
        Set<String> purposes,
        String policyRule,
        Set<String> policies) {

    public ConsentTerms {
        purposes = purposes == null ? Set.of() : Set.copyOf(purposes);
        policies = policies == null ? Set.of() : Set.copyOf(policies);
    }

    boolean inForceOn(LocalDate day) {
        return (start == null || !day.isBefore(start)) && (end == null || !day.isAfter(end));
    }

    boolean names(String regime) {
        return regime.equals(policyRule) || policies.contains(regime);
    }
}
