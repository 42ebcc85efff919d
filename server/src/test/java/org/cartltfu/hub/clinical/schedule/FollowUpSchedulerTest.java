package org.cartltfu.hub.clinical.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FollowUpSchedulerTest {

    private static final LocalDate INFUSION = LocalDate.of(2024, 1, 15);
    private static final FollowUpScheduler NO_EARLY_VISITS = new FollowUpScheduler(EarlyVisitPolicy.NONE);
    private static final FollowUpScheduler HUB_DEFAULT =
            new FollowUpScheduler(EarlyVisitPolicy.withDefaultWindow(7, 14, 28));

    private static List<String> codes(List<PlannedVisit> visits) {
        return visits.stream().map(PlannedVisit::timepointCode).toList();
    }

    private static PlannedVisit visit(List<PlannedVisit> visits, String code) {
        return visits.stream()
                .filter(v -> v.timepointCode().equals(code))
                .findFirst()
                .orElseThrow();
    }

    private static void assertWindow(PlannedVisit visit, int start, int target, int end) {
        assertEquals(
                List.of(start, target, end),
                List.of(visit.windowStartDay(), visit.targetDay(), visit.windowEndDay()),
                visit.timepointCode());
    }

    @Nested
    class Tracks {

        @Test
        @DisplayName("FIFTEEN_YEAR: D100, M6, Y1–Y15 = 17 long-term visits")
        void fifteenYearTrack() {
            List<PlannedVisit> visits = NO_EARLY_VISITS.plan(INFUSION, FollowUpTrack.FIFTEEN_YEAR);
            assertEquals(17, visits.size());
            List<String> expected = new java.util.ArrayList<>(List.of("D100", "M6"));
            IntStream.rangeClosed(1, 15).forEach(year -> expected.add("Y" + year));
            assertEquals(expected, codes(visits));
        }

        @Test
        @DisplayName("STANDARD: D100, M6, Y1–Y6, Y8, Y10, Y12, Y14 = 12 visits")
        void standardTrack() {
            List<PlannedVisit> visits = NO_EARLY_VISITS.plan(INFUSION, FollowUpTrack.STANDARD);
            assertEquals(12, visits.size());
            assertEquals(
                    List.of("D100", "M6", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y8", "Y10", "Y12", "Y14"),
                    codes(visits));
        }

        @Test
        void earlyVisitsComeFirstOnEitherTrack() {
            assertEquals(
                    List.of("D7", "D14", "D28", "D100", "M6", "Y1"),
                    codes(HUB_DEFAULT.plan(INFUSION, FollowUpTrack.STANDARD)).subList(0, 6));
            assertEquals(
                    20, HUB_DEFAULT.plan(INFUSION, FollowUpTrack.FIFTEEN_YEAR).size());
            assertEquals(15, HUB_DEFAULT.plan(INFUSION, FollowUpTrack.STANDARD).size());
        }

        @Test
        void trackYearsAreExposed() {
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 8, 10, 12, 14), FollowUpTrack.STANDARD.annualVisitYears());
            assertEquals(15, FollowUpTrack.FIFTEEN_YEAR.annualVisitYears().size());
        }
    }

    @Nested
    class Windows {

        private final List<PlannedVisit> visits = HUB_DEFAULT.plan(INFUSION, FollowUpTrack.FIFTEEN_YEAR);

        @ParameterizedTest(name = "{0}: days {1}–{3}, target {2}")
        @CsvSource({
            "D7, 5, 7, 9",
            "D14, 12, 14, 16",
            "D28, 26, 28, 30",
            "D100, 85, 100, 115",
            "M6, 152, 182, 212",
            "Y1, 365, 365, 425",
            "Y2, 730, 730, 790",
            "Y5, 1825, 1825, 1885",
            "Y14, 5110, 5110, 5170",
            "Y15, 5475, 5475, 5535"
        })
        void windowDays(String code, int start, int target, int end) {
            assertWindow(visit(visits, code), start, target, end);
        }

        @Test
        void datesAreCountedFromTheInfusionDate() {
            PlannedVisit d100 = visit(visits, "D100");
            assertEquals(LocalDate.of(2024, 4, 24), d100.targetDate());
            assertEquals(LocalDate.of(2024, 4, 9), d100.windowStart());
            assertEquals(LocalDate.of(2024, 5, 9), d100.windowEnd());
            PlannedVisit y1 = visit(visits, "Y1");
            assertEquals(LocalDate.of(2025, 1, 14), y1.targetDate(), "2024 is a leap year: day 365 is 14 Jan 2025");
            assertEquals(LocalDate.of(2025, 3, 15), y1.windowEnd());
        }

        @Test
        void everyDateMatchesItsStudyDay() {
            for (PlannedVisit visit : visits) {
                assertEquals(visit.targetDay(), ChronoUnit.DAYS.between(INFUSION, visit.targetDate()));
                assertEquals(visit.windowStartDay(), ChronoUnit.DAYS.between(INFUSION, visit.windowStart()));
                assertEquals(visit.windowEndDay(), ChronoUnit.DAYS.between(INFUSION, visit.windowEnd()));
            }
        }

        @ParameterizedTest
        @EnumSource(FollowUpTrack.class)
        void windowsAreOrderedAndNeverOverlap(FollowUpTrack track) {
            List<PlannedVisit> plan = HUB_DEFAULT.plan(INFUSION, track);
            for (int i = 1; i < plan.size(); i++) {
                PlannedVisit previous = plan.get(i - 1);
                PlannedVisit next = plan.get(i);
                assertTrue(
                        previous.windowEndDay() < next.windowStartDay(),
                        previous.timepointCode() + " overlaps " + next.timepointCode());
                assertTrue(previous.windowEnd().isBefore(next.windowStart()));
            }
        }

        @ParameterizedTest
        @EnumSource(FollowUpTrack.class)
        void everyWindowContainsItsTarget(FollowUpTrack track) {
            for (PlannedVisit visit : HUB_DEFAULT.plan(INFUSION, track)) {
                assertTrue(visit.windowContains(visit.targetDate()), visit.timepointCode());
            }
        }

        @Test
        void windowBoundsAreInclusive() {
            PlannedVisit d100 = visit(visits, "D100");
            assertFalse(d100.windowContains(INFUSION.plusDays(84)));
            assertTrue(d100.windowContains(INFUSION.plusDays(85)));
            assertTrue(d100.windowContains(INFUSION.plusDays(115)));
            assertFalse(d100.windowContains(INFUSION.plusDays(116)));
        }

        @Test
        void planIsImmutable() {
            assertThrows(UnsupportedOperationException.class, () -> visits.remove(0));
        }
    }

    @Nested
    @DisplayName("Leap years: a year is 365 study days, not the calendar anniversary")
    class LeapYears {

        @Test
        void y1LandsOn29FebruaryWhenTheYearAfterInfusionIsALeapYear() {
            List<PlannedVisit> plan = NO_EARLY_VISITS.plan(LocalDate.of(2023, 3, 1), FollowUpTrack.STANDARD);
            assertEquals(LocalDate.of(2024, 2, 29), visit(plan, "Y1").targetDate());
        }

        @Test
        void infusionOn29February() {
            List<PlannedVisit> plan = NO_EARLY_VISITS.plan(LocalDate.of(2024, 2, 29), FollowUpTrack.FIFTEEN_YEAR);
            assertEquals(LocalDate.of(2024, 6, 8), visit(plan, "D100").targetDate());
            assertEquals(LocalDate.of(2025, 2, 28), visit(plan, "Y1").targetDate());
            assertEquals(LocalDate.of(2028, 2, 28), visit(plan, "Y4").targetDate());
            assertEquals(
                    LocalDate.of(2029, 2, 27),
                    visit(plan, "Y5").targetDate(),
                    "29 Feb 2028 passed, so day 1825 drifts one more day");
        }

        @Test
        void withoutALeapDayY1IsTheAnniversary() {
            List<PlannedVisit> plan = NO_EARLY_VISITS.plan(LocalDate.of(2022, 1, 15), FollowUpTrack.STANDARD);
            assertEquals(LocalDate.of(2023, 1, 15), visit(plan, "Y1").targetDate());
        }
    }

    @Nested
    @DisplayName("Early visits and invalid input")
    class EarlyVisitsAndValidation {

        @Test
        void earlyDaysAreSortedAndCodedByDay() {
            EarlyVisitPolicy policy = new EarlyVisitPolicy(List.of(28, 7, 14), 3);
            assertEquals(List.of(7, 14, 28), policy.days());
            List<PlannedVisit> plan = new FollowUpScheduler(policy).plan(INFUSION, FollowUpTrack.STANDARD);
            assertWindow(visit(plan, "D7"), 4, 7, 10);
            assertWindow(visit(plan, "D28"), 25, 28, 31);
        }

        @Test
        void defaultWindowIsTwoDays() {
            assertEquals(2, EarlyVisitPolicy.withDefaultWindow(7).windowDays());
            assertEquals(EarlyVisitPolicy.DEFAULT_WINDOW_DAYS, EarlyVisitPolicy.NONE.windowDays());
        }

        @Test
        void zeroWindowIsASingleDay() {
            List<PlannedVisit> plan =
                    new FollowUpScheduler(new EarlyVisitPolicy(List.of(7), 0)).plan(INFUSION, FollowUpTrack.STANDARD);
            assertWindow(visit(plan, "D7"), 7, 7, 7);
        }

        @Test
        void overlappingEarlyWindowsAreRejected() {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> EarlyVisitPolicy.withDefaultWindow(7, 11));
            assertEquals("early visits D7 and D11 ±2 have overlapping windows", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> EarlyVisitPolicy.withDefaultWindow(7, 7));
            EarlyVisitPolicy.withDefaultWindow(7, 12);
        }

        @Test
        void earlyWindowMustOpenAfterTheInfusionDay() {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> EarlyVisitPolicy.withDefaultWindow(2));
            assertEquals(
                    "early visit D2 ±2 would open on day 0; windows must open after the infusion day", e.getMessage());
            assertWindow(
                    new FollowUpScheduler(EarlyVisitPolicy.withDefaultWindow(3))
                            .plan(INFUSION, FollowUpTrack.STANDARD)
                            .get(0),
                    1,
                    3,
                    5);
        }

        @Test
        void earlyWindowMustNotReachTheD100Window() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new FollowUpScheduler(EarlyVisitPolicy.withDefaultWindow(7, 83)));
            assertEquals("early visit D83 ±2 overlaps the D100 window (days 85–115)", e.getMessage());
            new FollowUpScheduler(EarlyVisitPolicy.withDefaultWindow(7, 82));
        }

        @Test
        void invalidPolicyInputsAreRejected() {
            assertEquals(
                    "windowDays must be zero or positive, was -1",
                    assertThrows(IllegalArgumentException.class, () -> new EarlyVisitPolicy(List.of(7), -1))
                            .getMessage());
            assertEquals(
                    "days is required",
                    assertThrows(IllegalArgumentException.class, () -> new EarlyVisitPolicy(null, 2))
                            .getMessage());
            assertEquals(
                    "days must not contain null",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> new EarlyVisitPolicy(java.util.Arrays.asList(7, null), 2))
                            .getMessage());
        }

        @Test
        void missingPlanInputsAreRejectedByName() {
            assertEquals(
                    "infusionDate is required",
                    assertThrows(IllegalArgumentException.class, () -> HUB_DEFAULT.plan(null, FollowUpTrack.STANDARD))
                            .getMessage());
            assertEquals(
                    "track is required",
                    assertThrows(IllegalArgumentException.class, () -> HUB_DEFAULT.plan(INFUSION, null))
                            .getMessage());
            assertEquals(
                    "earlyVisits is required",
                    assertThrows(IllegalArgumentException.class, () -> new FollowUpScheduler(null))
                            .getMessage());
        }
    }

    @Nested
    @DisplayName("PlannedVisit rejects partial or inconsistent visits")
    class PlannedVisitValidation {

        @Test
        void missingDateIsRejected() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new PlannedVisit("D100", 100, 85, 115, null, INFUSION.plusDays(85), INFUSION.plusDays(115)));
            assertEquals("targetDate is required", e.getMessage());
        }

        @Test
        void blankOrMissingCodeIsRejected() {
            assertThrows(IllegalArgumentException.class, () -> PlannedVisit.relativeTo(INFUSION, " ", 100, 85, 115));
            assertEquals(
                    "timepointCode is required",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> PlannedVisit.relativeTo(INFUSION, null, 100, 85, 115))
                            .getMessage());
        }

        @Test
        void targetOutsideWindowIsRejected() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> PlannedVisit.relativeTo(INFUSION, "D100", 120, 85, 115));
            assertEquals(
                    "D100: days must satisfy windowStartDay <= targetDay <= windowEndDay, got 85, 120, 115",
                    e.getMessage());
        }

        @Test
        void datesThatDisagreeWithDaysAreRejected() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new PlannedVisit(
                            "D100",
                            100,
                            85,
                            115,
                            INFUSION.plusDays(100),
                            INFUSION.plusDays(84),
                            INFUSION.plusDays(115)));
            assertTrue(e.getMessage().startsWith("D100: dates "), e.getMessage());
        }
    }
}
