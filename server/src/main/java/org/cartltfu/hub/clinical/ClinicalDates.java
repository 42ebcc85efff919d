package org.cartltfu.hub.clinical;

import java.time.LocalDate;
import org.cartltfu.hub.record.StudyDay;

/** Calendar dates of stored FHIR values, for day arithmetic. */
public final class ClinicalDates {

    private ClinicalDates() {}

    /**
     * The date where the event happened (see {@link StudyDay#localDate(String)}), or null for an absent or partial
     * date (year or month only), which stays out of the day arithmetic.
     */
    public static LocalDate localDate(String fhirDateOrDateTime) {
        if (fhirDateOrDateTime == null || fhirDateOrDateTime.length() < 10) {
            return null;
        }
        return StudyDay.localDate(fhirDateOrDateTime);
    }
}
