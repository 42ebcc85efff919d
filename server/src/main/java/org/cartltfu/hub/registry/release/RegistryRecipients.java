package org.cartltfu.hub.registry.release;

import ca.uhn.fhir.context.FhirContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cartltfu.hub.registry.deid.Deidentifier;
import org.cartltfu.hub.registry.deid.RecipientKey;
import org.cartltfu.hub.registry.gate.RecipientTerms;

/** The registries configured under {@code hub.registry.recipients}, checked at start (a bad key stops the server). */
public class RegistryRecipients {

    /** What a registry receives when its configuration names no types: a CAR-T recipient's clinical record. */
    static final Set<String> DEFAULT_TYPES = Set.of(
            "Patient",
            "Procedure",
            "BiologicallyDerivedProduct",
            "AdverseEvent",
            "Observation",
            "Condition",
            "Encounter",
            "MedicationAdministration");

    private final Map<String, RegistryRecipient> byClient = new HashMap<>();

    public RegistryRecipients(RegistryProperties properties, FhirContext fhirContext) {
        for (RegistryProperties.Recipient settings : properties.recipients()) {
            if (settings.clientId() == null || settings.clientId().isBlank()) {
                throw new IllegalStateException("hub.registry.recipients: every recipient needs a client-id");
            }
            if (settings.key() == null || settings.key().isBlank()) {
                throw new IllegalStateException("hub.registry.recipients: recipient " + settings.clientId()
                        + " has no pseudonymisation key (hex, at least 32 bytes, e.g. openssl rand -hex 32)");
            }
            Set<String> types = settings.resourceTypes().isEmpty() ? DEFAULT_TYPES : settings.resourceTypes();
            RegistryProperties.Recipient effective = new RegistryProperties.Recipient(
                    settings.clientId(),
                    settings.name() == null ? settings.clientId() : settings.name(),
                    settings.country(),
                    settings.key(),
                    settings.dates(),
                    settings.maxShiftDays(),
                    settings.birthDates(),
                    settings.purposes(),
                    settings.transferBases(),
                    settings.identifierSystems(),
                    types);
            RecipientKey key = RecipientKey.ofHex(effective.clientId(), effective.key());
            Deidentifier deidentifier = new Deidentifier(
                    fhirContext,
                    key,
                    effective.dates(),
                    effective.maxShiftDays(),
                    effective.birthDates(),
                    effective.identifierSystems(),
                    types);
            RecipientTerms terms = new RecipientTerms(
                    effective.name(), effective.country(), effective.purposes(), effective.transferBases());
            if (byClient.put(effective.clientId(), new RegistryRecipient(effective, deidentifier, terms)) != null) {
                throw new IllegalStateException("hub.registry.recipients: client " + effective.clientId() + " twice");
            }
        }
    }

    public Optional<RegistryRecipient> forClient(String clientId) {
        return Optional.ofNullable(byClient.get(clientId));
    }
}
