package org.cartltfu.hub.record;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriOrListParam;
import ca.uhn.fhir.rest.param.UriParam;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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

    /** Who recorded a resource: the site named by the server-made Provenance, when there is one. */
    public Optional<String> recordingSite(IdType target) {
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add(
                        Provenance.SP_TARGET,
                        new ReferenceParam(target.toUnqualifiedVersionless().getValue()));
        return search(Provenance.class, search).stream()
                .flatMap(provenance -> provenance.getAgent().stream())
                .map(agent -> agent.getWho().hasDisplay()
                        ? agent.getWho().getDisplay()
                        : agent.getWho().getReference())
                .filter(who -> who != null && !who.isBlank())
                .findFirst();
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
