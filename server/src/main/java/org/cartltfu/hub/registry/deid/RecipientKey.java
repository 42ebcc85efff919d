package org.cartltfu.hub.registry.deid;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One registry's secret key. Everything derived from it (pseudonyms, date shifts) is specific to that registry, so
 * two registries' extracts cannot be linked, and nothing derived can be reversed without the key, which stays in the
 * hub's configuration or secret store and never goes into an extract.
 */
public final class RecipientKey {

    private static final String HMAC = "HmacSHA256";
    /** 256-bit keys: what HMAC-SHA256 is designed for; shorter keys are refused rather than silently weakened. */
    static final int MIN_KEY_BYTES = 32;

    private final String recipient;
    private final byte[] key;

    public RecipientKey(String recipient, byte[] key) {
        if (recipient == null || recipient.isBlank()) {
            throw new IllegalArgumentException("recipient must be named");
        }
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the key of recipient '" + recipient + "' must have at least "
                    + MIN_KEY_BYTES + " bytes, has " + (key == null ? 0 : key.length));
        }
        this.recipient = recipient;
        this.key = key.clone();
    }

    /** A key given as hex (e.g. from {@code openssl rand -hex 32}). */
    public static RecipientKey ofHex(String recipient, String hex) {
        return new RecipientKey(recipient, HexFormat.of().parseHex(hex));
    }

    public String recipient() {
        return recipient;
    }

    /** HMAC-SHA256 of a purpose-tagged value, so that a pseudonym and a date shift never share their input. */
    byte[] mac(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal((purpose + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java 17 runtime", e);
        }
    }

    @Override
    public String toString() {
        return "RecipientKey[" + recipient + ", key hidden]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecipientKey that && recipient.equals(that.recipient) && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return recipient.hashCode();
    }
}
