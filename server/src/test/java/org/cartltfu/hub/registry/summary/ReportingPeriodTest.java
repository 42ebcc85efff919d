package org.cartltfu.hub.registry.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.cartltfu.hub.clinical.schedule.FollowUpTrack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReportingPeriodTest {

    private static final LocalDate INFUSION = LocalDate.of(2024, 1, 15);

    private static ReportingPeriod period(FollowUpTrack track, String code) {
        return ReportingPeriod.of(track, INFUSION).stream()
                .filter(period -> period.timepointCode().equals(code))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void fifteenYearTrackRunsFromD100ToY15() {
        List<String> codes = ReportingPeriod.of(FollowUpTrack.FIFTEEN_YEAR, INFUSION).stream()
                .map(ReportingPeriod::timepointCode)
                .toList();
        assertEquals(
                List.of(
                        "D100", "M6", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Y8", "Y9", "Y10", "Y11", "Y12", "Y13",
                        "Y14", "Y15"),
                codes);
    }

    @Test
    void standardTrackSkipsTheOddYearsAfterYearSix() {
        List<String> codes = ReportingPeriod.of(FollowUpTrack.STANDARD, INFUSION).stream()
                .map(ReportingPeriod::timepointCode)
                .toList();
        assertEquals(List.of("D100", "M6", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y8", "Y10", "Y12", "Y14"), codes);
    }

    @Test
    void periodsEndOnTheLastDayOfTheirContactWindow() {
        assertEquals(new ReportingPeriod("D100", 0, 115, 85), period(FollowUpTrack.FIFTEEN_YEAR, "D100"));
        assertEquals(new ReportingPeriod("M6", 116, 212, 152), period(FollowUpTrack.FIFTEEN_YEAR, "M6"));
        assertEquals(new ReportingPeriod("Y1", 213, 425, 365), period(FollowUpTrack.FIFTEEN_YEAR, "Y1"));
        assertEquals(new ReportingPeriod("Y2", 426, 790, 730), period(FollowUpTrack.FIFTEEN_YEAR, "Y2"));
        assertEquals(new ReportingPeriod("Y15", 5171, 5535, 5475), period(FollowUpTrack.FIFTEEN_YEAR, "Y15"));
    }

    @Test
    void standardTrackPeriodsAfterYearSixCoverTwoYears() {
        assertEquals(new ReportingPeriod("Y6", 1886, 2250, 2190), period(FollowUpTrack.STANDARD, "Y6"));
        assertEquals(new ReportingPeriod("Y8", 2251, 2980, 2920), period(FollowUpTrack.STANDARD, "Y8"));
        assertEquals(new ReportingPeriod("Y14", 4441, 5170, 5110), period(FollowUpTrack.STANDARD, "Y14"));
    }

    @ParameterizedTest
    @EnumSource(FollowUpTrack.class)
    void periodsStartOnDayZeroAndNeitherOverlapNorLeaveGaps(FollowUpTrack track) {
        List<ReportingPeriod> periods = ReportingPeriod.of(track, INFUSION);
        assertEquals(0, periods.get(0).startDay());
        for (int i = 1; i < periods.size(); i++) {
            assertEquals(
                    periods.get(i - 1).endDay() + 1,
                    periods.get(i).startDay(),
                    periods.get(i).timepointCode());
        }
    }

    @Test
    void daysDoNotDependOnTheInfusionDate() {
        assertEquals(
                ReportingPeriod.of(FollowUpTrack.FIFTEEN_YEAR, INFUSION),
                ReportingPeriod.of(FollowUpTrack.FIFTEEN_YEAR, LocalDate.of(2023, 2, 28)));
    }

    @Test
    void containsBothEnds() {
        ReportingPeriod m6 = period(FollowUpTrack.FIFTEEN_YEAR, "M6");
        assertFalse(m6.contains(115));
        assertTrue(m6.contains(116));
        assertTrue(m6.contains(212));
        assertFalse(m6.contains(213));
    }

    @Test
    void windowMustLieInsideThePeriod() {
        assertThrows(IllegalArgumentException.class, () -> new ReportingPeriod("X", 10, 20, 5));
        assertThrows(IllegalArgumentException.class, () -> new ReportingPeriod("X", 10, 20, 21));
    }
}
