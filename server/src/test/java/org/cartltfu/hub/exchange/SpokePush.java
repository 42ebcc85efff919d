package org.cartltfu.hub.exchange;

import java.util.UUID;
import org.cartltfu.hub.ProfiledResources;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;

/**
 * A typical spoke push: the patient, a ferritin result and a CRS event (all conformant to the IG's profiles), each
 * keyed on the spoke's own identifiers (conditional create for the patient and the lab, conditional update for the
 * event), so that the same bundle can be sent any number of times.
 */
final class SpokePush {

    static final String MRN_PREFIX = "https://cart-ltfu.org/fhir/sid/spoke-mrn/";
    static final String MRN = MRN_PREFIX + "vn-bachmai";
    static final String LAB = "https://cart-ltfu.org/fhir/sid/spoke-lab/vn-bachmai";
    static final String EVENT = "https://cart-ltfu.org/fhir/sid/spoke-event/vn-bachmai";
    static final String GRADE_EXTENSION = "https://cart-ltfu.org/fhir/StructureDefinition/astct-grade";

    private SpokePush() {}

    /**
     * @param infusion the CAR-T infusion (a hub Procedure) the CRS event is attributed to
     */
    static Bundle bundle(String site, String mrn, String labId, String eventId, int crsGrade, String infusion) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String patientUrn = "urn:uuid:" + UUID.nameUUIDFromBytes(mrn.getBytes());
        String organization = "Organization?identifier=" + TestClients.SITE_SYSTEM + "|" + site;

        Patient patient = (Patient) ProfiledResources.of("Patient", null, organization, infusion, null);
        patient.getIdentifier().removeIf(identifier -> identifier.getSystem().startsWith(MRN_PREFIX));
        patient.addIdentifier().setSystem(MRN_PREFIX + site).setValue(mrn);
        bundle.addEntry()
                .setFullUrl(patientUrn)
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist("identifier=" + MRN_PREFIX + site + "|" + mrn);

        Observation ferritin =
                (Observation) ProfiledResources.of("Observation", patientUrn, organization, infusion, null);
        ferritin.addIdentifier().setSystem(LAB).setValue(labId);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes(labId.getBytes()))
                .setResource(ferritin)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation")
                .setIfNoneExist("identifier=" + LAB + "|" + labId);

        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes(eventId.getBytes()))
                .setResource(crsEvent(eventId, patientUrn, crsGrade, infusion))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("AdverseEvent?identifier=" + EVENT + "|" + eventId);
        return bundle;
    }

    /** A CRS event (crs-event profile) with the given ASTCT grade. */
    static AdverseEvent crsEvent(String eventId, String patientReference, int grade, String infusion) {
        AdverseEvent event =
                (AdverseEvent) ProfiledResources.of("AdverseEvent", patientReference, null, infusion, null);
        event.getExtensionByUrl(GRADE_EXTENSION)
                .setValue(new CodeableConcept(new Coding(
                        "https://cart-ltfu.org/fhir/CodeSystem/astct-crs-grade",
                        String.valueOf(grade),
                        "Grade " + grade)));
        event.getIdentifier().setSystem(EVENT).setValue(eventId);
        return event;
    }
}
