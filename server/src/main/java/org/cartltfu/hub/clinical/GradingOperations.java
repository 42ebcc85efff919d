package org.cartltfu.hub.clinical;

import static org.cartltfu.hub.clinical.GradeParameters.coded;
import static org.cartltfu.hub.clinical.GradeParameters.decimal;
import static org.cartltfu.hub.clinical.GradeParameters.enumValue;
import static org.cartltfu.hub.clinical.GradeParameters.integer;
import static org.cartltfu.hub.clinical.GradeParameters.isTrue;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import org.cartltfu.hub.clinical.grading.Consciousness;
import org.cartltfu.hub.clinical.grading.CrsFindings;
import org.cartltfu.hub.clinical.grading.CrsGrader;
import org.cartltfu.hub.clinical.grading.ExcludedFinding;
import org.cartltfu.hub.clinical.grading.IcansDomain;
import org.cartltfu.hub.clinical.grading.IcansFindings;
import org.cartltfu.hub.clinical.grading.IcansGrader;
import org.cartltfu.hub.clinical.grading.IntracranialPressure;
import org.cartltfu.hub.clinical.grading.Motor;
import org.cartltfu.hub.clinical.grading.OxygenDevice;
import org.cartltfu.hub.clinical.grading.OxygenSupport;
import org.cartltfu.hub.clinical.grading.PressorSupport;
import org.cartltfu.hub.clinical.grading.Seizure;
import org.cartltfu.hub.clinical.grading.Vasopressor;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;

/**
 * {@code $grade-crs} and {@code $grade-icans}: the ASTCT 2019 grade from raw bedside findings, with the domain that
 * drove it and flags where a clinician must decide (the graders never guess). Codes are those of our CodeSystems
 * (crs-pressor-support, crs-o2-support, icans-*); devices and agents are lower-case with hyphens.
 */
public class GradingOperations {

    @Operation(name = "$grade-crs", idempotent = true)
    public Parameters gradeCrs(
            @OperationParam(name = "temperature") DecimalType temperatureCelsius,
            @OperationParam(name = "feverAttributableToOtherCause") BooleanType feverOtherCause,
            @OperationParam(name = "feverMaskingTherapyGiven") BooleanType feverMasked,
            @OperationParam(name = "vasopressor", max = OperationParam.MAX_UNLIMITED) List<CodeType> vasopressors,
            @OperationParam(name = "hypotensionFluidsOnly") BooleanType fluidsOnly,
            @OperationParam(name = "hypotensionSupport") CodeType pressorSupport,
            @OperationParam(name = "oxygenDevice") CodeType oxygenDevice,
            @OperationParam(name = "oxygenFlow") DecimalType oxygenFlow,
            @OperationParam(name = "oxygenSupport") CodeType oxygenSupport,
            @OperationParam(name = "diedOfCrs") BooleanType died) {
        CrsFindings.Builder findings = CrsFindings.builder()
                .temperatureCelsius(decimal(temperatureCelsius))
                .feverAttributableToOtherCause(isTrue(feverOtherCause))
                .feverMaskingTherapyGiven(isTrue(feverMasked))
                .hypotensionManagedWithFluidsOnly(isTrue(fluidsOnly))
                .pressorSupport(coded("hypotensionSupport", pressorSupport, PressorSupport::fromCode))
                .oxygenSupport(coded("oxygenSupport", oxygenSupport, OxygenSupport::fromCode))
                .diedOfCrs(isTrue(died));
        if (vasopressors != null && !vasopressors.isEmpty()) {
            findings.vasopressors(vasopressors.stream()
                    .map(code -> enumValue("vasopressor", code, Vasopressor.class))
                    .toArray(Vasopressor[]::new));
        }
        OxygenDevice device = enumValue("oxygenDevice", oxygenDevice, OxygenDevice.class);
        if (device != null || oxygenFlow != null) {
            findings.oxygen(device, decimal(oxygenFlow));
        }
        return GradeParameters.of(build(() -> CrsGrader.grade(findings.build())));
    }

    @Operation(name = "$grade-icans", idempotent = true)
    public Parameters gradeIcans(
            @OperationParam(name = "ageYears") IntegerType ageYears,
            @OperationParam(name = "developmentalDelay") BooleanType developmentalDelay,
            @OperationParam(name = "iceScore") IntegerType iceScore,
            @OperationParam(name = "capdScore") IntegerType capdScore,
            @OperationParam(name = "unableToPerformScreen") BooleanType unable,
            @OperationParam(name = "consciousness") CodeType consciousness,
            @OperationParam(name = "seizure") CodeType seizure,
            @OperationParam(name = "seizureMinutes") DecimalType seizureMinutes,
            @OperationParam(name = "motor") CodeType motor,
            @OperationParam(name = "raisedIcp") CodeType raisedIcp,
            @OperationParam(name = "attributedToOtherCause", max = OperationParam.MAX_UNLIMITED)
                    List<CodeType> otherCause,
            @OperationParam(name = "excludedFinding", max = OperationParam.MAX_UNLIMITED) List<CodeType> excluded,
            @OperationParam(name = "diedOfIcans") BooleanType died) {
        IcansFindings.Builder findings = IcansFindings.builder()
                .ageYears(integer(ageYears))
                .developmentalDelay(isTrue(developmentalDelay))
                .iceScore(integer(iceScore))
                .capdScore(integer(capdScore))
                .unableToPerformScreen(isTrue(unable))
                .consciousness(coded("consciousness", consciousness, Consciousness::fromCode))
                .seizure(coded("seizure", seizure, Seizure::fromCode))
                .seizureDurationMinutes(decimal(seizureMinutes))
                .motor(coded("motor", motor, Motor::fromCode))
                .intracranialPressure(coded("raisedIcp", raisedIcp, IntracranialPressure::fromCode))
                .diedOfIcans(isTrue(died));
        if (otherCause != null && !otherCause.isEmpty()) {
            findings.attributedToOtherCause(otherCause.stream()
                    .map(code -> enumValue("attributedToOtherCause", code, IcansDomain.class))
                    .toArray(IcansDomain[]::new));
        }
        if (excluded != null && !excluded.isEmpty()) {
            findings.excludedFindings(excluded.stream()
                    .map(code -> enumValue("excludedFinding", code, ExcludedFinding.class))
                    .toArray(ExcludedFinding[]::new));
        }
        return GradeParameters.of(build(() -> IcansGrader.grade(findings.build())));
    }

    /** The graders check their inputs; their messages name the field, which is what a caller needs to fix it. */
    static <T> T build(java.util.function.Supplier<T> builder) {
        try {
            return builder.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }
}
