package org.cartltfu.hub.clinical;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.cartltfu.hub.clinical.grading.CrsGrade;
import org.cartltfu.hub.clinical.grading.CrsGrader;
import org.cartltfu.hub.clinical.grading.DomainGrade;
import org.cartltfu.hub.clinical.grading.IcansGrade;
import org.cartltfu.hub.clinical.grading.IcansGrader;
import org.cartltfu.ig.CartEventType;
import org.cartltfu.ig.CartObservation;
import org.hl7.fhir.r4.model.Observation;

/** One stored assessment, graded by the pure graders. */
record GradedAssessment(
        String reference,
        String toxicity,
        LocalDate date,
        int lowest,
        int highest,
        Optional<Integer> statedGrade,
        List<String> reasons,
        List<String> flags) {

    static GradedAssessment of(Observation observation, LocalDate birthDate) {
        LocalDate date =
                ClinicalDates.localDate(observation.getEffectiveDateTimeType().getValueAsString());
        String reference = observation.getIdElement().toUnqualifiedVersionless().getValue();
        Optional<Integer> stated = AssessmentFindings.statedGrade(observation);
        String toxicity = AssessmentFindings.isA(observation, CartObservation.CRS_ASSESSMENT)
                ? CartEventType.CRS.code()
                : CartEventType.ICANS.code();
        try {
            return graded(observation, birthDate, date, reference, stated);
        } catch (IllegalArgumentException inconsistent) {
            // Stored findings the grader cannot reconcile: shown as ungradable, never guessed.
            return new GradedAssessment(
                    reference,
                    toxicity,
                    date,
                    0,
                    5,
                    stated,
                    List.of(),
                    List.of("not gradable: " + inconsistent.getMessage()));
        }
    }

    private static GradedAssessment graded(
            Observation observation, LocalDate birthDate, LocalDate date, String reference, Optional<Integer> stated) {
        if (AssessmentFindings.isA(observation, CartObservation.CRS_ASSESSMENT)) {
            CrsGrade grade = CrsGrader.grade(AssessmentFindings.crs(observation));
            return new GradedAssessment(
                    reference,
                    CartEventType.CRS.code(),
                    date,
                    grade.lowestPossibleGrade(),
                    grade.highestPossibleGrade(),
                    stated,
                    reasons(grade.drivers()),
                    grade.flags().stream().map(flag -> flag.description()).toList());
        }
        IcansGrade grade = IcansGrader.grade(AssessmentFindings.icans(observation, birthDate, date));
        return new GradedAssessment(
                reference,
                CartEventType.ICANS.code(),
                date,
                grade.lowestPossibleGrade(),
                grade.highestPossibleGrade(),
                stated,
                reasons(grade.drivers()),
                grade.flags().stream().map(flag -> flag.description()).toList());
    }

    String gradeText() {
        return lowest == highest ? Integer.toString(lowest) : lowest + "-" + highest;
    }

    private static List<String> reasons(List<? extends DomainGrade<?>> drivers) {
        return drivers.stream().map(DomainGrade::reason).toList();
    }
}
