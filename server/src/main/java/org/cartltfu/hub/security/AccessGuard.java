package org.cartltfu.hub.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.i18n.Msg;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.security.AccessPolicy.Interaction;
import org.cartltfu.hub.security.AccessPolicy.Kind;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@link AccessPolicy} on the way in and, whatever path a request took, on the way out:
 * <ol>
 *   <li><b>gate</b> (after the request is parsed): may this caller ask this at all; an instance another site owns is
 *       answered exactly like one that does not exist (HAPI's own 404 text);
 *   <li><b>narrowing</b> (every search the caller's request runs, including conditional-write match URLs and searches
 *       inside batches and operations): a spoke's searches on patient data only ever see its own site's patients;
 *   <li><b>conditional URLs</b> of a spoke (If-None-Exist, conditional update/delete/patch, conditional references,
 *       in single requests and in transactions) carry its site, so they can only match, and only be remembered
 *       (HAPI's unique conditional-URL index), within its own data;
 *   <li><b>outbound guard</b> (the last step of every response): every resource leaving, inside bundles, pages,
 *       includes, transaction and batch responses and operation outputs, is judged again; what the policy denies
 *       never leaves;
 *   <li><b>errors</b>: a non-hub caller never sees SQL, internal ids or a stack-derived text.
 * </ol>
 */
@Interceptor
public class AccessGuard {

    private static final Logger log = LoggerFactory.getLogger(AccessGuard.class);

    private final Callers callers;
    private final AccessFacts facts;
    private final FhirContext fhirContext;
    private final Duration refusalFloor;

    /** @param refusalFloor the least time to an error answer for anyone but the hub (see {@link #holdAnswer}) */
    public AccessGuard(Callers callers, AccessFacts facts, FhirContext fhirContext, Duration refusalFloor) {
        this.callers = callers;
        this.facts = facts;
        this.fhirContext = fhirContext;
        this.refusalFloor = refusalFloor;
    }

    // ---- 1. gate ----

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = HookOrder.ACCESS_GUARD)
    public void gate(RequestDetails request) {
        if (!callers.securityEnabled()) {
            return;
        }
        Caller caller = callers.of(request).orElse(null);
        String organization = facts.organization(caller);
        AccessPolicy.Request asked = describe(
                request.getRestOperationType(), request.getResourceName(), request.getOperation(), request.getId());
        AccessPolicy.refusesRequest(caller, organization, asked).ifPresent(why -> {
            // Decided from the token and the request's shape alone: its timing says nothing about stored data.
            request.getUserData().put(SHAPE_REFUSAL, Boolean.TRUE);
            throw new ForbiddenOperationException("Access denied: " + why);
        });
        if (AccessPolicy.judgesTarget(caller, asked)) {
            checkTarget(caller, organization, request.getId().toUnqualifiedVersionless(), asked, request);
        }
        if (caller != null && caller.role() == Role.SPOKE) {
            refuseCrossSiteParameters(request, asked);
            scopeConditionalUrls(request, organization);
        }
    }

    private AccessPolicy.Request describe(
            RestOperationTypeEnum operation, String type, String operationName, IIdType id) {
        boolean instance = id != null && id.hasIdPart();
        Interaction interaction = operation == null
                ? Interaction.OTHER
                : switch (operation) {
                    case METADATA -> Interaction.METADATA;
                    case GET_PAGE -> Interaction.PAGE;
                    case READ, VREAD -> Interaction.READ;
                    case SEARCH_TYPE, SEARCH_SYSTEM -> Interaction.SEARCH;
                    case HISTORY_INSTANCE, HISTORY_TYPE, HISTORY_SYSTEM -> Interaction.HISTORY;
                    case CREATE -> Interaction.CREATE;
                    case UPDATE, PATCH -> Interaction.UPDATE;
                    case DELETE -> Interaction.DELETE;
                    case TRANSACTION, BATCH -> Interaction.BUNDLE;
                    case EXTENDED_OPERATION_SERVER,
                            EXTENDED_OPERATION_TYPE,
                            EXTENDED_OPERATION_INSTANCE,
                            VALIDATE,
                            META,
                            META_ADD,
                            META_DELETE,
                            GET_TAGS,
                            ADD_TAGS,
                            DELETE_TAGS,
                            GRAPHQL_REQUEST -> Interaction.OPERATION;
                    default -> Interaction.OTHER;
                };
        String name = operationName != null || operation == null
                ? operationName
                : switch (operation) {
                    case VALIDATE -> "$validate";
                    case META, META_ADD, META_DELETE, GET_TAGS, ADD_TAGS, DELETE_TAGS -> "$" + operation.getCode();
                    case GRAPHQL_REQUEST -> "$graphql";
                    default -> null;
                };
        if (name != null && !name.startsWith("$")) {
            name = "$" + name;
        }
        return new AccessPolicy.Request(interaction, type, facts.kindOf(type), name, instance);
    }

    /**
     * A resource another site owns answers exactly as one that does not exist: the same status and HAPI's own text,
     * after the same single lookup. So a spoke cannot create a resource under an id of its own choosing (PUT to an id
     * it does not have): whether that id is free or another site's would show. It creates with POST or a conditional
     * update ({@code PUT Type?identifier=…}), as its pushes do.
     */
    private void checkTarget(
            Caller caller, String organization, IIdType id, AccessPolicy.Request asked, RequestDetails request) {
        List<IBaseResource> found;
        if (caller.role() == Role.SPOKE && asked.kind() == Kind.PATIENT_DATA) {
            // One query narrowed to the spoke's site: another site's resource and an absent one take the same path.
            found = facts.findOwn(id, organization);
        } else {
            found = facts.load(List.of(id));
        }
        if (found.isEmpty()) {
            throw notKnown(id, request, "not found, or another site's data answered as not found");
        }
        // The request's owner cache: the outbound guard then judges the same resource without looking it up again.
        facts.prime(found, request);
        if (!AccessPolicy.maySee(caller, organization, facts.of(found.get(0), request, true))) {
            throw notKnown(id, request, "another site's data, answered as not found");
        }
    }

    /** {@code _has} on a shared type (Organization) would tell whether another site has a matching patient. */
    private void refuseCrossSiteParameters(RequestDetails request, AccessPolicy.Request asked) {
        if (asked.interaction() != Interaction.SEARCH || asked.kind() == Kind.PATIENT_DATA) {
            return;
        }
        for (String parameter : request.getParameters().keySet()) {
            if (parameter.startsWith("_has") || parameter.contains(".")) {
                throw new InvalidRequestException("Search parameter " + parameter + " is not available to spokes on "
                        + asked.type() + ": it reaches into other sites' patients");
            }
        }
    }

    private void scopeConditionalUrls(RequestDetails request, String organization) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        String type = request.getResourceName();
        if (operation == RestOperationTypeEnum.CREATE) {
            String ifNoneExist = request.getHeader(Constants.HEADER_IF_NONE_EXIST);
            if (ifNoneExist != null && !ifNoneExist.isBlank()) {
                request.setHeaders(Constants.HEADER_IF_NONE_EXIST, List.of(scoped(type, ifNoneExist, organization)));
            }
        } else if ((operation == RestOperationTypeEnum.UPDATE
                        || operation == RestOperationTypeEnum.DELETE
                        || operation == RestOperationTypeEnum.PATCH)
                && (request.getId() == null || !request.getId().hasIdPart())
                && request.getCompleteUrl() != null
                && request.getCompleteUrl().contains("?")) {
            String url = request.getCompleteUrl();
            int query = url.indexOf('?');
            request.setCompleteUrl(url.substring(0, query + 1) + scoped(type, url.substring(query + 1), organization));
        }
    }

    // ---- 2. narrowing ----

    @Hook(value = Pointcut.STORAGE_PRESEARCH_REGISTERED, order = HookOrder.ACCESS_GUARD)
    public void narrow(RequestDetails request, SearchParameterMap search, ICachedSearchDetails details) {
        Caller caller = spoke(request);
        if (caller != null) {
            facts.narrow(search, details.getResourceType(), facts.organization(caller));
        }
    }

    /** The same narrowing, as text, for a conditional URL ({@code identifier=x} becomes {@code identifier=x&...}). */
    private String scoped(String type, String query, String organization) {
        String question = query.indexOf('?') >= 0 ? query.substring(query.indexOf('?') + 1) : query;
        String prefix = query.indexOf('?') >= 0 ? query.substring(0, query.indexOf('?') + 1) : "";
        if (facts.kindOf(type) != Kind.PATIENT_DATA) {
            throw new InvalidRequestException(
                    "Conditional URL " + query + ": a spoke writes only patient data, and " + type + " is not");
        }
        String narrowing = facts.narrowingText(type, organization);
        if (question.endsWith(narrowing)) {
            return query;
        }
        return prefix + question + (question.isEmpty() ? "" : "&") + narrowing;
    }

    // ---- 3. conditional URLs and reads inside transactions and batches ----

    @Hook(value = Pointcut.STORAGE_TRANSACTION_PROCESSING, order = HookOrder.ACCESS_GUARD)
    public void transaction(RequestDetails request, org.hl7.fhir.instance.model.api.IBaseBundle input) {
        Caller caller = spoke(request);
        if (caller == null || !(input instanceof Bundle bundle)) {
            return;
        }
        String organization = facts.organization(caller);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryRequestComponent asked = entry.getRequest();
            if (asked.getMethod() == Bundle.HTTPVerb.GET || asked.getMethod() == Bundle.HTTPVerb.HEAD) {
                judgeRead(caller, organization, asked.getUrl());
                continue;
            }
            if (asked.hasIfNoneExist()) {
                String type = entry.hasResource() ? entry.getResource().fhirType() : typeOf(asked.getUrl());
                Kind kind = facts.kindOf(type);
                // A conditional create of the site Organization is a lookup in what every spoke may read (it may not
                // create one: SiteWriteGuard); of patient data it is narrowed; of anything else refused before it runs.
                if (kind != Kind.DIRECTORY && kind != Kind.CONFORMANCE) {
                    asked.setIfNoneExist(scoped(type, asked.getIfNoneExist(), organization));
                }
            }
            if (asked.hasUrl() && asked.getUrl().contains("?")) {
                asked.setUrl(scoped(typeOf(asked.getUrl()), asked.getUrl(), organization));
            } else if (asked.getMethod() != Bundle.HTTPVerb.POST && asked.hasUrl()) {
                // An update, patch or delete by id: as at the gate, only of the spoke's own data (an id that is free
                // and one that is another site's answer alike).
                IdType id = new IdType(asked.getUrl()).toUnqualifiedVersionless();
                if (id.hasResourceType()
                        && id.hasIdPart()
                        && facts.kindOf(id.getResourceType()) == Kind.PATIENT_DATA
                        && facts.findOwn(id, organization).isEmpty()) {
                    throw notKnown(
                            id,
                            request,
                            "entry " + asked.getMethod().toCode() + " " + asked.getUrl()
                                    + ": not found, or another site's data answered as not found");
                }
            }
            if (entry.hasResource()) {
                scopeConditionalReferences(entry.getResource(), organization);
            }
        }
    }

    /** A batch's reads are requests of their own: the same gate applies (the guard judges what they return). */
    private void judgeRead(Caller caller, String organization, String url) {
        String path = url == null ? "" : url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String[] parts = path.replaceFirst("^/", "").split("/");
        String type = parts.length > 0 && !parts[0].isEmpty() && !parts[0].startsWith("$") ? parts[0] : null;
        String operation = null;
        boolean history = false;
        for (String part : parts) {
            operation = part.startsWith("$") ? part : operation;
            history |= part.equals("_history");
        }
        IIdType id = parts.length > 1 && !parts[1].startsWith("$") && !parts[1].startsWith("_") && type != null
                ? new IdType(type, parts[1])
                : null;
        RestOperationTypeEnum kind = operation != null
                ? RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                : history
                        ? RestOperationTypeEnum.HISTORY_TYPE
                        : id != null
                                ? RestOperationTypeEnum.READ
                                : type == null
                                        ? RestOperationTypeEnum.SEARCH_SYSTEM
                                        : RestOperationTypeEnum.SEARCH_TYPE;
        AccessPolicy.Request asked = describe(kind, type, operation, history ? null : id);
        if (history && id != null) {
            asked = new AccessPolicy.Request(Interaction.HISTORY, type, asked.kind(), null, true);
        }
        Optional<String> refusal = AccessPolicy.refusesRequest(caller, organization, asked);
        if (refusal.isPresent()) {
            throw new ForbiddenOperationException("Access denied: entry GET " + url + ": " + refusal.get());
        }
        if (url != null && url.contains("_has")) {
            throw new InvalidRequestException("entry GET " + url + ": _has is not available to spokes in a batch");
        }
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = HookOrder.ACCESS_GUARD)
    public void creating(IBaseResource resource, RequestDetails request) {
        Caller caller = spoke(request);
        if (caller != null) {
            scopeConditionalReferences(resource, facts.organization(caller));
        }
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = HookOrder.ACCESS_GUARD)
    public void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        creating(resource, request);
    }

    /**
     * {@code subject: Patient?identifier=x} only ever resolves among the spoke's own patients. References to shared
     * resources ({@code Organization?identifier=<site>}, a product by its chain-of-identity id) resolve as they are:
     * they are not patient data.
     */
    private void scopeConditionalReferences(IBaseResource resource, String organization) {
        for (IBaseReference reference :
                fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, IBaseReference.class)) {
            String value = reference.getReferenceElement().getValue();
            // Absolute only if the part before '?' is a URL: the query itself holds identifier systems (https://...).
            if (value != null
                    && value.contains("?")
                    && !value.startsWith("#")
                    && !value.substring(0, value.indexOf('?')).contains("://")
                    && facts.kindOf(typeOf(value)) == Kind.PATIENT_DATA) {
                reference.setReference(scoped(typeOf(value), value, organization));
            }
        }
    }

    private static String typeOf(String url) {
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        path = path.replaceFirst("^/", "");
        return path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
    }

    // ---- 4. outbound guard ----

    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = HookOrder.ACCESS_GUARD)
    public void outgoing(RequestDetails request, ResponseDetails response) {
        if (!callers.securityEnabled()
                || request instanceof SystemRequestDetails
                || response.getResponseResource() == null) {
            return;
        }
        Caller caller = callers.of(request).orElse(null);
        String organization = facts.organization(caller);
        boolean needOwners = caller != null && caller.role() == Role.SPOKE;
        IBaseResource top = response.getResponseResource();
        List<IBaseResource> judged = new ArrayList<>();
        collect(top, judged);
        if (needOwners) {
            facts.prime(judged, request);
        }
        Map<IBaseResource, Boolean> verdicts = new IdentityHashMap<>();
        for (IBaseResource resource : judged) {
            verdicts.put(resource, AccessPolicy.maySee(caller, organization, facts.of(resource, request, needOwners)));
        }
        if (top instanceof Bundle bundle) {
            filter(bundle, verdicts, caller, organization, request, needOwners);
        } else if (top instanceof Parameters parameters) {
            filter(parameters.getParameter(), verdicts, caller, organization, request, needOwners);
        } else if (!verdicts.getOrDefault(top, true)) {
            throw notKnown(top.getIdElement(), request, "another site's data in the response, answered as not found");
        }
        if (caller == null || caller.role() != Role.HUB) {
            if (top instanceof Bundle bundle
                    && bundle.getEntry().stream()
                            .anyMatch(entry -> entry.hasResponse()
                                    && entry.getResponse().getStatus() != null
                                    && entry.getResponse().getStatus().startsWith("4"))) {
                holdAnswer(request);
            }
        }
    }

    /** The resources a response carries that are judged one by one (envelopes are opened, not judged). */
    private void collect(IBaseResource resource, List<IBaseResource> into) {
        if (resource instanceof Bundle bundle && envelope(bundle)) {
            bundle.getEntry().stream()
                    .filter(Bundle.BundleEntryComponent::hasResource)
                    .forEach(entry -> collect(entry.getResource(), into));
        } else if (resource instanceof Parameters parameters) {
            collectParameters(parameters.getParameter(), into);
        } else if (resource != null && !(resource instanceof OperationOutcome)) {
            into.add(resource);
        }
    }

    private void collectParameters(List<Parameters.ParametersParameterComponent> parameters, List<IBaseResource> into) {
        for (Parameters.ParametersParameterComponent parameter : parameters) {
            if (parameter.hasResource()) {
                collect(parameter.getResource(), into);
            }
            collectParameters(parameter.getPart(), into);
        }
    }

    /** Search, history and transaction/batch response bundles are envelopes; a stored document Bundle is data. */
    private static boolean envelope(Bundle bundle) {
        return switch (bundle.getType() == null ? Bundle.BundleType.NULL : bundle.getType()) {
            case SEARCHSET, HISTORY, TRANSACTIONRESPONSE, BATCHRESPONSE -> true;
            default -> !bundle.getIdElement().hasVersionIdPart();
        };
    }

    private void filter(
            Bundle bundle,
            Map<IBaseResource, Boolean> verdicts,
            Caller caller,
            String organization,
            RequestDetails request,
            boolean needOwners) {
        if (!envelope(bundle)) {
            return;
        }
        boolean answers = bundle.getType() == Bundle.BundleType.TRANSACTIONRESPONSE
                || bundle.getType() == Bundle.BundleType.BATCHRESPONSE;
        Set<Bundle.BundleEntryComponent> deniedLocations = answers && caller != null && caller.role() != Role.HUB
                ? deniedLocations(bundle, caller, organization, request, needOwners)
                : Set.of();
        Iterator<Bundle.BundleEntryComponent> entries = bundle.getEntry().iterator();
        while (entries.hasNext()) {
            Bundle.BundleEntryComponent entry = entries.next();
            Resource resource = entry.getResource();
            boolean denied = resource != null && !verdicts.getOrDefault(resource, true);
            if (resource instanceof Bundle nested) {
                filter(nested, verdicts, caller, organization, request, needOwners);
            } else if (resource instanceof Parameters parameters) {
                filter(parameters.getParameter(), verdicts, caller, organization, request, needOwners);
            }
            denied |= deniedLocations.contains(entry);
            if (!denied) {
                continue;
            }
            if (answers) {
                // The answer to one entry: it must stay, and look exactly like a request for something absent.
                IIdType id = resource != null
                        ? resource.getIdElement()
                        : new IdType(entry.getResponse().getLocation());
                entry.setResource(null);
                entry.setFullUrl(null);
                entry.getResponse()
                        .setLocation(null)
                        .setEtag(null)
                        .setLastModified(null)
                        .setStatus("404 Not Found")
                        .setOutcome(outcome(notKnown(id.toUnqualifiedVersionless())));
            } else {
                entries.remove();
            }
        }
    }

    /**
     * The entries of a transaction/batch answer whose location was not created by it (a conditional match or an
     * update) and which the caller may not see.
     */
    private Set<Bundle.BundleEntryComponent> deniedLocations(
            Bundle bundle, Caller caller, String organization, RequestDetails request, boolean needOwners) {
        Map<Bundle.BundleEntryComponent, String> matched = new IdentityHashMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (!entry.hasResource()
                    && entry.hasResponse()
                    && entry.getResponse().hasLocation()
                    && !entry.getResponse().getStatus().startsWith("201")) {
                matched.put(
                        entry,
                        new IdType(entry.getResponse().getLocation())
                                .toUnqualifiedVersionless()
                                .getValue());
            }
        }
        Set<Bundle.BundleEntryComponent> denied = Collections.newSetFromMap(new IdentityHashMap<>());
        if (matched.isEmpty()) {
            return denied;
        }
        List<IBaseResource> found =
                facts.load(matched.values().stream().<IIdType>map(IdType::new).toList());
        if (needOwners) {
            facts.prime(found, request);
        }
        Set<String> visible = new HashSet<>();
        for (IBaseResource resource : found) {
            if (AccessPolicy.maySee(caller, organization, facts.of(resource, request, needOwners))) {
                visible.add(resource.getIdElement().toUnqualifiedVersionless().getValue());
            }
        }
        matched.forEach((entry, id) -> {
            if (!visible.contains(id)) {
                denied.add(entry);
            }
        });
        return denied;
    }

    private void filter(
            List<Parameters.ParametersParameterComponent> parameters,
            Map<IBaseResource, Boolean> verdicts,
            Caller caller,
            String organization,
            RequestDetails request,
            boolean needOwners) {
        Iterator<Parameters.ParametersParameterComponent> iterator = parameters.iterator();
        while (iterator.hasNext()) {
            Parameters.ParametersParameterComponent parameter = iterator.next();
            if (parameter.getResource() instanceof Bundle nested) {
                filter(nested, verdicts, caller, organization, request, needOwners);
            }
            if (parameter.hasResource() && !verdicts.getOrDefault(parameter.getResource(), true)) {
                iterator.remove();
                continue;
            }
            filter(parameter.getPart(), verdicts, caller, organization, request, needOwners);
        }
    }

    // ---- 5. errors ----

    /**
     * Database and internal failures are told to the hub as they are; anyone else gets what to do, without SQL,
     * constraint names or row ids (the original is logged under a reference the hub can look up).
     */
    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = HookOrder.ACCESS_GUARD)
    public BaseServerResponseException errors(RequestDetails request, Throwable exception) {
        BaseServerResponseException byElement = unknownReferenceByElement(exception);
        if (!callers.securityEnabled()) {
            return byElement;
        }
        Caller caller = callers.of(request).orElse(null);
        if (caller != null && caller.role() == Role.HUB) {
            return byElement;
        }
        if (!Boolean.TRUE.equals(request.getUserData().get(SHAPE_REFUSAL))) {
            holdAnswer(request);
        }
        int status = exception instanceof BaseServerResponseException response ? response.getStatusCode() : 500;
        if (status < 500 && !internal(exception)) {
            return byElement;
        }
        String reference = UUID.randomUUID().toString();
        log.warn(
                "Error {} for {} hidden from the client (reference {})",
                status,
                caller == null ? "an unauthenticated caller" : caller.clientId(),
                reference,
                exception);
        if (status == 409 || status == 412) {
            return new ResourceVersionConflictException("The request conflicts with a concurrent change on the hub;"
                    + " nothing was stored. Send it again. (reference " + reference + ")");
        }
        return new InternalErrorException(
                "The hub could not complete this request; nothing was stored." + " (reference " + reference + ")");
    }

    /** HAPI's refusal of a reference to nothing, naming the element ({@link SiteWriteGuard#unknownReferenceByElement}). */
    private static BaseServerResponseException unknownReferenceByElement(Throwable exception) {
        if (!(exception instanceof BaseServerResponseException response)) {
            return null;
        }
        if (response.getOperationOutcome() instanceof OperationOutcome outcome) {
            // HAPI answers with this outcome's issues as they are now.
            outcome.getIssue()
                    .forEach(issue ->
                            issue.setDiagnostics(SiteWriteGuard.unknownReferenceByElement(issue.getDiagnostics())));
            return null;
        }
        String message = SiteWriteGuard.unknownReferenceByElement(response.getMessage());
        if (Objects.equals(message, response.getMessage())) {
            return null;
        }
        BaseServerResponseException replaced =
                new UnclassifiedServerFailureException(response.getStatusCode(), message);
        if (response.hasResponseHeaders()) {
            response.getResponseHeaders()
                    .forEach((name, values) -> values.forEach(value -> replaced.addResponseHeader(name, value)));
        }
        return replaced;
    }

    private static boolean internal(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            String message =
                    cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("sql")
                    || message.contains("constraint")
                    || message.contains("hfj_")
                    || message.contains("jdbc")
                    || message.contains("hibernate")
                    || message.contains("could not execute")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Holds an error answer (or a batch answer with a failed entry) until the refusal floor has passed since the
     * request arrived. Refusing another site's resource costs a few more database reads than missing an absent one;
     * below the floor both answers leave at the same moment, so their timing is no existence oracle. (A refusal for
     * the request's shape at the gate, before any data was looked at, is not held.)
     */
    private void holdAnswer(RequestDetails request) {
        long rest = refusalFloor.toMillis() - request.getRequestStopwatch().getMillis();
        if (rest > 0) {
            try {
                Thread.sleep(rest);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- shared ----

    private Caller spoke(RequestDetails request) {
        if (!callers.securityEnabled() || request == null || request instanceof SystemRequestDetails) {
            return null;
        }
        return callers.of(request).filter(caller -> caller.role() == Role.SPOKE).orElse(null);
    }

    /**
     * For the hub's audit trail (never for the caller): why a request that looked like "not found" was refused.
     * Empty when it was not refused by the policy.
     */
    public static String refusalNote(RequestDetails request) {
        Object note = request == null ? null : request.getUserData().get(REFUSAL_NOTE);
        return note == null ? "" : " (access policy: " + note + ")";
    }

    private static final String REFUSAL_NOTE = AccessGuard.class.getName() + ".refusal";
    private static final String SHAPE_REFUSAL = AccessGuard.class.getName() + ".shape";

    static ResourceNotFoundException notKnown(IIdType id, RequestDetails request, String why) {
        noteRefusal(request, why);
        return notKnown(id);
    }

    static void noteRefusal(RequestDetails request, String why) {
        if (request != null) {
            request.getUserData().put(REFUSAL_NOTE, why);
        }
    }

    /** Exactly what HAPI answers for an id it does not have. */
    static ResourceNotFoundException notKnown(IIdType id) {
        return new ResourceNotFoundException(
                Msg.code(2001) + "Resource " + id.toUnqualifiedVersionless().getValue() + " is not known");
    }

    private OperationOutcome outcome(BaseServerResponseException exception) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(exception.getMessage());
        return outcome;
    }
}
