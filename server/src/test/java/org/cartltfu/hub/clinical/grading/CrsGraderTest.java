package org.cartltfu.hub.clinical.grading;

import static org.cartltfu.hub.clinical.grading.OxygenDevice.BIPAP;
import static org.cartltfu.hub.clinical.grading.OxygenDevice.BLOW_BY;
import static org.cartltfu.hub.clinical.grading.OxygenDevice.FACEMASK;
import static org.cartltfu.hub.clinical.grading.OxygenDevice.HIGH_FLOW_NASAL_CANNULA;
import static org.cartltfu.hub.clinical.grading.OxygenDevice.LOW_FLOW_NASAL_CANNULA;
import static org.cartltfu.hub.clinical.grading.OxygenDevice.ROOM_AIR;
import static org.cartltfu.hub.clinical.grading.OxygenDevice.UNKNOWN_OR_OTHER;
import static org.cartltfu.hub.clinical.grading.Vasopressor.DOPAMINE;
import static org.cartltfu.hub.clinical.grading.Vasopressor.EPINEPHRINE;
import static org.cartltfu.hub.clinical.grading.Vasopressor.NOREPINEPHRINE;
import static org.cartltfu.hub.clinical.grading.Vasopressor.OTHER;
import static org.cartltfu.hub.clinical.grading.Vasopressor.PHENYLEPHRINE;
import static org.cartltfu.hub.clinical.grading.Vasopressor.VASOPRESSIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CrsGraderTest {

    private static final double FEVER = 38.5;

    private static CrsFindings.Builder fever() {
        return CrsFindings.builder().temperatureCelsius(FEVER);
    }

    private static CrsGrade grade(CrsFindings.Builder findings) {
        return CrsGrader.grade(findings.build());
    }

    private static void assertGrade(int expected, CrsGrade grade) {
        assertEquals(OptionalInt.of(expected), grade.grade(), () -> "drivers: " + grade.drivers());
        assertTrue(grade.isDetermined());
    }

    private static void assertUndecided(int lowest, int highest, CrsGrade grade) {
        assertEquals(OptionalInt.empty(), grade.grade());
        assertFalse(grade.isDetermined());
        assertEquals(lowest, grade.lowestPossibleGrade(), "lowest");
        assertEquals(highest, grade.highestPossibleGrade(), "highest");
    }

    private static List<CrsDomain> driverDomains(CrsGrade grade) {
        return grade.drivers().stream().map(DomainGrade::domain).toList();
    }

    private static List<String> reasons(CrsGrade grade) {
        return grade.drivers().stream().map(DomainGrade::reason).toList();
    }

    @Nested
    @DisplayName("Test vectors from the domain brief, section 1.1")
    class BriefVectors {

        @Test
        @DisplayName("38.5 °C, room air, normal BP → 1")
        void feverOnRoomAirWithNormalBloodPressureIsGrade1() {
            CrsGrade grade = grade(fever().oxygen(ROOM_AIR, null));
            assertGrade(1, grade);
            assertEquals(List.of(CrsDomain.FEVER), driverDomains(grade));
            assertEquals(List.of("G1: fever 38.5 °C"), reasons(grade));
            assertEquals(Set.of(), grade.flags());
        }

        @Test
        @DisplayName("37.9 °C, nothing else → 0")
        void temperatureBelowThresholdIsGrade0() {
            CrsGrade grade = grade(CrsFindings.builder().temperatureCelsius(37.9));
            assertGrade(0, grade);
            assertEquals(List.of("G0: 37.9 °C is below 38.0 °C; no CRS"), reasons(grade));
        }

        @Test
        @DisplayName("Fever + fluids only → 2")
        void feverWithFluidsOnlyIsGrade2() {
            CrsGrade grade = grade(fever().hypotensionManagedWithFluidsOnly(true));
            assertGrade(2, grade);
            assertEquals(List.of(CrsDomain.HYPOTENSION), driverDomains(grade));
        }

        @Test
        @DisplayName("Fever + cannula 6 L/min → 2")
        void feverWithCannulaAt6LitresIsGrade2() {
            CrsGrade grade = grade(fever().oxygen(LOW_FLOW_NASAL_CANNULA, 6.0));
            assertGrade(2, grade);
            assertEquals(List.of("G2: low-flow nasal cannula at 6.0 L/min (≤6 L/min)"), reasons(grade));
        }

        @Test
        @DisplayName("Cannula 7 L/min → 3")
        void cannulaAt7LitresIsGrade3() {
            CrsGrade grade = grade(fever().oxygen(LOW_FLOW_NASAL_CANNULA, 7.0));
            assertGrade(3, grade);
            assertEquals(List.of("G3: nasal cannula at 7.0 L/min (>6 L/min is high-flow)"), reasons(grade));
        }

        @ParameterizedTest(name = "facemask at {0} L/min")
        @ValueSource(doubles = {0.0, 1.0, 6.0, 10.0, 15.0})
        @DisplayName("Fever + facemask at any flow → 3")
        void feverWithFacemaskAtAnyFlowIsGrade3(double flow) {
            assertGrade(3, grade(fever().oxygen(FACEMASK, flow)));
        }

        @Test
        @DisplayName("Fever + facemask at any flow → 3 (flow not recorded)")
        void feverWithFacemaskWithoutFlowIsGrade3() {
            assertGrade(3, grade(fever().oxygen(FACEMASK, null)));
        }

        @Test
        @DisplayName("Norepinephrine + vasopressin → 3")
        void norepinephrineWithVasopressinIsGrade3() {
            CrsGrade grade = grade(fever().vasopressors(NOREPINEPHRINE, VASOPRESSIN));
            assertGrade(3, grade);
            assertEquals(List.of("G3: one vasopressor (norepinephrine) with vasopressin"), reasons(grade));
            assertEquals(Set.of(), grade.flags());
        }

        @Test
        @DisplayName("Norepinephrine + phenylephrine → 4")
        void norepinephrineWithPhenylephrineIsGrade4() {
            CrsGrade grade = grade(fever().vasopressors(NOREPINEPHRINE, PHENYLEPHRINE));
            assertGrade(4, grade);
            assertEquals(List.of("G4: multiple vasopressors (norepinephrine, phenylephrine)"), reasons(grade));
        }

        @Test
        @DisplayName("BiPAP → 4")
        void bipapIsGrade4() {
            CrsGrade grade = grade(fever().oxygen(BIPAP, null));
            assertGrade(4, grade);
            assertEquals(List.of("G4: positive pressure (BiPAP)"), reasons(grade));
        }

        @Test
        @DisplayName("Afebrile after tocilizumab with one pressor → 3")
        void afebrileAfterTocilizumabWithOnePressorIsGrade3() {
            CrsGrade grade = grade(CrsFindings.builder()
                    .temperatureCelsius(36.8)
                    .feverMaskingTherapyGiven(true)
                    .vasopressors(NOREPINEPHRINE));
            assertGrade(3, grade);
            assertEquals(List.of(CrsDomain.HYPOTENSION), driverDomains(grade));
            assertEquals(Set.of(), grade.flags());
        }

        @Test
        @DisplayName("Fever explained by bacteraemia → 0 (not CRS)")
        void feverExplainedByBacteraemiaIsNotCrs() {
            CrsGrade grade = grade(fever().feverAttributableToOtherCause(true).vasopressors(NOREPINEPHRINE));
            assertGrade(0, grade);
            assertEquals(List.of("G0: fever attributed to another cause (e.g. infection); not CRS"), reasons(grade));
        }

        @Test
        @DisplayName("Consensus example: fever + one vasopressor + low-flow cannula = G3")
        void feverWithOneVasopressorAndLowFlowCannulaIsGrade3() {
            CrsGrade grade = grade(fever().vasopressors(NOREPINEPHRINE).oxygen(LOW_FLOW_NASAL_CANNULA, 2.0));
            assertGrade(3, grade);
            assertEquals(List.of(CrsDomain.HYPOTENSION), driverDomains(grade));
        }
    }

    @Nested
    class Fever {

        @ParameterizedTest(name = "{0} °C → G{1}")
        @CsvSource({"25.0, 0", "37.9, 0", "37.99, 0", "38.0, 1", "38.1, 1", "41.5, 1", "45.0, 1"})
        void feverStartsAt38Point0(double celsius, int expected) {
            assertGrade(expected, grade(CrsFindings.builder().temperatureCelsius(celsius)));
        }

        @Test
        void reasonShowsTheTemperatureUnrounded() {
            assertEquals(
                    List.of("G0: 37.99 °C is below 38.0 °C; no CRS"),
                    reasons(grade(CrsFindings.builder().temperatureCelsius(37.99))));
        }

        @Test
        void noFeverMeansNoCrsEvenWithHypotensionAndHypoxia() {
            CrsGrade grade = grade(CrsFindings.builder()
                    .temperatureCelsius(37.2)
                    .vasopressors(NOREPINEPHRINE, EPINEPHRINE)
                    .oxygen(BIPAP, null));
            assertGrade(0, grade);
            assertEquals(List.of(CrsDomain.FEVER), driverDomains(grade));
        }

        @Test
        void feverStillPresentAfterTocilizumabGradesNormallyWithoutFlag() {
            CrsGrade grade = grade(fever().feverMaskingTherapyGiven(true));
            assertGrade(1, grade);
            assertEquals(Set.of(), grade.flags());
        }

        @Test
        @DisplayName("masked fever without hypotension or hypoxia is G0–G1 and flagged")
        void maskedFeverWithoutHypotensionOrHypoxiaIsFlagged() {
            CrsGrade grade = grade(CrsFindings.builder()
                    .temperatureCelsius(37.0)
                    .feverMaskingTherapyGiven(true)
                    .oxygen(ROOM_AIR, 0.0));
            assertUndecided(0, 1, grade);
            assertEquals(Set.of(CrsFlag.MASKED_FEVER_WITHOUT_HYPOTENSION_OR_HYPOXIA), grade.flags());
            assertEquals(List.of(CrsDomain.FEVER), driverDomains(grade));
        }

        @Test
        void maskedFeverWithLowFlowOxygenIsGrade2() {
            assertGrade(
                    2,
                    grade(CrsFindings.builder().feverMaskingTherapyGiven(true).oxygen(LOW_FLOW_NASAL_CANNULA, 3.0)));
        }

        @Test
        void maskingTherapyLetsHypotensionGradeEvenWhenTheEarlierFeverWasAttributedElsewhere() {
            // Follows the brief's sketch: fever-masking therapy alone is enough for CRS to be graded.
            assertGrade(
                    3,
                    grade(CrsFindings.builder()
                            .feverAttributableToOtherCause(true)
                            .feverMaskingTherapyGiven(true)
                            .vasopressors(DOPAMINE)));
        }

        @Test
        void missingTemperatureWithoutSupportIsUndecidedAndFlagged() {
            CrsGrade grade = grade(CrsFindings.builder());
            assertUndecided(0, 1, grade);
            assertEquals(Set.of(CrsFlag.TEMPERATURE_MISSING), grade.flags());
            assertEquals(List.of(CrsDomain.FEVER), driverDomains(grade));
        }

        @Test
        void missingTemperatureWithOnePressorIsGrade0To3() {
            CrsGrade grade = grade(CrsFindings.builder().vasopressors(NOREPINEPHRINE));
            assertUndecided(0, 3, grade);
            assertEquals(Set.of(CrsFlag.TEMPERATURE_MISSING), grade.flags());
            assertEquals(List.of(CrsDomain.FEVER, CrsDomain.HYPOTENSION), driverDomains(grade));
        }

        @Test
        void missingTemperatureWithFeverAttributedElsewhereIsGrade0() {
            assertGrade(0, grade(CrsFindings.builder().feverAttributableToOtherCause(true)));
        }

        @Test
        void attributionIsIrrelevantBelow38() {
            CrsGrade grade =
                    grade(CrsFindings.builder().temperatureCelsius(37.5).feverAttributableToOtherCause(true));
            assertGrade(0, grade);
            assertEquals(List.of("G0: 37.5 °C is below 38.0 °C; no CRS"), reasons(grade));
        }
    }

    @Nested
    class Hypotension {

        @Test
        @DisplayName("vasopressin alone is G2–G3 and flagged")
        void vasopressinAloneIsFlagged() {
            CrsGrade grade = grade(fever().vasopressors(VASOPRESSIN));
            assertUndecided(2, 3, grade);
            assertEquals(Set.of(CrsFlag.VASOPRESSIN_ALONE), grade.flags());
            assertEquals(List.of(CrsDomain.HYPOTENSION), driverDomains(grade));
            assertTrue(grade.drivers().get(0).reason().startsWith("G2–G3: vasopressin alone"));
        }

        @Test
        void vasopressinAloneDoesNotMatterWhenHypoxiaAlreadyGivesGrade3() {
            CrsGrade grade = grade(fever().vasopressors(VASOPRESSIN).oxygen(FACEMASK, 8.0));
            assertGrade(3, grade);
            assertEquals(List.of(CrsDomain.HYPOXIA), driverDomains(grade));
            assertEquals(Set.of(CrsFlag.VASOPRESSIN_ALONE), grade.flags());
        }

        @Test
        void vasopressinAloneWithBipapIsGrade4() {
            assertGrade(4, grade(fever().vasopressors(VASOPRESSIN).oxygen(BIPAP, null)));
        }

        @Test
        void vasopressinNeverCountsTowardsMultiplePressors() {
            CrsGrade grade = grade(fever().vasopressors(VASOPRESSIN, DOPAMINE));
            assertGrade(3, grade);
        }

        @Test
        void twoNonVasopressinAgentsPlusVasopressinIsGrade4() {
            CrsGrade grade = grade(fever().vasopressors(NOREPINEPHRINE, PHENYLEPHRINE, VASOPRESSIN));
            assertGrade(4, grade);
            assertEquals(
                    List.of("G4: multiple vasopressors (norepinephrine, phenylephrine), vasopressin not counted"),
                    reasons(grade));
        }

        @ParameterizedTest(name = "{0} + {1} → G4")
        @CsvSource({"NOREPINEPHRINE, EPINEPHRINE", "EPINEPHRINE, DOPAMINE", "PHENYLEPHRINE, DOPAMINE"})
        void anyTwoDistinctNonVasopressinAgentsAreMultiple(Vasopressor first, Vasopressor second) {
            assertGrade(4, grade(fever().vasopressors(first, second)));
        }

        @ParameterizedTest(name = "{0} alone → G3")
        @CsvSource({"NOREPINEPHRINE", "EPINEPHRINE", "PHENYLEPHRINE", "DOPAMINE"})
        void anySingleNonVasopressinAgentIsGrade3(Vasopressor agent) {
            assertGrade(3, grade(fever().vasopressors(agent)));
        }

        @Test
        void theSameAgentRecordedTwiceIsOneVasopressor() {
            assertGrade(3, grade(fever().vasopressors(NOREPINEPHRINE, NOREPINEPHRINE)));
        }

        @Test
        void unlistedVasopressorAloneIsGrade3To4AndFlagged() {
            CrsGrade grade = grade(fever().vasopressors(OTHER));
            assertUndecided(3, 4, grade);
            assertEquals(Set.of(CrsFlag.UNLISTED_VASOPRESSOR), grade.flags());
        }

        @Test
        void unlistedVasopressorWithAListedOneIsMultipleButFlagged() {
            CrsGrade grade = grade(fever().vasopressors(OTHER, NOREPINEPHRINE));
            assertGrade(4, grade);
            assertEquals(Set.of(CrsFlag.UNLISTED_VASOPRESSOR), grade.flags());
        }

        @Test
        void aVasopressorOutranksTheFluidsOnlyFlag() {
            assertGrade(3, grade(fever().hypotensionManagedWithFluidsOnly(true).vasopressors(EPINEPHRINE)));
        }

        @Test
        void noVasopressorAndNoFluidsMeansNoHypotension() {
            CrsGrade grade = grade(fever().vasopressors());
            assertGrade(1, grade);
        }
    }

    @Nested
    class Hypoxia {

        @ParameterizedTest(name = "nasal cannula {0} L/min → G{1}")
        @CsvSource({"0.5, 2", "2.0, 2", "6.0, 2", "6.1, 3", "7.0, 3", "15.0, 3"})
        void lowFlowCannulaBecomesHighFlowAbove6Litres(double flow, int expected) {
            assertGrade(expected, grade(fever().oxygen(LOW_FLOW_NASAL_CANNULA, flow)));
        }

        @ParameterizedTest(name = "high-flow nasal cannula {0} L/min → G3")
        @ValueSource(doubles = {6.1, 7.0, 40.0, 60.0})
        void highFlowCannulaAbove6LitresIsGrade3(double flow) {
            assertGrade(3, grade(fever().oxygen(HIGH_FLOW_NASAL_CANNULA, flow)));
        }

        @Test
        void highFlowCannulaWithoutFlowIsGrade3() {
            assertGrade(3, grade(fever().oxygen(HIGH_FLOW_NASAL_CANNULA, null)));
        }

        @Test
        void highFlowCannulaAtOnly5LitresIsFlaggedNotGuessed() {
            CrsGrade grade = grade(fever().oxygen(HIGH_FLOW_NASAL_CANNULA, 5.0));
            assertUndecided(2, 3, grade);
            assertEquals(Set.of(CrsFlag.HIGH_FLOW_DEVICE_AT_LOW_FLOW), grade.flags());
        }

        @Test
        void lowFlowCannulaWithoutFlowIsFlagged() {
            CrsGrade grade = grade(fever().oxygen(LOW_FLOW_NASAL_CANNULA, null));
            assertUndecided(2, 3, grade);
            assertEquals(Set.of(CrsFlag.O2_FLOW_MISSING), grade.flags());
        }

        @ParameterizedTest(name = "blow-by at {0} L/min → G2")
        @ValueSource(doubles = {1.0, 10.0})
        void blowByIsGrade2AtAnyFlow(double flow) {
            assertGrade(2, grade(fever().oxygen(BLOW_BY, flow)));
        }

        @ParameterizedTest(name = "{0} → G{1}")
        @CsvSource({
            "ROOM_AIR, 1",
            "BLOW_BY, 2",
            "HIGH_FLOW_NASAL_CANNULA, 3",
            "FACEMASK, 3",
            "NON_REBREATHER, 3",
            "VENTURI_MASK, 3",
            "CPAP, 4",
            "BIPAP, 4",
            "MECHANICAL_VENTILATION, 4"
        })
        void devicesWithoutFlow(OxygenDevice device, int expected) {
            assertGrade(expected, grade(fever().oxygen(device, null)));
        }

        @Test
        @DisplayName("unknown O2 device is G2–G4 and flagged")
        void unknownDeviceIsFlagged() {
            CrsGrade grade = grade(fever().oxygen(UNKNOWN_OR_OTHER, 4.0));
            assertUndecided(2, 4, grade);
            assertEquals(Set.of(CrsFlag.UNKNOWN_O2_DEVICE), grade.flags());
            assertEquals(List.of("G2–G4: oxygen by an unknown or unlisted device at 4.0 L/min"), reasons(grade));
        }

        @Test
        void unknownDeviceWithOnePressorIsGrade3To4() {
            CrsGrade grade = grade(fever().oxygen(UNKNOWN_OR_OTHER, null).vasopressors(NOREPINEPHRINE));
            assertUndecided(3, 4, grade);
            assertEquals(List.of(CrsDomain.HYPOXIA), driverDomains(grade));
        }

        @Test
        void unknownDeviceDoesNotMatterWithMultiplePressors() {
            CrsGrade grade = grade(fever().oxygen(UNKNOWN_OR_OTHER, null).vasopressors(NOREPINEPHRINE, EPINEPHRINE));
            assertGrade(4, grade);
            assertEquals(List.of(CrsDomain.HYPOTENSION), driverDomains(grade));
            assertEquals(Set.of(CrsFlag.UNKNOWN_O2_DEVICE), grade.flags());
        }

        @Test
        void equalAxesAreBothDrivers() {
            CrsGrade grade = grade(fever().vasopressors(NOREPINEPHRINE).oxygen(FACEMASK, 10.0));
            assertGrade(3, grade);
            assertEquals(List.of(CrsDomain.HYPOTENSION, CrsDomain.HYPOXIA), driverDomains(grade));
        }
    }

    @Nested
    @DisplayName("Support given as FHIR codes")
    class CodedSupport {

        @ParameterizedTest(name = "{0} + {1} → G{2}")
        @CsvSource({
            "none, none, 1",
            "none, low-flow, 2",
            "none, high-flow-or-mask, 3",
            "none, positive-pressure, 4",
            "fluids, none, 2",
            "fluids, low-flow, 2",
            "fluids, high-flow-or-mask, 3",
            "fluids, positive-pressure, 4",
            "one-pressor, none, 3",
            "one-pressor, low-flow, 3",
            "one-pressor, high-flow-or-mask, 3",
            "one-pressor, positive-pressure, 4",
            "multiple-pressors, none, 4",
            "multiple-pressors, low-flow, 4",
            "multiple-pressors, high-flow-or-mask, 4",
            "multiple-pressors, positive-pressure, 4"
        })
        void gradeIsTheWorseAxis(String pressor, String oxygen, int expected) {
            assertGrade(
                    expected,
                    grade(fever().pressorSupport(PressorSupport.fromCode(pressor))
                            .oxygenSupport(OxygenSupport.fromCode(oxygen))));
        }

        @Test
        void codedReasonNamesTheCode() {
            assertEquals(
                    List.of("G3: one vasopressor (coded 'one-pressor')"),
                    reasons(grade(fever().pressorSupport(PressorSupport.ONE_PRESSOR))));
        }

        @Test
        void codedSupportStillNeedsFever() {
            assertGrade(
                    0,
                    grade(CrsFindings.builder()
                            .temperatureCelsius(37.0)
                            .pressorSupport(PressorSupport.MULTIPLE_PRESSORS)));
        }
    }

    @Nested
    class Death {

        @Test
        @DisplayName("death from CRS → 5")
        void deathIsGrade5() {
            CrsGrade grade = grade(CrsFindings.builder().diedOfCrs(true));
            assertGrade(5, grade);
            assertEquals(List.of("G5: death from CRS"), reasons(grade));
            assertEquals(List.of(CrsDomain.DEATH), driverDomains(grade));
        }

        @Test
        void deathOverridesEverythingElse() {
            assertGrade(
                    5,
                    grade(fever().vasopressors(VASOPRESSIN)
                            .oxygen(UNKNOWN_OR_OTHER, null)
                            .diedOfCrs(true)));
            assertEquals(
                    Set.of(),
                    grade(fever().vasopressors(VASOPRESSIN).diedOfCrs(true)).flags());
        }
    }

    @Nested
    class Validation {

        @Test
        void nullFindingsAreRejected() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrsGrader.grade(null));
            assertEquals("findings are required", e.getMessage());
        }

        @ParameterizedTest(name = "{0} °C")
        @ValueSource(doubles = {101.3, 45.1, 24.9, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
        void implausibleTemperatureIsRejected(double celsius) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> CrsFindings.builder().temperatureCelsius(celsius).build());
            assertTrue(
                    e.getMessage().startsWith("temperatureCelsius must be between 25.0 and 45.0 °C"), e.getMessage());
        }

        @ParameterizedTest(name = "{0} L/min")
        @ValueSource(doubles = {-0.5, Double.NaN, Double.POSITIVE_INFINITY})
        void invalidFlowIsRejected(double flow) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> fever().oxygen(LOW_FLOW_NASAL_CANNULA, flow).build());
            assertTrue(e.getMessage().startsWith("oxygenFlowLitresPerMinute must be zero or positive"), e.getMessage());
        }

        @Test
        void flowWithoutDeviceIsRejected() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> fever().oxygen(null, 4.0).build());
            assertEquals("oxygenFlowLitresPerMinute needs an oxygenDevice", e.getMessage());
        }

        @Test
        void flowOnRoomAirIsRejected() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> fever().oxygen(ROOM_AIR, 2.0).build());
            assertEquals("oxygenFlowLitresPerMinute must be 0 on ROOM_AIR, was 2.0", e.getMessage());
        }

        @Test
        void codedAndRawPressorSupportTogetherAreRejected() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> fever().pressorSupport(PressorSupport.FLUIDS)
                            .vasopressors(DOPAMINE)
                            .build());
            assertTrue(e.getMessage().contains("pressorSupport"), e.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> fever().pressorSupport(PressorSupport.NONE)
                            .hypotensionManagedWithFluidsOnly(true)
                            .build());
        }

        @Test
        void codedAndRawOxygenSupportTogetherAreRejected() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> fever().oxygenSupport(OxygenSupport.LOW_FLOW)
                            .oxygen(BLOW_BY, null)
                            .build());
            assertTrue(e.getMessage().contains("oxygenSupport"), e.getMessage());
        }

        @Test
        void nullVasopressorIsRejected() {
            List<Vasopressor> agents = new ArrayList<>();
            agents.add(null);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new CrsFindings(FEVER, false, false, agents, false, null, null, null, null, false));
            assertEquals("vasopressors must not contain null", e.getMessage());
        }

        @Test
        void immutableListsAreAccepted() {
            CrsFindings findings = new CrsFindings(
                    FEVER, false, false, List.of(NOREPINEPHRINE, EPINEPHRINE), false, null, null, null, null, false);
            assertGrade(4, CrsGrader.grade(findings));
        }

        @Test
        void absentInputsMeanNothingGivenAndNothingMeasured() {
            CrsFindings findings = new CrsFindings(null, false, false, null, false, null, null, null, null, false);
            assertEquals(List.of(), findings.vasopressors());
            assertUndecided(0, 1, CrsGrader.grade(findings));
        }

        @Test
        void findingsAndGradeAreImmutable() {
            List<Vasopressor> agents = new ArrayList<>(List.of(NOREPINEPHRINE));
            CrsFindings findings = new CrsFindings(FEVER, false, false, agents, false, null, null, null, null, false);
            agents.add(EPINEPHRINE);
            assertGrade(3, CrsGrader.grade(findings));
            CrsGrade grade = CrsGrader.grade(fever().vasopressors(VASOPRESSIN).build());
            assertThrows(
                    UnsupportedOperationException.class, () -> grade.flags().clear());
            assertThrows(
                    UnsupportedOperationException.class, () -> grade.drivers().clear());
        }

        @Test
        void gradeRangeMustBeOrdered() {
            assertThrows(IllegalArgumentException.class, () -> new CrsGrade(3, 2, List.of(), Set.of()));
            assertThrows(IllegalArgumentException.class, () -> new CrsGrade(0, 6, List.of(), Set.of()));
        }
    }
}
