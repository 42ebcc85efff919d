package org.cartltfu.hub.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * Checks every resource a client writes, at the last moment before commit, when references inside a transaction
 * (placeholders, conditional references) are resolved: the token's scope must allow the operation on the type, a
 * spoke may only write data of patients whose managing Organization is its own site (before and after an update),
 * a spoke's Provenance must speak only for its own site, and nobody writes AuditEvents through the API (the hub
 * records them itself). A refusal is 403 and rolls the whole request back.
 */
@Interceptor
public class SiteWriteGuard {


	private final Callers callers;
	private final SiteOrganizations sites;
	private final DaoRegistry daos;
	private final FhirContext fhirContext;

	public SiteWriteGuard(Callers callers, SiteOrganizations sites, DaoRegistry daos, FhirContext fhirContext) {
		this.callers = callers;
		this.sites = sites;
		this.daos = daos;
		this.fhirContext = fhirContext;
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
	public void created(IBaseResource resource, RequestDetails request) {
		check(resource, 'c', request);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
	public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		check(previous, 'u', request);
		check(resource, 'u', request);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
	public void deleted(IBaseResource resource, RequestDetails request) {
		check(resource, 'd', request);
	}

	private void check(IBaseResource resource, char permission, RequestDetails request) {
		if (!callers.securityEnabled() || request == null || request instanceof SystemRequestDetails) {
			return;
		}
		Caller caller = callers.of(request).orElseThrow(() -> refuse("no usable access token"));
		String type = fhirContext.getResourceType(resource);
		if (type.equals("AuditEvent")) {
			throw refuse("AuditEvents are recorded by the hub itself and cannot be written by clients");
		}
		if (!caller.allows(type, permission)) {
			throw refuse("the token's scopes do not allow '" + permission + "' on " + type);
		}
		if (caller.role() == Role.HUB) {
			return;
		}
		if (caller.role() != Role.SPOKE) {
			throw refuse("this client may not write");
		}
		String organization = sites.organizationId(caller.site())
				.orElseThrow(() -> refuse("the site " + caller.site() + " has no Organization"));
		if (resource instanceof Provenance provenance) {
			checkProvenance(provenance, organization, caller, request);
			return;
		}
		if (resource instanceof Patient patient) {
			if (!managedBy(patient, organization)) {
				throw refuse("Patient.managingOrganization must be the site Organization of " + caller.site());
			}
			return;
		}
		List<IIdType> owners = patientsOf(resource);
		if (owners.isEmpty()) {
			throw refuse("a spoke writes only patient data, and this " + type + " names no patient");
		}
		for (IIdType owner : owners) {
			if (!ownPatient(owner, organization, request)) {
				throw refuse(type + " refers to " + owner.toUnqualifiedVersionless().getValue()
						+ ", which is not a patient of site " + caller.site());
			}
		}
	}

	/**
	 * A spoke may add its own Provenance (the IG's cart-provenance), but only in its own name and only about its own
	 * patients' data: every agent is its site Organization and every target belongs to one of its patients. (The hub,
	 * as custodian, may relay a spoke's Provenance; every write also gets the hub's own Provenance regardless.)
	 */
	private void checkProvenance(Provenance provenance, String organization, Caller caller, RequestDetails request) {
		for (Provenance.ProvenanceAgentComponent agent : provenance.getAgent()) {
			for (Reference who : List.of(agent.getWho(), agent.getOnBehalfOf())) {
				if (!who.isEmpty() && !isSite(who, organization, caller.site())) {
					throw refuse("a Provenance agent must be the site Organization of " + caller.site());
				}
			}
		}
		if (!provenance.hasTarget()) {
			throw refuse("a Provenance must name what it is about");
		}
		for (Reference target : provenance.getTarget()) {
			IIdType id = target.getReferenceElement();
			boolean own;
			if ("Patient".equals(id.getResourceType())) {
				own = ownPatient(id, organization, request);
			} else {
				own = id.hasResourceType() && id.hasIdPart() && ownedData(id, organization, request);
			}
			if (!own) {
				throw refuse("Provenance target " + target.getReference() + " is not data of site " + caller.site());
			}
		}
	}

	private boolean ownedData(IIdType id, String organization, RequestDetails request) {
		IBaseResource target;
		try {
			target = daos.getResourceDao(id.getResourceType()).read(id.toUnqualifiedVersionless(), new SystemRequestDetails());
		} catch (ResourceNotFoundException | ResourceGoneException e) {
			return false;
		}
		List<IIdType> owners = patientsOf(target);
		return !owners.isEmpty() && owners.stream().allMatch(owner -> ownPatient(owner, organization, request));
	}

	/**
	 * The patients whose compartment a resource is in. HAPI's terser also returns the other references of the
	 * compartment's parameters (e.g. a Procedure's performer Organization); only Patients count.
	 */
	private List<IIdType> patientsOf(IBaseResource resource) {
		return fhirContext.newTerser().getCompartmentOwnersForResource("Patient", resource, Set.of()).stream()
				.filter(owner -> "Patient".equals(owner.getResourceType()))
				.toList();
	}

	private boolean isSite(Reference who, String organization, String site) {
		IIdType id = who.getReferenceElement();
		if (who.hasReference()) {
			return "Organization".equals(id.getResourceType()) && organization.equals(id.getIdPart());
		}
		return who.hasIdentifier() && sites.siteSystem().equals(who.getIdentifier().getSystem())
				&& site.equals(who.getIdentifier().getValue());
	}

	private boolean ownPatient(IIdType patientId, String organization, RequestDetails request) {
		String key = SiteWriteGuard.class.getName();
		@SuppressWarnings("unchecked")
		Map<String, Boolean> checked =
				(Map<String, Boolean>) request.getUserData().computeIfAbsent(key, k -> new HashMap<String, Boolean>());
		String id = patientId.toUnqualifiedVersionless().getValue();
		if (!"Patient".equals(patientId.getResourceType()) || !patientId.hasIdPart()) {
			return false;
		}
		return checked.computeIfAbsent(id, unused -> {
			try {
				Patient patient = (Patient) daos.getResourceDao("Patient")
						.read(patientId.toUnqualifiedVersionless(), new SystemRequestDetails());
				return managedBy(patient, organization);
			} catch (ResourceNotFoundException | ResourceGoneException e) {
				return false;
			}
		});
	}

	private static boolean managedBy(Patient patient, String organization) {
		IIdType managing = patient.getManagingOrganization().getReferenceElement();
		return "Organization".equals(managing.getResourceType()) && organization.equals(managing.getIdPart());
	}

	private static ForbiddenOperationException refuse(String why) {
		return new ForbiddenOperationException("Access denied: " + why);
	}
}
