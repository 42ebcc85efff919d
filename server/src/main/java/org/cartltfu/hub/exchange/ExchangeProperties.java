package org.cartltfu.hub.exchange;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How pushes, audit and notifications behave (prefix {@code hub.exchange}); every default lives in
 * {@code application.yaml}.
 *
 * @param auditEnabled false stops writing AuditEvents: only for measuring their cost or for development
 * @param conflictRetries how often a write that collided with a concurrent identical write is retried (a
 *     conditional create that lost the race then finds the winner's resource)
 * @param identicalPushWait how long a transaction waits for an identical one (same match URLs, on any instance) to
 *     finish before it goes on regardless
 * @param pushLockConnections database connections for those waits (a pool apart from the data's): the most
 *     transactions with match URLs in flight at once on this instance
 */
@ConfigurationProperties("hub.exchange")
public record ExchangeProperties(
        boolean auditEnabled, int conflictRetries, Duration identicalPushWait, int pushLockConnections) {}
