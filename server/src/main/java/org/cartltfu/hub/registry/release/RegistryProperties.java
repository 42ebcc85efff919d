package org.cartltfu.hub.registry.release;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cartltfu.hub.registry.deid.BirthDatePolicy;
import org.cartltfu.hub.registry.deid.DatePolicy;
import org.cartltfu.hub.registry.gate.JurisdictionRule;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who receives registry extracts and under which rules (prefix {@code hub.registry}; defaults in application.yaml).
 *
 * @param export how bulk export jobs run
 * @param jurisdictions transfer rules by the country (ISO 3166 alpha-2) of the patient's follow-up site
 * @param recipients the registries; each is also a registered client with role {@code registry}
 */
@ConfigurationProperties("hub.registry")
public record RegistryProperties(
        Export export, Map<String, JurisdictionRule> jurisdictions, List<Recipient> recipients) {

    public RegistryProperties {
        jurisdictions = jurisdictions == null ? Map.of() : Map.copyOf(jurisdictions);
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }

    /**
     * @param maintenanceInterval how often HAPI's batch jobs advance to their next step (HAPI's default is a minute,
     *     which makes even a tiny export take minutes)
     * @param retryAfter what the status endpoint tells a polling client to wait (HAPI says 120 s)
     */
    public record Export(Duration maintenanceInterval, Duration retryAfter) {}

    /**
     * @param clientId the OAuth client id the registry calls with (see {@code hub.security.clients})
     * @param name the registry's name, used in audit records
     * @param country where the registry holds the data (ISO 3166 alpha-2)
     * @param key the registry's secret pseudonymisation key, hex, at least 32 bytes; put it in a secret store and
     *     pass it as an environment variable, never in this file
     * @param dates study days (CIBMTR/EBMT convention) or a per-patient shift
     * @param maxShiftDays the largest shift when dates are shifted
     * @param birthDates year of birth or age at infusion
     * @param purposes consent purposes (v3 ActReason) the registry's use falls under
     * @param transferBases transfer bases the hub has documented for this registry (matched against the rules)
     * @param identifierSystems identifier systems the registry may receive (e.g. its own research id); all others go
     * @param resourceTypes the resource types the registry may receive
     */
    public record Recipient(
            String clientId,
            String name,
            String country,
            String key,
            DatePolicy dates,
            Integer maxShiftDays,
            BirthDatePolicy birthDates,
            Set<String> purposes,
            Set<String> transferBases,
            Set<String> identifierSystems,
            Set<String> resourceTypes) {

        public Recipient {
            dates = dates == null ? DatePolicy.STUDY_DAY : dates;
            maxShiftDays = maxShiftDays == null ? 180 : maxShiftDays;
            birthDates = birthDates == null ? BirthDatePolicy.YEAR : birthDates;
            purposes = purposes == null ? Set.of() : Set.copyOf(purposes);
            transferBases = transferBases == null ? Set.of() : Set.copyOf(transferBases);
            identifierSystems = identifierSystems == null ? Set.of() : Set.copyOf(identifierSystems);
            resourceTypes = resourceTypes == null ? Set.of() : Set.copyOf(resourceTypes);
        }
    }
}
