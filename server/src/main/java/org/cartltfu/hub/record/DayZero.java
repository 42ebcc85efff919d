package org.cartltfu.hub.record;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Procedure.ProcedureStatus;

/**
 * Day 0 of a patient's follow-up, one rule for every reader (toxicity history, follow-up plans, product trace, the
 * malignancy safety net, registry extracts, views and period summaries): the date of the patient's first CAR-T
 * infusion that took place.
 * <ul>
 * <li>An infusion is a Procedure coded {@code cart-infusion}; one entered in error, not done or only in preparation
 * did not take place and does not count.</li>
 * <li>Its date is {@code performedDateTime} (our profile's only choice), else the start of {@code performedPeriod}
 * (plain R4 data), read where it happened ({@link StudyDay#localDate(String)}).</li>
 * <li>If the first infusion is dated only to the month or year, day 0 is unknown: a later infusion does not stand in
 * for it, and no study day is computed until the site gives the full date. One without any date (possible only in
 * plain R4 data) comes after the dated ones and does not decide day 0.</li>
 * </ul>
 */
public final class DayZero {

    private static final Set<ProcedureStatus> NOT_TAKEN_PLACE =
            Set.of(ProcedureStatus.ENTEREDINERROR, ProcedureStatus.NOTDONE, ProcedureStatus.PREPARATION);

    /** The earliest first; undated ones last. Partial dates sort before the full dates they contain. */
    private static final Comparator<Procedure> EARLIEST_FIRST = Comparator.comparing(
            DayZero::performed,
            Comparator.nullsLast(Comparator.comparing(
                            (String performed) -> performed.substring(0, Math.min(10, performed.length())))
                    .thenComparing(Comparator.naturalOrder())));

    private DayZero() {}

    /** Whether the procedure is a CAR-T infusion that took place. */
    public static boolean isInfusion(Procedure procedure) {
        return !(procedure.hasStatus() && NOT_TAKEN_PLACE.contains(procedure.getStatus()))
                && procedure.getCode().getCoding().stream()
                        .anyMatch(coding -> CarTIg.CS_CART_PROCEDURE.equals(coding.getSystem())
                                && CarTIg.CODE_INFUSION.equals(coding.getCode()));
    }

    /** The infusions among the procedures that took place, earliest first. */
    public static List<Procedure> infusions(Collection<Procedure> procedures) {
        return procedures.stream()
                .filter(DayZero::isInfusion)
                .sorted(EARLIEST_FIRST)
                .toList();
    }

    /** Day 0 of the procedures' patient; empty without an infusion or when the first one has no full date. */
    public static Optional<LocalDate> of(Collection<Procedure> procedures) {
        return infusions(procedures).stream().findFirst().flatMap(DayZero::date);
    }

    /** The calendar date of a procedure where it happened; empty when it is undated or dated to a month or year. */
    public static Optional<LocalDate> date(Procedure procedure) {
        String performed = performed(procedure);
        return performed == null || performed.length() < 10
                ? Optional.empty()
                : Optional.of(StudyDay.localDate(performed));
    }

    private static String performed(Procedure procedure) {
        if (procedure.hasPerformedDateTimeType()) {
            return procedure.getPerformedDateTimeType().getValueAsString();
        }
        if (procedure.hasPerformedPeriod() && procedure.getPerformedPeriod().hasStart()) {
            return procedure.getPerformedPeriod().getStartElement().getValueAsString();
        }
        return null;
    }
}
