package org.cartltfu.hub.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cartltfu.hub.config.SearchResults;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Organization;
import org.springframework.stereotype.Component;

/**
 * The site Organizations (identified by {@code siteSystem|value}) and the patients each one manages
 * ({@code Patient.managingOrganization}).
 */
@Component
public class SiteOrganizations {

    private final DaoRegistry daos;
    private final SecurityProperties properties;
    private final Map<String, String> idBySite = new ConcurrentHashMap<>();

    public SiteOrganizations(DaoRegistry daos, SecurityProperties properties) {
        this.daos = daos;
        this.properties = properties;
    }

    public String siteSystem() {
        return properties.siteSystem();
    }

    /** Makes sure a site's Organization exists (created once; never changed here). */
    public String provision(String site) {
        Organization organization = new Organization();
        organization.addIdentifier().setSystem(properties.siteSystem()).setValue(site);
        organization.setName(site);
        organization.setActive(true);
        IIdType id = organizationDao()
                .create(
                        organization,
                        "Organization?identifier=" + properties.siteSystem() + "|" + site,
                        new SystemRequestDetails())
                .getId();
        idBySite.put(site, id.getIdPart());
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
        SearchParameterMap query = SearchParameterMap.newSynchronous(
                Organization.SP_IDENTIFIER, new TokenParam(properties.siteSystem(), site));
        List<IBaseResource> found = SearchResults.all(
                organizationDao().search(SearchResults.everything(query), new SystemRequestDetails()));
        if (found.size() != 1) {
            return Optional.empty();
        }
        String id = found.get(0).getIdElement().getIdPart();
        idBySite.put(site, id);
        return Optional.of(id);
    }

    @SuppressWarnings("unchecked")
    private IFhirResourceDao<Organization> organizationDao() {
        return daos.getResourceDao("Organization");
    }
}
