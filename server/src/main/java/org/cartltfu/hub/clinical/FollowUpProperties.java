package org.cartltfu.hub.clinical;

import java.util.List;
import org.cartltfu.hub.clinical.schedule.EarlyVisitPolicy;
import org.cartltfu.hub.clinical.schedule.FollowUpTrack;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The hub's follow-up plan (prefix {@code hub.follow-up}; defaults in application.yaml).
 *
 * @param track the registry track every infusion is planned on; all approved CAR-T products are genetically
 *     modified, hence the 15-year track
 * @param earlyVisitDays the hub's own early visits, in days after the infusion (e.g. 7, 14, 28)
 * @param earlyVisitWindowDays how many days either side of an early visit still count
 * @param upcomingDays how far ahead {@code $follow-up-status} lists visits whose window has not opened yet
 */
@ConfigurationProperties("hub.follow-up")
public record FollowUpProperties(
        FollowUpTrack track, List<Integer> earlyVisitDays, int earlyVisitWindowDays, int upcomingDays) {

    EarlyVisitPolicy earlyVisits() {
        return new EarlyVisitPolicy(earlyVisitDays, earlyVisitWindowDays);
    }
}
