package org.cartltfu.hub.registry.deid;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;

/**
 * How dates leave the hub in a registry extract. Either as day offsets from the infusion (the CIBMTR/EBMT
 * convention: day 0 = infusion, calendar dates where each event happened), or shifted by one random number of days
 * per patient and recipient, which keeps intervals exact but hides the real dates. Birth dates become a year, or the
 * age in whole years at infusion.
 */
public final class DateMasking {

    private final RecipientKey key;
    private final int maxShiftDays;

    /**
     * @param maxShiftDays the shift is between -maxShiftDays and +maxShiftDays (not 0), the same for all of one patient's
     *     dates in one recipient's extracts
     */
    public DateMasking(RecipientKey key, int maxShiftDays) {
        if (maxShiftDays < 1 || maxShiftDays > 3650) {
            throw new IllegalArgumentException("maxShiftDays must be between 1 and 3650, was " + maxShiftDays);
        }
        this.key = key;
        this.maxShiftDays = maxShiftDays;
    }

    /** Days after the infusion (negative before it). */
    public static long dayOffset(LocalDate infusionDate, LocalDate date) {
        return ChronoUnit.DAYS.between(infusionDate, date);
    }

    /** The patient's shift for this recipient: derived from the key, so repeat extracts shift the same way. */
    public int shiftDays(String patientId) {
        long bits = ByteBuffer.wrap(key.mac("date-shift", patientId)).getLong() & Long.MAX_VALUE;
        int magnitude = (int) (bits % maxShiftDays) + 1;
        return ((bits >>> 62) & 1) == 0 ? magnitude : -magnitude;
    }

    public LocalDate shift(String patientId, LocalDate date) {
        return date.plusDays(shiftDays(patientId));
    }

    public static int birthYear(LocalDate birthDate) {
        return birthDate.getYear();
    }

    public static int ageAtInfusion(LocalDate birthDate, LocalDate infusionDate) {
        if (birthDate.isAfter(infusionDate)) {
            throw new IllegalArgumentException("birth date " + birthDate + " is after the infusion " + infusionDate);
        }
        return Period.between(birthDate, infusionDate).getYears();
    }
}
