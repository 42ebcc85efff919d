package org.cartltfu.hub.registry;

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
		return new ReleaseSession(recipient, day, directory, policy);
	}

	public PatientDirectory directory() {
		return directory;
	}
}
