package org.cartltfu.hub.registry.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeidentificationTest {

    private static final RecipientKey CIBMTR = RecipientKey.ofHex("cibmtr", "11".repeat(32));
    private static final RecipientKey EBMT = RecipientKey.ofHex("ebmt", "22".repeat(32));

    @Test
    void pseudonymIsStableForOneRecipientAndDiffersBetweenRecipients() {
        Pseudonyms cibmtr = new Pseudonyms(CIBMTR);
        Pseudonyms ebmt = new Pseudonyms(EBMT);
        assertEquals(cibmtr.of("Patient/abc"), cibmtr.of("Patient/abc"));
        assertNotEquals(cibmtr.of("Patient/abc"), ebmt.of("Patient/abc"));
        assertNotEquals(cibmtr.of("Patient/abc"), cibmtr.of("Patient/abd"));
        assertEquals(32, cibmtr.of("Patient/abc").length());
        assertFalse(cibmtr.of("Patient/abc").contains("abc"));
    }

    @Test
    void pseudonymsOfACohortDoNotCollide() {
        Pseudonyms cibmtr = new Pseudonyms(CIBMTR);
        Set<String> seen = new HashSet<>();
        IntStream.range(0, 20_000).forEach(i -> assertTrue(seen.add(cibmtr.of("Patient/" + i))));
    }

    @Test
    void keysShorterThan256BitsAreRefused() {
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> RecipientKey.ofHex("weak", "ab".repeat(16)));
        assertTrue(refused.getMessage().contains("weak"));
        assertFalse(CIBMTR.toString().contains("11"), "the key never shows in logs");
    }

    @Test
    void dayOffsetsCountCalendarDaysFromTheInfusion() {
        LocalDate infusion = LocalDate.of(2024, 3, 4);
        assertEquals(0, DateMasking.dayOffset(infusion, infusion));
        assertEquals(100, DateMasking.dayOffset(infusion, LocalDate.of(2024, 6, 12)));
        assertEquals(-3, DateMasking.dayOffset(infusion, LocalDate.of(2024, 3, 1)));
        assertEquals(366, DateMasking.dayOffset(LocalDate.of(2024, 1, 1), LocalDate.of(2025, 1, 1)), "leap year");
    }

    @Test
    void shiftIsPerPatientAndRecipientBoundedNonZeroAndKeepsIntervals() {
        DateMasking cibmtr = new DateMasking(CIBMTR, 180);
        DateMasking ebmt = new DateMasking(EBMT, 180);
        Set<Integer> shifts = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            int shift = cibmtr.shiftDays("Patient/" + i);
            assertTrue(shift != 0 && Math.abs(shift) <= 180, "shift " + shift);
            shifts.add(shift);
        }
        assertTrue(shifts.size() > 300, "shifts spread over the range: " + shifts.size());
        assertTrue(shifts.stream().anyMatch(s -> s < 0) && shifts.stream().anyMatch(s -> s > 0));

        LocalDate infusion = LocalDate.of(2024, 3, 4);
        LocalDate d100 = LocalDate.of(2024, 6, 12);
        assertEquals(100, DateMasking.dayOffset(cibmtr.shift("Patient/7", infusion), cibmtr.shift("Patient/7", d100)));
        assertEquals(cibmtr.shiftDays("Patient/7"), cibmtr.shiftDays("Patient/7"));
        long differing = IntStream.range(0, 200)
                .filter(i -> cibmtr.shiftDays("Patient/" + i) != ebmt.shiftDays("Patient/" + i))
                .count();
        assertTrue(differing > 190, "recipients get independent shifts: " + differing);
    }

    @Test
    void birthDatesBecomeYearOrAgeAtInfusion() {
        LocalDate birth = LocalDate.of(1968, 5, 14);
        assertEquals(1968, DateMasking.birthYear(birth));
        assertEquals(55, DateMasking.ageAtInfusion(birth, LocalDate.of(2024, 3, 4)));
        assertEquals(56, DateMasking.ageAtInfusion(birth, LocalDate.of(2024, 5, 14)), "birthday on infusion day");
        assertThrows(IllegalArgumentException.class, () -> DateMasking.ageAtInfusion(birth, LocalDate.of(1960, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> new DateMasking(CIBMTR, 0));
    }
}
