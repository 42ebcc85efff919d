package org.cartltfu.hub.clinical.schedule;

import java.time.LocalDate;
import org.cartltfu.hub.record.Require;

/**
 * A planned visit with its status on the evaluation date.
 *
 * @param visit       the planned visit
 * @param status      its status
 * @param completedOn the first data date inside the window when {@code DONE}, otherwise null
 */
public record EvaluatedVisit(PlannedVisit visit, VisitStatus status, LocalDate completedOn) {

    public EvaluatedVisit {
        Require.present(visit, "visit");
        Require.present(status, "status");
        if ((status == VisitStatus.DONE) != (completedOn != null)) {
            throw new IllegalArgumentException("completedOn must be given exactly when status is DONE");
        }
    }
}
