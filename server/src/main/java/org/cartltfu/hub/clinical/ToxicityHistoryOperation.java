package org.cartltfu.hub.clinical;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cartltfu.hub.record.DayZero;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.hub.record.StudyDay;
import org.cartltfu.hub.record.ToxicityEvent;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code Patient/[id]/$toxicity-history}: the patient's CRS and ICANS episodes in time order, each with onset and
 * resolution as dates and as days after the infusion, the highest ASTCT grade stated, the grade and driving domain
 * the recorded assessments support, treatments and the recording site; then the daily grade series from the
 * assessments, then the results of the labs followed after CAR-T. Days are counted between calendar dates where each event happened (see {@link StudyDay}).
 */
public class ToxicityHistoryOperation {

    private final PatientRecords records;

    public ToxicityHistoryOperation(PatientRecords records) {
        this.records = records;
    }

    @Operation(name = "$toxicity-history", idempotent = true, type = Patient.class)
    public Parameters toxicityHistory(@IdParam IdType patientId, RequestDetails request) {
        Patient patient = records.patient(patientId, request);
        IdType patientRef = patient.getIdElement().toUnqualifiedVersionless();
        LocalDate birthDate = patient.hasBirthDate()
                ? ClinicalDates.localDate(patient.getBirthDateElement().getValueAsString())
                : null;

        Parameters history = new Parameters();
        history.addParameter().setName("patient").setValue(new Reference(patientRef.getValue()));
        List<Procedure> infusions = records.infusions(patientRef);
        LocalDate dayZero = DayZero.of(infusions).orElse(null);
        if (!infusions.isEmpty()) {
            history.addParameter()
                    .setName("infusion")
                    .setValue(new Reference(infusions
                            .get(0)
                            .getIdElement()
                            .toUnqualifiedVersionless()
                            .getValue()));
        }
        if (dayZero != null) {
            history.addParameter().setName("infusionDate").setValue(new DateType(dayZero.toString()));
        }

        List<GradedAssessment> graded = records.assessments(patientRef).stream()
                .map(observation -> GradedAssessment.of(observation, birthDate))
                .sorted(Comparator.comparing(GradedAssessment::date))
                .toList();

        List<AdverseEvent> events = new ArrayList<>(records.toxicityEvents(patientRef));
        events.sort(Comparator.comparing(
                event -> event.getDetectedElement().getValueAsString(),
                Comparator.nullsLast(Comparator.naturalOrder())));
        Map<String, String> recordedBy = records.recordingSites(events.stream()
                .map(event -> event.getIdElement().toUnqualifiedVersionless())
                .toList());
        for (AdverseEvent event : events) {
            addEpisode(history, event, dayZero, graded, recordedBy);
        }
        for (GradedAssessment assessment : graded) {
            addDay(history, assessment, dayZero);
        }
        for (Observation lab : records.labs(patientRef)) {
            addLab(history, lab, dayZero);
        }
        return history;
    }

    /**
     * {@code Patient/[id]/$toxicity-grades?date=YYYY-MM-DD}: the CRS and ICANS grades the patient's stored assessments
     * of that calendar day support, each with its driving domain and any flags for a clinician.
     */
    @Operation(name = "$toxicity-grades", idempotent = true, type = Patient.class)
    public Parameters toxicityGrades(
            @IdParam IdType patientId,
            @ca.uhn.fhir.rest.annotation.OperationParam(name = "date", min = 1) DateType date,
            RequestDetails request) {
        if (date == null || date.getPrecision() != ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY) {
            throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
                    "Parameter date is required as a full date (YYYY-MM-DD)"
                            + (date == null ? "" : ", was " + date.getValueAsString()));
        }
        LocalDate day = LocalDate.parse(date.getValueAsString());
        Patient patient = records.patient(patientId, request);
        IdType patientRef = patient.getIdElement().toUnqualifiedVersionless();
        LocalDate birthDate = patient.hasBirthDate()
                ? ClinicalDates.localDate(patient.getBirthDateElement().getValueAsString())
                : null;
        LocalDate dayZero = records.dayZero(patientRef).orElse(null);

        Parameters grades = new Parameters();
        grades.addParameter().setName("date").setValue(new DateType(day.toString()));
        if (dayZero != null) {
            grades.addParameter().setName("studyDay").setValue(new IntegerType(StudyDay.dayNumber(dayZero, day)));
        }
        records.assessments(patientRef).stream()
                .map(observation -> GradedAssessment.of(observation, birthDate))
                .filter(assessment -> day.equals(assessment.date()))
                .collect(java.util.stream.Collectors.groupingBy(
                        GradedAssessment::toxicity,
                        java.util.TreeMap::new,
                        java.util.stream.Collectors.maxBy(Comparator.comparingInt(GradedAssessment::highest))))
                .forEach((toxicity, worst) -> worst.ifPresent(assessment -> {
                    ParametersParameterComponent part = grades.addParameter().setName(toxicity);
                    part.addPart().setName("grade").setValue(new StringType(assessment.gradeText()));
                    part.addPart().setName("assessment").setValue(new Reference(assessment.reference()));
                    assessment
                            .statedGrade()
                            .ifPresent(stated ->
                                    part.addPart().setName("statedGrade").setValue(new IntegerType(stated)));
                    assessment
                            .reasons()
                            .forEach(reason ->
                                    part.addPart().setName("drivingDomain").setValue(new StringType(reason)));
                    assessment
                            .flags()
                            .forEach(flag -> part.addPart().setName("flag").setValue(new StringType(flag)));
                }));
        return grades;
    }

    private static void addEpisode(
            Parameters history,
            AdverseEvent event,
            LocalDate dayZero,
            List<GradedAssessment> graded,
            Map<String, String> recordedBy) {
        ToxicityEvent recorded = new ToxicityEvent(event);
        String toxicity = recorded.toxicity().orElse("unknown");
        ParametersParameterComponent episode = history.addParameter().setName("episode");
        IdType eventId = event.getIdElement().toUnqualifiedVersionless();
        episode.addPart().setName("event").setValue(new Reference(eventId.getValue()));
        episode.addPart().setName("toxicity").setValue(new CodeType(toxicity));
        LocalDate onset = ClinicalDates.localDate(recorded.onset());
        LocalDate resolution = ClinicalDates.localDate(recorded.resolution());
        addDate(episode, "onset", onset, dayZero);
        addDate(episode, "resolution", resolution, dayZero);
        recorded.statedGrade()
                .ifPresent(grade -> episode.addPart().setName("highestGrade").setValue(new IntegerType(grade)));

        // The worst assessment of this toxicity during the episode tells which domain drove the grade.
        graded.stream()
                .filter(assessment -> assessment.toxicity().equals(toxicity))
                .filter(assessment -> onset == null || !assessment.date().isBefore(onset))
                .filter(assessment -> resolution == null || !assessment.date().isAfter(resolution))
                .max(Comparator.comparingInt(GradedAssessment::highest))
                .ifPresent(worst -> {
                    episode.addPart().setName("assessedHighestGrade").setValue(new StringType(worst.gradeText()));
                    worst.reasons()
                            .forEach(reason ->
                                    episode.addPart().setName("drivingDomain").setValue(new StringType(reason)));
                });

        for (CodeableConcept concept : recorded.therapies()) {
            String text = concept.hasText()
                    ? concept.getText()
                    : concept.getCodingFirstRep().getDisplay();
            episode.addPart()
                    .setName("treatment")
                    .setValue(new StringType(
                            text != null ? text : concept.getCodingFirstRep().getCode()));
        }
        if (event.hasOutcome()) {
            episode.addPart()
                    .setName("outcome")
                    .setValue(
                            new CodeType(event.getOutcome().getCodingFirstRep().getCode()));
        }
        Optional.ofNullable(recordedBy.get(eventId.getValue()))
                .or(() -> Optional.ofNullable(event.getRecorder().getDisplay()))
                .ifPresent(site -> episode.addPart().setName("sourceSite").setValue(new StringType(site)));
    }

    private static void addDay(Parameters history, GradedAssessment assessment, LocalDate dayZero) {
        ParametersParameterComponent day = history.addParameter().setName("day");
        addDate(day, "", assessment.date(), dayZero);
        day.addPart().setName("toxicity").setValue(new CodeType(assessment.toxicity()));
        day.addPart().setName("assessment").setValue(new Reference(assessment.reference()));
        day.addPart().setName("assessedGrade").setValue(new StringType(assessment.gradeText()));
        assessment
                .statedGrade()
                .ifPresent(grade -> day.addPart().setName("statedGrade").setValue(new IntegerType(grade)));
        assessment
                .reasons()
                .forEach(reason -> day.addPart().setName("drivingDomain").setValue(new StringType(reason)));
        assessment.flags().forEach(flag -> day.addPart().setName("flag").setValue(new StringType(flag)));
    }

    private static void addLab(Parameters history, Observation lab, LocalDate dayZero) {
        ParametersParameterComponent part = history.addParameter().setName("lab");
        addDate(
                part,
                "",
                lab.hasEffectiveDateTimeType()
                        ? ClinicalDates.localDate(lab.getEffectiveDateTimeType().getValueAsString())
                        : null,
                dayZero);
        part.addPart()
                .setName("observation")
                .setValue(new Reference(
                        lab.getIdElement().toUnqualifiedVersionless().getValue()));
        lab.getCode().getCoding().stream()
                .filter(coding -> CarTIg.LOINC.equals(coding.getSystem()))
                .findFirst()
                .ifPresent(coding -> part.addPart().setName("loinc").setValue(new CodeType(coding.getCode())));
        if (lab.hasValueQuantity()) {
            part.addPart().setName("value").setValue(lab.getValueQuantity().copy());
        }
    }

    /** Adds "{prefix}Date" and "{prefix}Day" (days after the infusion); an empty prefix gives "date"/"studyDay". */
    private static void addDate(ParametersParameterComponent parent, String prefix, LocalDate date, LocalDate dayZero) {
        if (date == null) {
            return;
        }
        parent.addPart().setName(prefix.isEmpty() ? "date" : prefix + "Date").setValue(new DateType(date.toString()));
        if (dayZero != null) {
            parent.addPart()
                    .setName(prefix.isEmpty() ? "studyDay" : prefix + "Day")
                    .setValue(new IntegerType(StudyDay.dayNumber(dayZero, date)));
        }
    }
}
