package org.cartltfu.hub.clinical.schedule;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import org.cartltfu.hub.record.Require;
import org.cartltfu.hub.record.StudyDay;

/** Tells, for each planned visit, whether it is done, due, overdue or upcoming on a given date. */
public final class VisitStatusEvaluator {

    private VisitStatusEvaluator() {}

    /**
     * @param visits    planned visits, e.g. from {@link FollowUpScheduler#plan}
     * @param dataDates local dates on which follow-up data was recorded (see {@link StudyDay#localDate}); dates
     *                  after {@code asOf} are ignored, so the status can be replayed for any past date
     * @param asOf      evaluation date
     * @return one result per visit, in the given order
     */
    public static List<EvaluatedVisit> evaluate(
            List<PlannedVisit> visits, Collection<LocalDate> dataDates, LocalDate asOf) {
        Require.present(visits, "visits");
        Require.present(dataDates, "dataDates");
        Require.present(asOf, "asOf");
        if (visits.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("visits must not contain null");
        }
        if (dataDates.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("dataDates must not contain null");
        }
        NavigableSet<LocalDate> known = new TreeSet<>(dataDates).headSet(asOf, true);
        return visits.stream().map(visit -> evaluate(visit, known, asOf)).toList();
    }

    private static EvaluatedVisit evaluate(PlannedVisit visit, NavigableSet<LocalDate> known, LocalDate asOf) {
        LocalDate first = known.ceiling(visit.windowStart());
        if (first != null && visit.windowContains(first)) {
            return new EvaluatedVisit(visit, VisitStatus.DONE, first);
        }
        if (asOf.isBefore(visit.windowStart())) {
            return new EvaluatedVisit(visit, VisitStatus.UPCOMING, null);
        }
        if (!asOf.isAfter(visit.windowEnd())) {
            return new EvaluatedVisit(visit, VisitStatus.DUE, null);
        }
        return new EvaluatedVisit(visit, VisitStatus.OVERDUE, null);
    }
}
