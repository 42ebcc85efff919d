package org.cartltfu.hub.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cartltfu.hub.config.SearchResults;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.AccessPolicy.Facts;
import org.cartltfu.hub.security.AccessPolicy.Kind;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * Gathers what {@link AccessPolicy} needs to know about resources: their kind, and the site Organizations managing
 * the patients they belong to (through {@code Patient.managingOrganization}; a Provenance belongs to the patients of
 * everything it is about). Lookups run as the server itself and are remembered for the rest of the request.
 */
public class AccessFacts {

    /** Most targets of one Provenance that are looked up; beyond, it counts as not the caller's. */
    private static final int MAX_PROVENANCE_TARGETS = 100;

    private static final String CACHE = AccessFacts.class.getName() + ".owners";
    private static final Set<String> ENVELOPES = Set.of("Bundle", "Parameters", "OperationOutcome");

    private final FhirContext fhirContext;
    private final DaoRegistry daos;
    private final SiteDirectory sites;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    public AccessFacts(FhirContext fhirContext, DaoRegistry daos, SiteDirectory sites) {
        this.fhirContext = fhirContext;
        this.daos = daos;
        this.sites = sites;
    }

    /** The logical id of the caller's site Organization, or null (hub, registry, or a site without one). */
    public String organization(Caller caller) {
        return caller == null || caller.role() != Role.SPOKE
                ? null
                : sites.organizationId(caller.site()).orElse(null);
    }

    public Kind kindOf(String type) {
        if (type == null) {
            return null;
        }
        return kinds.computeIfAbsent(type, this::classify);
    }

    private Kind classify(String type) {
        if (ENVELOPES.contains(type)) {
            return Kind.ENVELOPE;
        }
        if (AccessPolicy.CONFORMANCE.contains(type)) {
            return Kind.CONFORMANCE;
        }
        if (AccessPolicy.DIRECTORY.contains(type)) {
            return Kind.DIRECTORY;
        }
        if (type.equals("Binary")) {
            return Kind.EXPORT_FILE;
        }
        if (AccessPolicy.HUB_ONLY.contains(type)
                || !fhirContext.getResourceTypes().contains(type)) {
            return Kind.HUB_ONLY;
        }
        return type.equals("Patient") || !compartmentParameters(type).isEmpty() ? Kind.PATIENT_DATA : Kind.HUB_ONLY;
    }

    /** The search parameters that put a resource of this type into a Patient's compartment. */
    public List<RuntimeSearchParam> compartmentParameters(String type) {
        return fhirContext.getResourceDefinition(type).getSearchParamsForCompartmentName("Patient");
    }

    /**
     * Narrows a search of patient data to the patients a site manages: {@code organization=Organization/<site>} on
     * Patient, {@code <p>:Patient.organization=Organization/<site>} elsewhere, where p is the type's compartment
     * parameter {@code patient}, else {@code subject}, else its first. Other kinds are left as they are.
     */
    public void narrow(SearchParameterMap search, String type, String organization) {
        if (kindOf(type) != Kind.PATIENT_DATA) {
            return;
        }
        String site = "Organization/" + organization;
        if (type.equals("Patient")) {
            search.add("organization", new ReferenceParam(site));
        } else {
            search.add(narrowingParameter(type), new ReferenceParam("Patient", "organization", site));
        }
    }

    /** {@link #narrow} as query text, for conditional URLs. */
    public String narrowingText(String type, String organization) {
        String site = "Organization/" + organization;
        return type.equals("Patient")
                ? "organization=" + site
                : narrowingParameter(type) + ":Patient.organization=" + site;
    }

    private String narrowingParameter(String type) {
        List<String> names = compartmentParameters(type).stream()
                .map(RuntimeSearchParam::getName)
                .toList();
        return names.contains("patient") ? "patient" : names.contains("subject") ? "subject" : names.get(0);
    }

    /** The resource with this id if it is in the compartment of one of the site's patients: one narrowed query. */
    public List<IBaseResource> findOwn(IIdType id, String organization) {
        if (organization == null || !daos.isResourceTypeSupported(id.getResourceType())) {
            return List.of();
        }
        SearchParameterMap query = SearchParameterMap.newSynchronous("_id", new TokenParam(id.getIdPart()));
        narrow(query, id.getResourceType(), organization);
        return SearchResults.all(daos.getResourceDao(id.getResourceType()).search(query, new SystemRequestDetails()));
    }

    /** The facts of one resource; call {@link #prime} first when judging many. */
    public Facts of(IBaseResource resource, RequestDetails request, boolean withOwners) {
        String type = fhirContext.getResourceType(resource);
        Kind kind = kindOf(type);
        boolean stored = resource.getIdElement().hasIdPart();
        String exportOwner =
                resource instanceof Binary binary && binary.getSecurityContext().hasIdentifier()
                        ? binary.getSecurityContext().getIdentifier().getValue()
                        : null;
        Set<String> owners = withOwners && kind == Kind.PATIENT_DATA ? owners(resource, request, 0) : Set.of();
        return new Facts(type, kind, stored, owners, exportOwner);
    }

    /** Looks up, in one query, the sites of all patients these resources belong to. */
    public void prime(Collection<IBaseResource> resources, RequestDetails request) {
        Map<String, String> cache = cache(request);
        Set<String> unknown = new HashSet<>();
        for (IBaseResource resource : resources) {
            if (resource instanceof Patient patient && patient.getIdElement().hasIdPart()) {
                cache.putIfAbsent(patient.getIdElement().getIdPart(), SiteDirectory.organizationOf(patient));
            }
        }
        for (IBaseResource resource : resources) {
            if (kindOf(fhirContext.getResourceType(resource)) == Kind.PATIENT_DATA) {
                for (IIdType patient : patientsOf(resource)) {
                    if (!cache.containsKey(patient.getIdPart())) {
                        unknown.add(patient.getIdPart());
                    }
                }
            }
        }
        lookUpPatients(unknown, cache);
    }

    /** Loads stored resources by id as the server (those that exist and are not deleted), few at a time by read. */
    public List<IBaseResource> load(Collection<IIdType> ids) {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (IIdType id : ids) {
            if (id.hasResourceType() && id.hasIdPart() && daos.isResourceTypeSupported(id.getResourceType())) {
                byType.computeIfAbsent(id.getResourceType(), unused -> new ArrayList<>())
                        .add(id.getIdPart());
            }
        }
        List<IBaseResource> found = new ArrayList<>();
        byType.forEach((type, idParts) -> found.addAll(load(type, idParts)));
        return found;
    }

    /**
     * Reads (they also see what the current transaction wrote) for a few ids, one search for many: both as the
     * server itself, so nothing here is narrowed or audited.
     */
    private List<IBaseResource> load(String type, Collection<String> idParts) {
        List<IBaseResource> found = new ArrayList<>();
        if (idParts.size() <= 5) {
            for (String idPart : idParts) {
                try {
                    found.add(daos.getResourceDao(type).read(new IdType(type, idPart), new SystemRequestDetails()));
                } catch (ResourceNotFoundException | ResourceGoneException | InvalidRequestException e) {
                    // not there: belongs to nobody
                }
            }
            return found;
        }
        TokenOrListParam idList = new TokenOrListParam();
        idParts.forEach(id -> idList.add(null, id));
        return SearchResults.all(daos.getResourceDao(type)
                .search(
                        SearchResults.everything(
                                SearchParameterMap.newSynchronous().add("_id", idList)),
                        new SystemRequestDetails()));
    }

    private Set<String> owners(IBaseResource resource, RequestDetails request, int depth) {
        Set<String> owners = new HashSet<>();
        if (resource instanceof Patient patient) {
            owners.add(SiteDirectory.organizationOf(patient));
            return owners;
        }
        if (resource instanceof Provenance provenance && depth == 0) {
            return provenanceOwners(provenance, request);
        }
        Map<String, String> cache = cache(request);
        List<IIdType> patients = patientsOf(resource);
        Set<String> missing = new HashSet<>();
        patients.stream().filter(p -> !cache.containsKey(p.getIdPart())).forEach(p -> missing.add(p.getIdPart()));
        lookUpPatients(missing, cache);
        patients.forEach(patient -> owners.add(cache.get(patient.getIdPart())));
        return owners;
    }

    /** Everything a Provenance is about must be the caller's: its Patients, and the patients of its other targets. */
    private Set<String> provenanceOwners(Provenance provenance, RequestDetails request) {
        Set<String> owners = new HashSet<>();
        List<IIdType> others = new ArrayList<>();
        Map<String, String> cache = cache(request);
        Set<String> patients = new HashSet<>();
        for (Reference target : provenance.getTarget()) {
            IIdType id = target.getReferenceElement();
            if (!id.hasResourceType() || !id.hasIdPart() || id.isAbsolute()) {
                owners.add(null); // a target we cannot follow: not provably anyone's
            } else if (id.getResourceType().equals("Patient")) {
                patients.add(id.getIdPart());
            } else {
                others.add(id.toUnqualifiedVersionless());
            }
        }
        if (others.size() > MAX_PROVENANCE_TARGETS) {
            owners.add(null);
            return owners;
        }
        List<IBaseResource> loaded = load(others);
        if (loaded.size() < others.size()) {
            owners.add(null);
        }
        prime(loaded, request);
        lookUpPatients(patients, cache);
        patients.forEach(patient -> owners.add(cache.get(patient)));
        for (IBaseResource target : loaded) {
            Set<String> targetOwners = kindOf(fhirContext.getResourceType(target)) == Kind.PATIENT_DATA
                    ? owners(target, request, 1)
                    : Set.of();
            if (targetOwners.isEmpty()) {
                owners.add(null);
            }
            owners.addAll(targetOwners);
        }
        return owners;
    }

    /** The Patients a resource belongs to (its Patient compartment owners). */
    public List<IIdType> patientsOf(IBaseResource resource) {
        if (resource instanceof Patient patient) {
            return patient.getIdElement().hasIdPart()
                    ? List.of(patient.getIdElement().toUnqualifiedVersionless())
                    : List.of();
        }
        return fhirContext.newTerser().getCompartmentOwnersForResource("Patient", resource, Set.of()).stream()
                .filter(owner -> "Patient".equals(owner.getResourceType()) && owner.hasIdPart())
                .toList();
    }

    private void lookUpPatients(Set<String> ids, Map<String, String> cache) {
        if (ids.isEmpty()) {
            return;
        }
        for (IBaseResource found : load("Patient", ids)) {
            cache.put(found.getIdElement().getIdPart(), SiteDirectory.organizationOf((Patient) found));
        }
        // A reference to a patient that does not exist (or no longer does) belongs to no site.
        ids.forEach(id -> cache.putIfAbsent(id, null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> cache(RequestDetails request) {
        if (request == null) {
            return new HashMap<>();
        }
        return (Map<String, String>)
                request.getUserData().computeIfAbsent(CACHE, unused -> new HashMap<String, String>());
    }
}
