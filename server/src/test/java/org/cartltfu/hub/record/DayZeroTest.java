package org.cartltfu.hub.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Procedure.ProcedureStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DayZeroTest {

    private static Procedure infusion(String id, ProcedureStatus status, String performed) {
        Procedure procedure = new Procedure();
        procedure.setId(id);
        procedure.setStatus(status);
        procedure.getCode().addCoding().setSystem(CarTIg.CS_CART_PROCEDURE).setCode(CarTIg.CODE_INFUSION);
        if (performed != null) {
            procedure.setPerformed(new DateTimeType(performed));
        }
        return procedure;
    }

    private static Procedure infusion(String id, String performed) {
        return infusion(id, ProcedureStatus.COMPLETED, performed);
    }

    @Test
    void theFirstInfusionIsDayZeroWhateverTheOrderTheyCameIn() {
        List<Procedure> procedures = List.of(infusion("second", "2024-06-01"), infusion("first", "2024-03-20"));
        assertEquals(Optional.of(LocalDate.of(2024, 3, 20)), DayZero.of(procedures));
        assertEquals(
                List.of("first", "second"),
                DayZero.infusions(procedures).stream()
                        .map(procedure -> procedure.getIdPart())
                        .toList());
    }

    @Test
    void theDateIsWhereTheInfusionHappenedNotTheHubsTimeZone() {
        // 23:30 in Hanoi is already the next day in Singapore; day 0 is the Hanoi date.
        assertEquals(
                Optional.of(LocalDate.of(2024, 3, 5)), DayZero.of(List.of(infusion("a", "2024-03-05T23:30:00+07:00"))));
        // Ordered by the local date first: the 5 March evening in Hanoi precedes a 6 March morning in London.
        List<Procedure> twoSites = List.of(
                infusion("london", "2024-03-06T00:10:00+00:00"), infusion("hanoi", "2024-03-05T23:30:00+07:00"));
        assertEquals("hanoi", DayZero.infusions(twoSites).get(0).getIdPart());
    }

    @ParameterizedTest
    @EnumSource(
            value = ProcedureStatus.class,
            names = {"ENTEREDINERROR", "NOTDONE", "PREPARATION"})
    void anInfusionThatDidNotTakePlaceIsNotDayZero(ProcedureStatus status) {
        List<Procedure> procedures = List.of(infusion("void", status, "2024-03-01"), infusion("real", "2024-03-20"));
        assertEquals(Optional.of(LocalDate.of(2024, 3, 20)), DayZero.of(procedures));
        assertEquals(
                List.of("real"),
                DayZero.infusions(procedures).stream().map(Procedure::getIdPart).toList());
        assertFalse(DayZero.isInfusion(procedures.get(0)));
    }

    @ParameterizedTest
    @EnumSource(
            value = ProcedureStatus.class,
            names = {"COMPLETED", "INPROGRESS", "STOPPED", "ONHOLD", "UNKNOWN", "NULL"})
    void anInfusionThatWasGivenCountsWhateverHowItEnded(ProcedureStatus status) {
        assertTrue(DayZero.isInfusion(infusion("a", status, "2024-03-20")));
    }

    @Test
    void otherProceduresAreNotInfusions() {
        Procedure apheresis = new Procedure();
        apheresis.getCode().addCoding().setSystem(CarTIg.CS_CART_PROCEDURE).setCode("apheresis");
        Procedure otherSystem = new Procedure();
        otherSystem.getCode().addCoding().setSystem("http://snomed.info/sct").setCode(CarTIg.CODE_INFUSION);
        otherSystem.setPerformed(new DateTimeType("2024-01-01"));
        apheresis.setPerformed(new DateTimeType("2024-01-01"));
        assertEquals(Optional.empty(), DayZero.of(List.of(apheresis, otherSystem)));
        assertEquals(Optional.empty(), DayZero.of(List.of()));
    }

    @Test
    void aPeriodCountsFromItsStart() {
        Procedure plain = infusion("plain", null);
        plain.setPerformed(new Period()
                .setStartElement(new DateTimeType("2024-03-19T22:00:00+08:00"))
                .setEndElement(new DateTimeType("2024-03-20T01:00:00+08:00")));
        assertEquals(
                Optional.of(LocalDate.of(2024, 3, 19)), DayZero.of(List.of(plain, infusion("later", "2024-03-20"))));
    }

    @Test
    void aFirstInfusionWithoutAFullDateLeavesDayZeroUnknown() {
        // Dated to the month: it may be before or after 20 March; a later infusion must not stand in for it.
        assertEquals(
                Optional.empty(), DayZero.of(List.of(infusion("later", "2024-03-20"), infusion("month", "2024-03"))));
        assertEquals(Optional.empty(), DayZero.of(List.of(infusion("year", "2024"))));
        // Dated to an earlier month: it is still the first.
        assertEquals(
                "february",
                DayZero.infusions(List.of(infusion("march", "2024-03-01"), infusion("february", "2024-02")))
                        .get(0)
                        .getIdPart());
        // Undated: after every dated one, so the dated one is day 0.
        assertEquals(
                Optional.of(LocalDate.of(2024, 3, 20)),
                DayZero.of(List.of(infusion("undated", null), infusion("dated", "2024-03-20"))));
        assertEquals(Optional.empty(), DayZero.of(List.of(infusion("undated", null))));
    }
}
