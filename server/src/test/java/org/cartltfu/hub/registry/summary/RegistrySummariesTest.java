package org.cartltfu.hub.registry.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cartltfu.hub.clinical.schedule.FollowUpTrack;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistrySummariesTest {

    private static final LocalDate INFUSION = LocalDate.of(2024, 1, 15);

    private static LocalDate day(int day) {
        return INFUSION.plusDays(day);
    }

    /** A patient's history built by study day. */
    private static final class History {
        private LocalDate deathDate;
        private final List<ToxicityEpisode> episodes = new ArrayList<>();
        private final List<ResponseAssessment> responses = new ArrayList<>();
        private final List<SurvivalObservation> survival = new ArrayList<>();
        private final List<NewMalignancy> malignancies = new ArrayList<>();
        private final List<PersistenceTest> persistence = new ArrayList<>();
        private final List<LocalDate> contacts = new ArrayList<>();

        History contact(int... days) {
            for (int d : days) {
                contacts.add(day(d));
            }
            return this;
        }

        History episode(Toxicity toxicity, int onset, Integer resolution, Integer grade, ToxicityTherapy... therapies) {
            episodes.add(new ToxicityEpisode(
                    toxicity, day(onset), resolution == null ? null : day(resolution), grade, Set.of(therapies)));
            return this;
        }

        History response(int day, DiseaseResponse response) {
            responses.add(new ResponseAssessment(day(day), response));
            return this;
        }

        History status(int day, VitalStatus status, String cause) {
            survival.add(new SurvivalObservation(day(day), status, cause));
            return this;
        }

        History death(int day) {
            deathDate = day(day);
            return this;
        }

        History malignancy(int day, String code) {
            malignancies.add(new NewMalignancy(day(day), code));
            return this;
        }

        History persistence(int day, PersistenceResult result, String method) {
            persistence.add(new PersistenceTest(day(day), result, method));
            return this;
        }

        List<PeriodSummary> asOf(int asOfDay) {
            return asOf(asOfDay, FollowUpTrack.FIFTEEN_YEAR);
        }

        List<PeriodSummary> asOf(int asOfDay, FollowUpTrack track) {
            return RegistrySummaries.summarize(
                    new PatientHistory(
                            INFUSION, deathDate, episodes, responses, survival, malignancies, persistence, contacts),
                    track,
                    day(asOfDay));
        }

        PeriodSummary period(String code, int asOfDay) {
            return asOf(asOfDay).stream()
                    .filter(summary -> summary.period().timepointCode().equals(code))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(code + " not summarised"));
        }
    }

    private static List<String> codes(List<PeriodSummary> summaries) {
        return summaries.stream()
                .map(summary -> summary.period().timepointCode())
                .toList();
    }

    @Nested
    class DuePeriods {

        @Test
        void nothingIsDueBeforeTheDay100WindowOpens() {
            assertEquals(List.of(), new History().contact(10).asOf(84));
            assertEquals(List.of("D100"), codes(new History().asOf(85)));
        }

        @Test
        void nothingIsDueBeforeTheInfusion() {
            assertEquals(List.of(), new History().asOf(-3));
        }

        @Test
        void eachPeriodIsDueOnTheFirstDayOfItsWindow() {
            assertEquals(List.of("D100"), codes(new History().asOf(151)));
            assertEquals(List.of("D100", "M6"), codes(new History().asOf(152)));
            assertEquals(List.of("D100", "M6"), codes(new History().asOf(364)));
            assertEquals(List.of("D100", "M6", "Y1"), codes(new History().asOf(365)));
        }

        @Test
        void tracksDifferAfterYearSix() {
            int asOf = 7 * 365 + 10;
            List<String> fifteen = codes(new History().asOf(asOf, FollowUpTrack.FIFTEEN_YEAR));
            List<String> standard = codes(new History().asOf(asOf, FollowUpTrack.STANDARD));
            assertEquals("Y7", fifteen.get(fifteen.size() - 1));
            assertEquals("Y6", standard.get(standard.size() - 1));
            assertEquals(
                    List.of("D100", "M6", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y8", "Y10", "Y12", "Y14"),
                    codes(new History().asOf(20 * 365, FollowUpTrack.STANDARD)));
            assertEquals(
                    17, new History().asOf(20 * 365, FollowUpTrack.FIFTEEN_YEAR).size());
        }

        @Test
        void aPeriodIsOpenUntilItsLastDay() {
            assertTrue(new History().period("D100", 114).open());
            assertFalse(new History().period("D100", 115).open());
        }

        @Test
        void dataAfterTheAsOfDateIsNotKnownYet() {
            History history = new History().contact(100).episode(Toxicity.CRS, 90, 96, 1);
            PeriodSummary early = history.period("D100", 95);
            assertEquals(
                    90,
                    early.lastContactDay(),
                    "the onset shows the patient was followed; the day-100 visit is not known yet");
            assertEquals(Answer.YES, early.crs().occurred());
            assertNull(early.crs().resolutionDay(), "resolved on day 96, after the as-of date");
            assertEquals(100, history.period("D100", 100).lastContactDay());
            assertEquals(96, history.period("D100", 100).crs().resolutionDay());
        }
    }

    @Nested
    class Boundaries {

        @Test
        void day115IsTheLastDayOfDay100AndDay116TheFirstOfMonth6() {
            History history = new History().contact(115);
            assertEquals(115, history.period("D100", 200).lastContactDay());
            assertEquals(Answer.UNKNOWN, history.period("M6", 200).crs().occurred());

            History later = new History().contact(116);
            assertNull(later.period("D100", 200).lastContactDay());
            assertEquals(116, later.period("M6", 200).lastContactDay());
        }

        @Test
        void day212IsMonth6AndDay213IsYear1() {
            assertEquals(212, new History().contact(212).period("M6", 400).lastContactDay());
            assertNull(new History().contact(213).period("M6", 400).lastContactDay());
            assertEquals(213, new History().contact(213).period("Y1", 400).lastContactDay());
            assertEquals(425, new History().contact(425).period("Y1", 800).lastContactDay());
            assertEquals(426, new History().contact(426).period("Y2", 800).lastContactDay());
        }

        @Test
        void theInfusionDayBelongsToDay100AndEarlierDaysToNoPeriod() {
            PeriodSummary onDayZero =
                    new History().episode(Toxicity.CRS, 0, 1, 1).period("D100", 100);
            assertEquals(0, onDayZero.crs().onsetDay());

            PeriodSummary beforeInfusion = new History().contact(-5).period("D100", 100);
            assertNull(beforeInfusion.lastContactDay());
            assertEquals(Answer.UNKNOWN, beforeInfusion.crs().occurred());
        }

        @Test
        void aStandardTrackPeriodAfterYearSixCollectsBothYears() {
            History history = new History().contact(2600).malignancy(2300, "C44.9");
            List<PeriodSummary> summaries = history.asOf(3000, FollowUpTrack.STANDARD);
            PeriodSummary y8 = summaries.get(summaries.size() - 1);
            assertEquals("Y8", y8.period().timepointCode());
            assertEquals(Answer.YES, y8.newMalignancy().occurred());
            assertEquals(2300, y8.newMalignancy().day());
            assertEquals(2600, y8.lastContactDay());
        }
    }

    @Nested
    class Toxicities {

        @Test
        void episodeInsideOnePeriod() {
            History history =
                    new History().contact(100, 180).episode(Toxicity.CRS, 3, 10, 2, ToxicityTherapy.TOCILIZUMAB);
            ToxicitySummary d100 = history.period("D100", 200).crs();
            assertEquals(new ToxicitySummary(Answer.YES, false, 2, 3, 10, Set.of(ToxicityTherapy.TOCILIZUMAB)), d100);
            assertEquals(
                    ToxicitySummary.without(Answer.NO),
                    history.period("M6", 200).crs());
        }

        @Test
        void episodeSpanningTwoPeriodsIsPersistedInTheSecond() {
            History history = new History().episode(Toxicity.CRS, 110, 130, 3, ToxicityTherapy.CORTICOSTEROID);
            ToxicitySummary d100 = history.period("D100", 200).crs();
            ToxicitySummary m6 = history.period("M6", 200).crs();
            assertEquals(Answer.YES, d100.occurred());
            assertFalse(d100.persisted());
            assertEquals(130, d100.resolutionDay(), "resolution after the period's end: it was ongoing at day 115");
            assertEquals(Answer.YES, m6.occurred());
            assertTrue(m6.persisted());
            assertEquals(3, m6.maxGrade());
            assertEquals(110, m6.onsetDay());
            assertEquals(130, m6.resolutionDay());
            assertEquals(Set.of(ToxicityTherapy.CORTICOSTEROID), m6.therapies());
        }

        @Test
        void episodeResolvingOnTheLastDayDoesNotReachTheNextPeriod() {
            History history = new History().contact(150).episode(Toxicity.CRS, 100, 115, 1);
            assertEquals(Answer.NO, history.period("M6", 200).crs().occurred());
            History next = new History().contact(150).episode(Toxicity.CRS, 100, 116, 1);
            assertEquals(Answer.YES, next.period("M6", 200).crs().occurred());
        }

        @Test
        void maximumGradeIsPerPeriodAndTherapiesAreCombined() {
            History history = new History()
                    .episode(Toxicity.CRS, 2, 4, 1, ToxicityTherapy.TOCILIZUMAB)
                    .episode(Toxicity.CRS, 20, 25, 3, ToxicityTherapy.CORTICOSTEROID, ToxicityTherapy.ANAKINRA)
                    .episode(Toxicity.CRS, 150, 160, 4);
            ToxicitySummary d100 = history.period("D100", 200).crs();
            assertEquals(3, d100.maxGrade());
            assertEquals(2, d100.onsetDay());
            assertEquals(25, d100.resolutionDay());
            assertEquals(
                    List.of(ToxicityTherapy.TOCILIZUMAB, ToxicityTherapy.CORTICOSTEROID, ToxicityTherapy.ANAKINRA),
                    List.copyOf(d100.therapies()));
            ToxicitySummary m6 = history.period("M6", 200).crs();
            assertEquals(4, m6.maxGrade());
            assertFalse(m6.persisted());
            assertEquals(Set.of(), m6.therapies());
        }

        @Test
        void anUngradedEpisodeMakesThePeriodMaximumUnknown() {
            History history =
                    new History().contact(100).episode(Toxicity.CRS, 2, 4, 3).episode(Toxicity.CRS, 30, 33, null);
            PeriodSummary d100 = history.period("D100", 120);
            assertNull(d100.crs().maxGrade());
            assertEquals(
                    List.of(PeriodSummary.CRS_MAX_GRADE, PeriodSummary.BEST_RESPONSE),
                    d100.completeness().missing());
        }

        @Test
        void anUnresolvedEpisodeLeavesLaterPeriodsUnknown() {
            History history = new History().contact(100, 180, 400).episode(Toxicity.ICANS, 5, null, 2);
            PeriodSummary d100 = history.period("D100", 400);
            assertEquals(Answer.YES, d100.icans().occurred());
            assertNull(d100.icans().resolutionDay());
            assertTrue(d100.completeness().missing().contains(PeriodSummary.ICANS_RESOLUTION_DAY));
            for (String later : List.of("M6", "Y1")) {
                PeriodSummary summary = history.period(later, 400);
                assertEquals(Answer.UNKNOWN, summary.icans().occurred(), later);
                assertTrue(summary.completeness().missing().contains(PeriodSummary.ICANS_OCCURRED), later);
                assertEquals(Answer.NO, summary.crs().occurred(), later);
            }
        }

        @Test
        void anotherEpisodeInALaterPeriodIsStillReportedAfterAnUnresolvedOne() {
            History history =
                    new History().contact(180).episode(Toxicity.CRS, 5, null, 1).episode(Toxicity.CRS, 160, 165, 2);
            ToxicitySummary m6 = history.period("M6", 200).crs();
            assertEquals(Answer.YES, m6.occurred());
            assertFalse(m6.persisted());
            assertEquals(2, m6.maxGrade());
        }

        @Test
        void crsAndIcansAreSummarisedSeparately() {
            PeriodSummary d100 = new History().episode(Toxicity.ICANS, 6, 9, 2).period("D100", 120);
            assertEquals(Answer.NO, d100.crs().occurred());
            assertEquals(Answer.YES, d100.icans().occurred());
            assertEquals(2, d100.icans().maxGrade());
        }

        @Test
        void persistedIsOnlyShownWhenTheToxicityOccurred() {
            PeriodSummary d100 = new History().contact(100).period("D100", 120);
            assertNull(field(d100, "crsPersisted"));
            PeriodSummary withCrs = new History().episode(Toxicity.CRS, 6, 9, 2).period("D100", 120);
            assertEquals(false, field(withCrs, "crsPersisted"));
        }
    }

    @Nested
    class UnknownOrNo {

        @Test
        void aPeriodWithoutAnyDataIsUnknownThroughout() {
            PeriodSummary d100 = new History().contact(300).period("D100", 400);
            assertEquals(Answer.UNKNOWN, d100.crs().occurred());
            assertEquals(Answer.UNKNOWN, d100.icans().occurred());
            assertEquals(VitalStatus.UNKNOWN, d100.survival().status());
            assertEquals(Answer.UNKNOWN, d100.newMalignancy().occurred());
            assertEquals(Answer.UNKNOWN, d100.persistence().tested());
            assertNull(d100.bestResponse());
            assertNull(d100.lastContactDay());
            assertEquals(
                    List.of(
                            PeriodSummary.CRS_OCCURRED,
                            PeriodSummary.ICANS_OCCURRED,
                            PeriodSummary.SURVIVAL_STATUS,
                            PeriodSummary.BEST_RESPONSE,
                            PeriodSummary.NEW_MALIGNANCY,
                            PeriodSummary.PERSISTENCE_TESTED,
                            PeriodSummary.LAST_CONTACT_DAY),
                    d100.completeness().missing());
            assertEquals(0.0, d100.completeness().fraction());
        }

        @Test
        void oneContactTurnsUnknownIntoNo() {
            PeriodSummary d100 = new History().contact(95).period("D100", 120);
            assertEquals(Answer.NO, d100.crs().occurred());
            assertEquals(Answer.NO, d100.icans().occurred());
            assertEquals(VitalStatus.ALIVE, d100.survival().status());
            assertEquals(Answer.NO, d100.newMalignancy().occurred());
            assertEquals(Answer.NO, d100.persistence().tested());
            assertEquals(95, d100.lastContactDay());
            assertEquals(
                    List.of(PeriodSummary.BEST_RESPONSE), d100.completeness().missing());
            assertEquals(6.0 / 7, d100.completeness().fraction(), 1e-9);
        }

        @ParameterizedTest
        @CsvSource({"response", "alive", "persistence", "malignancy", "episode"})
        void everyKindOfFollowUpRecordCountsAsData(String kind) {
            History history = new History();
            switch (kind) {
                case "response" -> history.response(50, DiseaseResponse.STABLE_DISEASE);
                case "alive" -> history.status(50, VitalStatus.ALIVE, null);
                case "persistence" -> history.persistence(50, PersistenceResult.DETECTED, "pcr");
                case "malignancy" -> history.malignancy(50, "C44.9");
                default -> history.episode(Toxicity.ICANS, 50, 50, 1);
            }
            PeriodSummary d100 = history.period("D100", 120);
            assertEquals(Answer.NO, d100.crs().occurred());
            assertEquals(VitalStatus.ALIVE, d100.survival().status());
            assertEquals(50, d100.lastContactDay());
        }

        @Test
        void aSurvivalStatusOfUnknownIsNoContact() {
            PeriodSummary d100 =
                    new History().status(100, VitalStatus.UNKNOWN, null).period("D100", 120);
            assertEquals(VitalStatus.UNKNOWN, d100.survival().status());
            assertEquals(Answer.UNKNOWN, d100.crs().occurred());
        }
    }

    @Nested
    class Survival {

        @Test
        void deathEndsTheReportingAndLaterPeriodsAreNotSummarised() {
            History history =
                    new History().contact(90, 140).death(150).status(160, VitalStatus.DEAD, "primary-disease");
            List<PeriodSummary> summaries = history.asOf(3 * 365);
            assertEquals(List.of("D100", "M6"), codes(summaries));
            assertEquals(VitalStatus.ALIVE, summaries.get(0).survival().status());
            SurvivalSummary m6 = summaries.get(1).survival();
            assertEquals(new SurvivalSummary(VitalStatus.DEAD, 150, "primary-disease"), m6);
            assertEquals(150, summaries.get(1).lastContactDay(), "the day of death is the last contact");
            assertEquals(
                    List.of(PeriodSummary.BEST_RESPONSE),
                    summaries.get(1).completeness().missing());
        }

        @Test
        void theDeathPeriodIsDueBeforeItsWindowOpens() {
            List<PeriodSummary> summaries = new History()
                    .contact(10)
                    .death(50)
                    .status(52, VitalStatus.DEAD, "crs")
                    .asOf(60);
            assertEquals(List.of("D100"), codes(summaries));
            assertEquals(
                    new SurvivalSummary(VitalStatus.DEAD, 50, "crs"),
                    summaries.get(0).survival());
        }

        @Test
        void aDeathReportWithoutTheDateOfDeathPlacesDeathByTheReport() {
            List<PeriodSummary> summaries = new History()
                    .contact(100, 300)
                    .status(400, VitalStatus.DEAD, null)
                    .asOf(900);
            assertEquals(List.of("D100", "M6", "Y1"), codes(summaries));
            PeriodSummary y1 = summaries.get(2);
            assertEquals(new SurvivalSummary(VitalStatus.DEAD, null, null), y1.survival());
            assertEquals(400, y1.lastContactDay());
            assertTrue(y1.completeness()
                    .missing()
                    .containsAll(List.of(PeriodSummary.DEATH_DAY, PeriodSummary.CAUSE_OF_DEATH)));
        }

        @Test
        void aDeathReportAloneIsNoFollowUpData() {
            PeriodSummary d100 = new History()
                    .death(40)
                    .status(41, VitalStatus.DEAD, "infection")
                    .period("D100", 60);
            assertEquals(VitalStatus.DEAD, d100.survival().status());
            assertEquals(Answer.UNKNOWN, d100.crs().occurred());
            assertEquals(40, d100.lastContactDay());
        }

        @Test
        void aDeathAfterTheAsOfDateIsNotKnown() {
            History history = new History().contact(100, 160).death(170);
            assertEquals(VitalStatus.ALIVE, history.period("M6", 165).survival().status());
            assertEquals(VitalStatus.DEAD, history.period("M6", 170).survival().status());
        }
    }

    @Nested
    class BestResponse {

        @ParameterizedTest
        @CsvSource({
            "COMPLETE_RESPONSE, VERY_GOOD_PARTIAL_RESPONSE",
            "VERY_GOOD_PARTIAL_RESPONSE, PARTIAL_RESPONSE",
            "PARTIAL_RESPONSE, STABLE_DISEASE",
            "STABLE_DISEASE, PROGRESSIVE_DISEASE",
            "STABLE_DISEASE, RELAPSE",
            "PROGRESSIVE_DISEASE, NOT_EVALUABLE",
            "RELAPSE, NOT_EVALUABLE",
            "COMPLETE_RESPONSE, PROGRESSIVE_DISEASE"
        })
        void theBetterResponseWinsWhicheverComesFirst(DiseaseResponse better, DiseaseResponse worse) {
            PeriodSummary first =
                    new History().response(30, worse).response(60, better).period("D100", 120);
            assertEquals(better, first.bestResponse());
            assertEquals(60, first.bestResponseDay());
            PeriodSummary second =
                    new History().response(30, better).response(60, worse).period("D100", 120);
            assertEquals(better, second.bestResponse());
            assertEquals(30, second.bestResponseDay());
        }

        @Test
        void onATieTheFirstAssessmentCounts() {
            PeriodSummary d100 = new History()
                    .response(40, DiseaseResponse.RELAPSE)
                    .response(20, DiseaseResponse.PROGRESSIVE_DISEASE)
                    .response(90, DiseaseResponse.PROGRESSIVE_DISEASE)
                    .period("D100", 120);
            assertEquals(DiseaseResponse.PROGRESSIVE_DISEASE, d100.bestResponse());
            assertEquals(20, d100.bestResponseDay());
        }

        @Test
        void bestResponseIsPerPeriod() {
            History history = new History()
                    .response(90, DiseaseResponse.COMPLETE_RESPONSE)
                    .response(180, DiseaseResponse.RELAPSE);
            assertEquals(
                    DiseaseResponse.COMPLETE_RESPONSE,
                    history.period("D100", 200).bestResponse());
            assertEquals(DiseaseResponse.RELAPSE, history.period("M6", 200).bestResponse());
        }

        @Test
        void notEvaluableCountsAsAnAnswer() {
            PeriodSummary d100 =
                    new History().response(90, DiseaseResponse.NOT_EVALUABLE).period("D100", 120);
            assertEquals(DiseaseResponse.NOT_EVALUABLE, d100.bestResponse());
            assertEquals(List.of(), d100.completeness().missing());
        }
    }

    @Nested
    class MalignancyAndPersistence {

        @Test
        void newMalignancyIsReportedInItsPeriodOnly() {
            History history =
                    new History().contact(180, 300).malignancy(400, "C44.9").malignancy(380, "C91.0");
            assertEquals(
                    new MalignancySummary(Answer.NO, null, null),
                    history.period("M6", 500).newMalignancy());
            assertEquals(
                    new MalignancySummary(Answer.YES, 380, "C91.0"),
                    history.period("Y1", 500).newMalignancy(),
                    "the earliest of two");
        }

        @Test
        void theLatestPersistenceTestOfThePeriodCounts() {
            History history = new History()
                    .persistence(30, PersistenceResult.DETECTED, "flow-cytometry")
                    .persistence(90, PersistenceResult.NOT_DETECTED, "pcr");
            assertEquals(
                    new PersistenceSummary(Answer.YES, PersistenceResult.NOT_DETECTED, "pcr", 90),
                    history.period("D100", 120).persistence());
        }

        @Test
        void aTestWithoutMethodIsIncomplete() {
            PeriodSummary d100 = new History()
                    .response(90, DiseaseResponse.PARTIAL_RESPONSE)
                    .persistence(90, PersistenceResult.INDETERMINATE, null)
                    .period("D100", 120);
            assertEquals(
                    List.of(PeriodSummary.PERSISTENCE_METHOD),
                    d100.completeness().missing());
            assertEquals(8, d100.completeness().required());
        }
    }

    @Nested
    class CompletenessScore {

        @Test
        void aFullyReportedPeriodWithCrsNeedsTenFields() {
            PeriodSummary d100 = new History()
                    .contact(100)
                    .episode(Toxicity.CRS, 2, 6, 2, ToxicityTherapy.TOCILIZUMAB)
                    .response(100, DiseaseResponse.COMPLETE_RESPONSE)
                    .persistence(100, PersistenceResult.DETECTED, "pcr")
                    .period("D100", 120);
            assertEquals(List.of(), d100.completeness().missing());
            assertEquals(10, d100.completeness().required());
            assertEquals(1.0, d100.completeness().fraction());
        }

        @Test
        void missingGradeAndResolutionCountAgainstTheOccurredToxicity() {
            PeriodSummary d100 = new History()
                    .contact(100)
                    .response(100, DiseaseResponse.COMPLETE_RESPONSE)
                    .episode(Toxicity.CRS, 2, null, null)
                    .period("D100", 120);
            assertEquals(
                    List.of(PeriodSummary.CRS_MAX_GRADE, PeriodSummary.CRS_RESOLUTION_DAY),
                    d100.completeness().missing());
            assertEquals(9, d100.completeness().required());
            assertEquals(7.0 / 9, d100.completeness().fraction(), 1e-9);
        }

        @Test
        void completenessRejectsImpossibleCounts() {
            assertThrows(IllegalArgumentException.class, () -> new Completeness(List.of("a", "b"), 1));
            assertThrows(IllegalArgumentException.class, () -> new Completeness(List.of(), 0));
        }
    }

    @Test
    void episodesMustNotResolveBeforeTheyStartOrHaveGradesOutsideZeroToFive() {
        assertThrows(
                IllegalArgumentException.class, () -> new ToxicityEpisode(Toxicity.CRS, day(5), day(4), 1, Set.of()));
        assertThrows(
                IllegalArgumentException.class, () -> new ToxicityEpisode(Toxicity.CRS, day(5), day(6), 6, Set.of()));
    }

    private static Object field(PeriodSummary summary, String name) {
        return summary.fields().stream()
                .filter(field -> field.name().equals(name))
                .findFirst()
                .orElseThrow()
                .value();
    }
}
