package org.cartltfu.hub.registry.summary;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;

/**
 * One CRS or ICANS episode as the site recorded it (crs-event / icans-event).
 *
 * @param onset      first documented symptom (AdverseEvent.detected)
 * @param resolution date it resolved, or null when not (yet) recorded
 * @param maxGrade   highest ASTCT grade (0–5) of the whole episode, or null when not recorded
 * @param therapies  therapies given for it
 */
public record ToxicityEpisode(
        Toxicity toxicity, LocalDate onset, LocalDate resolution, Integer maxGrade, Set<ToxicityTherapy> therapies) {

    public ToxicityEpisode {
        Objects.requireNonNull(toxicity, "toxicity");
        Objects.requireNonNull(onset, "onset");
        therapies = Set.copyOf(therapies);
        if (resolution != null && resolution.isBefore(onset)) {
            throw new IllegalArgumentException(
                    toxicity + " episode resolves on " + resolution + ", before its onset on " + onset);
        }
        if (maxGrade != null && (maxGrade < 0 || maxGrade > 5)) {
            throw new IllegalArgumentException(toxicity + " grade must be 0 to 5 (ASTCT), was " + maxGrade);
        }
    }
}
