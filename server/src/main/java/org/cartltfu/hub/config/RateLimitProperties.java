package org.cartltfu.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Request rates (prefix {@code hub.rate-limits}); every default lives in {@code application.yaml}. Each limit is a
 * token bucket: {@code capacity} requests at once, refilled by {@code refill} every {@code period}.
 *
 * @param fhir per client on {@code /fhir} (the token's client id; without a valid token, the remote address)
 * @param token per remote address and client id on the token endpoint
 * @param refusalAudit AuditEvents of refused requests (401, 403, 404, 429, …) per source; beyond it, refusals are
 *     counted and the count goes into that source's next refusal event
 */
@ConfigurationProperties("hub.rate-limits")
public record RateLimitProperties(Limit fhir, Limit token, Limit refusalAudit) {

    public record Limit(long capacity, long refill, Duration period) {}
}
