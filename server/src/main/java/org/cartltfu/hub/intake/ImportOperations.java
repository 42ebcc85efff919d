package org.cartltfu.hub.intake;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.config.RefusedRequest;
import org.cartltfu.hub.security.AccessFacts;
import org.cartltfu.hub.security.AccessPolicy;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.Role;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Years of history at once: {@code POST [base]/$import} with NDJSON files exported from the spoke's own FHIR server
 * ({@code application/fhir+ndjson}, the files one after the other, gzip allowed) stores them as one transaction
 * ({@link NdjsonImport}) under every rule a push meets — access policy, patient matching, site code mapping, intake
 * validation, provenance — and all or nothing. The hub fetches no URLs (unlike HAPI's {@code $import}, which would
 * read them with the server's own rights): the files are the request.
 *
 * <p>With {@code Prefer: respond-async} the answer is 202 with a {@code Content-Location} to poll
 * ({@code $import-poll-status?_jobId=}: 202 and {@code X-Progress} while it runs, then 200 with the counts or the
 * refusal naming every failing line). The import carries on in the upload's own request, after the 202 has been sent
 * and the connection marked for closing: it runs as the caller, through exactly the path a push takes, and never as
 * the server. Only the client that started an import can follow it; any other id reads like one that never existed.
 * Jobs are held by the instance that took the upload.
 */
@Interceptor
public class ImportOperations {

    private static final Logger log = LoggerFactory.getLogger(ImportOperations.class);
    private static final String JOB = ImportOperations.class.getName() + ".job";
    private static final List<String> NDJSON =
            List.of("application/fhir+ndjson", "application/ndjson", "application/x-ndjson");

    /** One import: who started it, how far it got, how it ended. */
    static final class Job {
        final String id = UUID.randomUUID().toString();
        final String starter;
        final AtomicInteger stored = new AtomicInteger();
        volatile String phase = "reading the files";
        volatile int resources;
        volatile Parameters result;
        volatile int failureStatus;
        volatile OperationOutcome failure;

        Job(String starter) {
            this.starter = starter;
        }

        boolean done() {
            return result != null || failure != null;
        }

        String progress() {
            return phase.equals("storing") ? "storing: " + stored.get() + " of " + resources + " resources" : phase;
        }
    }

    private final FhirContext fhirContext;
    private final IFhirSystemDao<Bundle, ?> systemDao;
    private final Callers callers;
    private final AccessFacts facts;
    private final IntakeProperties properties;
    private final Semaphore running;
    private final Cache<String, Job> jobs;
    private final ApplicationEventPublisher events;

    @SuppressWarnings("unchecked")
    public ImportOperations(
            FhirContext fhirContext,
            IFhirSystemDao<?, ?> systemDao,
            Callers callers,
            AccessFacts facts,
            IntakeProperties properties,
            ApplicationEventPublisher events) {
        this.events = events;
        this.fhirContext = fhirContext;
        this.systemDao = (IFhirSystemDao<Bundle, ?>) systemDao;
        this.callers = callers;
        this.facts = facts;
        this.properties = properties;
        this.running = new Semaphore(properties.importsAtOnce());
        this.jobs = Caffeine.newBuilder()
                .expireAfterWrite(properties.importResultsKept())
                .maximumSize(10_000)
                .build();
    }

    @Operation(name = "$import", manualRequest = true, manualResponse = true)
    public void importFiles(RequestDetails request, HttpServletResponse response) throws IOException {
        String contentType = Optional.ofNullable(request.getHeader(Constants.HEADER_CONTENT_TYPE))
                .orElse("")
                .toLowerCase(Locale.ROOT);
        if (NDJSON.stream().noneMatch(contentType::startsWith)) {
            throw new UnclassifiedServerFailureException(
                    415,
                    "Send the NDJSON files themselves as the body"
                            + " (Content-Type: application/fhir+ndjson; several files one after the other; gzip with"
                            + " Content-Encoding: gzip). The hub does not fetch files from URLs.");
        }
        Optional<Caller> caller = callers.of(request);
        String starter = caller.map(Caller::clientId).orElse(null);
        if (jobs.asMap().values().stream().anyMatch(job -> !job.done() && AccessPolicy.ownsJob(starter, job.starter))) {
            throw throttled("An import of this client is still running: wait for it to end (poll its"
                    + " Content-Location) before the next");
        }
        byte[] body = request.loadRequestContents();
        if (!running.tryAcquire()) {
            throw throttled("The hub is running " + properties.importsAtOnce() + " imports already");
        }
        Job job = new Job(starter);
        jobs.put(job.id, job);
        request.getUserData().put(JOB, job);
        try {
            if (String.valueOf(request.getHeader(Constants.HEADER_PREFER))
                    .contains(Constants.HEADER_PREFER_RESPOND_ASYNC)) {
                accepted(response, request.getFhirServerBase() + "/$import-poll-status?_jobId=" + job.id);
                run(job, body, request, caller);
                if (job.failure != null) {
                    // The request ends normally (its 202 is sent): the refusal reaches the audit trail this way.
                    events.publishEvent(new RefusedRequest(
                            request instanceof ServletRequestDetails servlet
                                    ? servlet.getServletRequest().getRemoteAddr()
                                    : "server",
                            starter,
                            "POST",
                            request.getRequestPath(),
                            job.failureStatus,
                            job.failure.getIssueFirstRep().getDiagnostics()));
                }
            } else {
                run(job, body, request, caller);
                if (job.failure != null) {
                    throw failure(job);
                }
                write(response, 200, job.result);
            }
        } finally {
            request.getUserData().remove(JOB);
            running.release();
            jobs.put(job.id, job); // kept for polling from now on
        }
    }

    @Operation(name = "$import-poll-status", idempotent = true, manualResponse = true)
    public void pollStatus(
            @OperationParam(name = "_jobId") StringType jobId, RequestDetails request, HttpServletResponse response)
            throws IOException {
        String id = jobId == null ? null : jobId.getValue();
        Job job = id == null ? null : jobs.getIfPresent(id);
        if (job == null
                || !AccessPolicy.ownsJob(
                        callers.of(request).map(Caller::clientId).orElse(null), job.starter)) {
            throw new ResourceNotFoundException("There is no import job " + id);
        }
        if (job.failure != null) {
            throw failure(job);
        }
        if (job.result != null) {
            write(response, 200, job.result);
            return;
        }
        response.setHeader("X-Progress", job.progress());
        response.setHeader("Retry-After", "2");
        OperationOutcome progress = new OperationOutcome();
        progress.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("Import running: " + job.progress());
        write(response, 202, progress);
    }

    /** Progress: a resource of a running import is about to be stored (its transaction passed the intake rules). */
    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = HookOrder.IMPORT_COUNTING)
    void storing(RequestDetails request) {
        if (request != null && request.getUserData().get(JOB) instanceof Job job) {
            job.phase = "storing";
            job.stored.incrementAndGet();
        }
    }

    private void run(Job job, byte[] body, RequestDetails request, Optional<Caller> caller) {
        boolean spoke = caller.map(Caller::role).orElse(null) == Role.SPOKE;
        String site = spoke ? caller.get().site() : CarTIg.HUB_SITE_CODE;
        // What a spoke may not store (practitioners, organizations …) is kept as references by identifier.
        Predicate<String> storable =
                spoke ? type -> facts.kindOf(type) == AccessPolicy.Kind.PATIENT_DATA : type -> true;
        NdjsonImport.Plan plan = null;
        try {
            // A gzip body arrives unpacked (and limited) by RequestSizeLimitFilter.
            plan = new NdjsonImport(fhirContext, site, storable, properties.importMaxResources())
                    .plan(new ByteArrayInputStream(body));
            job.resources = plan.transaction().getEntry().size();
            job.phase = "checking " + job.resources + " resources against the intake rules";
            Bundle stored = systemDao.transaction(request, plan.transaction());
            job.result = summary(plan, stored);
        } catch (NdjsonImport.Refused refused) {
            fail(job, FileRefusals.refusal(refused.errors()));
        } catch (BaseServerResponseException refused) {
            List<NdjsonImport.Origin> origins = plan == null ? List.of() : plan.origins();
            fail(
                    job,
                    FileRefusals.relocated(
                            refused,
                            plan == null ? new Bundle() : plan.transaction(),
                            index -> index >= origins.size()
                                    ? null
                                    : "Line " + origins.get(index).line() + " ("
                                            + origins.get(index).sourceId() + ")"));
        } catch (IOException | RuntimeException e) {
            log.error("Import {} failed", job.id, e);
            fail(job, new InternalErrorException("The import failed at the hub; nothing was stored"));
        }
        log.info(
                "Import {} by {}: {}",
                job.id,
                job.starter,
                job.failure != null ? "refused" : job.resources + " resources");
    }

    private static void fail(Job job, BaseServerResponseException refused) {
        OperationOutcome outcome =
                refused.getOperationOutcome() instanceof OperationOutcome given ? given : new OperationOutcome();
        if (!outcome.hasIssue()) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.INVALID)
                    .setDiagnostics(refused.getMessage());
        }
        job.failureStatus = refused.getStatusCode();
        job.failure = outcome;
    }

    private static BaseServerResponseException failure(Job job) {
        return new UnclassifiedServerFailureException(
                job.failureStatus, job.failure.getIssueFirstRep().getDiagnostics(), job.failure.copy());
    }

    private static UnclassifiedServerFailureException throttled(String message) {
        UnclassifiedServerFailureException throttled = new UnclassifiedServerFailureException(429, message);
        throttled.addResponseHeader("Retry-After", "10");
        return throttled;
    }

    /** The counts per resource type: created now, or there already (an earlier import, a matched patient). */
    private static Parameters summary(NdjsonImport.Plan plan, Bundle stored) {
        Map<String, int[]> counts = new TreeMap<>();
        for (int i = 0; i < stored.getEntry().size(); i++) {
            String type = plan.origins().get(i).sourceId().split("/")[0];
            String status =
                    String.valueOf(stored.getEntry().get(i).getResponse().getStatus());
            counts.computeIfAbsent(type, key -> new int[2])[status.startsWith("201") ? 0 : 1]++;
        }
        Parameters summary = new Parameters();
        summary.addParameter().setName("lines").setValue(new IntegerType(plan.lines()));
        summary.addParameter()
                .setName("created")
                .setValue(new IntegerType(
                        counts.values().stream().mapToInt(count -> count[0]).sum()));
        summary.addParameter()
                .setName("existing")
                .setValue(new IntegerType(
                        counts.values().stream().mapToInt(count -> count[1]).sum()));
        counts.forEach((type, count) -> {
            Parameters.ParametersParameterComponent resource =
                    summary.addParameter().setName("resource");
            resource.addPart().setName("type").setValue(new CodeType(type));
            resource.addPart().setName("created").setValue(new IntegerType(count[0]));
            resource.addPart().setName("existing").setValue(new IntegerType(count[1]));
        });
        plan.notStored().forEach((type, notStored) -> {
            Parameters.ParametersParameterComponent resource =
                    summary.addParameter().setName("notStored");
            resource.addPart().setName("type").setValue(new CodeType(type));
            resource.addPart().setName("count").setValue(new IntegerType(notStored.count()));
            resource.addPart().setName("why").setValue(new StringType(notStored.why()));
        });
        return summary;
    }

    /** 202 now, with the whole (small) answer, so that the client has it while the import goes on in this request. */
    private void accepted(HttpServletResponse response, String poll) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("Import accepted: poll " + poll + " for its progress and outcome");
        response.setHeader("Content-Location", poll);
        response.setHeader("Connection", "close");
        write(response, 202, outcome);
        response.flushBuffer();
    }

    private void write(HttpServletResponse response, int status, IBaseResource resource) throws IOException {
        byte[] json =
                fhirContext.newJsonParser().encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(Constants.CT_FHIR_JSON_NEW);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
