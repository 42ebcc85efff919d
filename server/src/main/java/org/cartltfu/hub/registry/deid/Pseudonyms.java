package org.cartltfu.hub.registry.deid;

import java.util.HexFormat;

/** Patient pseudonyms for one recipient: stable across extracts for that recipient, unlinkable across recipients. */
public final class Pseudonyms {

	/** 128 bits of the HMAC: collisions are negligible for any cohort this hub will hold. */
	private static final int BYTES = 16;

	private final RecipientKey key;

	public Pseudonyms(RecipientKey key) {
		this.key = key;
	}

	public String of(String patientId) {
		if (patientId == null || patientId.isBlank()) {
			throw new IllegalArgumentException("patientId must not be empty");
		}
		byte[] mac = key.mac("patient-pseudonym", patientId);
		return HexFormat.of().formatHex(mac, 0, BYTES);
	}
}
