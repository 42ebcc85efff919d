package org.cartltfu.hub.registry.summary;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cartltfu.hub.record.DayZero;
import org.cartltfu.hub.record.StudyDay;
import org.cartltfu.hub.record.ToxicityEvent;
import org.cartltfu.ig.CarTIg;
import org.cartltfu.ig.CartEventType;
import org.cartltfu.ig.CartObservation;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads one patient's stored resources into a {@link PatientHistory}: the first CAR-T infusion (day 0), CRS and ICANS
 * AdverseEvents, disease-response, survival-status and cart-persistence Observations, new-malignancy Conditions, the
 * date of death on the Patient, and as contacts every other dated Observation and every Encounter that took place.
 * Records entered in error, cancelled, refuted or only potential are left out, and so are records without a date
 * (all the profiles require one).
 *
 * <p><b>Dates.</b> A full date or dateTime counts on the calendar date where it happened ({@link StudyDay}).
 * A partial date ({@code 2024}, {@code 2024-05}) is placed on the middle day of the part of its month or year that
 * is not before the infusion (the events summarised all follow it), so {@code 2024-03} with an infusion on
 * 20 March 2024 lands on 25 March, and without the infusion in it on 16 March. The middle keeps the error at most
 * half the range; CIBMTR accepts estimated dates but its exact estimation rule was not checked [V]. The infusion
 * itself needs a full date: day 0 cannot be estimated.
 */
public final class SummaryFacts {

    private static final Set<Observation.ObservationStatus> VOID_OBSERVATION =
            EnumSet.of(Observation.ObservationStatus.ENTEREDINERROR, Observation.ObservationStatus.CANCELLED);
    private static final Set<Encounter.EncounterStatus> NOT_HELD = EnumSet.of(
            Encounter.EncounterStatus.PLANNED,
            Encounter.EncounterStatus.CANCELLED,
            Encounter.EncounterStatus.ENTEREDINERROR);

    private final LocalDate infusion;
    private LocalDate deathDate;
    private final List<ToxicityEpisode> episodes = new ArrayList<>();
    private final List<ResponseAssessment> responses = new ArrayList<>();
    private final List<SurvivalObservation> survival = new ArrayList<>();
    private final List<NewMalignancy> malignancies = new ArrayList<>();
    private final List<PersistenceTest> persistenceTests = new ArrayList<>();
    private final List<LocalDate> contacts = new ArrayList<>();

    private SummaryFacts(LocalDate infusion) {
        this.infusion = infusion;
    }

    /**
     * @param patientResources the patient's resources (any types; the ones not listed above are ignored)
     * @throws IllegalArgumentException if there is no CAR-T infusion with a full date, or a record contradicts
     *                                  itself (e.g. a toxicity resolving before its onset)
     */
    public static PatientHistory from(List<? extends Resource> patientResources) {
        LocalDate infusion = DayZero.of(patientResources.stream()
                        .filter(Procedure.class::isInstance)
                        .map(Procedure.class::cast)
                        .toList())
                .orElseThrow(
                        () -> new IllegalArgumentException("no CAR-T infusion with a full date: day 0 is unknown"));
        SummaryFacts facts = new SummaryFacts(infusion);
        patientResources.forEach(facts::read);
        return new PatientHistory(
                infusion,
                facts.deathDate,
                facts.episodes,
                facts.responses,
                facts.survival,
                facts.malignancies,
                facts.persistenceTests,
                facts.contacts);
    }

    private void read(Resource resource) {
        if (resource instanceof AdverseEvent event) {
            readToxicity(event);
        } else if (resource instanceof Observation observation && !VOID_OBSERVATION.contains(observation.getStatus())) {
            readObservation(observation);
        } else if (resource instanceof Condition condition) {
            readMalignancy(condition);
        } else if (resource instanceof Encounter encounter && !NOT_HELD.contains(encounter.getStatus())) {
            add(contacts, place(encounter.getPeriod().getStartElement().getValueAsString()));
        } else if (resource instanceof Patient patient && patient.hasDeceasedDateTimeType()) {
            deathDate = place(patient.getDeceasedDateTimeType().getValueAsString());
        }
    }

    private void readToxicity(AdverseEvent event) {
        if (event.getActuality() == AdverseEvent.AdverseEventActuality.POTENTIAL) {
            return;
        }
        ToxicityEvent recorded = new ToxicityEvent(event);
        Optional<Toxicity> toxicity = recorded.toxicity()
                .flatMap(CartEventType::of)
                .flatMap(type -> switch (type) {
                    case CRS -> Optional.of(Toxicity.CRS);
                    case ICANS -> Optional.of(Toxicity.ICANS);
                    default -> Optional.empty();
                });
        LocalDate onset = place(recorded.onset());
        if (toxicity.isEmpty() || onset == null) {
            return;
        }
        Integer grade = recorded.statedGrade().orElse(null);
        LocalDate resolution = place(recorded.resolution());
        Set<ToxicityTherapy> therapies = EnumSet.noneOf(ToxicityTherapy.class);
        for (CodeableConcept therapy : recorded.therapies()) {
            // A therapy named only in text, or with an unknown code, was still given: "other".
            therapies.add(code(therapy, CarTIg.CS_CRS_THERAPY)
                    .flatMap(ToxicityTherapy::fromCode)
                    .orElse(ToxicityTherapy.OTHER));
        }
        episodes.add(new ToxicityEpisode(toxicity.get(), onset, resolution, grade, therapies));
    }

    private void readObservation(Observation observation) {
        LocalDate date = place(
                observation.hasEffectiveDateTimeType()
                        ? observation.getEffectiveDateTimeType().getValueAsString()
                        : observation.hasEffectivePeriod()
                                ? observation
                                        .getEffectivePeriod()
                                        .getStartElement()
                                        .getValueAsString()
                                : null);
        if (date == null) {
            return;
        }
        CartObservation kind = code(observation.getCode(), CarTIg.CS_CART_OBSERVATION)
                .flatMap(CartObservation::of)
                .orElse(null);
        if (kind == null) {
            contacts.add(date);
            return;
        }
        switch (kind) {
            // A best-since-infusion response is the response known at that follow-up, as the forms ask it.
            case DISEASE_RESPONSE, BEST_RESPONSE ->
                valueCode(observation, CarTIg.CS_DISEASE_RESPONSE)
                        .flatMap(DiseaseResponse::fromCode)
                        .ifPresent(response -> responses.add(new ResponseAssessment(date, response)));
            case SURVIVAL_STATUS ->
                valueCode(observation, CarTIg.CS_SURVIVAL_STATUS)
                        .flatMap(VitalStatus::fromCode)
                        .ifPresent(status ->
                                survival.add(new SurvivalObservation(date, status, causeOfDeath(observation))));
            case CART_PERSISTENCE ->
                valueCode(observation, CarTIg.CS_DETECTION_RESULT)
                        .flatMap(PersistenceResult::fromCode)
                        .ifPresent(result -> persistenceTests.add(new PersistenceTest(
                                date, result, codeOrText(observation.getMethod(), CarTIg.CS_PERSISTENCE_METHOD))));
            default -> contacts.add(date);
        }
    }

    private static String causeOfDeath(Observation observation) {
        return observation.getComponent().stream()
                .filter(component -> code(component.getCode(), CarTIg.CS_CART_OBSERVATION)
                        .filter(CartObservation.CAUSE_OF_DEATH.code()::equals)
                        .isPresent())
                .filter(component -> component.getValue() instanceof CodeableConcept)
                .map(component -> codeOrText((CodeableConcept) component.getValue(), CarTIg.CS_CAUSE_OF_DEATH))
                .findFirst()
                .orElse(null);
    }

    private void readMalignancy(Condition condition) {
        boolean newMalignancy = condition.getCategory().stream()
                .anyMatch(category -> code(category, CarTIg.CS_CART_EVENT_TYPE)
                        .filter(CartEventType.NEW_MALIGNANCY.code()::equals)
                        .isPresent());
        String verification =
                condition.getVerificationStatus().getCodingFirstRep().getCode();
        if (!newMalignancy
                || "refuted".equals(verification)
                || "entered-in-error".equals(verification)
                || !condition.hasOnsetDateTimeType()) {
            return;
        }
        malignancies.add(new NewMalignancy(
                place(condition.getOnsetDateTimeType().getValueAsString()), codeOrText(condition.getCode(), null)));
    }

    /**
     * The local date of a FHIR date or dateTime; a partial one on the middle day of its range on or after the
     * infusion (see the class comment); null when absent.
     */
    private LocalDate place(String fhirDate) {
        if (fhirDate == null || fhirDate.isBlank()) {
            return null;
        }
        if (fhirDate.length() >= 10) {
            return StudyDay.localDate(fhirDate);
        }
        LocalDate first;
        LocalDate last;
        if (fhirDate.matches("\\d{4}-\\d{2}")) {
            YearMonth month = YearMonth.parse(fhirDate);
            first = month.atDay(1);
            last = month.atEndOfMonth();
        } else if (fhirDate.matches("\\d{4}")) {
            first = LocalDate.of(Integer.parseInt(fhirDate), 1, 1);
            last = LocalDate.of(Integer.parseInt(fhirDate), 12, 31);
        } else {
            throw new IllegalArgumentException("'" + fhirDate + "' is not a FHIR date");
        }
        if (first.isBefore(infusion) && !last.isBefore(infusion)) {
            first = infusion;
        }
        return first.plusDays(ChronoUnit.DAYS.between(first, last) / 2);
    }

    private static <T> void add(List<T> list, T value) {
        if (value != null) {
            list.add(value);
        }
    }

    private static Optional<String> code(CodeableConcept concept, String system) {
        return concept.getCoding().stream()
                .filter(coding -> system.equals(coding.getSystem()) && coding.hasCode())
                .map(Coding::getCode)
                .findFirst();
    }

    private static Optional<String> valueCode(Observation observation, String system) {
        return observation.getValue() instanceof CodeableConcept value ? code(value, system) : Optional.empty();
    }

    /** The code in the given system (any system when null), else the first code, else the text; null if none. */
    private static String codeOrText(CodeableConcept concept, String system) {
        return (system == null ? Optional.<String>empty() : code(concept, system))
                .or(() -> concept.getCoding().stream()
                        .filter(Coding::hasCode)
                        .map(Coding::getCode)
                        .findFirst())
                .orElse(concept.hasText() ? concept.getText() : null);
    }
}
