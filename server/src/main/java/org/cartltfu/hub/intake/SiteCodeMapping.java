package org.cartltfu.hub.intake;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.util.ResourceUtil;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.config.SearchResults;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.Role;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;

/**
 * A site's own codes, mapped as data: the hub keeps a ConceptMap per site (active, {@code useContext} venue = the
 * site's code in {@link CarTIg#SID_SITE}) from the codes that site's EHR sends (a local lab catalogue, say) to the
 * standard ones. Before the intake policy looks at what a spoke writes, each of its codings that the site's maps
 * translate as equal or equivalent gets the target coding added beside it (the site's own stays), so that a
 * Bach Mai "CRP" is recognised as our CRP lab and seen by the clinical views and the registry. Only the writing site's
 * maps apply: two hospitals on the same EHR product may use the same local code system for different things. Maps
 * are read from the store (so every instance agrees) and kept for {@link #REFRESH}; the same maps answer
 * {@code ConceptMap/$translate}.
 */
@Interceptor
public class SiteCodeMapping {

    static final Duration REFRESH = Duration.ofSeconds(30);
    private static final Set<ConceptMapEquivalence> SAME =
            Set.of(ConceptMapEquivalence.EQUAL, ConceptMapEquivalence.EQUIVALENT);

    private final Callers callers;
    private final DaoRegistry daos;
    private final FhirContext fhirContext;
    private final Cache<String, List<ConceptMapGroupComponent>> groups =
            Caffeine.newBuilder().expireAfterWrite(REFRESH).maximumSize(1000).build();

    public SiteCodeMapping(Callers callers, DaoRegistry daos, FhirContext fhirContext) {
        this.callers = callers;
        this.daos = daos;
        this.fhirContext = fhirContext;
    }

    @Hook(value = Pointcut.STORAGE_TRANSACTION_PROCESSING, order = HookOrder.SITE_CODE_MAPPING)
    void transaction(RequestDetails request, IBaseBundle bundle) {
        site(request)
                .ifPresent(site -> ((Bundle) bundle)
                        .getEntry().stream()
                                .filter(Bundle.BundleEntryComponent::hasResource)
                                .forEach(entry -> map(entry.getResource(), site)));
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = HookOrder.SITE_CODE_MAPPING)
    void created(RequestDetails request, IBaseResource resource) {
        site(request).ifPresent(site -> map(resource, site));
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = HookOrder.SITE_CODE_MAPPING)
    void updated(RequestDetails request, IBaseResource previous, IBaseResource resource) {
        site(request).ifPresent(site -> map(resource, site));
    }

    /** A map written on this instance applies at once here (elsewhere within {@link #REFRESH}). */
    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = HookOrder.SITE_CODE_MAPPING)
    void mapCreated(IBaseResource resource) {
        if (resource instanceof ConceptMap) {
            groups.invalidateAll();
        }
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = HookOrder.SITE_CODE_MAPPING)
    void mapUpdated(IBaseResource previous, IBaseResource resource) {
        mapCreated(resource);
    }

    private Optional<String> site(RequestDetails request) {
        return callers.of(request).filter(caller -> caller.role() == Role.SPOKE).map(Caller::site);
    }

    private void map(IBaseResource resource, String site) {
        List<ConceptMapGroupComponent> siteGroups = groups.get(site, this::load);
        if (siteGroups.isEmpty()) {
            return;
        }
        boolean changed = false;
        for (CodeableConcept concept :
                fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, CodeableConcept.class)) {
            List<Coding> added = new ArrayList<>();
            for (Coding coding : concept.getCoding()) {
                for (ConceptMapGroupComponent group : siteGroups) {
                    if (!group.getSource().equals(coding.getSystem())) {
                        continue;
                    }
                    for (SourceElementComponent element : group.getElement()) {
                        if (!element.getCode().equals(coding.getCode())) {
                            continue;
                        }
                        for (TargetElementComponent target : element.getTarget()) {
                            if (SAME.contains(target.getEquivalence())
                                    && !has(concept, group.getTarget(), target.getCode())
                                    && added.stream()
                                            .noneMatch(c -> c.getCode().equals(target.getCode())
                                                    && c.getSystem().equals(group.getTarget()))) {
                                added.add(new Coding(group.getTarget(), target.getCode(), target.getDisplay()));
                            }
                        }
                    }
                }
            }
            added.forEach(concept::addCoding);
            changed |= !added.isEmpty();
        }
        if (changed) {
            // HAPI keeps the request's JSON on a parsed resource and validates that text, not the object: without
            // this the intake policy would judge the resource as sent, before its codes were mapped.
            ResourceUtil.clearRawStringFromResource(resource);
        }
    }

    private static boolean has(CodeableConcept concept, String system, String code) {
        return concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    private List<ConceptMapGroupComponent> load(String site) {
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add(ConceptMap.SP_CONTEXT, new TokenParam(CarTIg.SID_SITE, site))
                .add(ConceptMap.SP_STATUS, new TokenParam("active"));
        return SearchResults.all(daos.getResourceDao(ConceptMap.class).search(search, new SystemRequestDetails()))
                .stream()
                .map(ConceptMap.class::cast)
                .filter(map -> map.getUseContext().stream()
                        .anyMatch(context -> "venue".equals(context.getCode().getCode())
                                && CarTIg.USAGE_CONTEXT_TYPE.equals(
                                        context.getCode().getSystem())
                                && context.hasValueCodeableConcept()
                                && has(context.getValueCodeableConcept(), CarTIg.SID_SITE, site)))
                .flatMap(map -> map.getGroup().stream())
                .filter(group -> group.hasSource() && group.hasTarget())
                .toList();
    }
}
