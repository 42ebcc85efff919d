package org.cartltfu.hub.registry.release;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.record.StudyDay;
import org.cartltfu.hub.registry.gate.ConsentTerms;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.BiologicallyDerivedProduct;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;

/** What the release decision needs to know about a patient, read from the store as the server. */
public class PatientDirectory {

    private final PatientRecords records;
    private final SiteDirectory sites;
    private final FhirContext fhirContext;

    public PatientDirectory(PatientRecords records, SiteDirectory sites, FhirContext fhirContext) {
        this.records = records;
        this.sites = sites;
        this.fhirContext = fhirContext;
    }

    /**
     * @param found false when the patient is not (or no longer) stored
     * @param jurisdiction country of the follow-up site (managing organization), else of the patient's address
     * @param infusionDate the first CAR-T infusion, day 0 (null if none is recorded)
     */
    public record PatientFacts(
            boolean found, String jurisdiction, LocalDate infusionDate, List<ConsentTerms> consents) {}

    public PatientFacts facts(String patientId) {
        Optional<Patient> patient = records.existing(new IdType("Patient", patientId));
        if (patient.isEmpty()) {
            return new PatientFacts(false, null, null, List.of());
        }
        return new PatientFacts(true, sites.jurisdiction(patient.get()), infusionDate(patientId), consents(patientId));
    }

    /** The patient a resource belongs to: itself, its compartment owner, or for a product the infused patient. */
    public Optional<String> patientOf(Resource resource) {
        if (resource instanceof Patient) {
            return Optional.of(resource.getIdElement().getIdPart());
        }
        if (resource instanceof BiologicallyDerivedProduct) {
            return infusedPatient(resource.getIdElement().getIdPart());
        }
        List<IIdType> owners = fhirContext.newTerser().getCompartmentOwnersForResource("Patient", resource, Set.of());
        return owners.stream().map(IIdType::getIdPart).findFirst();
    }

    private Optional<String> infusedPatient(String productId) {
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add("infused-product", new ReferenceParam("BiologicallyDerivedProduct/" + productId));
        return records.search(Procedure.class, search).stream()
                .map(procedure -> procedure.getSubject().getReferenceElement().getIdPart())
                .findFirst();
    }

    private LocalDate infusionDate(String patientId) {
        return records.dayZero(new IdType("Patient", patientId)).orElse(null);
    }

    private List<ConsentTerms> consents(String patientId) {
        SearchParameterMap search =
                SearchParameterMap.newSynchronous().add(Consent.SP_PATIENT, new ReferenceParam("Patient/" + patientId));
        return records.search(Consent.class, search).stream()
                .map(PatientDirectory::terms)
                .toList();
    }

    static ConsentTerms terms(Consent consent) {
        Consent.ProvisionComponent provision = consent.getProvision();
        Set<String> purposes = new HashSet<>();
        provision.getPurpose().forEach(purpose -> purposes.add(purpose.getCode()));
        Set<String> policies = new HashSet<>();
        consent.getPolicy().stream()
                .filter(policy -> policy.hasUri() && policy.getUri().startsWith(CarTIg.POLICY_BASE))
                .forEach(policy -> policies.add(policy.getUri().substring(CarTIg.POLICY_BASE.length())));
        String rule = consent.getPolicyRule().getCoding().stream()
                .filter(coding -> CarTIg.CS_JURISDICTION_POLICY.equals(coding.getSystem()))
                .map(Coding::getCode)
                .findFirst()
                .orElse(null);
        return new ConsentTerms(
                consent.getIdElement().getIdPart(),
                consent.getStatus() == Consent.ConsentState.ACTIVE,
                provision.getType() == Consent.ConsentProvisionType.PERMIT,
                day(provision.getPeriod().getStartElement().getValueAsString(), true),
                day(provision.getPeriod().getEndElement().getValueAsString(), false),
                purposes,
                rule,
                policies);
    }

    /** A partial date counts in the patient's favour: a consent runs from the latest and ends at the earliest day. */
    private static LocalDate day(String fhirDate, boolean start) {
        if (fhirDate == null) {
            return null;
        }
        if (fhirDate.length() == 4) {
            return start
                    ? LocalDate.of(Integer.parseInt(fhirDate), 12, 31)
                    : LocalDate.of(Integer.parseInt(fhirDate), 1, 1);
        }
        if (fhirDate.length() == 7) {
            LocalDate first = LocalDate.parse(fhirDate + "-01");
            return start ? first.withDayOfMonth(first.lengthOfMonth()) : first;
        }
        return StudyDay.localDate(fhirDate);
    }
}
