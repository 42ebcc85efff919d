package org.cartltfu.hub.record;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriOrListParam;
import ca.uhn.fhir.rest.param.UriParam;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cartltfu.hub.config.SearchResults;
import org.cartltfu.ig.CarTIg;
import org.cartltfu.ig.CartEventType;
import org.cartltfu.ig.CartObservation;
import org.cartltfu.ig.IgCode;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * One patient's CAR-T records, read through HAPI's DAOs: the shared core the clinical operations, the follow-up plans
 * and the registry's release all read the record through. The patient is read with the caller's request, so the
 * caller's authorization decides whether they may see this patient at all; the searches scoped to that patient then
 * run as the server, because HAPI pages a search made with a REST request and would cut a long record short.
 */
public class PatientRecords {

    private final DaoRegistry daos;

    public PatientRecords(DaoRegistry daos) {
        this.daos = daos;
    }

    public Patient patient(IdType id, RequestDetails request) {
        return daos.getResourceDao(Patient.class).read(id.toUnqualifiedVersionless(), request);
    }

    public <T extends IBaseResource> T read(
            Class<T> type, org.hl7.fhir.r4.model.Reference reference, RequestDetails request) {
        return daos.getResourceDao(type).read(new IdType(reference.getReference()).toUnqualifiedVersionless(), request);
    }

    /** The patient's CAR-T infusions that took place, earliest first (see {@link DayZero}). */
    public List<Procedure> infusions(IdType patient) {
        SearchParameterMap search = forSubject(patient)
                .add(Procedure.SP_CODE, new TokenParam(CarTIg.CS_CART_PROCEDURE, CarTIg.CODE_INFUSION));
        return DayZero.infusions(search(Procedure.class, search));
    }

    /** The patient's day 0 (see {@link DayZero}); empty without an infusion or a full date for the first one. */
    public Optional<LocalDate> dayZero(IdType patient) {
        return DayZero.of(infusions(patient));
    }

    public List<AdverseEvent> toxicityEvents(IdType patient) {
        SearchParameterMap search = forSubject(patient)
                .add(
                        AdverseEvent.SP_EVENT,
                        new ca.uhn.fhir.rest.param.TokenOrListParam()
                                .addOr(token(CartEventType.CRS))
                                .addOr(token(CartEventType.ICANS)));
        return search(AdverseEvent.class, search);
    }

    public List<Observation> assessments(IdType patient) {
        SearchParameterMap search = forSubject(patient)
                .add(
                        Observation.SP_CODE,
                        new ca.uhn.fhir.rest.param.TokenOrListParam()
                                .addOr(token(CartObservation.CRS_ASSESSMENT))
                                .addOr(token(CartObservation.ICANS_ASSESSMENT)));
        return search(Observation.class, search);
    }

    /**
     * The patient's results of the labs followed after CAR-T (our five lab profiles, declared by the sender or
     * recognised at intake), earliest first.
     */
    public List<Observation> labs(IdType patient) {
        UriOrListParam profiles = new UriOrListParam();
        List.of(
                        CarTIg.PROFILE_LAB_CRP,
                        CarTIg.PROFILE_LAB_FERRITIN,
                        CarTIg.PROFILE_LAB_ANC,
                        CarTIg.PROFILE_LAB_PLATELETS,
                        CarTIg.PROFILE_LAB_IGG)
                .forEach(profile -> profiles.addOr(new UriParam(profile)));
        SearchParameterMap search = forSubject(patient).add(Constants.PARAM_PROFILE, profiles);
        return search(Observation.class, search).stream()
                .sorted(Comparator.comparing(
                        lab -> lab.getEffectiveDateTimeType().getValueAsString(),
                        Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    /**
     * Who recorded each of these resources: the site named by the first server-made Provenance that targets it, found
     * in one search for all of them. Resources without such a Provenance are not in the map.
     */
    public Map<String, String> recordingSites(Collection<IdType> targets) {
        Map<String, String> sites = new HashMap<>();
        if (targets.isEmpty()) {
            return sites;
        }
        Set<String> wanted = new HashSet<>();
        ReferenceOrListParam anyOf = new ReferenceOrListParam();
        for (IdType target : targets) {
            String reference = target.toUnqualifiedVersionless().getValue();
            wanted.add(reference);
            anyOf.addOr(new ReferenceParam(reference));
        }
        SearchParameterMap search = SearchParameterMap.newSynchronous().add(Provenance.SP_TARGET, anyOf);
        for (Provenance provenance : search(Provenance.class, search)) {
            Optional<String> site = provenance.getAgent().stream()
                    .map(agent -> agent.getWho().hasDisplay()
                            ? agent.getWho().getDisplay()
                            : agent.getWho().getReference())
                    .filter(who -> who != null && !who.isBlank())
                    .findFirst();
            if (site.isEmpty()) {
                continue;
            }
            for (Reference target : provenance.getTarget()) {
                String reference =
                        target.getReferenceElement().toUnqualifiedVersionless().getValue();
                if (wanted.contains(reference)) {
                    sites.putIfAbsent(reference, site.get());
                }
            }
        }
        return sites;
    }

    private static TokenParam token(IgCode code) {
        return new TokenParam(code.system(), code.code());
    }

    private static SearchParameterMap forSubject(IdType patient) {
        return SearchParameterMap.newSynchronous()
                .add(
                        "subject",
                        new ReferenceParam(patient.toUnqualifiedVersionless().getValue()));
    }

    @SuppressWarnings("unchecked")
    public <T extends IBaseResource> List<T> search(Class<T> type, SearchParameterMap search) {
        return (List<T>) (List<?>) SearchResults.all(
                daos.getResourceDao(type).search(SearchResults.everything(search), new SystemRequestDetails()));
    }

    /** The patients of these ids that exist (not deleted), read with the server's rights in one search, by id. */
    public Map<String, Patient> existing(Collection<IdType> ids) {
        Map<String, Patient> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        TokenOrListParam anyOf = new TokenOrListParam();
        ids.forEach(id -> anyOf.addOr(new TokenParam(id.getIdPart())));
        for (Patient patient :
                search(Patient.class, SearchParameterMap.newSynchronous().add("_id", anyOf))) {
            found.put(patient.getIdElement().getIdPart(), patient);
        }
        return found;
    }

    /** The patient, read with the server's rights; empty when it was deleted or never existed. */
    public Optional<Patient> existing(IdType id) {
        try {
            return Optional.of(
                    daos.getResourceDao(Patient.class).read(id.toUnqualifiedVersionless(), new SystemRequestDetails()));
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
                | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException absent) {
            return Optional.empty();
        }
    }
}
