package org.cartltfu.hub.clinical.schedule;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.cartltfu.hub.record.Require;

/**
 * Plans a patient's follow-up visits from the infusion date (day 0): the hub's early visits, then the registry
 * visits of the {@link FollowUpTrack}.
 *
 * <p>Windows: D100 = days 85–115 and M6 = day 182 ±30 (CIBMTR contact-date windows); Y1 = days 365–425.
 * Years are 365 study days, not calendar anniversaries, so after a 29 February the target falls one calendar
 * day before the anniversary.
 */
public final class FollowUpScheduler {

    static final int D100_TARGET_DAY = 100;
    static final int D100_WINDOW_START_DAY = 85;
    static final int D100_WINDOW_END_DAY = 115;
    static final int M6_TARGET_DAY = 182;
    static final int M6_HALF_WINDOW_DAYS = 30;
    static final int DAYS_PER_YEAR = 365;
    /**
     * Assumption [V]: the sources give only the year-1 window (days 365–425). Later years reuse that pattern,
     * [365·N, 365·N + 60]; confirm against the current CIBMTR forms manual before reporting from it.
     */
    static final int ANNUAL_WINDOW_DAYS = 60;

    private final EarlyVisitPolicy earlyVisits;

    /** @throws IllegalArgumentException if an early window reaches into the day-100 window */
    public FollowUpScheduler(EarlyVisitPolicy earlyVisits) {
        this.earlyVisits = Require.present(earlyVisits, "earlyVisits");
        List<Integer> days = earlyVisits.days();
        if (!days.isEmpty()) {
            int lastDay = days.get(days.size() - 1);
            if (lastDay + earlyVisits.windowDays() >= D100_WINDOW_START_DAY) {
                throw new IllegalArgumentException("early visit D" + lastDay + " ±" + earlyVisits.windowDays()
                        + " overlaps the D100 window (days " + D100_WINDOW_START_DAY + "–" + D100_WINDOW_END_DAY
                        + ")");
            }
        }
    }

    /** Visits in chronological order; windows never overlap. */
    public List<PlannedVisit> plan(LocalDate infusionDate, FollowUpTrack track) {
        Require.present(infusionDate, "infusionDate");
        Require.present(track, "track");
        List<PlannedVisit> visits = new ArrayList<>();
        int window = earlyVisits.windowDays();
        for (int day : earlyVisits.days()) {
            visits.add(PlannedVisit.relativeTo(infusionDate, "D" + day, day, day - window, day + window));
        }
        visits.add(PlannedVisit.relativeTo(
                infusionDate, "D100", D100_TARGET_DAY, D100_WINDOW_START_DAY, D100_WINDOW_END_DAY));
        visits.add(PlannedVisit.relativeTo(
                infusionDate,
                "M6",
                M6_TARGET_DAY,
                M6_TARGET_DAY - M6_HALF_WINDOW_DAYS,
                M6_TARGET_DAY + M6_HALF_WINDOW_DAYS));
        for (int year : track.annualVisitYears()) {
            int target = DAYS_PER_YEAR * year;
            visits.add(PlannedVisit.relativeTo(infusionDate, "Y" + year, target, target, target + ANNUAL_WINDOW_DAYS));
        }
        return List.copyOf(visits);
    }
}
