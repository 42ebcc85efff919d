package org.cartltfu.hub.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.UUID;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class TransactionIT extends HubServerIT {

    private static final String SPOKE_MRN = "https://cart-ltfu.org/fhir/sid/spoke-mrn/vn-bachmai";

    /** A spoke's push: the patient and one lab, both conditional on the spoke's own identifiers. */
    private Bundle spokePush(String mrn, String labId) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = Fixtures.patient("SGH-" + mrn, "Pham", Fixtures.spokeOrganization(client));
        patient.addIdentifier(Fixtures.identifier("spoke-mrn", SPOKE_MRN, mrn));
        String patientUrn = "urn:uuid:" + UUID.randomUUID();
        bundle.addEntry()
                .setFullUrl(patientUrn)
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist("identifier=" + SPOKE_MRN + "|" + mrn);

        Observation crp = Fixtures.crp(patientUrn, "2026-03-05T06:00:00+07:00", 86);
        crp.addIdentifier()
                .setSystem("https://cart-ltfu.org/fhir/sid/spoke-lab/vn-bachmai")
                .setValue(labId);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(crp)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation")
                .setIfNoneExist("identifier=https://cart-ltfu.org/fhir/sid/spoke-lab/vn-bachmai|" + labId);
        return bundle;
    }

    @Test
    void conditionalTransactionPostedTwiceCreatesNothingNew() {
        String mrn = UUID.randomUUID().toString();
        String labId = UUID.randomUUID().toString();
        int patientsBefore = count("Patient");
        int observationsBefore = count("Observation");

        Bundle first = client.transaction().withBundle(spokePush(mrn, labId)).execute();
        assertTrue(first.getEntry().get(0).getResponse().getStatus().startsWith("201"));
        assertTrue(first.getEntry().get(1).getResponse().getStatus().startsWith("201"));

        Bundle second = client.transaction().withBundle(spokePush(mrn, labId)).execute();
        assertTrue(second.getEntry().get(0).getResponse().getStatus().startsWith("200"));
        assertTrue(second.getEntry().get(1).getResponse().getStatus().startsWith("200"));
        assertEquals(
                first.getEntry().get(0).getResponse().getLocation().replaceAll("/_history/.*", ""),
                second.getEntry().get(0).getResponse().getLocation().replaceAll("/_history/.*", ""));

        assertEquals(patientsBefore + 1, count("Patient"));
        assertEquals(observationsBefore + 1, count("Observation"));

        Bundle labs = client.search()
                .forResource(Observation.class)
                .where(Observation.SUBJECT.hasChainedProperty(
                        Patient.IDENTIFIER.exactly().systemAndCode(SPOKE_MRN, mrn)))
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(1, labs.getEntry().size());
    }

    @Test
    void failingEntryRollsBackTheWholeTransaction() {
        int patientsBefore = count("Patient");
        Bundle bundle =
                spokePush(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Observation dangling = Fixtures.crp("Patient/does-not-exist-" + UUID.randomUUID(), "2026-03-06", 12);
        bundle.addEntry()
                .setResource(dangling)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");

        BaseServerResponseException refused = assertThrows(
                BaseServerResponseException.class,
                () -> client.transaction().withBundle(bundle).execute());
        assertTrue(refused.getStatusCode() >= 400 && refused.getStatusCode() < 500, refused.getMessage());
        assertEquals(patientsBefore, count("Patient"));
    }

    @Test
    void batchProcessesEntriesIndependently() {
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry()
                .setResource(
                        Fixtures.patient(UUID.randomUUID().toString(), "Batch", Fixtures.spokeOrganization(client)))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/unknown-" + UUID.randomUUID());
        Bundle response = client.transaction().withBundle(batch).execute();
        assertTrue(response.getEntry().get(0).getResponse().getStatus().startsWith("201"));
        assertTrue(response.getEntry().get(1).getResponse().getStatus().startsWith("404"));
    }
}
