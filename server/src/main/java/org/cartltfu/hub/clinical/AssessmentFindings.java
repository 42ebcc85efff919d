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
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;

/** Reads the findings out of stored crs-assessment and icans-assessment Observations (our profiles). */
final class AssessmentFindings {

    private AssessmentFindings() {}

    static boolean isA(Observation observation, String code) {
        return observation.getCode().getCoding().stream()
                .anyMatch(coding ->
                        CarTIg.CS_CART_OBSERVATION.equals(coding.getSystem()) && code.equals(coding.getCode()));
    }

    static CrsFindings crs(Observation assessment) {
        Double temperature = component(assessment, CarTIg.LOINC, "8310-5")
                .filter(Observation.ObservationComponentComponent::hasValueQuantity)
                .map(component -> component.getValueQuantity().getValue().doubleValue())
                .orElse(null);
        Optional<Boolean> fever = booleanComponent(assessment, "fever");
        boolean feverFromOtherCause = fever.isPresent() && !fever.get() && temperature != null && temperature >= 38.0;
        if (temperature == null && fever.orElse(false)) {
            // The recorder asserts a fever (>= 38.0 °C by the component's definition) without the reading.
            temperature = 38.0;
        }
        return CrsFindings.builder()
                .temperatureCelsius(temperature)
                .feverAttributableToOtherCause(feverFromOtherCause)
                .feverMaskingTherapyGiven(
                        booleanComponent(assessment, "fever-masked").orElse(false))
                .pressorSupport(code(assessment, "hypotension-support")
                        .map(PressorSupport::fromCode)
                        .orElse(null))
                .oxygenSupport(code(assessment, "oxygen-support")
                        .map(OxygenSupport::fromCode)
                        .orElse(null))
                .build();
    }

    static IcansFindings icans(Observation assessment, LocalDate birthDate, LocalDate assessedOn) {
        Integer age =
                birthDate == null ? null : Period.between(birthDate, assessedOn).getYears();
        return IcansFindings.builder()
                .ageYears(age)
                .iceScore(integerComponent(assessment, "ice-score"))
                .capdScore(integerComponent(assessment, "capd-score"))
                .consciousness(code(assessment, "consciousness-level")
                        .map(Consciousness::fromCode)
                        .orElse(null))
                .seizure(code(assessment, "seizure").map(Seizure::fromCode).orElse(null))
                .motor(code(assessment, "motor-finding").map(Motor::fromCode).orElse(null))
                .intracranialPressure(code(assessment, "raised-icp")
                        .map(IntracranialPressure::fromCode)
                        .orElse(null))
                .build();
    }

    /** The grade the recorder stated in the assessment's own grade component, if any. */
    static Optional<Integer> statedGrade(Observation assessment) {
        return code(assessment, isA(assessment, CarTIg.CODE_CRS_ASSESSMENT) ? "crs-grade" : "icans-grade")
                .map(Integer::valueOf);
    }

    private static Optional<Observation.ObservationComponentComponent> component(
            Observation observation, String system, String code) {
        return observation.getComponent().stream()
                .filter(component -> component.getCode().getCoding().stream()
                        .anyMatch(coding -> system.equals(coding.getSystem()) && code.equals(coding.getCode())))
                .findFirst();
    }

    private static Optional<Boolean> booleanComponent(Observation observation, String code) {
        return component(observation, CarTIg.CS_CART_OBSERVATION, code)
                .filter(Observation.ObservationComponentComponent::hasValueBooleanType)
                .map(component -> component.getValueBooleanType().booleanValue());
    }

    private static Integer integerComponent(Observation observation, String code) {
        return component(observation, CarTIg.CS_CART_OBSERVATION, code)
                .filter(Observation.ObservationComponentComponent::hasValueIntegerType)
                .map(component -> component.getValueIntegerType().getValue())
                .orElse(null);
    }

    private static Optional<String> code(Observation observation, String componentCode) {
        return component(observation, CarTIg.CS_CART_OBSERVATION, componentCode)
                .filter(Observation.ObservationComponentComponent::hasValueCodeableConcept)
                .flatMap(component -> component.getValueCodeableConcept().getCoding().stream()
                        .map(Coding::getCode)
                        .findFirst());
    }
}
