package org.cartltfu.hub.record;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cartltfu.hub.config.SearchResults;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * The hub's sites, the one place that knows how they are written down: a site code ({@code vn-bachmai}) is the
 * identifier {@link CarTIg#SID_SITE}{@code |code} of one Organization; that Organization's {@code address.country} is the
 * site's country; a patient is followed up at the Organization in {@code Patient.managingOrganization}.
 */
public class SiteDirectory {

    private final DaoRegistry daos;
    // A site's Organization is created once (provision) and spokes cannot write Organizations (AccessPolicy: the
    // directory is read-only to them), so both directions are remembered for the life of the process. A hub
    // administrator who re-codes a site must restart the instances.
    private final Map<String, String> idBySite = new ConcurrentHashMap<>();
    private final Map<String, String> siteById = new ConcurrentHashMap<>();

    public SiteDirectory(DaoRegistry daos) {
        this.daos = daos;
    }

    /** Makes sure a site's Organization exists (created once; never changed here); returns its logical id. */
    public String provision(String site) {
        Organization organization = new Organization();
        organization.addIdentifier().setSystem(CarTIg.SID_SITE).setValue(site);
        organization.setName(site);
        organization.setActive(true);
        IIdType id = organizations()
                .create(
                        organization,
                        "Organization?identifier=" + CarTIg.SID_SITE + "|" + site,
                        new SystemRequestDetails())
                .getId();
        remember(site, id.getIdPart());
        return id.getIdPart();
    }

    /** The logical id of a site's Organization, if it exists. */
    public Optional<String> organizationId(String site) {
        if (site == null) {
            return Optional.empty();
        }
        String cached = idBySite.get(site);
        if (cached != null) {
            return Optional.of(cached);
        }
        SearchParameterMap query =
                SearchParameterMap.newSynchronous(Organization.SP_IDENTIFIER, new TokenParam(CarTIg.SID_SITE, site));
        List<IBaseResource> found =
                SearchResults.all(organizations().search(SearchResults.everything(query), new SystemRequestDetails()));
        if (found.size() != 1) {
            return Optional.empty();
        }
        String id = found.get(0).getIdElement().getIdPart();
        remember(site, id);
        return Optional.of(id);
    }

    /** A reference to a site as an agent (Provenance, AuditEvent): its code, and its Organization when it exists. */
    public Reference agent(String site) {
        Reference agent = new Reference();
        agent.getIdentifier().setSystem(CarTIg.SID_SITE).setValue(site);
        organizationId(site).ifPresent(id -> agent.setReference("Organization/" + id));
        return agent;
    }

    /**
     * Whether a reference names the site: by its Organization when it is a literal reference, else by the site's
     * identifier.
     */
    public static boolean names(Reference who, String organizationId, String site) {
        IIdType id = who.getReferenceElement();
        if (who.hasReference()) {
            return "Organization".equals(id.getResourceType())
                    && organizationId != null
                    && organizationId.equals(id.getIdPart());
        }
        return who.hasIdentifier()
                && CarTIg.SID_SITE.equals(who.getIdentifier().getSystem())
                && who.getIdentifier().getValue() != null
                && who.getIdentifier().getValue().equals(site);
    }

    /** The logical id of the Organization a patient is followed up at, or null. */
    public static String organizationOf(Patient patient) {
        IIdType managing = patient.getManagingOrganization().getReferenceElement();
        return "Organization".equals(managing.getResourceType()) && managing.hasIdPart() ? managing.getIdPart() : null;
    }

    /** The code of the site a patient is followed up at; empty when it has none or it is not a site Organization. */
    public Optional<String> siteOf(Patient patient) {
        String organizationId = organizationOf(patient);
        if (organizationId == null) {
            return Optional.empty();
        }
        String cached = siteById.get(organizationId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> site = organization(organizationId).flatMap(SiteDirectory::code);
        site.ifPresent(code -> remember(code, organizationId));
        return site;
    }

    /**
     * The country (ISO 3166 alpha-2, upper case) whose law governs a patient's data: that of the site the patient is
     * followed up at, else of the patient's own address; null when neither has one.
     */
    public String jurisdiction(Patient patient) {
        String organizationId = organizationOf(patient);
        Optional<String> country = organizationId == null
                ? Optional.empty()
                : organization(organizationId).flatMap(site -> country(site.getAddress()));
        return country.or(() -> country(patient.getAddress())).orElse(null);
    }

    private static Optional<String> code(Organization organization) {
        return organization.getIdentifier().stream()
                .filter(identifier -> CarTIg.SID_SITE.equals(identifier.getSystem()) && identifier.hasValue())
                .map(identifier -> identifier.getValue())
                .findFirst();
    }

    private static Optional<String> country(List<Address> addresses) {
        return addresses.stream()
                .filter(Address::hasCountry)
                .map(address -> address.getCountry().toUpperCase())
                .findFirst();
    }

    private Optional<Organization> organization(String id) {
        try {
            return Optional.of(organizations().read(new IdType("Organization", id), new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException absent) {
            return Optional.empty();
        }
    }

    private void remember(String site, String organizationId) {
        idBySite.put(site, organizationId);
        siteById.put(organizationId, site);
    }

    @SuppressWarnings("unchecked")
    private IFhirResourceDao<Organization> organizations() {
        return daos.getResourceDao("Organization");
    }
}
