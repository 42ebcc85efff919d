package org.cartltfu.hub.clinical.grading;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Looks up coded enums by their FHIR code, so every enum rejects unknown codes with the same clear message. */
final class Codes {

    private Codes() {}

    /** FHIR codes are case-sensitive, so is this lookup. */
    static <E extends Enum<E>> E fromCode(Class<E> type, String code, Function<E, String> codeOf) {
        E[] values = type.getEnumConstants();
        if (code == null) {
            throw new IllegalArgumentException(type.getSimpleName() + " code is required");
        }
        for (E value : values) {
            if (codeOf.apply(value).equals(code)) {
                return value;
            }
        }
        String known = Arrays.stream(values).map(codeOf).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "unknown " + type.getSimpleName() + " code '" + code + "'; expected one of: " + known);
    }
}
