package org.cartltfu.hub;

import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.cartltfu.hub.exchange.AuditWriter;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: one running server (random port, embedded PostgreSQL unless
 * {@code SPRING_DATASOURCE_URL} points at an external one) shared by every test class through Spring's context cache.
 * Security is on, as in production: the test clients are registered with keys generated for this run, and
 * {@link #client} and {@link #request} carry a hub token obtained from the real token endpoint.
 */
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class HubServerIT {

    @LocalServerPort
    protected int port;

    @Autowired
    protected FhirContext fhirContext;

    @Autowired
    private IValidationSupport validationSupport;

    @Autowired
    private AuditWriter auditWriter;

    protected IGenericClient client;

    /** A hub access token with every permission (system/*.cruds). */
    protected String hubToken;

    protected final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    protected void connect() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhirContext.getRestfulClientFactory().setSocketTimeout(120_000);
        hubToken = TestClients.token(TestClients.HUB, serverRoot(), "system/*.cruds");
        client = clientWithToken(hubToken);
    }

    @DynamicPropertySource
    static void registerTestClients(DynamicPropertyRegistry registry) {
        TestClients.register((name, value) -> registry.add(name, () -> value));
    }

    protected String serverRoot() {
        return "http://localhost:" + port;
    }

    protected IGenericClient clientWithToken(String token) {
        IGenericClient withToken = fhirContext.newRestfulGenericClient(baseUrl());
        withToken.registerInterceptor(new BearerTokenAuthInterceptor(token));
        return withToken;
    }

    protected String baseUrl() {
        return "http://localhost:" + port + "/fhir";
    }

    protected HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + hubToken);
    }

    protected OperationOutcome parseOutcome(String body) {
        IBaseResource parsed = fhirContext.newJsonParser().parseResource(body);
        return (OperationOutcome) parsed;
    }

    /** How many resources of a type the server holds: the "nothing was stored" check. */
    protected int count(String resourceType) {
        Bundle bundle = client.search()
                .forResource(resourceType)
                .summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT)
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getTotal();
    }

    /**
     * Waits for an AuditEvent recorded since the given instant: they are written in the background, behind whatever
     * earlier test classes left queued, so the wait is a minute after the writer's queue was last seen empty (ten
     * at most) and ends as soon as the event is there.
     *
     * @param poll time between searches (the searches count against the hub client's rate limit)
     */
    protected AuditEvent awaitAudit(Instant since, Predicate<AuditEvent> wanted, String what, Duration poll) {
        AtomicReference<Instant> giveUp = new AtomicReference<>(Instant.now().plus(Duration.ofSeconds(60)));
        try {
            return await("an AuditEvent for " + what)
                    .dontCatchUncaughtExceptions()
                    .atMost(Duration.ofMinutes(10))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(poll)
                    // The sliding deadline: checked before each search, moved on by a search that saw a backlog.
                    .failFast(
                            "no AuditEvent a minute after the audit writer's queue was last seen non-empty",
                            () -> Instant.now().isAfter(giveUp.get()))
                    .until(
                            () -> {
                                Bundle page = client.search()
                                        .byUrl("AuditEvent?date=ge" + since + "&_count=500&_sort=-date")
                                        .returnBundle(Bundle.class)
                                        .execute();
                                Optional<AuditEvent> found = page.getEntry().stream()
                                        .map(entry -> (AuditEvent) entry.getResource())
                                        .filter(wanted)
                                        .findFirst();
                                if (found.isEmpty() && auditWriter.pending() > 0) {
                                    // Still storing what earlier requests queued (the trust-boundary suite leaves
                                    // thousands):
                                    // a minute from when the writer has caught up.
                                    giveUp.set(Instant.now().plus(Duration.ofSeconds(60)));
                                }
                                return found;
                            },
                            Optional::isPresent)
                    .get();
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError("no AuditEvent for " + what + " (" + auditWriter.pending() + " still queued)", e);
        }
    }

    /**
     * The errors of a resource against base R4 (and the profiles it declares that the hub knows), by the hub's own
     * validation chain: for what the hub writes without validating it on storage (its AuditEvents).
     */
    protected List<String> validationErrors(IBaseResource resource) {
        FhirValidator validator = fhirContext.newValidator();
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(validationSupport);
        // As the hub's intake: other guides' profiles (BALP's on AuditEvents) are not known here, so not enforced.
        instanceValidator.setErrorForUnknownProfiles(false);
        validator.registerValidatorModule(instanceValidator);
        return validator.validateWithResult(resource).getMessages().stream()
                .filter(message -> message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(message -> message.getLocationString() + ": " + message.getMessage())
                .toList();
    }

    /** The newest AuditEvent since the instant that matches, waited for (see above). */
    protected AuditEvent awaitAudit(Instant since, Predicate<AuditEvent> wanted, String what) {
        return awaitAudit(since, wanted, what, Duration.ofMillis(250));
    }
}
