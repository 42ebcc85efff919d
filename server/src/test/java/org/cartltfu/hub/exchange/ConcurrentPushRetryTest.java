package org.cartltfu.hub.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.jpa.api.model.ResourceVersionConflictResolutionStrategy;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.junit.jupiter.api.Test;

/** A write that lost a race with an identical one is retried, without the client asking (HAPI's needs a header). */
class ConcurrentPushRetryTest {

    @Test
    void everyConflictIsRetriedTheConfiguredNumberOfTimes() {
        ServletRequestDetails withoutHeader = new ServletRequestDetails();
        ResourceVersionConflictResolutionStrategy strategy = new ConcurrentPushRetry(3).retry(withoutHeader);
        assertTrue(strategy.isRetry());
        assertEquals(3, strategy.getMaxRetries());
        assertEquals(0, new ConcurrentPushRetry(0).retry(withoutHeader).getMaxRetries(), "as configured");
    }
}
