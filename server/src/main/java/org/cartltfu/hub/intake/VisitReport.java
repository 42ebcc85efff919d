package org.cartltfu.hub.intake;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One follow-up visit as a spoke reported it (a row of an upload or the web form), checked and in the hub's codes
 * and units. A null value was not reported.
 *
 * @param line where the row is in the file (the web form's single row is line 2)
 * @param patientKeys how the row names its patient: column → value (patient id, hub MRN, spoke MRN)
 */
record VisitReport(
        int line,
        Map<VisitColumn, String> patientKeys,
        String timepoint,
        LocalDate date,
        String survival,
        String response,
        String responseMethod,
        List<Lab> labs,
        String persistence,
        String persistenceMethod,
        String malignancy,
        LocalDate malignancyDate,
        String infections,
        String hospitalisations) {

    /** @param reported the cell as typed, when its unit was converted (kept on the Observation as a note) */
    record Lab(VisitLab lab, BigDecimal value, String reported) {}
}
