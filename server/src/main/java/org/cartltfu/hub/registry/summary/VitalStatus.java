package org.cartltfu.hub.registry.summary;

import java.util.Arrays;
import java.util.Optional;

/** The IG's survival-status codes. */
public enum VitalStatus implements Coded {
    ALIVE("alive"),
    DEAD("dead"),
    UNKNOWN("unknown");

    private final String code;

    VitalStatus(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<VitalStatus> fromCode(String code) {
        return Arrays.stream(values())
                .filter(status -> status.code.equals(code))
                .findFirst();
    }
}
