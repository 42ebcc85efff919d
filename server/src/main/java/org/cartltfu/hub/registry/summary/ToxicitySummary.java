package org.cartltfu.hub.registry.summary;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * CRS or ICANS in one period, over the episodes active in it.
 *
 * @param occurred      yes if an episode was active in the period; unknown without follow-up data, or when an
 *                      earlier episode has no resolution date and so may have lasted into the period
 * @param persisted     an active episode started in an earlier period (CIBMTR "persisted" / "previously reported")
 * @param maxGrade      highest ASTCT grade recorded for the active episodes (an episode's grade is its overall
 *                      maximum, so an episode spanning two periods counts with it in both); null if none recorded
 * @param onsetDay      onset of the earliest active episode, which can lie in an earlier period when persisted
 * @param resolutionDay resolution of the latest active episode, null while any active one has none; it can lie
 *                      after the period's end when the episode was still going on then
 * @param therapies     all therapies given for the active episodes, kept in the order of the crs-therapy codes
 */
public record ToxicitySummary(
        Answer occurred,
        boolean persisted,
        Integer maxGrade,
        Integer onsetDay,
        Integer resolutionDay,
        Set<ToxicityTherapy> therapies) {

    public ToxicitySummary {
        Objects.requireNonNull(occurred, "occurred");
        therapies = Collections.unmodifiableSortedSet(new TreeSet<>(therapies));
    }

    static ToxicitySummary without(Answer occurred) {
        return new ToxicitySummary(occurred, false, null, null, null, Set.of());
    }
}
