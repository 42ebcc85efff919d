package org.cartltfu.hub.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import java.util.List;
import java.util.Optional;

/**
 * Narrows a spoke's searches to the patients its site manages (e.g. {@code Observation?code=x} becomes
 * {@code Observation?code=x&patient=a,b}), so that searching works without naming patients and
 * {@link HubAuthorizationInterceptor}'s compartment rules then allow it.
 */
public class SpokeSearchNarrowing extends SearchNarrowingInterceptor {

	private final Callers callers;
	private final SiteOrganizations sites;

	public SpokeSearchNarrowing(Callers callers, SiteOrganizations sites) {
		this.callers = callers;
		this.sites = sites;
	}

	@Override
	protected AuthorizedList buildAuthorizedList(RequestDetails request) {
		Optional<Caller> caller = callers.of(request);
		if (caller.isEmpty() || caller.get().role() != Role.SPOKE) {
			return null;
		}
		Optional<String> organization = sites.organizationId(caller.get().site());
		if (organization.isEmpty()) {
			return null;
		}
		List<String> patients = sites.managedPatients(organization.get(), request);
		return patients.isEmpty() ? null : new AuthorizedList().addCompartments(patients.toArray(String[]::new));
	}
}
