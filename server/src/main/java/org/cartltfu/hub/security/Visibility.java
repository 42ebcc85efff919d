package org.cartltfu.hub.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The access policy's answer for one stored resource and the caller of a request — the same judgement the outbound
 * guard makes on every response ({@link AccessPolicy#maySee}), for code that reads with the server's own rights and
 * must show a caller only what is theirs (an operation listing many patients' data, such as
 * {@code $follow-up-status}). A resource the caller may not see is to be left out as if it did not exist.
 */
public class Visibility {

    private final Callers callers;
    private final AccessFacts facts;

    Visibility(Callers callers, AccessFacts facts) {
        this.callers = callers;
        this.facts = facts;
    }

    public boolean maySee(RequestDetails request, IBaseResource resource) {
        if (!callers.securityEnabled() || request == null || request instanceof SystemRequestDetails) {
            return true;
        }
        Caller caller = callers.of(request).orElse(null);
        boolean needOwners = caller != null && caller.role() == Role.SPOKE;
        return AccessPolicy.maySee(caller, facts.organization(caller), facts.of(resource, request, needOwners));
    }
}
