package org.cartltfu.hub.clinical.schedule;

import java.util.List;
import java.util.stream.IntStream;

/**
 * CIBMTR cellular-therapy follow-up tracks. Both start with day 100 and 6 months; they differ in the annual
 * visits. The 100-day-only, no-follow-up and CTRM tracks are not scheduled by the hub.
 */
public enum FollowUpTrack {
    /** Genetically modified products (all CAR-T): annual visits in years 1 to 15. */
    FIFTEEN_YEAR(IntStream.rangeClosed(1, 15).boxed().toList()),
    /** Years 1 to 6, then every other year to year 14. */
    STANDARD(List.of(1, 2, 3, 4, 5, 6, 8, 10, 12, 14));

    private final List<Integer> annualVisitYears;

    FollowUpTrack(List<Integer> annualVisitYears) {
        this.annualVisitYears = annualVisitYears;
    }

    /** Post-infusion years with an annual visit, ascending. */
    public List<Integer> annualVisitYears() {
        return annualVisitYears;
    }
}
