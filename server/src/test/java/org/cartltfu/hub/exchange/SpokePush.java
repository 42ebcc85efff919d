package org.cartltfu.hub.exchange;

import java.util.UUID;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * A typical spoke push: the patient, a ferritin result and a CRS event, each keyed on the spoke's own identifiers
 * (conditional create for the patient and the lab, conditional update for the event), so that the same bundle can be
 * sent any number of times.
 */
final class SpokePush {

	static final String MRN = "https://cart-ltfu.org/fhir/sid/spoke-mrn/vn-bachmai";
	static final String LAB = "https://cart-ltfu.org/fhir/sid/spoke-lab/vn-bachmai";
	static final String EVENT = "https://cart-ltfu.org/fhir/sid/spoke-event/vn-bachmai";
	static final String GRADE_EXTENSION = "https://cart-ltfu.org/fhir/StructureDefinition/astct-grade";

	private SpokePush() {}

	static Bundle bundle(String site, String mrn, String labId, String eventId, int crsGrade) {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		String patientUrn = "urn:uuid:" + UUID.nameUUIDFromBytes(mrn.getBytes());

		Patient patient = new Patient();
		patient.addIdentifier().setSystem(MRN).setValue(mrn);
		patient.addName().setFamily("Pham").addGiven("Van An");
		patient.setManagingOrganization(
				new Reference("Organization?identifier=" + TestClients.SITE_SYSTEM + "|" + site));
		bundle.addEntry().setFullUrl(patientUrn).setResource(patient).getRequest()
				.setMethod(Bundle.HTTPVerb.POST).setUrl("Patient").setIfNoneExist("identifier=" + MRN + "|" + mrn);

		Observation ferritin = new Observation();
		ferritin.addIdentifier().setSystem(LAB).setValue(labId);
		ferritin.setStatus(Observation.ObservationStatus.FINAL);
		ferritin.getCode().addCoding().setSystem("http://loinc.org").setCode("2276-4");
		ferritin.setSubject(new Reference(patientUrn));
		ferritin.setValue(new Quantity().setValue(850).setUnit("ng/mL"));
		bundle.addEntry().setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes(labId.getBytes())).setResource(ferritin)
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation")
				.setIfNoneExist("identifier=" + LAB + "|" + labId);

		bundle.addEntry().setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes(eventId.getBytes()))
				.setResource(crsEvent(eventId, patientUrn, crsGrade))
				.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("AdverseEvent?identifier=" + EVENT + "|" + eventId);
		return bundle;
	}

	static AdverseEvent crsEvent(String eventId, String patientReference, int grade) {
		AdverseEvent event = new AdverseEvent();
		event.addExtension(GRADE_EXTENSION, new CodeableConcept(new Coding(
				"https://cart-ltfu.org/fhir/CodeSystem/astct-crs-grade", String.valueOf(grade), "Grade " + grade)));
		event.getIdentifier().setSystem(EVENT).setValue(eventId);
		event.setActuality(AdverseEvent.AdverseEventActuality.ACTUAL);
		event.setEvent(new CodeableConcept(new Coding(
				"https://cart-ltfu.org/fhir/CodeSystem/cart-event-type", "crs", "Cytokine release syndrome")));
		event.setSubject(new Reference(patientReference));
		return event;
	}
}
