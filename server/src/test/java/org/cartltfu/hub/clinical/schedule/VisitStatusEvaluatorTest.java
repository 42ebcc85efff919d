package org.cartltfu.hub.clinical.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VisitStatusEvaluatorTest {

    private static final LocalDate INFUSION = LocalDate.of(2024, 1, 15);
    private static final List<PlannedVisit> PLAN =
            new FollowUpScheduler(EarlyVisitPolicy.withDefaultWindow(7, 14, 28)).plan(INFUSION, FollowUpTrack.STANDARD);

    private static LocalDate day(int n) {
        return INFUSION.plusDays(n);
    }

    private static List<LocalDate> days(int... n) {
        return IntStream.of(n).mapToObj(VisitStatusEvaluatorTest::day).toList();
    }

    private static EvaluatedVisit status(String code, List<LocalDate> dataDates, LocalDate asOf) {
        return VisitStatusEvaluator.evaluate(PLAN, dataDates, asOf).stream()
                .filter(v -> v.visit().timepointCode().equals(code))
                .findFirst()
                .orElseThrow();
    }

    @Nested
    class D100Boundaries {

        @ParameterizedTest(name = "data on day {0} → {1}")
        @CsvSource({"84, OVERDUE", "85, DONE", "100, DONE", "115, DONE", "116, OVERDUE"})
        void dataCountsOnlyInsideDays85To115(int dataDay, VisitStatus expected) {
            EvaluatedVisit d100 = status("D100", days(dataDay), day(200));
            assertEquals(expected, d100.status());
            assertEquals(expected == VisitStatus.DONE ? day(dataDay) : null, d100.completedOn());
        }

        @ParameterizedTest(name = "no data, as of day {0} → {1}")
        @CsvSource({"0, UPCOMING", "84, UPCOMING", "85, DUE", "100, DUE", "115, DUE", "116, OVERDUE", "5000, OVERDUE"})
        void statusWithoutDataFollowsTheWindow(int asOfDay, VisitStatus expected) {
            assertEquals(expected, status("D100", List.of(), day(asOfDay)).status());
        }
    }

    @Test
    void aFullPictureAsOfDay500() {
        List<EvaluatedVisit> result = VisitStatusEvaluator.evaluate(PLAN, days(8, 101, 300, 400), day(500));
        List<String> summary = result.stream()
                .map(v -> v.visit().timepointCode() + "=" + v.status()
                        + (v.completedOn() == null ? "" : "@" + v.completedOn()))
                .toList();
        assertEquals(
                List.of(
                        "D7=DONE@" + day(8),
                        "D14=OVERDUE",
                        "D28=OVERDUE",
                        "D100=DONE@" + day(101),
                        "M6=OVERDUE",
                        "Y1=DONE@" + day(400),
                        "Y2=UPCOMING",
                        "Y3=UPCOMING",
                        "Y4=UPCOMING",
                        "Y5=UPCOMING",
                        "Y6=UPCOMING",
                        "Y8=UPCOMING",
                        "Y10=UPCOMING",
                        "Y12=UPCOMING",
                        "Y14=UPCOMING"),
                summary);
    }

    @Test
    void dataBetweenWindowsCompletesNothing() {
        List<EvaluatedVisit> result = VisitStatusEvaluator.evaluate(PLAN, days(300), day(300));
        result.forEach(v -> assertNull(v.completedOn(), v.visit().timepointCode()));
        assertEquals(VisitStatus.OVERDUE, status("M6", days(300), day(300)).status());
        assertEquals(VisitStatus.UPCOMING, status("Y1", days(300), day(300)).status());
    }

    @Test
    void theFirstDateInTheWindowIsReported() {
        EvaluatedVisit y1 = status("Y1", days(420, 370, 366, 500), day(600));
        assertEquals(VisitStatus.DONE, y1.status());
        assertEquals(day(366), y1.completedOn());
    }

    @Test
    void dataAfterTheEvaluationDateIsIgnored() {
        assertEquals(VisitStatus.DUE, status("D100", days(100), day(90)).status());
        assertEquals(VisitStatus.DONE, status("D100", days(100), day(100)).status());
    }

    @Test
    void dataBeforeInfusionIsIgnored() {
        assertEquals(VisitStatus.DUE, status("D7", days(-5, -1, 0), day(6)).status());
    }

    @Test
    void anOpenWindowIsDoneAsSoonAsDataArrives() {
        assertEquals(VisitStatus.DONE, status("Y2", days(735), day(735)).status());
        assertEquals(VisitStatus.DUE, status("Y2", days(735), day(734)).status());
    }

    @Test
    void duplicateDatesAndAnyCollectionAreAccepted() {
        assertEquals(VisitStatus.DONE, status("D14", days(13, 13), day(13)).status());
        assertEquals(
                VisitStatus.DONE,
                VisitStatusEvaluator.evaluate(PLAN, Set.of(day(13)), day(13))
                        .get(1)
                        .status());
    }

    @Test
    void resultKeepsTheOrderOfTheGivenVisits() {
        List<PlannedVisit> reversed = new ArrayList<>(PLAN);
        java.util.Collections.reverse(reversed);
        List<EvaluatedVisit> result = VisitStatusEvaluator.evaluate(reversed, List.of(), day(0));
        assertEquals(reversed, result.stream().map(EvaluatedVisit::visit).toList());
        assertEquals(List.of(), VisitStatusEvaluator.evaluate(List.of(), List.of(), day(0)));
    }

    @Test
    void leapDayDataCountsForTheVisitItFallsIn() {
        LocalDate infusion = LocalDate.of(2023, 3, 1);
        List<PlannedVisit> plan = new FollowUpScheduler(EarlyVisitPolicy.NONE).plan(infusion, FollowUpTrack.STANDARD);
        EvaluatedVisit y1 = VisitStatusEvaluator.evaluate(
                        plan, List.of(LocalDate.of(2024, 2, 29)), LocalDate.of(2024, 3, 1))
                .get(2);
        assertEquals("Y1", y1.visit().timepointCode());
        assertEquals(VisitStatus.DONE, y1.status());
        assertEquals(LocalDate.of(2024, 2, 28), y1.visit().windowStart().minusDays(1));
    }

    @Nested
    class InvalidInput {

        @Test
        void missingArgumentsAreRejectedByName() {
            assertEquals(
                    "visits is required",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> VisitStatusEvaluator.evaluate(null, List.of(), day(0)))
                            .getMessage());
            assertEquals(
                    "dataDates is required",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> VisitStatusEvaluator.evaluate(PLAN, null, day(0)))
                            .getMessage());
            assertEquals(
                    "asOf is required",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> VisitStatusEvaluator.evaluate(PLAN, List.of(), null))
                            .getMessage());
        }

        @Test
        void nullElementsAreRejected() {
            List<LocalDate> dates = new ArrayList<>();
            dates.add(null);
            assertEquals(
                    "dataDates must not contain null",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> VisitStatusEvaluator.evaluate(PLAN, dates, day(0)))
                            .getMessage());
            List<PlannedVisit> visits = new ArrayList<>();
            visits.add(null);
            assertEquals(
                    "visits must not contain null",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> VisitStatusEvaluator.evaluate(visits, List.of(), day(0)))
                            .getMessage());
        }

        @Test
        void completedOnGoesWithDoneOnly() {
            PlannedVisit d100 = PLAN.get(3);
            assertThrows(IllegalArgumentException.class, () -> new EvaluatedVisit(d100, VisitStatus.DONE, null));
            assertThrows(IllegalArgumentException.class, () -> new EvaluatedVisit(d100, VisitStatus.DUE, day(90)));
            assertEquals(
                    "status is required",
                    assertThrows(IllegalArgumentException.class, () -> new EvaluatedVisit(d100, null, null))
                            .getMessage());
        }
    }
}
