package org.cartltfu.hub.registry.summary;

import java.util.Arrays;
import java.util.Optional;

/** The IG's detection-result codes for a CAR-T persistence test. */
public enum PersistenceResult implements Coded {
    DETECTED("detected"),
    NOT_DETECTED("not-detected"),
    INDETERMINATE("indeterminate");

    private final String code;

    PersistenceResult(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<PersistenceResult> fromCode(String code) {
        return Arrays.stream(values())
                .filter(result -> result.code.equals(code))
                .findFirst();
    }
}
