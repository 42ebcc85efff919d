package org.cartltfu.hub.registry.summary;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A new-malignancy Condition.
 *
 * @param code the malignancy's code, or its text when it has no coding
 */
public record NewMalignancy(LocalDate diagnosisDate, String code) {

    public NewMalignancy {
        Objects.requireNonNull(diagnosisDate, "diagnosisDate");
    }
}
