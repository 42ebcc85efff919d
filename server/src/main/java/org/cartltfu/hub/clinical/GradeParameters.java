package org.cartltfu.hub.clinical;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.cartltfu.hub.clinical.grading.CrsGrade;
import org.cartltfu.hub.clinical.grading.DomainGrade;
import org.cartltfu.hub.clinical.grading.IcansGrade;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.StringType;

/** Turns grader results into FHIR Parameters, and FHIR codes into grader enums, for the grading operations. */
final class GradeParameters {

    private GradeParameters() {}

    static Parameters of(CrsGrade grade) {
        Parameters out = new Parameters();
        addGrade(
                out,
                grade.grade().isPresent() ? grade.grade().getAsInt() : null,
                grade.lowestPossibleGrade(),
                grade.highestPossibleGrade());
        grade.drivers().forEach(driver -> addDriver(out, driver));
        grade.flags().forEach(flag -> addFlag(out, flag.name(), flag.description()));
        return out;
    }

    static Parameters of(IcansGrade grade) {
        Parameters out = new Parameters();
        addGrade(
                out,
                grade.grade().isPresent() ? grade.grade().getAsInt() : null,
                grade.lowestPossibleGrade(),
                grade.highestPossibleGrade());
        grade.drivers().forEach(driver -> addDriver(out, driver));
        grade.flags().forEach(flag -> addFlag(out, flag.name(), flag.description()));
        grade.notes().forEach(note -> out.addParameter("note", note));
        return out;
    }

    private static void addGrade(Parameters out, Integer grade, int lowest, int highest) {
        if (grade != null) {
            out.addParameter().setName("grade").setValue(new IntegerType(grade));
        }
        out.addParameter().setName("lowestPossibleGrade").setValue(new IntegerType(lowest));
        out.addParameter().setName("highestPossibleGrade").setValue(new IntegerType(highest));
    }

    private static void addDriver(Parameters out, DomainGrade<?> driver) {
        Parameters.ParametersParameterComponent part = out.addParameter().setName("driver");
        part.addPart()
                .setName("domain")
                .setValue(new StringType(driver.domain().name().toLowerCase(Locale.ROOT)));
        part.addPart().setName("lowestGrade").setValue(new IntegerType(driver.lowestGrade()));
        part.addPart().setName("highestGrade").setValue(new IntegerType(driver.highestGrade()));
        part.addPart().setName("reason").setValue(new StringType(driver.reason()));
    }

    private static void addFlag(Parameters out, String code, String description) {
        Parameters.ParametersParameterComponent part = out.addParameter().setName("flag");
        part.addPart()
                .setName("code")
                .setValue(new StringType(code.toLowerCase(Locale.ROOT).replace('_', '-')));
        part.addPart().setName("description").setValue(new StringType(description));
    }

    /** An operation parameter given as a code, e.g. {@code mechanical-ventilation}, mapped onto a grader enum. */
    static <E extends Enum<E>> E enumValue(String parameter, PrimitiveType<?> code, Class<E> type) {
        if (code == null || code.isEmpty()) {
            return null;
        }
        String name = code.getValueAsString().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                    .map(constant -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .toList();
            throw new InvalidRequestException(
                    "Parameter " + parameter + ": unknown code '" + code.getValueAsString() + "'; allowed: " + allowed);
        }
    }

    /** A FHIR code that a grader enum knows by {@code fromCode} (the codes of our CodeSystems). */
    static <E> E coded(String parameter, PrimitiveType<?> code, Function<String, E> fromCode) {
        if (code == null || code.isEmpty()) {
            return null;
        }
        try {
            return fromCode.apply(code.getValueAsString());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Parameter " + parameter + ": " + e.getMessage());
        }
    }

    static boolean isTrue(PrimitiveType<Boolean> value) {
        return value != null && Boolean.TRUE.equals(value.getValue());
    }

    static Double decimal(PrimitiveType<java.math.BigDecimal> value) {
        return value == null || value.getValue() == null
                ? null
                : value.getValue().doubleValue();
    }

    static Integer integer(PrimitiveType<Integer> value) {
        return value == null ? null : value.getValue();
    }
}
