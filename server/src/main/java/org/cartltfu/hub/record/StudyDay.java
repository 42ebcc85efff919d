package org.cartltfu.hub.record;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Study-day arithmetic on calendar dates, following the registry convention that day 0 is the infusion date.
 *
 * <p><b>Which date counts.</b> An event's day is taken from the calendar date <em>where it happened</em>, in
 * the UTC offset recorded with it, never from the hub's or the server's time zone. A blood test at 23:30 in
 * Hanoi (+07:00) on 5 March is a 5 March event, although it was already 00:30 on 6 March in Singapore
 * (+08:00). So the same instant can fall on different study days at different sites; that is intended, since
 * it is the date a clinician at the site sees on the record. Converting to an instant first (for example with
 * a FHIR library's {@code java.util.Date} value) loses the offset and can move the event by a day.
 */
public final class StudyDay {

    private StudyDay() {}

    /**
     * Study day of an event: 0 on the infusion date, 1 the next day, negative before infusion (e.g. -5 for
     * lymphodepletion).
     *
     * @param infusionDate    the (first) infusion date, day 0
     * @param eventLocalDate  the event's date where it happened
     */
    public static int dayNumber(LocalDate infusionDate, LocalDate eventLocalDate) {
        Require.present(infusionDate, "infusionDate");
        Require.present(eventLocalDate, "eventLocalDate");
        return Math.toIntExact(ChronoUnit.DAYS.between(infusionDate, eventLocalDate));
    }

    /**
     * The calendar date of an event in its own offset: {@code 2024-03-05T23:30+07:00} is 5 March, even though
     * that instant is 6 March in Singapore.
     */
    public static LocalDate localDate(OffsetDateTime eventTime) {
        return Require.present(eventTime, "eventTime").toLocalDate();
    }

    /**
     * The calendar date of a FHIR {@code date} or {@code dateTime} string, read as written (see
     * {@link #localDate(OffsetDateTime)}): {@code 2024-03-05} or {@code 2024-03-05T23:30:00+07:00}.
     *
     * @throws IllegalArgumentException for partial dates ({@code 2024}, {@code 2024-03}), which have no study day
     *                                  until the site supplies or estimates the day, and for a time without an
     *                                  offset, which FHIR does not allow
     */
    public static LocalDate localDate(String fhirDateOrDateTime) {
        String value = Require.present(fhirDateOrDateTime, "fhirDateOrDateTime").trim();
        if (value.matches("\\d{4}(-\\d{2})?")) {
            throw new IllegalArgumentException("partial date '" + value + "' has no day, so no study day;"
                    + " ask the site for the full date or an estimate");
        }
        try {
            if (value.contains("T")) {
                return OffsetDateTime.parse(value).toLocalDate();
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not a FHIR date or a dateTime with a UTC offset"
                            + " (expected e.g. 2024-03-05 or 2024-03-05T23:30:00+07:00)",
                    e);
        }
    }
}
