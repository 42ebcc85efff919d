package org.cartltfu.hub.clinical.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IcansGraderTest {

    /** An adult with every domain assessed and normal; tests change one thing at a time. */
    private static IcansFindings.Builder adult() {
        return IcansFindings.builder()
                .ageYears(45)
                .iceScore(10)
                .consciousness(Consciousness.AWAKE)
                .seizure(Seizure.NONE)
                .motor(Motor.NONE)
                .intracranialPressure(IntracranialPressure.NONE);
    }

    /** A child with every domain assessed and normal (CAPD 0). */
    private static IcansFindings.Builder child(int ageYears) {
        return IcansFindings.builder()
                .ageYears(ageYears)
                .capdScore(0)
                .consciousness(Consciousness.AWAKE)
                .seizure(Seizure.NONE)
                .motor(Motor.NONE)
                .intracranialPressure(IntracranialPressure.NONE);
    }

    private static IcansGrade grade(IcansFindings.Builder findings) {
        return IcansGrader.grade(findings.build());
    }

    private static void assertGrade(int expected, IcansGrade grade) {
        assertEquals(OptionalInt.of(expected), grade.grade(), () -> "drivers: " + grade.drivers());
        assertTrue(grade.isDetermined());
    }

    private static void assertUndecided(int lowest, int highest, IcansGrade grade) {
        assertEquals(OptionalInt.empty(), grade.grade());
        assertEquals(lowest, grade.lowestPossibleGrade(), "lowest");
        assertEquals(highest, grade.highestPossibleGrade(), "highest");
    }

    private static List<IcansDomain> driverDomains(IcansGrade grade) {
        return grade.drivers().stream().map(DomainGrade::domain).toList();
    }

    private static List<String> reasons(IcansGrade grade) {
        return grade.drivers().stream().map(DomainGrade::reason).toList();
    }

    private static void assertRejected(String messageStart, IcansFindings.Builder findings) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, findings::build);
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }

    @Nested
    @DisplayName("Test vectors from the domain brief, section 1.3 (other domains assessed and normal)")
    class BriefVectors {

        @Test
        @DisplayName("ICE 10 → 0")
        void ice10IsGrade0() {
            IcansGrade grade = grade(adult());
            assertGrade(0, grade);
            assertEquals(
                    List.of(
                            "G0: ICE 10/10",
                            "G0: awake",
                            "G0: no seizure",
                            "G0: no focal motor weakness",
                            "G0: no raised intracranial pressure or oedema"),
                    reasons(grade));
            assertEquals(Set.of(), grade.flags());
            assertEquals(List.of(), grade.notes());
        }

        @Test
        @DisplayName("ICE 7 → 1")
        void ice7IsGrade1() {
            IcansGrade grade = grade(adult().iceScore(7));
            assertGrade(1, grade);
            assertEquals(List.of("G1: ICE 7/10 (7–9)"), reasons(grade));
        }

        @Test
        @DisplayName("ICE 6 → 2")
        void ice6IsGrade2() {
            assertGrade(2, grade(adult().iceScore(6)));
        }

        @Test
        @DisplayName("ICE 3 → 2")
        void ice3IsGrade2() {
            assertGrade(2, grade(adult().iceScore(3)));
        }

        @Test
        @DisplayName("ICE 2 → 3")
        void ice2IsGrade3() {
            assertGrade(3, grade(adult().iceScore(2)));
        }

        @Test
        @DisplayName("ICE 9 and awakens to voice → 2")
        void ice9AndAwakensToVoiceIsGrade2() {
            IcansGrade grade = grade(adult().iceScore(9).consciousness(Consciousness.AWAKENS_TO_VOICE));
            assertGrade(2, grade);
            assertEquals(List.of("G2: awakens to voice"), reasons(grade));
        }

        @Test
        @DisplayName("ICE 10 with tremor only → 0")
        void ice10WithTremorOnlyIsGrade0() {
            IcansGrade grade = grade(adult().excludedFindings(ExcludedFinding.TREMOR));
            assertGrade(0, grade);
            assertEquals(List.of(ExcludedFinding.TREMOR.note()), grade.notes());
        }

        @Test
        @DisplayName("ICE 8 with ICH on CT → 1")
        void ice8WithIntracranialHaemorrhageIsGrade1() {
            IcansGrade grade = grade(adult().iceScore(8).excludedFindings(ExcludedFinding.INTRACRANIAL_HAEMORRHAGE));
            assertGrade(1, grade);
            assertEquals(List.of(IcansDomain.ENCEPHALOPATHY), driverDomains(grade));
            assertTrue(grade.notes()
                    .get(0)
                    .startsWith("intracranial haemorrhage, with or without oedema, is" + " excluded from ICANS"));
        }

        @Test
        @DisplayName("Focal oedema → 3")
        void focalOedemaIsGrade3() {
            IcansGrade grade = grade(adult().intracranialPressure(IntracranialPressure.FOCAL_EDEMA));
            assertGrade(3, grade);
            assertEquals(List.of("G3: focal oedema on neuroimaging"), reasons(grade));
        }

        @Test
        @DisplayName("Hemiparesis → 4")
        void hemiparesisIsGrade4() {
            IcansGrade grade = grade(adult().motor(Motor.DEEP_FOCAL_WEAKNESS));
            assertGrade(4, grade);
            assertEquals(List.of(IcansDomain.MOTOR), driverDomains(grade));
        }

        @Test
        @DisplayName("Seizure lasting 6 min → 4")
        void seizureLasting6MinutesIsGrade4() {
            IcansGrade grade = grade(adult().seizure(null).seizureDurationMinutes(6.0));
            assertGrade(4, grade);
            assertEquals(List.of("G4: prolonged (>5 min) or repetitive seizures, lasting 6.0 min"), reasons(grade));
        }

        @Test
        @DisplayName("Child with CAPD 10 → 3")
        void childWithCapd10IsGrade3() {
            IcansGrade grade = grade(child(8).capdScore(10));
            assertGrade(3, grade);
            assertEquals(List.of("G3: CAPD 10 (≥9)"), reasons(grade));
        }

        @Test
        @DisplayName("Example: ICE 3 with a generalised seizure gives G3")
        void ice3WithGeneralisedSeizureIsGrade3() {
            IcansGrade grade = grade(adult().iceScore(3).seizure(Seizure.RESOLVED_RAPIDLY));
            assertGrade(3, grade);
            assertEquals(List.of(IcansDomain.SEIZURE), driverDomains(grade));
        }

        @Test
        @DisplayName("ICE 0 with the patient awake and global aphasia gives G3")
        void ice0AwakeWithGlobalAphasiaIsGrade3() {
            IcansGrade grade = grade(adult().iceScore(0));
            assertGrade(3, grade);
            assertEquals(
                    List.of("G3: ICE 0/10 with the patient arousable (e.g. awake with global aphasia)"),
                    reasons(grade));
        }

        @Test
        @DisplayName("ICE 0 with the patient unarousable gives G4")
        void ice0UnarousableIsGrade4() {
            IcansGrade grade = grade(adult().iceScore(0).consciousness(Consciousness.UNAROUSABLE));
            assertGrade(4, grade);
            assertEquals(List.of(IcansDomain.ENCEPHALOPATHY, IcansDomain.CONSCIOUSNESS), driverDomains(grade));
            assertEquals(
                    "G4: ICE 0/10 with the patient unarousable",
                    grade.drivers().get(0).reason());
        }
    }

    @Nested
    @DisplayName("ICE score")
    class IceScore {

        @ParameterizedTest(name = "ICE {0} → G{1}")
        @CsvSource({"10, 0", "9, 1", "8, 1", "7, 1", "6, 2", "5, 2", "4, 2", "3, 2", "2, 3", "1, 3", "0, 3"})
        void bands(int ice, int expected) {
            assertGrade(expected, grade(adult().iceScore(ice)));
        }

        @Test
        void unableToPerformIceWhileArousableIsGrade3AndFlagged() {
            IcansGrade grade = grade(adult().iceScore(null).unableToPerformScreen(true));
            assertGrade(3, grade);
            assertEquals(Set.of(IcansFlag.SCREEN_NOT_PERFORMED), grade.flags());
            assertEquals(
                    List.of("G3: unable to perform ICE (scored 0) with the patient arousable"
                            + " (e.g. awake with global aphasia)"),
                    reasons(grade));
        }

        @Test
        void unableToPerformIceWhileUnarousableIsGrade4WithoutFlag() {
            IcansGrade grade =
                    grade(adult().iceScore(0).unableToPerformScreen(true).consciousness(Consciousness.UNAROUSABLE));
            assertGrade(4, grade);
            assertEquals(Set.of(), grade.flags());
        }

        @ParameterizedTest(name = "ICE {0}")
        @ValueSource(ints = {11, -1, 100})
        void outOfRangeIceIsRejectedNamingTheField(int ice) {
            assertRejected("iceScore must be between 0 and 10, was " + ice, adult().iceScore(ice));
        }

        @Test
        void nonZeroIceWithUnableToPerformIsRejected() {
            assertRejected(
                    "iceScore must be 0 or empty when unableToPerformScreen is set, was 4",
                    adult().iceScore(4).unableToPerformScreen(true));
        }
    }

    @Nested
    @DisplayName("Children: CAPD instead of ICE")
    class Children {

        @ParameterizedTest(name = "CAPD {0} + {1} → G{2}")
        @CsvSource({
            "0, AWAKE, 0",
            "8, AWAKENS_SPONTANEOUSLY, 1",
            "8, AWAKENS_TO_VOICE, 2",
            "1, AWAKENS_TO_VOICE, 2",
            "8, AWAKENS_TO_TOUCH, 3",
            "9, AWAKE, 3",
            "9, AWAKENS_TO_VOICE, 3",
            "32, AWAKE, 3",
            "9, UNAROUSABLE, 4"
        })
        void capdBelow9IsSeparatedByConsciousness(int capd, Consciousness level, int expected) {
            IcansGrade grade = grade(child(6).capdScore(capd).consciousness(level));
            assertGrade(expected, grade);
            assertEquals(Set.of(), grade.flags());
        }

        @Test
        void capd8InAnAlertChildIsFlaggedBecauseTheConsensusNeedsDepressedConsciousness() {
            IcansGrade grade = grade(child(6).capdScore(8));
            assertUndecided(0, 1, grade);
            assertEquals(Set.of(IcansFlag.CAPD_BELOW_9_WITHOUT_DEPRESSED_CONSCIOUSNESS), grade.flags());
            assertEquals(List.of(IcansDomain.ENCEPHALOPATHY), driverDomains(grade));
        }

        @Test
        void capd8WithAHigherDomainIsDecidedButStillFlagged() {
            IcansGrade grade = grade(child(6).capdScore(8).seizure(Seizure.RESOLVED_RAPIDLY));
            assertGrade(3, grade);
            assertEquals(Set.of(IcansFlag.CAPD_BELOW_9_WITHOUT_DEPRESSED_CONSCIOUSNESS), grade.flags());
        }

        @Test
        void childUnableToPerformCapdIsGrade4() {
            IcansGrade grade = grade(child(6).capdScore(null).unableToPerformScreen(true));
            assertGrade(4, grade);
            assertEquals(List.of("G4: unable to perform CAPD"), reasons(grade));
            assertEquals(Set.of(IcansFlag.SCREEN_NOT_PERFORMED), grade.flags());
        }

        @Test
        void age12UsesCapd() {
            assertGrade(3, grade(child(12).capdScore(9)));
        }

        @Test
        void age13UsesIce() {
            assertGrade(2, grade(adult().ageYears(13).iceScore(5)));
        }

        @Test
        void iceForA12YearOldIsRejected() {
            assertRejected(
                    "iceScore is for patients over 12 without developmental delay; a patient aged 12 is"
                            + " screened with capdScore",
                    child(12).capdScore(null).iceScore(9));
        }

        @Test
        void capdFor13YearOldIsRejected() {
            assertRejected(
                    "capdScore is for patients aged 12 or under or with developmental delay; a patient aged"
                            + " 13 is screened with iceScore",
                    adult().ageYears(13).iceScore(null).capdScore(5));
        }

        @Test
        void developmentalDelayUsesCapdAtAnyAge() {
            assertGrade(3, grade(child(30).developmentalDelay(true).capdScore(10)));
            assertGrade(
                    3, grade(child(30).ageYears(null).developmentalDelay(true).capdScore(10)));
            assertRejected(
                    "iceScore is for patients over 12 without developmental delay; a patient with"
                            + " developmental delay is screened with capdScore",
                    adult().ageYears(30).developmentalDelay(true));
        }

        @ParameterizedTest(name = "CAPD {0}")
        @ValueSource(ints = {33, -1})
        void outOfRangeCapdIsRejected(int capd) {
            assertRejected("capdScore must be between 0 and 32, was " + capd, child(6).capdScore(capd));
        }

        @Test
        void capdScoreWithUnableToPerformIsRejected() {
            assertRejected(
                    "capdScore must be empty when unableToPerformScreen is set",
                    child(6).capdScore(4).unableToPerformScreen(true));
        }
    }

    @Nested
    class ScreenChoice {

        @ParameterizedTest(name = "age {0} → {1}")
        @CsvSource({"0, CAPD", "12, CAPD", "13, ICE", "90, ICE"})
        void byAge(int age, EncephalopathyScreen expected) {
            assertEquals(expected, EncephalopathyScreen.forPatient(age, false));
        }

        @Test
        void developmentalDelayMeansCapd() {
            assertEquals(EncephalopathyScreen.CAPD, EncephalopathyScreen.forPatient(40, true));
            assertEquals(EncephalopathyScreen.CAPD, EncephalopathyScreen.forPatient(null, true));
        }

        @Test
        void unknownAgeWithoutDelayIsRejected() {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> EncephalopathyScreen.forPatient(null, false));
            assertTrue(e.getMessage().startsWith("ageYears is required"), e.getMessage());
        }

        @ParameterizedTest(name = "age {0}")
        @ValueSource(ints = {-1, 131})
        void implausibleAgeIsRejected(int age) {
            assertThrows(IllegalArgumentException.class, () -> EncephalopathyScreen.forPatient(age, false));
            assertRejected(
                    "ageYears must be between 0 and 130, was " + age,
                    IcansFindings.builder().ageYears(age));
        }

        @Test
        void aScoreWithoutAgeIsRejected() {
            assertRejected("ageYears is required", adult().ageYears(null));
        }

        @Test
        void ageIsNotNeededWhenNoScreenWasDone() {
            IcansGrade grade = grade(adult().ageYears(null).iceScore(null).motor(Motor.DEEP_FOCAL_WEAKNESS));
            assertGrade(4, grade);
            assertEquals(Set.of(IcansFlag.DOMAINS_NOT_ASSESSED), grade.flags());
        }
    }

    @Nested
    class OtherDomains {

        @ParameterizedTest(name = "{0} → G{1}")
        @CsvSource({
            "AWAKE, 0",
            "AWAKENS_SPONTANEOUSLY, 1",
            "AWAKENS_TO_VOICE, 2",
            "AWAKENS_TO_TOUCH, 3",
            "UNAROUSABLE, 4"
        })
        void consciousness(Consciousness level, int expected) {
            assertGrade(expected, grade(adult().consciousness(level)));
        }

        @ParameterizedTest(name = "{0} min → G{1}")
        @CsvSource({"0.5, 3", "5.0, 3", "5.1, 4", "6.0, 4", "30.0, 4"})
        void seizureDurationAbove5MinutesIsProlonged(double minutes, int expected) {
            assertGrade(expected, grade(adult().seizure(null).seizureDurationMinutes(minutes)));
        }

        @ParameterizedTest(name = "{0} → G{1}")
        @CsvSource({"NONE, 0", "RESOLVED_RAPIDLY, 3", "PROLONGED_OR_REPETITIVE, 4"})
        void seizureCategory(Seizure seizure, int expected) {
            assertGrade(expected, grade(adult().seizure(seizure)));
        }

        @Test
        void repetitiveShortSeizuresAreGrade4() {
            assertGrade(
                    4, grade(adult().seizure(Seizure.PROLONGED_OR_REPETITIVE).seizureDurationMinutes(2.0)));
        }

        @Test
        void rapidlyResolvedSeizureLongerThan5MinutesIsRejected() {
            assertRejected(
                    "seizure 'resolved-rapidly' contradicts seizureDurationMinutes 6.0",
                    adult().seizure(Seizure.RESOLVED_RAPIDLY).seizureDurationMinutes(6.0));
        }

        @Test
        void durationWithoutSeizureIsRejected() {
            assertRejected(
                    "seizureDurationMinutes given but seizure is 'none'",
                    adult().seizure(Seizure.NONE).seizureDurationMinutes(2.0));
        }

        @ParameterizedTest(name = "{0} min")
        @ValueSource(doubles = {0.0, -3.0, Double.NaN, Double.POSITIVE_INFINITY})
        void nonPositiveDurationIsRejected(double minutes) {
            assertRejected(
                    "seizureDurationMinutes must be positive",
                    adult().seizure(null).seizureDurationMinutes(minutes));
        }

        @ParameterizedTest(name = "{0} → G{1}")
        @CsvSource({"NONE, 0", "FOCAL_EDEMA, 3", "DIFFUSE_EDEMA, 4"})
        void intracranialPressure(IntracranialPressure icp, int expected) {
            assertGrade(expected, grade(adult().intracranialPressure(icp)));
        }

        @Test
        void mostSevereDomainWinsAndAllDomainsAtThatGradeDrive() {
            IcansGrade grade = grade(adult().iceScore(1)
                    .consciousness(Consciousness.AWAKENS_TO_TOUCH)
                    .intracranialPressure(IntracranialPressure.FOCAL_EDEMA)
                    .seizure(Seizure.RESOLVED_RAPIDLY));
            assertGrade(3, grade);
            assertEquals(
                    List.of(
                            IcansDomain.ENCEPHALOPATHY,
                            IcansDomain.CONSCIOUSNESS,
                            IcansDomain.SEIZURE,
                            IcansDomain.INTRACRANIAL_PRESSURE),
                    driverDomains(grade));
        }
    }

    @Nested
    @DisplayName("Findings attributable to another cause or excluded")
    class Exclusions {

        @Test
        void sedationExplainsDepressedConsciousness() {
            IcansGrade grade = grade(adult().iceScore(8)
                    .consciousness(Consciousness.AWAKENS_TO_TOUCH)
                    .attributedToOtherCause(IcansDomain.CONSCIOUSNESS));
            assertGrade(1, grade);
            assertEquals(List.of(IcansDomain.ENCEPHALOPATHY), driverDomains(grade));
        }

        @Test
        void sedatedPatientUnableToPerformIceCannotBeGraded() {
            IcansGrade grade = grade(adult().iceScore(null)
                    .unableToPerformScreen(true)
                    .consciousness(Consciousness.UNAROUSABLE)
                    .attributedToOtherCause(IcansDomain.CONSCIOUSNESS));
            assertUndecided(0, 3, grade);
            assertEquals(
                    Set.of(IcansFlag.SCREEN_CONFOUNDED_BY_OTHER_CAUSE, IcansFlag.SCREEN_NOT_PERFORMED), grade.flags());
        }

        @Test
        void sedatedChildUnableToPerformCapdCannotBeGraded() {
            IcansGrade grade = grade(child(5).capdScore(null)
                    .unableToPerformScreen(true)
                    .attributedToOtherCause(IcansDomain.CONSCIOUSNESS));
            assertUndecided(0, 4, grade);
            assertTrue(grade.flags().contains(IcansFlag.SCREEN_CONFOUNDED_BY_OTHER_CAUSE));
        }

        @Test
        void screenAttributedToAnotherCauseIsIgnored() {
            IcansGrade grade = grade(adult().iceScore(2).attributedToOtherCause(IcansDomain.ENCEPHALOPATHY));
            assertGrade(0, grade);
            assertEquals(
                    "G0: attributed to another cause (e.g. sedation); excluded from ICANS",
                    grade.drivers().get(0).reason());
        }

        @Test
        void attributedDomainNeedsNoAssessment() {
            IcansGrade grade = grade(adult().seizure(null).attributedToOtherCause(IcansDomain.SEIZURE));
            assertGrade(0, grade);
            assertEquals(Set.of(), grade.flags());
        }

        @Test
        void tremorMyoclonusAndHaemorrhageAreNotedButIgnored() {
            IcansGrade grade = grade(adult().iceScore(9)
                    .excludedFindings(
                            ExcludedFinding.TREMOR,
                            ExcludedFinding.MYOCLONUS,
                            ExcludedFinding.INTRACRANIAL_HAEMORRHAGE));
            assertGrade(1, grade);
            assertEquals(
                    List.of(
                            ExcludedFinding.TREMOR.note(),
                            ExcludedFinding.MYOCLONUS.note(),
                            ExcludedFinding.INTRACRANIAL_HAEMORRHAGE.note()),
                    grade.notes());
        }

        @Test
        void deathCannotBeAttributedToAnotherCauseHere() {
            assertRejected(
                    "attributedToOtherCause must not contain DEATH", adult().attributedToOtherCause(IcansDomain.DEATH));
        }

        @Test
        void nullInsideSetsIsRejected() {
            Set<ExcludedFinding> withNull = new HashSet<>();
            withNull.add(null);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new IcansFindings(
                            45, false, 10, null, false, null, null, null, null, null, null, withNull, false));
            assertEquals("excludedFindings must not contain null", e.getMessage());
        }
    }

    @Nested
    @DisplayName("Absent inputs: not assessed is not normal")
    class NotAssessed {

        @Test
        void nothingAssessedIsUndecided() {
            IcansGrade grade = grade(IcansFindings.builder());
            assertUndecided(0, 4, grade);
            assertEquals(Set.of(IcansFlag.DOMAINS_NOT_ASSESSED), grade.flags());
            assertEquals(5, grade.drivers().size());
            assertEquals("G0–G4: not assessed", grade.drivers().get(0).reason());
        }

        @Test
        void ice7AloneIsOnlyALowerBound() {
            IcansGrade grade = grade(IcansFindings.builder().ageYears(50).iceScore(7));
            assertUndecided(1, 4, grade);
            assertEquals(Set.of(IcansFlag.DOMAINS_NOT_ASSESSED), grade.flags());
            assertEquals(
                    List.of(
                            IcansDomain.CONSCIOUSNESS,
                            IcansDomain.SEIZURE,
                            IcansDomain.MOTOR,
                            IcansDomain.INTRACRANIAL_PRESSURE),
                    driverDomains(grade));
        }

        @Test
        void aGrade4FindingDecidesEvenWithMissingDomains() {
            IcansGrade grade = grade(IcansFindings.builder().seizure(Seizure.PROLONGED_OR_REPETITIVE));
            assertGrade(4, grade);
            assertEquals(Set.of(IcansFlag.DOMAINS_NOT_ASSESSED), grade.flags());
            assertEquals(List.of(IcansDomain.SEIZURE), driverDomains(grade));
        }

        @Test
        void missingConsciousnessLeavesACapdChildUndecided() {
            IcansGrade grade = grade(child(6).capdScore(5).consciousness(null));
            assertUndecided(0, 4, grade);
            assertEquals(Set.of(IcansFlag.DOMAINS_NOT_ASSESSED), grade.flags());
        }

        @Test
        void nullFindingsAreRejected() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IcansGrader.grade(null));
            assertEquals("findings are required", e.getMessage());
        }

        @Test
        void immutableSetsAreAccepted() {
            IcansFindings findings = new IcansFindings(
                    45,
                    false,
                    10,
                    null,
                    false,
                    Consciousness.AWAKENS_TO_TOUCH,
                    Seizure.NONE,
                    null,
                    Motor.NONE,
                    IntracranialPressure.NONE,
                    Set.of(IcansDomain.CONSCIOUSNESS),
                    Set.of(ExcludedFinding.TREMOR),
                    false);
            assertGrade(0, IcansGrader.grade(findings));
        }

        @Test
        void nullSetsMeanEmpty() {
            IcansFindings findings = new IcansFindings(
                    45,
                    false,
                    10,
                    null,
                    false,
                    Consciousness.AWAKE,
                    Seizure.NONE,
                    null,
                    Motor.NONE,
                    IntracranialPressure.NONE,
                    null,
                    null,
                    false);
            assertEquals(Set.of(), findings.attributedToOtherCause());
            assertEquals(Set.of(), findings.excludedFindings());
            assertGrade(0, IcansGrader.grade(findings));
        }
    }

    @Nested
    class Death {

        @Test
        @DisplayName("death from ICANS → 5")
        void deathIsGrade5() {
            IcansGrade grade = grade(IcansFindings.builder().diedOfIcans(true));
            assertGrade(5, grade);
            assertEquals(List.of("G5: death from ICANS with no other principal cause"), reasons(grade));
            assertEquals(Set.of(), grade.flags());
        }

        @Test
        void deathKeepsTheNotesOfExcludedFindings() {
            IcansGrade grade = grade(adult().diedOfIcans(true).excludedFindings(ExcludedFinding.MYOCLONUS));
            assertGrade(5, grade);
            assertEquals(List.of(ExcludedFinding.MYOCLONUS.note()), grade.notes());
        }

        @Test
        void deathStillValidatesTheInputs() {
            assertRejected(
                    "iceScore must be between 0 and 10, was 11",
                    adult().iceScore(11).diedOfIcans(true));
        }
    }
}
