package org.cartltfu.hub.clinical.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The enum codes are the FHIR codes of our CodeSystems, so they must not drift. */
class CodedEnumsTest {

    @Test
    void codesAreExactlyTheFhirCodes() {
        assertEquals(
                List.of("none", "fluids", "one-pressor", "multiple-pressors"),
                codes(PressorSupport.values(), PressorSupport::code));
        assertEquals(
                List.of("none", "low-flow", "high-flow-or-mask", "positive-pressure"),
                codes(OxygenSupport.values(), OxygenSupport::code));
        assertEquals(
                List.of("awake", "awakens-spontaneously", "awakens-to-voice", "awakens-to-touch", "unarousable"),
                codes(Consciousness.values(), Consciousness::code));
        assertEquals(
                List.of("none", "resolved-rapidly", "prolonged-or-repetitive"), codes(Seizure.values(), Seizure::code));
        assertEquals(List.of("none", "deep-focal-weakness"), codes(Motor.values(), Motor::code));
        assertEquals(
                List.of("none", "focal-edema", "diffuse-edema"),
                codes(IntracranialPressure.values(), IntracranialPressure::code));
    }

    @Test
    void everyCodeRoundTrips() {
        Arrays.stream(PressorSupport.values()).forEach(v -> assertEquals(v, PressorSupport.fromCode(v.code())));
        Arrays.stream(OxygenSupport.values()).forEach(v -> assertEquals(v, OxygenSupport.fromCode(v.code())));
        Arrays.stream(Consciousness.values()).forEach(v -> assertEquals(v, Consciousness.fromCode(v.code())));
        Arrays.stream(Seizure.values()).forEach(v -> assertEquals(v, Seizure.fromCode(v.code())));
        Arrays.stream(Motor.values()).forEach(v -> assertEquals(v, Motor.fromCode(v.code())));
        Arrays.stream(IntracranialPressure.values())
                .forEach(v -> assertEquals(v, IntracranialPressure.fromCode(v.code())));
    }

    static Stream<Arguments> lookups() {
        return Stream.of(
                Arguments.of("PressorSupport", (Function<String, Object>) PressorSupport::fromCode),
                Arguments.of("OxygenSupport", (Function<String, Object>) OxygenSupport::fromCode),
                Arguments.of("Consciousness", (Function<String, Object>) Consciousness::fromCode),
                Arguments.of("Seizure", (Function<String, Object>) Seizure::fromCode),
                Arguments.of("Motor", (Function<String, Object>) Motor::fromCode),
                Arguments.of("IntracranialPressure", (Function<String, Object>) IntracranialPressure::fromCode));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookups")
    void unknownCodeIsRejectedListingTheValidOnes(String type, Function<String, Object> fromCode) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fromCode.apply("bogus"));
        assertTrue(
                e.getMessage().startsWith("unknown " + type + " code 'bogus'; expected one of: none")
                        || e.getMessage().startsWith("unknown " + type + " code 'bogus'; expected one of: awake"),
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookups")
    void codesAreCaseSensitive(String type, Function<String, Object> fromCode) {
        assertThrows(IllegalArgumentException.class, () -> fromCode.apply("NONE"));
        assertThrows(IllegalArgumentException.class, () -> fromCode.apply("Awake"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookups")
    void nullCodeIsRejected(String type, Function<String, Object> fromCode) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fromCode.apply(null));
        assertEquals(type + " code is required", e.getMessage());
    }

    @Test
    void icansFindingGradesFollowTheConsensusTable() {
        assertEquals(
                List.of(0, 1, 2, 3, 4),
                Arrays.stream(Consciousness.values()).map(Consciousness::grade).toList());
        assertEquals(
                List.of(0, 3, 4),
                Arrays.stream(Seizure.values()).map(Seizure::grade).toList());
        assertEquals(
                List.of(0, 4), Arrays.stream(Motor.values()).map(Motor::grade).toList());
        assertEquals(
                List.of(0, 3, 4),
                Arrays.stream(IntracranialPressure.values())
                        .map(IntracranialPressure::grade)
                        .toList());
    }

    private static <E> List<String> codes(E[] values, Function<E, String> code) {
        return Arrays.stream(values).map(code).toList();
    }
}
