package org.cartltfu.hub.registry.summary;

import java.util.Objects;

/**
 * New malignancy in a period. With several, the earliest is shown (each one needs its own CIBMTR 3500 form).
 *
 * @param day  diagnosis day when yes
 * @param code malignancy code or text when yes
 */
public record MalignancySummary(Answer occurred, Integer day, String code) {

    public MalignancySummary {
        Objects.requireNonNull(occurred, "occurred");
    }
}
