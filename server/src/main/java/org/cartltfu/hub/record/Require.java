package org.cartltfu.hub.record;

/** Rejects missing inputs with IllegalArgumentException naming the field, so callers can answer 400/422. */
public final class Require {

    private Require() {}

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
