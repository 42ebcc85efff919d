package org.cartltfu.hub.registry.deid;

import java.util.HexFormat;

/**
 * Pseudonyms for one recipient: stable across extracts for that recipient, unlinkable across recipients. Every resource
 * id gets one (not only patients'): server ids are shared by all extracts, so any real id left in two registries'
 * files would link them.
 */
public final class Pseudonyms {

    /** 128 bits of the HMAC: collisions are negligible for any cohort this hub will hold. */
    private static final int BYTES = 16;

    private final RecipientKey key;

    public Pseudonyms(RecipientKey key) {
        this.key = key;
    }

    /** @param reference the resource as {@code Type/id}, e.g. {@code Patient/123} */
    public String of(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("reference must not be empty");
        }
        byte[] mac = key.mac("patient-pseudonym", reference);
        return HexFormat.of().formatHex(mac, 0, BYTES);
    }
}
