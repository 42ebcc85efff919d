package org.cartltfu.hub.registry.summary;

import java.util.Objects;

/**
 * CAR-T persistence testing in a period; with several tests, the latest one (the current status at the period's
 * end).
 *
 * @param tested    yes if a test was done in the period
 * @param result    the latest test's result when tested
 * @param method    its method when tested and given
 * @param sampleDay its sample day when tested
 */
public record PersistenceSummary(Answer tested, PersistenceResult result, String method, Integer sampleDay) {

    public PersistenceSummary {
        Objects.requireNonNull(tested, "tested");
    }
}
