package org.cartltfu.hub.exchange;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import ca.uhn.fhir.util.FhirTerser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.config.RateLimiter;
import org.cartltfu.hub.config.RefusedRequest;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.AccessGuard;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.context.event.EventListener;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Where HAPI's Basic Audit Log Patterns interceptor ({@code BalpAuditCaptureInterceptor}) sends its AuditEvents, and
 * who they name. Events of a request are held in that request's attributes until its answer has passed the access
 * guard (nothing outlives the request on its worker thread): then they go to the {@link AuditWriter}, which keeps them
 * in the database before the answer is sent; a failed request's
 * events are replaced by one failure event (so a rolled-back write is never audited as done). Refusals — failed
 * requests, the 401s and 429s answered before HAPI and imports refused after their 202 ({@link RefusedRequest}) —
 * are audited (server errors always, refusals at most at the configured rate per source; beyond it they are counted,
 * and the count goes into that source's next refusal event).
 */
@Interceptor
public class AuditTrail implements IBalpAuditEventSink, IBalpAuditContextServices {

    private static final String PENDING = AuditTrail.class.getName() + ".pending";
    private static final String ANSWERED = AuditTrail.class.getName() + ".answered";
    private static final String LEDGER = AuditTrail.class.getName() + ".ledger";
    private static final Set<RestOperationTypeEnum> OPERATIONS = EnumSet.of(
            RestOperationTypeEnum.EXTENDED_OPERATION_SERVER,
            RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE);

    private final Callers callers;
    private final SiteDirectory sites;
    private final AuditWriter writer;
    private final RateLimiter refusals;
    private final boolean enabled;

    /** @param enabled false: the refusals answered before HAPI are not audited either (HAPI's part is not registered) */
    public AuditTrail(Callers callers, SiteDirectory sites, AuditWriter writer, RateLimiter refusals, boolean enabled) {
        this.callers = callers;
        this.sites = sites;
        this.writer = writer;
        this.refusals = refusals;
        this.enabled = enabled;
    }

    @Override
    public void recordAuditEvent(AuditEvent auditEvent) {
        // BALP names operations by HAPI's own interaction codes (extended-operation-server), which R4's code system
        // lacks: such an event failed validation and was lost, and the writer fell back to storing one at a time.
        auditEvent.getSubtype().stream()
                .filter(subtype -> CarTIg.RESTFUL_INTERACTION.equals(subtype.getSystem()))
                .forEach(subtype ->
                        subtype.setCode(restfulInteraction(subtype.getCode())).setDisplay(null));
        // BALP's sink has no request parameter: the request's attributes are Spring's for the current request.
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes == null) {
            writer.submit(auditEvent);
            return;
        }
        @SuppressWarnings("unchecked")
        List<AuditEvent> pending = (List<AuditEvent>) attributes.getAttribute(PENDING, RequestAttributes.SCOPE_REQUEST);
        if (pending == null) {
            pending = new ArrayList<>();
            attributes.setAttribute(PENDING, pending, RequestAttributes.SCOPE_REQUEST);
        }
        pending.add(auditEvent);
    }

    /**
     * The access guard (earlier on this pointcut) let the answer go: its events are taken before its bytes are sent,
     * so an acknowledged request is audited even if this instance dies a moment later. BALP audits reads, searches
     * and writes only: an operation that answered with patient data would leave no trace, so it gets one event,
     * unless it keeps its own ledger (registry extracts).
     */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = HookOrder.AUDIT_TRAIL)
    public void answered(RequestDetails request, ResponseDetails answer) {
        List<AuditEvent> pending = takePending(request);
        pending.forEach(writer::submit);
        if (pending.isEmpty() && unauditedOperation(request)) {
            writer.submit(operation(request, answer.getResponseResource()));
        }
        request.getUserData().put(ANSWERED, Boolean.TRUE);
    }

    /** What a request recorded after its answer, or an operation that wrote its own answer (no outgoing response). */
    @Hook(value = Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY, order = HookOrder.AUDIT_TRAIL)
    public void requestSucceeded(RequestDetails request) {
        List<AuditEvent> pending = takePending(request);
        pending.forEach(writer::submit);
        if (pending.isEmpty() && !request.getUserData().containsKey(ANSWERED) && unauditedOperation(request)) {
            writer.submit(operation(request, null));
        }
    }

    private static boolean unauditedOperation(RequestDetails request) {
        return OPERATIONS.contains(request.getRestOperationType())
                && !request.getUserData().containsKey(LEDGER);
    }

    /** An operation that writes its own audit record of what it released (a registry extract) calls this. */
    public static void auditedByLedger(RequestDetails request) {
        request.getUserData().put(LEDGER, Boolean.TRUE);
    }

    private AuditEvent operation(RequestDetails request, IBaseResource answer) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding(CarTIg.AUDIT_EVENT_TYPE, "rest", "RESTful Operation"));
        event.addSubtype(new Coding(CarTIg.RESTFUL_INTERACTION, "operation", null));
        event.setAction(AuditEvent.AuditEventAction.E);
        event.setRecorded(new Date());
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        event.getSource().setObserver(new Reference().setDisplay("CAR-T LTFU Hub"));
        String source = request instanceof ServletRequestDetails servlet
                ? servlet.getServletRequest().getRemoteAddr()
                : "server";
        event.addAgent().setWho(getAgentClientWho(request)).setRequestor(true).setNetwork(network(source));
        event.addAgent().setWho(getAgentUserWho(request)).setRequestor(false);
        String query = request.getRequestPath()
                + (request instanceof ServletRequestDetails servlet
                                && servlet.getServletRequest().getQueryString() != null
                        ? "?" + servlet.getServletRequest().getQueryString()
                        : "");
        event.addEntity()
                .setType(new Coding(CarTIg.AUDIT_ENTITY_TYPE, "2", "System Object"))
                .setRole(new Coding(CarTIg.OBJECT_ROLE, "24", "Query"))
                .setDescription(request.getOperation())
                .setQuery(query.getBytes(StandardCharsets.UTF_8));
        patientsOf(request, answer)
                .forEach(patient -> event.addEntity()
                        .setWhat(new Reference(CarTIg.AUDITED_BASE + "Patient/" + patient))
                        .setType(new Coding(CarTIg.AUDIT_ENTITY_TYPE, "1", "Person"))
                        .setRole(new Coding(CarTIg.OBJECT_ROLE, "1", "Patient")));
        return event;
    }

    /** The patient an instance operation ran on, and every patient its answer names or holds. */
    private static Set<String> patientsOf(RequestDetails request, IBaseResource answer) {
        Set<String> patients = new TreeSet<>();
        if (request.getId() != null
                && "Patient".equals(request.getResourceName())
                && request.getId().hasIdPart()) {
            patients.add(request.getId().getIdPart());
        }
        if (answer == null) {
            return patients;
        }
        FhirTerser terser = request.getFhirContext().newTerser();
        for (IBaseReference reference : terser.getAllPopulatedChildElementsOfType(answer, IBaseReference.class)) {
            IIdType target = reference.getReferenceElement();
            if ("Patient".equals(target.getResourceType()) && target.hasIdPart() && !target.isAbsolute()) {
                patients.add(target.getIdPart());
            }
        }
        for (IBaseResource resource : terser.getAllEmbeddedResources(answer, true)) {
            if ("Patient".equals(resource.fhirType()) && resource.getIdElement().hasIdPart()) {
                patients.add(resource.getIdElement().getIdPart());
            }
        }
        return patients;
    }

    @Hook(value = Pointcut.SERVER_HANDLE_EXCEPTION, order = HookOrder.AUDIT_TRAIL)
    public boolean requestFailed(RequestDetails request, BaseServerResponseException exception) {
        takePending(request);
        Optional<Caller> caller = callers.of(request);
        String source = request instanceof ServletRequestDetails servlet
                ? servlet.getServletRequest().getRemoteAddr()
                : "server";
        // A server error is always recorded; refusals and bad requests at most at the audit rate of their source.
        RateLimiter.Decision decision = exception.getStatusCode() >= 500
                ? new RateLimiter.Decision(true, 0, 0)
                : refusals.tryAcquire(caller.map(Caller::clientId).orElse(source));
        if (decision.allowed()) {
            AuditEvent event = failure(
                    request.getRestOperationType() == null
                            ? null
                            : request.getRestOperationType().getCode(),
                    exception.getStatusCode(),
                    exception.getMessage() + AccessGuard.refusalNote(request),
                    decision.refusedBefore(),
                    request.getRequestPath());
            event.addAgent()
                    .setWho(getAgentClientWho(request))
                    .setRequestor(true)
                    .setNetwork(network(source));
            event.addAgent().setWho(getAgentUserWho(request)).setRequestor(false);
            writer.submit(event);
        }
        return true;
    }

    /** A 401 or 429 answered before HAPI saw the request, or an import refused after its 202. */
    @EventListener
    public void refused(RefusedRequest refused) {
        if (!enabled) {
            return;
        }
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            attributes.removeAttribute(PENDING, RequestAttributes.SCOPE_REQUEST);
        }
        RateLimiter.Decision decision = refused.status() >= 500
                ? new RateLimiter.Decision(true, 0, 0)
                : refusals.tryAcquire(refused.client() != null ? refused.client() : refused.source());
        if (!decision.allowed()) {
            return;
        }
        AuditEvent event = failure(
                null,
                refused.status(),
                refused.reason(),
                decision.refusedBefore(),
                refused.method() + " " + refused.path());
        Reference client = new Reference();
        client.getIdentifier()
                .setSystem(CarTIg.SID_OAUTH_CLIENT)
                .setValue(refused.client() != null ? refused.client() : unauthenticated());
        event.addAgent().setWho(client).setRequestor(true).setNetwork(network(refused.source()));
        writer.submit(event);
    }

    private static AuditEvent.AuditEventAgentNetworkComponent network(String address) {
        return new AuditEvent.AuditEventAgentNetworkComponent()
                .setAddress(address)
                .setType(AuditEvent.AuditEventAgentNetworkType._2);
    }

    private static List<AuditEvent> takePending(RequestDetails request) {
        if (!(request instanceof ServletRequestDetails servlet)) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<AuditEvent> pending =
                (List<AuditEvent>) servlet.getServletRequest().getAttribute(PENDING);
        servlet.getServletRequest().removeAttribute(PENDING);
        return pending == null ? List.of() : pending;
    }

    @Override
    public Reference getAgentClientWho(RequestDetails request) {
        Reference client = new Reference();
        client.getIdentifier()
                .setSystem(CarTIg.SID_OAUTH_CLIENT)
                .setValue(callers.of(request).map(Caller::clientId).orElse(unauthenticated()));
        return client;
    }

    @Override
    public Reference getAgentUserWho(RequestDetails request) {
        return callers.of(request)
                .map(caller -> sites.agent(caller.site()))
                .orElseGet(() -> new Reference().setDisplay(unauthenticated()));
    }

    @Override
    public String massageResourceIdForStorage(RequestDetails request, IBaseResource resource, IIdType resourceId) {
        String type = resourceId.hasResourceType() ? resourceId.getResourceType() : fhirType(resource);
        String id = type + "/" + resourceId.getIdPart();
        return CarTIg.AUDITED_BASE
                + (resourceId.hasVersionIdPart() ? id + "/_history/" + resourceId.getVersionIdPart() : id);
    }

    private static String fhirType(IBaseResource resource) {
        return resource == null ? "Resource" : resource.fhirType();
    }

    private String unauthenticated() {
        return callers.securityEnabled() ? "unauthenticated" : "development (security disabled)";
    }

    private AuditEvent failure(String interaction, int status, String message, long refusedBefore, String what) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding(CarTIg.AUDIT_EVENT_TYPE, "rest", "RESTful Operation"));
        String code = restfulInteraction(interaction);
        if (code != null) {
            event.addSubtype(new Coding(CarTIg.RESTFUL_INTERACTION, code, null));
        }
        event.setRecorded(new Date());
        // 4 = minor failure (refused or invalid request); 8 = serious failure (server error).
        event.setOutcome(status < 500 ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._8);
        event.setOutcomeDesc(status + " " + message
                + (refusedBefore == 0
                        ? ""
                        : " (and " + refusedBefore
                                + " earlier refusals of this source, over the audit rate, not recorded one by one)"));
        event.getSource().setObserver(new Reference().setDisplay("CAR-T LTFU Hub"));
        event.addEntity().setDescription(what);
        return event;
    }

    /**
     * HAPI's name of the interaction as a code of R4's restful-interaction (HAPI's own names, such as
     * extended-operation-server, are not in it: an event carrying one failed validation and was lost).
     */
    static String restfulInteraction(String hapiName) {
        if (hapiName == null) {
            return null;
        }
        return switch (hapiName) {
            case "read",
                    "vread",
                    "update",
                    "patch",
                    "delete",
                    "history-instance",
                    "history-type",
                    "history-system",
                    "create",
                    "search-type",
                    "search-system",
                    "transaction",
                    "batch" -> hapiName;
            case "metadata" -> "capabilities";
            case "get-page" -> "search";
            default -> "operation";
        };
    }
}
