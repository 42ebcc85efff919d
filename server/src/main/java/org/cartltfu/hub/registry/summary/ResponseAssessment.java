package org.cartltfu.hub.registry.summary;

import java.time.LocalDate;
import java.util.Objects;

/** A disease-response Observation: the response known on its date. */
public record ResponseAssessment(LocalDate date, DiseaseResponse response) {

    public ResponseAssessment {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(response, "response");
    }
}
