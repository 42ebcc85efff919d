package org.cartltfu.hub.intake;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.config.SearchResults;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.Role;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;

/**
 * Patients from elsewhere: a spoke's Patient that does not carry the hub MRN is the hub's patient of that spoke
 * with the same spoke MRN, passport or national ID (in that order of preference), or it is refused; a spoke never
 * creates a second record of a patient, nor a patient the hub does not know (the hub registers its CAR-T
 * recipients). In a transaction, an entry that creates such a Patient is made conditional on the identifier that
 * matched, so that HAPI links the bundle's references to the existing patient instead of creating one. Only the
 * patients the spoke's site manages are candidates: another site's patient is "unknown", as it would be to a search.
 */
@Interceptor
public class PatientMatching {

    /** Identifier systems a spoke may match by, in order of preference. */
    static final List<String> MATCHING_SYSTEMS =
            List.of(CarTIg.SID_SPOKE_MRN_PREFIX, CarTIg.SID_PASSPORT_PREFIX, CarTIg.SID_NATIONAL_ID_PREFIX);

    private final Callers callers;
    private final SiteDirectory sites;
    private final DaoRegistry daos;

    public PatientMatching(Callers callers, SiteDirectory sites, DaoRegistry daos) {
        this.callers = callers;
        this.sites = sites;
        this.daos = daos;
    }

    @Hook(value = Pointcut.STORAGE_TRANSACTION_PROCESSING, order = HookOrder.PATIENT_MATCHING)
    void linkToKnownPatients(RequestDetails request, IBaseBundle bundle) {
        Optional<String> site = spokeSite(request);
        if (site.isEmpty()) {
            return;
        }
        for (Bundle.BundleEntryComponent entry : ((Bundle) bundle).getEntry()) {
            if (entry.getResource() instanceof Patient patient
                    && entry.getRequest().getMethod() == Bundle.HTTPVerb.POST
                    && !hasHubMrn(patient)) {
                Map<Identifier, String> matches = matches(patient, site.get());
                if (!ambiguous(matches) && !matches.isEmpty()) {
                    Identifier by = matches.keySet().iterator().next();
                    entry.getRequest().setIfNoneExist("identifier=" + by.getSystem() + "|" + by.getValue());
                }
            }
        }
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = HookOrder.PATIENT_MATCHING)
    void refuseUnmatchedPatients(RequestDetails request, IBaseResource resource) {
        Optional<String> site = spokeSite(request);
        if (site.isEmpty() || !(resource instanceof Patient patient) || hasHubMrn(patient)) {
            return;
        }
        Map<Identifier, String> matches = matches(patient, site.get());
        String message;
        if (matches.isEmpty()) {
            message = "The hub has no patient of site " + site.get()
                    + " with this Patient's identifiers. A spoke's Patient"
                    + " needs the hub MRN (system " + CarTIg.SID_HUB_MRN + "), or a spoke MRN ("
                    + CarTIg.SID_SPOKE_MRN_PREFIX
                    + "<site>), passport (" + CarTIg.SID_PASSPORT_PREFIX + "<country>) or national ID ("
                    + CarTIg.SID_NATIONAL_ID_PREFIX + "<country>) the hub holds for that patient";
        } else if (ambiguous(matches)) {
            message = "This Patient's identifiers name different patients at the hub ("
                    + String.join(
                            ", ",
                            matches.entrySet().stream()
                                    .map(match -> match.getKey().getSystem() + "|"
                                            + match.getKey().getValue() + " is " + match.getValue())
                                    .toList())
                    + "): send the hub MRN (system " + CarTIg.SID_HUB_MRN + ")";
        } else {
            Map.Entry<Identifier, String> match = matches.entrySet().iterator().next();
            message = "This patient is already at the hub as " + match.getValue() + " ("
                    + match.getKey().getSystem() + "|"
                    + match.getKey().getValue() + "): send it with the hub MRN (system " + CarTIg.SID_HUB_MRN
                    + "), as an update of " + match.getValue()
                    + ", or in a transaction, where it is linked automatically";
        }
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.BUSINESSRULE)
                .setDiagnostics(message)
                .addExpression("Patient.identifier");
        throw new UnprocessableEntityException(message, outcome);
    }

    private static boolean ambiguous(Map<Identifier, String> matches) {
        return matches.values().stream().distinct().count() > 1
                || matches.values().stream().anyMatch(found -> found.contains(" and "));
    }

    private Optional<String> spokeSite(RequestDetails request) {
        return callers.of(request).filter(caller -> caller.role() == Role.SPOKE).map(Caller::site);
    }

    private static boolean hasHubMrn(Patient patient) {
        return patient.getIdentifier().stream()
                .anyMatch(identifier -> CarTIg.SID_HUB_MRN.equals(identifier.getSystem()) && identifier.hasValue());
    }

    /** Each matching identifier of the patient, in order of preference, with the hub patient(s) ({@code Patient/x}) it names. */
    private Map<Identifier, String> matches(Patient patient, String site) {
        Map<Identifier, String> matches = new LinkedHashMap<>();
        Optional<String> organization = sites.organizationId(site);
        if (organization.isEmpty()) {
            return matches;
        }
        for (String system : MATCHING_SYSTEMS) {
            for (Identifier identifier : patient.getIdentifier()) {
                if (identifier.hasSystem() && identifier.getSystem().startsWith(system) && identifier.hasValue()) {
                    SearchParameterMap query = SearchParameterMap.newSynchronous()
                            .add(Patient.SP_IDENTIFIER, new TokenParam(identifier.getSystem(), identifier.getValue()))
                            .add(Patient.SP_ORGANIZATION, new ReferenceParam("Organization/" + organization.get()));
                    SearchResults.all(daos.getResourceDao("Patient")
                                    .search(SearchResults.everything(query), new SystemRequestDetails()))
                            .stream()
                            .map(found -> "Patient/" + found.getIdElement().getIdPart())
                            .reduce((one, other) -> one + " and " + other)
                            .ifPresent(found -> matches.put(identifier, found));
                }
            }
        }
        return matches;
    }
}
