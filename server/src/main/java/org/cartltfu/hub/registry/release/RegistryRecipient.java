package org.cartltfu.hub.registry.release;

import org.cartltfu.hub.registry.deid.Deidentifier;
import org.cartltfu.hub.registry.gate.RecipientTerms;

/**
 * A configured registry, ready to receive extracts: its settings, its de-identifier (holding its key) and the terms the
 * release decision checks.
 */
public record RegistryRecipient(
        RegistryProperties.Recipient settings, Deidentifier deidentifier, RecipientTerms terms) {

    public String clientId() {
        return settings.clientId();
    }

    public String name() {
        return settings.name();
    }

    public boolean receives(String resourceType) {
        return settings.resourceTypes().contains(resourceType);
    }
}
