package org.cartltfu.hub.clinical;

import java.time.LocalDate;
import java.time.Period;
import java.util.Optional;
import org.cartltfu.hub.clinical.grading.Consciousness;
import org.cartltfu.hub.clinical.grading.CrsFindings;
import org.cartltfu.hub.clinical.grading.IcansFindings;
import org.cartltfu.hub.clinical.grading.IntracranialPressure;
import org.cartltfu.hub.clinical.grading.Motor;
import org.cartltfu.hub.clinical.grading.OxygenSupport;
import org.cartltfu.hub.clinical.grading.PressorSupport;
import org.cartltfu.hub.clinical.grading.Seizure;
import org.cartltfu.ig.CarTIg;
import org.cartltfu.ig.CartObservation;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;

/** Reads the findings out of stored crs-assessment and icans-assessment Observations (our profiles). */
final class AssessmentFindings {

    private AssessmentFindings() {}

    static boolean isA(Observation observation, CartObservation kind) {
        return observation.getCode().getCoding().stream()
                .anyMatch(coding ->
                        kind.system().equals(coding.getSystem()) && kind.code().equals(coding.getCode()));
    }

    static CrsFindings crs(Observation assessment) {
        Double temperature = component(assessment, CarTIg.LOINC, CarTIg.LOINC_BODY_TEMPERATURE)
                .filter(Observation.ObservationComponentComponent::hasValueQuantity)
                .map(component -> component.getValueQuantity().getValue().doubleValue())
                .orElse(null);
        Optional<Boolean> fever = booleanComponent(assessment, CartObservation.FEVER);
        boolean feverFromOtherCause = fever.isPresent() && !fever.get() && temperature != null && temperature >= 38.0;
        if (temperature == null && fever.orElse(false)) {
            // The recorder asserts a fever (>= 38.0 °C by the component's definition) without the reading.
            temperature = 38.0;
        }
        return CrsFindings.builder()
                .temperatureCelsius(temperature)
                .feverAttributableToOtherCause(feverFromOtherCause)
                .feverMaskingTherapyGiven(booleanComponent(assessment, CartObservation.FEVER_MASKED)
                        .orElse(false))
                .pressorSupport(code(assessment, CartObservation.HYPOTENSION_SUPPORT)
                        .map(PressorSupport::fromCode)
                        .orElse(null))
                .oxygenSupport(code(assessment, CartObservation.OXYGEN_SUPPORT)
                        .map(OxygenSupport::fromCode)
                        .orElse(null))
                .build();
    }

    static IcansFindings icans(Observation assessment, LocalDate birthDate, LocalDate assessedOn) {
        Integer age =
                birthDate == null ? null : Period.between(birthDate, assessedOn).getYears();
        return IcansFindings.builder()
                .ageYears(age)
                .iceScore(integerComponent(assessment, CartObservation.ICE_SCORE))
                .capdScore(integerComponent(assessment, CartObservation.CAPD_SCORE))
                .consciousness(code(assessment, CartObservation.CONSCIOUSNESS_LEVEL)
                        .map(Consciousness::fromCode)
                        .orElse(null))
                .seizure(code(assessment, CartObservation.SEIZURE)
                        .map(Seizure::fromCode)
                        .orElse(null))
                .motor(code(assessment, CartObservation.MOTOR_FINDING)
                        .map(Motor::fromCode)
                        .orElse(null))
                .intracranialPressure(code(assessment, CartObservation.RAISED_ICP)
                        .map(IntracranialPressure::fromCode)
                        .orElse(null))
                .build();
    }

    /** The grade the recorder stated in the assessment's own grade component, if any. */
    static Optional<Integer> statedGrade(Observation assessment) {
        return code(
                        assessment,
                        isA(assessment, CartObservation.CRS_ASSESSMENT)
                                ? CartObservation.CRS_GRADE
                                : CartObservation.ICANS_GRADE)
                .map(Integer::valueOf);
    }

    private static Optional<Observation.ObservationComponentComponent> component(
            Observation observation, String system, String code) {
        return observation.getComponent().stream()
                .filter(component -> component.getCode().getCoding().stream()
                        .anyMatch(coding -> system.equals(coding.getSystem()) && code.equals(coding.getCode())))
                .findFirst();
    }

    private static Optional<Boolean> booleanComponent(Observation observation, CartObservation code) {
        return component(observation, code.system(), code.code())
                .filter(Observation.ObservationComponentComponent::hasValueBooleanType)
                .map(component -> component.getValueBooleanType().booleanValue());
    }

    private static Integer integerComponent(Observation observation, CartObservation code) {
        return component(observation, code.system(), code.code())
                .filter(Observation.ObservationComponentComponent::hasValueIntegerType)
                .map(component -> component.getValueIntegerType().getValue())
                .orElse(null);
    }

    private static Optional<String> code(Observation observation, CartObservation kind) {
        return component(observation, kind.system(), kind.code())
                .filter(Observation.ObservationComponentComponent::hasValueCodeableConcept)
                .flatMap(component -> component.getValueCodeableConcept().getCoding().stream()
                        .map(Coding::getCode)
                        .findFirst());
    }
}
