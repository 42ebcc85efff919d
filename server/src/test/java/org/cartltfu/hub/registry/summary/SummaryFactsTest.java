package org.cartltfu.hub.registry.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cartltfu.hub.clinical.schedule.FollowUpTrack;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;

class SummaryFactsTest {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static final LocalDate JOURNEY_AS_OF = LocalDate.of(2026, 3, 10);

    /**
     * The example journey as a server would store it: each resource gets the id of its fullUrl, references point to
     * those ids, and the patient's resources are the ones whose subject is the patient.
     */
    private static List<Resource> journeyPatientResources() throws IOException {
        Bundle bundle;
        try (InputStream in =
                SummaryFactsTest.class.getClassLoader().getResourceAsStream(CarTIg.JOURNEY_BUNDLE_CLASSPATH)) {
            bundle = (Bundle) FHIR.newJsonParser().parseResource(in);
        }
        Map<String, String> ids = new HashMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            ids.put(
                    entry.getFullUrl(),
                    entry.getResource().fhirType() + "/" + entry.getFullUrl().substring("urn:uuid:".length()));
        }
        List<Resource> resources = new ArrayList<>();
        String patient = null;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            resource.setId(ids.get(entry.getFullUrl()));
            FHIR.newTerser()
                    .getAllPopulatedChildElementsOfType(resource, Reference.class)
                    .forEach(reference -> {
                        if (ids.containsKey(reference.getReference())) {
                            reference.setReference(ids.get(reference.getReference()));
                        }
                    });
            if (resource instanceof Patient) {
                patient = resource.getIdElement().getValue();
            }
            resources.add(resource);
        }
        String patientId = patient;
        return resources.stream()
                .filter(resource -> resource.getIdElement().getValue().equals(patientId)
                        || FHIR.getResourceDefinition(resource).getChildByName("subject") != null
                                && FHIR.newTerser().getValues(resource, "subject", Reference.class).stream()
                                        .anyMatch(subject -> patientId.equals(subject.getReference())))
                .toList();
    }

    @Test
    void journeyDay100SummaryAsReadFromTheBundle() throws IOException {
        List<Resource> resources = journeyPatientResources();
        PatientHistory history = SummaryFacts.from(resources);
        assertEquals(LocalDate.of(2024, 3, 4), history.infusionDate(), "2024-03-04T10:30:00+08:00");

        List<PeriodSummary> summaries = RegistrySummaries.summarize(history, FollowUpTrack.FIFTEEN_YEAR, JOURNEY_AS_OF);
        assertEquals(
                List.of("D100", "M6", "Y1", "Y2"),
                summaries.stream()
                        .map(summary -> summary.period().timepointCode())
                        .toList());

        PeriodSummary d100 = summaries.get(0);
        assertEquals(new ReportingPeriod("D100", 0, 115, 85), d100.period());
        assertFalse(d100.open());
        // CRS 2024-03-05T02:00+08:00 to 2024-03-09, grade 2, tocilizumab
        assertEquals(new ToxicitySummary(Answer.YES, false, 2, 1, 5, Set.of(ToxicityTherapy.TOCILIZUMAB)), d100.crs());
        // ICANS 2024-03-10T07:30+08:00 to 2024-03-13, grade 2, dexamethasone
        assertEquals(
                new ToxicitySummary(Answer.YES, false, 2, 6, 9, Set.of(ToxicityTherapy.CORTICOSTEROID)), d100.icans());
        assertEquals(new SurvivalSummary(VitalStatus.ALIVE, null, null), d100.survival());
        // best-response complete-response at 2024-06-12T10:00+07:00, the day-100 visit in Hanoi
        assertEquals(DiseaseResponse.COMPLETE_RESPONSE, d100.bestResponse());
        assertEquals(100, d100.bestResponseDay());
        assertEquals(new MalignancySummary(Answer.NO, null, null), d100.newMalignancy());
        assertEquals(new PersistenceSummary(Answer.NO, null, null, null), d100.persistence());
        assertEquals(100, d100.lastContactDay());
        assertEquals(new Completeness(List.of(), 11), d100.completeness());

        PeriodSummary m6 = summaries.get(1);
        assertEquals(
                new PersistenceSummary(Answer.YES, PersistenceResult.DETECTED, "flow-cytometry", 184),
                m6.persistence());
        assertEquals(Answer.NO, m6.crs().occurred());
        assertEquals(List.of(PeriodSummary.BEST_RESPONSE), m6.completeness().missing());

        PeriodSummary y2 = summaries.get(3);
        assertEquals(
                new MalignancySummary(
                        Answer.YES, 718, "Basal cell carcinoma of skin, left forearm (histology confirmed)"),
                y2.newMalignancy());
        assertEquals(731, y2.lastContactDay());
        assertTrue(y2.open());
    }

    @Test
    void journeyParametersCarryStudyDaysAndNoCalendarDates() throws IOException {
        List<PeriodSummary> summaries = RegistrySummaries.summarize(
                SummaryFacts.from(journeyPatientResources()), FollowUpTrack.FIFTEEN_YEAR, JOURNEY_AS_OF);
        Parameters parameters = SummaryParameters.of(summaries);
        assertEquals(4, parameters.getParameter().size());
        Parameters.ParametersParameterComponent d100 = parameters.getParameter().get(0);
        assertEquals("summary", d100.getName());
        assertEquals("D100", part(d100, "period").primitiveValue());
        assertEquals(1, ((IntegerType) part(d100, "crsOnsetDay")).getValue());
        assertEquals("yes", part(d100, "crsOccurred").primitiveValue());
        assertEquals("false", part(d100, "crsPersisted").primitiveValue());
        assertEquals("tocilizumab", part(d100, "crsTherapies").primitiveValue());
        assertEquals("complete-response", part(d100, "bestResponse").primitiveValue());
        assertEquals("1.00", part(d100, "completeness").primitiveValue());
        assertFalse(
                d100.getPart().stream().anyMatch(part -> part.getName().equals("deathDay")),
                "absent values are left out");
        assertFalse(d100.getPart().stream().anyMatch(part -> part.getName().equals("missingFields")));

        List<Base> values = new ArrayList<>();
        parameters.getParameter().forEach(summary -> summary.getPart().forEach(part -> values.add(part.getValue())));
        assertFalse(values.stream().anyMatch(value -> value instanceof DateType || value instanceof DateTimeType));
        assertTrue(FHIR.newJsonParser().encodeResourceToString(parameters).length() > 0);

        Parameters.ParametersParameterComponent m6 = parameters.getParameter().get(1);
        assertEquals(
                List.of("bestResponse"),
                m6.getPart().stream()
                        .filter(part -> part.getName().equals("missingFields"))
                        .map(part -> part.getValue().primitiveValue())
                        .toList());
    }

    @Test
    void csvRowsFollowTheColumns() throws IOException {
        List<PeriodSummary> summaries = RegistrySummaries.summarize(
                SummaryFacts.from(journeyPatientResources()), FollowUpTrack.FIFTEEN_YEAR, JOURNEY_AS_OF);
        List<List<String>> rows = SummaryRows.rows(summaries);
        assertEquals(4, rows.size());
        Map<String, String> d100 = new HashMap<>();
        for (int i = 0; i < SummaryRows.COLUMNS.size(); i++) {
            d100.put(SummaryRows.COLUMNS.get(i), rows.get(0).get(i));
        }
        assertEquals(SummaryRows.COLUMNS.size(), rows.get(0).size());
        assertEquals("D100", d100.get("period"));
        assertEquals("0", d100.get("periodStartDay"));
        assertEquals("115", d100.get("periodEndDay"));
        assertEquals("2", d100.get("icansMaxGrade"));
        assertEquals("corticosteroid", d100.get("icansTherapies"));
        assertEquals("alive", d100.get("survivalStatus"));
        assertEquals("", d100.get("deathDay"));
        assertEquals("no", d100.get("persistenceTested"));
        assertEquals("1.00", d100.get("completeness"));
        assertEquals("", d100.get("missingFields"));
        assertEquals(
                "0.88",
                rows.get(1).get(SummaryRows.COLUMNS.indexOf("completeness")),
                "M6: 7 of 8, no response assessed");
    }

    @Test
    void rowsJoinRepeatingValues() {
        ToxicitySummary crs = new ToxicitySummary(
                Answer.YES, true, 3, -1, 4, Set.of(ToxicityTherapy.ANAKINRA, ToxicityTherapy.TOCILIZUMAB));
        PeriodSummary summary = new PeriodSummary(
                new ReportingPeriod("D100", 0, 115, 85),
                true,
                crs,
                ToxicitySummary.without(Answer.UNKNOWN),
                new SurvivalSummary(VitalStatus.UNKNOWN, null, null),
                null,
                null,
                new MalignancySummary(Answer.UNKNOWN, null, null),
                new PersistenceSummary(Answer.UNKNOWN, null, null, null),
                4,
                new Completeness(List.of("icansOccurred", "survivalStatus"), 3));
        List<String> row = SummaryRows.rows(List.of(summary)).get(0);
        assertEquals("tocilizumab|anakinra", row.get(SummaryRows.COLUMNS.indexOf("crsTherapies")));
        assertEquals("true", row.get(SummaryRows.COLUMNS.indexOf("crsPersisted")));
        assertEquals("", row.get(SummaryRows.COLUMNS.indexOf("icansPersisted")));
        assertEquals("icansOccurred|survivalStatus", row.get(SummaryRows.COLUMNS.indexOf("missingFields")));
        assertEquals("0.33", row.get(SummaryRows.COLUMNS.indexOf("completeness")));
    }

    @Test
    void partialDatesAreEstimatedOnTheMiddleOfTheirRangeAfterTheInfusion() {
        Procedure infusion = infusion("2024-03-20");
        AdverseEvent crs = crs("2024-03", null);
        Condition malignancy = malignancy("2025");
        Patient patient = new Patient();
        patient.setDeceased(new DateTimeType("2024-05"));
        PatientHistory history = SummaryFacts.from(List.of(infusion, crs, malignancy, patient));
        assertEquals(LocalDate.of(2024, 3, 25), history.episodes().get(0).onset(), "20–31 March: the 25th");
        assertEquals(LocalDate.of(2025, 7, 2), history.malignancies().get(0).diagnosisDate(), "the year's middle day");
        assertEquals(LocalDate.of(2024, 5, 16), history.deathDate(), "1–31 May: the 16th");
    }

    @Test
    void dayZeroNeedsAFullInfusionDate() {
        IllegalArgumentException none =
                assertThrows(IllegalArgumentException.class, () -> SummaryFacts.from(List.of(new Patient())));
        assertTrue(none.getMessage().contains("infusion"));
        assertThrows(IllegalArgumentException.class, () -> SummaryFacts.from(List.of(infusion("2024-03"))));
        assertEquals(
                LocalDate.of(2024, 3, 1),
                SummaryFacts.from(List.of(infusion("2024-03-20"), infusion("2024-03-01")))
                        .infusionDate(),
                "the first infusion is day 0");
    }

    @Test
    void voidAndPotentialRecordsAreLeftOut() {
        AdverseEvent potential =
                crs("2024-03-22", "2024-03-25").setActuality(AdverseEvent.AdverseEventActuality.POTENTIAL);
        Observation inError = new Observation()
                .setStatus(Observation.ObservationStatus.ENTEREDINERROR)
                .setEffective(new DateTimeType("2024-06-01"));
        Encounter planned = new Encounter().setStatus(Encounter.EncounterStatus.PLANNED);
        planned.getPeriod().setStartElement(new DateTimeType("2024-06-02"));
        Encounter held = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED);
        held.getPeriod().setStartElement(new DateTimeType("2024-06-03T09:00:00+07:00"));
        Condition refuted = malignancy("2024-06-04");
        refuted.getVerificationStatus().addCoding().setCode("refuted");
        PatientHistory history =
                SummaryFacts.from(List.of(infusion("2024-03-20"), potential, inError, planned, held, refuted));
        assertEquals(List.of(), history.episodes());
        assertEquals(List.of(), history.malignancies());
        assertEquals(List.of(LocalDate.of(2024, 6, 3)), history.contacts());
    }

    @Test
    void aTherapyWithoutAKnownCodeIsOther() {
        AdverseEvent crs = crs("2024-03-22", "2024-03-25");
        crs.addExtension(CarTIg.EXT_TOXICITY_THERAPY, new CodeableConcept().setText("Ruxolitinib"));
        PatientHistory history = SummaryFacts.from(List.of(infusion("2024-03-20"), crs));
        assertEquals(Set.of(ToxicityTherapy.OTHER), history.episodes().get(0).therapies());
    }

    @Test
    void survivalCauseAndResponseCodesAreRead() {
        Observation dead = observation("survival-status", CarTIg.CS_SURVIVAL_STATUS, "dead", "2024-08-01");
        dead.addComponent()
                .setCode(new CodeableConcept(new Coding(CarTIg.CS_CART_OBSERVATION, "cause-of-death", null)))
                .setValue(new CodeableConcept(new Coding(CarTIg.CS_CAUSE_OF_DEATH, "infection", null)));
        Observation response =
                observation("disease-response", CarTIg.CS_DISEASE_RESPONSE, "partial-response", "2024-06-01");
        Observation lab = new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setEffective(new DateTimeType("2024-05-01T08:00:00+08:00"));
        PatientHistory history = SummaryFacts.from(List.of(infusion("2024-03-20"), dead, response, lab));
        assertEquals(
                List.of(new SurvivalObservation(LocalDate.of(2024, 8, 1), VitalStatus.DEAD, "infection")),
                history.survival());
        assertEquals(
                List.of(new ResponseAssessment(LocalDate.of(2024, 6, 1), DiseaseResponse.PARTIAL_RESPONSE)),
                history.responses());
        assertEquals(List.of(LocalDate.of(2024, 5, 1)), history.contacts());
    }

    private static Type part(Parameters.ParametersParameterComponent summary, String name) {
        return summary.getPart().stream()
                .filter(part -> part.getName().equals(name))
                .findFirst()
                .orElseThrow()
                .getValue();
    }

    private static Procedure infusion(String date) {
        Procedure procedure = new Procedure()
                .setStatus(Procedure.ProcedureStatus.COMPLETED)
                .setCode(new CodeableConcept(new Coding(CarTIg.CS_CART_PROCEDURE, "cart-infusion", null)));
        procedure.setPerformed(new DateTimeType(date));
        return procedure;
    }

    private static AdverseEvent crs(String onset, String resolution) {
        AdverseEvent event = new AdverseEvent()
                .setActuality(AdverseEvent.AdverseEventActuality.ACTUAL)
                .setEvent(new CodeableConcept(new Coding(CarTIg.CS_CART_EVENT_TYPE, "crs", null)));
        event.setDetectedElement(new DateTimeType(onset));
        if (resolution != null) {
            event.addExtension(CarTIg.EXT_RESOLUTION_DATE, new DateTimeType(resolution));
        }
        return event;
    }

    private static Condition malignancy(String onset) {
        Condition condition = new Condition();
        condition.addCategory(new CodeableConcept(new Coding(CarTIg.CS_CART_EVENT_TYPE, "new-malignancy", null)));
        condition.getCode().setText("Squamous cell carcinoma");
        condition.setOnset(new DateTimeType(onset));
        return condition;
    }

    private static Observation observation(String code, String valueSystem, String value, String date) {
        return new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding(CarTIg.CS_CART_OBSERVATION, code, null)))
                .setValue(new CodeableConcept(new Coding(valueSystem, value, null)))
                .setEffective(new DateTimeType(date));
    }
}
