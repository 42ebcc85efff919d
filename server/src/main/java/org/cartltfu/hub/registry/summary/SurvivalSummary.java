package org.cartltfu.hub.registry.summary;

import java.util.Objects;

/**
 * Vital status at the end of a period.
 *
 * @param deathDay     study day of death when dead and the date of death is recorded
 * @param causeOfDeath cause-of-death code when dead and given
 */
public record SurvivalSummary(VitalStatus status, Integer deathDay, String causeOfDeath) {

    public SurvivalSummary {
        Objects.requireNonNull(status, "status");
    }
}
