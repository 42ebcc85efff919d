package org.cartltfu.hub.clinical.schedule;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.cartltfu.hub.record.Require;

/**
 * One follow-up visit, as study days (day 0 = infusion) and as the calendar dates they fall on. The window is
 * inclusive at both ends. Days and dates must agree, so a visit built by hand cannot drift.
 *
 * @param timepointCode  {@code D<day>} for early visits (e.g. {@code D7}), {@code D100}, {@code M6},
 *                       {@code Y1}…{@code Y15}
 * @param targetDay      study day the visit aims at
 * @param windowStartDay first study day that counts
 * @param windowEndDay   last study day that counts
 * @param targetDate     calendar date of {@code targetDay}
 * @param windowStart    calendar date of {@code windowStartDay}
 * @param windowEnd      calendar date of {@code windowEndDay}
 */
public record PlannedVisit(
        String timepointCode,
        int targetDay,
        int windowStartDay,
        int windowEndDay,
        LocalDate targetDate,
        LocalDate windowStart,
        LocalDate windowEnd) {

    public PlannedVisit {
        if (Require.present(timepointCode, "timepointCode").isBlank()) {
            throw new IllegalArgumentException("timepointCode must not be blank");
        }
        Require.present(targetDate, "targetDate");
        Require.present(windowStart, "windowStart");
        Require.present(windowEnd, "windowEnd");
        if (windowStartDay > targetDay || targetDay > windowEndDay) {
            throw new IllegalArgumentException(timepointCode + ": days must satisfy windowStartDay <= targetDay <="
                    + " windowEndDay, got " + windowStartDay + ", " + targetDay + ", " + windowEndDay);
        }
        if (ChronoUnit.DAYS.between(windowStart, targetDate) != targetDay - windowStartDay
                || ChronoUnit.DAYS.between(targetDate, windowEnd) != windowEndDay - targetDay) {
            throw new IllegalArgumentException(timepointCode + ": dates " + windowStart + ", " + targetDate + ", "
                    + windowEnd + " do not match days " + windowStartDay + ", " + targetDay + ", " + windowEndDay);
        }
    }

    static PlannedVisit relativeTo(
            LocalDate infusionDate, String timepointCode, int targetDay, int windowStartDay, int windowEndDay) {
        return new PlannedVisit(
                timepointCode,
                targetDay,
                windowStartDay,
                windowEndDay,
                infusionDate.plusDays(targetDay),
                infusionDate.plusDays(windowStartDay),
                infusionDate.plusDays(windowEndDay));
    }

    /** True if data on this local date counts for the visit (window bounds included). */
    public boolean windowContains(LocalDate date) {
        return !date.isBefore(windowStart) && !date.isAfter(windowEnd);
    }
}
