package org.cartltfu.hub.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StudyDayTest {

    private static final ZoneOffset HANOI = ZoneOffset.ofHours(7);
    private static final ZoneOffset SINGAPORE = ZoneOffset.ofHours(8);

    @ParameterizedTest(name = "{1} → day {2}")
    @CsvSource({
        "2024-03-04, 2024-03-04, 0",
        "2024-03-04, 2024-03-05, 1",
        "2024-03-04, 2024-02-28, -5",
        "2024-02-28, 2024-03-01, 2",
        "2023-02-28, 2023-03-01, 1",
        "2024-01-01, 2025-01-01, 366",
        "2025-01-01, 2026-01-01, 365"
    })
    void dayZeroIsTheInfusionDate(LocalDate infusion, LocalDate event, int expected) {
        assertEquals(expected, StudyDay.dayNumber(infusion, event));
    }

    @Test
    @DisplayName("23:30 in Hanoi (+07:00) is that date, although it is already the next day in Singapore")
    void hanoiLateEveningIsTheHanoiDate() {
        OffsetDateTime inHanoi = OffsetDateTime.of(2024, 3, 5, 23, 30, 0, 0, HANOI);
        OffsetDateTime sameInstantInSingapore = inHanoi.withOffsetSameInstant(SINGAPORE);
        assertEquals(inHanoi.toInstant(), sameInstantInSingapore.toInstant());

        assertEquals(LocalDate.of(2024, 3, 5), StudyDay.localDate(inHanoi));
        assertEquals(LocalDate.of(2024, 3, 6), StudyDay.localDate(sameInstantInSingapore));

        LocalDate infusion = LocalDate.of(2024, 3, 4);
        assertEquals(1, StudyDay.dayNumber(infusion, StudyDay.localDate(inHanoi)));
    }

    @Test
    void indiaHalfHourOffsetKeepsTheLocalDate() {
        OffsetDateTime inChennai = OffsetDateTime.of(2024, 3, 5, 0, 10, 0, 0, ZoneOffset.ofHoursMinutes(5, 30));
        assertEquals(LocalDate.of(2024, 3, 5), StudyDay.localDate(inChennai));
        assertEquals(LocalDate.of(2024, 3, 4), StudyDay.localDate(inChennai.withOffsetSameInstant(ZoneOffset.UTC)));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "2024-03-05T23:30:00+07:00, 2024-03-05",
        "2024-03-06T00:30:00+08:00, 2024-03-06",
        "2024-03-05T23:30:00.123+07:00, 2024-03-05",
        "2024-03-05T16:30:00Z, 2024-03-05",
        "2024-03-05, 2024-03-05",
        "2024-02-29, 2024-02-29"
    })
    void fhirStringsAreReadAsWritten(String fhir, LocalDate expected) {
        assertEquals(expected, StudyDay.localDate(fhir));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"2024", "2024-03"})
    void partialDatesAreRejected(String partial) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyDay.localDate(partial));
        assertTrue(e.getMessage().startsWith("partial date '" + partial + "' has no day"), e.getMessage());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"2024-03-05T23:30:00", "2024-02-30", "05/03/2024", "", "yesterday"})
    void malformedDatesAreRejected(String malformed) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyDay.localDate(malformed));
        assertTrue(e.getMessage().contains("is not a FHIR date or a dateTime with a UTC offset"), e.getMessage());
    }

    @Test
    void missingInputsAreRejectedByName() {
        assertEquals(
                "infusionDate is required",
                assertThrows(IllegalArgumentException.class, () -> StudyDay.dayNumber(null, LocalDate.of(2024, 1, 1)))
                        .getMessage());
        assertEquals(
                "eventLocalDate is required",
                assertThrows(IllegalArgumentException.class, () -> StudyDay.dayNumber(LocalDate.of(2024, 1, 1), null))
                        .getMessage());
        assertEquals(
                "eventTime is required",
                assertThrows(IllegalArgumentException.class, () -> StudyDay.localDate((OffsetDateTime) null))
                        .getMessage());
        assertEquals(
                "fhirDateOrDateTime is required",
                assertThrows(IllegalArgumentException.class, () -> StudyDay.localDate((String) null))
                        .getMessage());
    }
}
