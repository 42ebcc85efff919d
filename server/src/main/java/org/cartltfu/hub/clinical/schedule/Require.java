package org.cartltfu.hub.clinical.schedule;

/** Rejects missing inputs with IllegalArgumentException naming the field, so callers can answer 400/422. */
final class Require {

    private Require() {}

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
