package org.cartltfu.hub.security;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.i18n.Msg;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.AccessPolicy.Facts;
import org.cartltfu.hub.security.AccessPolicy.Kind;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * Asks {@link AccessPolicy} about every resource a client writes, at the last moment before commit, when references
 * inside a transaction (placeholders, conditional references) are resolved, as it is before and after the write.
 * A refusal rolls the whole request back. Where the refusal is because data belongs to another site, it reads
 * exactly like HAPI's answer for data that does not exist: a reference to another site's patient is "not found"
 * (400), changing another site's resource is "not known" (404).
 */
@Interceptor
public class SiteWriteGuard {

    private final Callers callers;
    private final AccessFacts facts;
    private final FhirContext fhirContext;

    public SiteWriteGuard(Callers callers, AccessFacts facts, FhirContext fhirContext) {
        this.callers = callers;
        this.facts = facts;
        this.fhirContext = fhirContext;
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = HookOrder.SITE_WRITE_GUARD)
    public void created(IBaseResource resource, RequestDetails request) {
        check(resource, Permission.CREATE, false, request);
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = HookOrder.SITE_WRITE_GUARD)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        check(previous, Permission.UPDATE, true, request);
        check(resource, Permission.UPDATE, false, request);
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, order = HookOrder.SITE_WRITE_GUARD)
    public void deleted(IBaseResource resource, RequestDetails request) {
        check(resource, Permission.DELETE, true, request);
    }

    /** @param existing whether the resource is what is stored now (the target of an update or delete) */
    private void check(IBaseResource resource, Permission permission, boolean existing, RequestDetails request) {
        if (!callers.securityEnabled() || request == null || request instanceof SystemRequestDetails) {
            return;
        }
        Caller caller = callers.of(request).orElse(null);
        String organization = facts.organization(caller);
        Facts known = facts.of(resource, request, caller != null && caller.role() == Role.SPOKE);
        Optional<String> refusal = AccessPolicy.refusesWrite(caller, organization, known, permission);
        if (refusal.isPresent()) {
            if (caller != null
                    && caller.role() == Role.SPOKE
                    && known.kind() == Kind.PATIENT_DATA
                    && !known.owners().isEmpty()
                    && !(resource instanceof Patient)) {
                if (existing) {
                    throw AccessGuard.notKnown(resource.getIdElement(), request, "a change to another site's data");
                }
                AccessGuard.noteRefusal(request, "a reference to another site's patient, answered as not found");
                throw unknownReference(resource, organization);
            }
            throw new ForbiddenOperationException("Access denied: " + refusal.get()
                    + (resource instanceof Patient
                            ? " (Patient.managingOrganization must be the site Organization of " + caller.site() + ")"
                            : ""));
        }
        if (caller != null && caller.role() == Role.SPOKE && resource instanceof Provenance provenance) {
            checkAgents(provenance, organization, caller);
        }
    }

    /** HAPI's own words for a reference to a resource it does not have: which element, which id. */
    private InvalidRequestException unknownReference(IBaseResource resource, String organization) {
        String type = fhirContext.getResourceType(resource);
        for (Map.Entry<String, IIdType> reference : references(resource, type)) {
            IIdType id = reference.getValue();
            if ("Patient".equals(id.getResourceType()) || "Provenance".equals(type)) {
                Facts target = "Patient".equals(id.getResourceType()) ? patientFacts(id) : null;
                if (target == null || !target.owners().contains(organization)) {
                    return new InvalidRequestException(Msg.code(1094) + "Resource "
                            + id.toUnqualifiedVersionless().getValue() + UNKNOWN_REFERENCE_PATH + reference.getKey());
                }
            }
        }
        return new InvalidRequestException(Msg.code(1094) + "A resource this " + type + " refers to was not found");
    }

    /** Every reference of the resource with the path of its element ({@code Encounter.participant.individual}). */
    private List<Map.Entry<String, IIdType>> references(IBaseResource resource, String type) {
        List<Map.Entry<String, IIdType>> references = new ArrayList<>();
        fhirContext.newTerser().visit(resource, (element, containing, children, definitions) -> {
            if (element instanceof IBaseReference reference
                    && !reference.getReferenceElement().isEmpty()) {
                references.add(Map.entry(
                        type + "."
                                + children.stream()
                                        .map(BaseRuntimeChildDefinition::getElementName)
                                        .collect(Collectors.joining(".")),
                        reference.getReferenceElement()));
            }
            return true;
        });
        return references;
    }

    /**
     * A refusal of a reference to nothing with the element it is in as its path. HAPI names the path of whichever
     * search parameter indexing that element it happened to check first ({@code Observation.subject} or
     * {@code Observation.subject.where(resolve() is Patient)}, at random between requests): the hub's own refusal of
     * another site's patient cannot draw the same lots, so every such answer names the element instead, and "not
     * yours" stays word for word "does not exist". Other messages are returned as they are.
     */
    static String unknownReferenceByElement(String message) {
        if (message == null) {
            return null;
        }
        int at = message.indexOf(UNKNOWN_REFERENCE_PATH);
        if (at < 0) {
            return message;
        }
        String path = message.substring(at + UNKNOWN_REFERENCE_PATH.length()).trim();
        Matcher cast = CAST.matcher(path);
        if (cast.matches()) {
            path = cast.group(1);
        }
        path = FUNCTIONS.matcher(path).replaceAll("");
        return message.substring(0, at + UNKNOWN_REFERENCE_PATH.length()) + path;
    }

    private static final String UNKNOWN_REFERENCE_PATH = " not found, specified in path: ";
    /** {@code (Observation.value as Reference)} */
    private static final Pattern CAST = Pattern.compile("^\\((.*) as \\w+\\)$");
    /** {@code .where(resolve() is Patient)}, {@code .resolve()}, {@code .ofType(Reference)} */
    private static final Pattern FUNCTIONS = Pattern.compile("\\.(?:where|ofType|resolve)\\(.*$");

    private Facts patientFacts(IIdType id) {
        List<IBaseResource> found = facts.load(List.of(id));
        return found.isEmpty() ? null : facts.of(found.get(0), null, true);
    }

    /**
     * A spoke may add its own Provenance (the IG's cart-provenance), but only in its own name: every agent is its
     * site Organization. (What it is about is the policy's: every target is the spoke's patients' data.)
     */
    private void checkAgents(Provenance provenance, String organization, Caller caller) {
        for (Provenance.ProvenanceAgentComponent agent : provenance.getAgent()) {
            for (Reference who : List.of(agent.getWho(), agent.getOnBehalfOf())) {
                if (!who.isEmpty() && !SiteDirectory.names(who, organization, caller.site())) {
                    throw new ForbiddenOperationException(
                            "Access denied: a Provenance agent must be the site Organization of " + caller.site());
                }
            }
        }
    }
}
