package org.cartltfu.hub.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Request rates with small limits (a server of its own): 429, Retry-After and an OperationOutcome, audited. */
@TestPropertySource(
        properties = {
            "hub.rate-limits.fhir.capacity=10",
            "hub.rate-limits.fhir.refill=1",
            "hub.rate-limits.fhir.period=1h",
            "hub.rate-limits.token.capacity=3",
            "hub.rate-limits.token.refill=1",
            "hub.rate-limits.token.period=1h"
        })
class RateLimitIT extends HubServerIT {

    /** One hub token for the whole class: the token endpoint's limit here is 3 per client and hour. */
    private static String hub;

    @Override
    @BeforeEach
    protected void connect() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        if (hub == null) {
            hub = TestClients.token(TestClients.HUB, serverRoot(), "system/*.cruds");
        }
        hubToken = hub;
        client = clientWithToken(hub);
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndOthersAreNotSlowed() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        String spoke = TestClients.token(TestClients.SPOKE_MY, serverRoot(), "system/*.rs");
        HttpResponse<String> throttled = null;
        for (int i = 0; i < 11 && throttled == null; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/metadata"))
                    .header("Authorization", "Bearer " + spoke));
            if (response.statusCode() == 429) {
                throttled = response;
            } else {
                assertEquals(200, response.statusCode(), response.body());
            }
        }
        assertNotNull(throttled, "11 requests, over a capacity of 10 refilled once an hour, were all let through");
        assertRetryAfter(throttled);
        assertTrue(parseOutcome(throttled.body())
                .getIssueFirstRep()
                .getDiagnostics()
                .contains("spoke-ummc"));

        String otherSpoke = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.rs");
        assertEquals(
                200,
                send(HttpRequest.newBuilder(URI.create(baseUrl() + "/metadata"))
                                .header("Authorization", "Bearer " + otherSpoke))
                        .statusCode());

        awaitAuditWithinRate(
                since,
                event -> event.getOutcomeDesc() != null
                        && event.getOutcomeDesc().startsWith("429")
                        && "spoke-ummc"
                                .equals(event.getAgentFirstRep()
                                        .getWho()
                                        .getIdentifier()
                                        .getValue()),
                "429 of spoke-ummc");
    }

    @Test
    void theTokenEndpointLimitsEachClientFromEachAddress() throws Exception {
        String tokenUrl = serverRoot() + "/auth/token";
        for (int i = 0; i < 3; i++) {
            assertEquals(200, tokenRequest(tokenUrl).statusCode());
        }
        HttpResponse<String> throttled = tokenRequest(tokenUrl);

        assertEquals(429, throttled.statusCode(), throttled.body());
        assertRetryAfter(throttled);
        assertTrue(parseOutcome(throttled.body())
                .getIssueFirstRep()
                .getDiagnostics()
                .contains("token endpoint"));
    }

    private HttpResponse<String> tokenRequest(String tokenUrl) throws Exception {
        String form = "grant_type=client_credentials"
                + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + enc(TestClients.assertion(TestClients.REGISTRY, tokenUrl))
                + "&scope=" + enc("system/*.rs");
        return send(HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private void assertRetryAfter(HttpResponse<String> throttled) {
        long retryAfter =
                Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        assertTrue(throttled.headers().firstValue("Content-Type").orElseThrow().startsWith("application/fhir+json"));
        assertEquals(
                OperationOutcome.IssueType.THROTTLED,
                parseOutcome(throttled.body()).getIssueFirstRep().getCode());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * Polls slowly: the hub's own requests count against its capacity of 10 here, refilled once an hour. Left a loop
     * rather than an Awaitility wait on purpose: what bounds it is a number of searches (8, within the hub's budget),
     * not a deadline; the second before each lets the audit writer store the event without spending a request.
     */
    private void awaitAuditWithinRate(Instant since, java.util.function.Predicate<AuditEvent> wanted, String what)
            throws Exception {
        for (int poll = 0; poll < 8; poll++) {
            Thread.sleep(1000);
            Bundle page = client.search()
                    .byUrl("AuditEvent?date=ge" + since + "&_count=500")
                    .returnBundle(Bundle.class)
                    .execute();
            if (page.getEntry().stream()
                    .map(entry -> (AuditEvent) entry.getResource())
                    .anyMatch(wanted)) {
                return;
            }
        }
        throw new AssertionError("no AuditEvent for " + what);
    }
}
