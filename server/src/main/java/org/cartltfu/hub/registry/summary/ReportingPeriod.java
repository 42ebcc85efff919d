package org.cartltfu.hub.registry.summary;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.cartltfu.hub.clinical.schedule.EarlyVisitPolicy;
import org.cartltfu.hub.clinical.schedule.FollowUpScheduler;
import org.cartltfu.hub.clinical.schedule.FollowUpTrack;
import org.cartltfu.hub.clinical.schedule.PlannedVisit;

/**
 * A registry reporting period in study days (day 0 = first infusion), both ends inclusive.
 *
 * <p><b>Boundaries.</b> Each period ends on the last day of its visit's contact window, and the next one starts the
 * day after: D100 = days 0–115, M6 = 116–212, Y1 = 213–425, Y2 = 426–790, …, Y<i>n</i> = up to 365·<i>n</i> + 60.
 * CIBMTR periods do not overlap and run from one contact date to the next; ending at the window's last day means a
 * visit anywhere in its window (D100: 85–115, M6: 152–212, Y1: 365–425) falls in its own period, whatever day the
 * site picked. On the standard track a period after year 6 covers two years (Y8 = days 2251–2980). The windows come
 * from {@link FollowUpScheduler}, so the annual windows after year 1 carry its [V] assumption.
 *
 * @param timepointCode  ltfu-timepoint code of the form (D100, M6, Y1, …)
 * @param startDay       first day of the period
 * @param endDay         last day of the period (the last day of the contact window)
 * @param windowStartDay first day of the contact window: from then on the form is due
 */
public record ReportingPeriod(String timepointCode, int startDay, int endDay, int windowStartDay) {

    public ReportingPeriod {
        if (startDay > windowStartDay || windowStartDay > endDay) {
            throw new IllegalArgumentException(timepointCode + ": need startDay <= windowStartDay <= endDay, got "
                    + startDay + ", " + windowStartDay + ", " + endDay);
        }
    }

    /** The track's periods in order; the days are the same for every infusion date. */
    public static List<ReportingPeriod> of(FollowUpTrack track, LocalDate infusionDate) {
        List<ReportingPeriod> periods = new ArrayList<>();
        int start = 0;
        for (PlannedVisit visit : new FollowUpScheduler(EarlyVisitPolicy.NONE).plan(infusionDate, track)) {
            periods.add(
                    new ReportingPeriod(visit.timepointCode(), start, visit.windowEndDay(), visit.windowStartDay()));
            start = visit.windowEndDay() + 1;
        }
        return List.copyOf(periods);
    }

    public boolean contains(int day) {
        return day >= startDay && day <= endDay;
    }
}
