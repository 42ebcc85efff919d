package org.cartltfu.hub.registry.summary;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A survival-status Observation: vital status at a contact date.
 *
 * @param causeOfDeath cause-of-death code when dead and given, otherwise null
 */
public record SurvivalObservation(LocalDate date, VitalStatus status, String causeOfDeath) {

    public SurvivalObservation {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(status, "status");
    }
}
