package org.cartltfu.hub.registry.release;

import java.time.LocalDate;
import org.cartltfu.hub.registry.gate.ReleasePolicy;

/** Opens extracts: the one place that knows how to decide and de-identify for a recipient. */
public class RegistryRelease {

    private final PatientDirectory directory;
    private final ReleasePolicy policy;

    public RegistryRelease(PatientDirectory directory, RegistryProperties properties) {
        this.directory = directory;
        this.policy = new ReleasePolicy(properties.jurisdictions());
    }

    /** @param recipient the registry, or null for the hub's own identified extract */
    public ReleaseSession open(RegistryRecipient recipient, LocalDate day) {
        return open(recipient, day, ReleaseSession.DecisionLedger.ALONE);
    }

    /** An extract that several sessions (the batch workers of several hub instances) decide for together. */
    public ReleaseSession open(RegistryRecipient recipient, LocalDate day, ReleaseSession.DecisionLedger ledger) {
        return new ReleaseSession(recipient, day, directory, policy, ledger);
    }
}
