package org.cartltfu.hub.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.security.TestClients;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Patients from elsewhere: a spoke's Patient without the hub MRN is linked to the hub's patient by its spoke MRN,
 * passport or national ID, or refused with an OperationOutcome naming the identifiers the hub needs; never a second
 * record, and never another site's patient.
 */
class PatientMatchingIT extends HubServerIT {

    private static final String PASSPORT = CarTIg.SID_PASSPORT_PREFIX + "vn";
    private static final String SPOKE_MRN = CarTIg.SID_SPOKE_MRN_PREFIX + "vn-bachmai";

    private String spokeToken;
    private String passport;
    private String hubPatient;

    @BeforeEach
    void aPatientTheHubKnows() {
        spokeToken = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.cruds");
        passport = "B" + UUID.randomUUID().toString().substring(0, 7);
        Patient patient = Fixtures.patient(UUID.randomUUID().toString(), "Matched", Fixtures.spokeOrganization(client));
        patient.addIdentifier().setSystem(PASSPORT).setValue(passport);
        hubPatient = client.create()
                .resource(patient)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    @Test
    void aSpokePatientWithoutTheHubMrnIsLinkedByPassport() throws Exception {
        int patients = count("Patient");
        Bundle bundle = spokeBundle(spokePatient(PASSPORT, passport));

        HttpResponse<String> response = post(spokeToken, "", bundle);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(patients, count("Patient"), "a second record of the patient was created");
        Bundle labs = client.search()
                .byUrl("Observation?subject=" + hubPatient)
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(1, labs.getEntry().size(), "the spoke's lab is not on the hub's patient");
    }

    @Test
    void aSpokePatientTheHubDoesNotKnowIsRefusedNamingTheIdentifiersItNeeds() throws Exception {
        int patients = count("Patient");
        int observations = count("Observation");

        HttpResponse<String> response = post(spokeToken, "", spokeBundle(spokePatient(PASSPORT, "X-unknown")));

        assertEquals(422, response.statusCode(), response.body());
        assertTrue(response.body().contains(CarTIg.SID_HUB_MRN), response.body());
        assertTrue(response.body().contains("passport"), response.body());
        assertTrue(response.body().contains("Patient.identifier"), response.body());
        assertEquals(patients, count("Patient"));
        assertEquals(observations, count("Observation"));
    }

    @Test
    void aSinglePostOfAKnownPatientIsRefusedNamingTheHubPatient() throws Exception {
        int patients = count("Patient");
        HttpResponse<String> response = post(spokeToken, "/Patient", spokePatient(PASSPORT, passport));
        assertEquals(422, response.statusCode(), response.body());
        assertTrue(response.body().contains(hubPatient), response.body());
        assertEquals(patients, count("Patient"));
    }

    @Test
    void anotherSitesPatientIsNotAMatch() throws Exception {
        Patient elsewhere = Fixtures.patient(
                UUID.randomUUID().toString(),
                "Elsewhere",
                "Organization?identifier=" + TestClients.SITE_SYSTEM + "|" + TestClients.SPOKE_MY.site());
        String otherPassport = "M" + UUID.randomUUID().toString().substring(0, 7);
        elsewhere.addIdentifier().setSystem(PASSPORT).setValue(otherPassport);
        Bundle create = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        create.addEntry()
                .setResource(elsewhere)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        assertEquals(200, post(hubToken, "", create).statusCode());

        HttpResponse<String> response = post(spokeToken, "", spokeBundle(spokePatient(PASSPORT, otherPassport)));

        assertEquals(422, response.statusCode(), response.body());
        assertTrue(response.body().contains("has no patient of site vn-bachmai"), response.body());
        assertFalse(response.body().contains("Elsewhere"), response.body());
    }

    private Patient spokePatient(String system, String value) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(SPOKE_MRN).setValue("BM-" + UUID.randomUUID());
        patient.addIdentifier().setSystem(system).setValue(value);
        patient.addName().setFamily("Matched");
        patient.setManagingOrganization(new org.hl7.fhir.r4.model.Reference(
                "Organization?identifier=" + TestClients.SITE_SYSTEM + "|" + TestClients.SPOKE_VN.site()));
        return patient;
    }

    private Bundle spokeBundle(Patient patient) {
        String patientUrn = "urn:uuid:" + UUID.randomUUID();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl(patientUrn)
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        Observation crp = Fixtures.crp(patientUrn, "2025-02-01T08:00:00+07:00", 3);
        bundle.addEntry()
                .setResource(crp)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        return bundle;
    }

    private HttpResponse<String> post(String token, String path, Resource body) throws Exception {
        return send(HttpRequest.newBuilder(java.net.URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        fhirContext.newJsonParser().encodeResourceToString(body))));
    }
}
