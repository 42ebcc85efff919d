package org.cartltfu.hub.clinical.schedule;

import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.cartltfu.hub.record.Require;

/**
 * The hub's own early visits (e.g. days 7, 14 and 28), before the registry's day-100 visit. Each visit is
 * coded {@code D<day>} and has a window of ±{@code windowDays}. Windows must start after the infusion day and
 * must not overlap, so one data date never completes two visits.
 *
 * @param days       post-infusion days, stored ascending
 * @param windowDays half-width of every early window
 */
public record EarlyVisitPolicy(List<Integer> days, int windowDays) {

    public static final int DEFAULT_WINDOW_DAYS = 2;

    /** No early visits: the schedule starts at day 100. */
    public static final EarlyVisitPolicy NONE = new EarlyVisitPolicy(List.of(), DEFAULT_WINDOW_DAYS);

    public EarlyVisitPolicy {
        Require.present(days, "days");
        if (days.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("days must not contain null");
        }
        if (windowDays < 0) {
            throw new IllegalArgumentException("windowDays must be zero or positive, was " + windowDays);
        }
        days = days.stream().sorted().toList();
        for (int i = 0; i < days.size(); i++) {
            int day = days.get(i);
            if (day - windowDays < 1) {
                throw new IllegalArgumentException("early visit D" + day + " ±" + windowDays + " would open on day "
                        + (day - windowDays) + "; windows must open after the infusion day");
            }
            if (i > 0 && days.get(i - 1) + windowDays >= day - windowDays) {
                throw new IllegalArgumentException("early visits D" + days.get(i - 1) + " and D" + day + " ±"
                        + windowDays + " have overlapping windows");
            }
        }
    }

    /** Early visits on the given days with the default ±2-day window. */
    public static EarlyVisitPolicy withDefaultWindow(int... days) {
        return new EarlyVisitPolicy(IntStream.of(days).boxed().toList(), DEFAULT_WINDOW_DAYS);
    }
}
