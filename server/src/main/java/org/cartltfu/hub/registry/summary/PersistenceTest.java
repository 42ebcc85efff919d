package org.cartltfu.hub.registry.summary;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A cart-persistence Observation.
 *
 * @param method persistence-method code (pcr, flow-cytometry, …), its text, or null when not given
 */
public record PersistenceTest(LocalDate sampleDate, PersistenceResult result, String method) {

    public PersistenceTest {
        Objects.requireNonNull(sampleDate, "sampleDate");
        Objects.requireNonNull(result, "result");
    }
}
