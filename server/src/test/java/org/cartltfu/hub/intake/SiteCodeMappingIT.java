package org.cartltfu.hub.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.TestClients;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A site's local lab codes, mapped by the ConceptMap the hub keeps for that site (the README's worked example): the
 * site's results are recognised as our labs; another site sending the same local code is not mapped.
 */
class SiteCodeMappingIT extends HubServerIT {

    private static final String LOCAL = "https://bachmai.example.vn/fhir/CodeSystem/xet-nghiem";

    @Autowired
    private SiteDirectory sites;

    private String vnPatient;
    private String myPatient;

    @BeforeEach
    void theWorkedExampleMapAndAPatientAtEachSite() throws Exception {
        ConceptMap map = (ConceptMap) fhirContext
                .newJsonParser()
                .parseResource(Files.readString(Path.of("..", "docs", "mapping", "ConceptMap-vn-bachmai-labs.json")));
        client.update()
                .resource(map)
                .conditionalByUrl("ConceptMap?url=" + map.getUrl())
                .execute();
        vnPatient = patient(Fixtures.spokeOrganization(client));
        myPatient = patient("Organization/"
                + sites.organizationId(TestClients.SPOKE_MY.site()).orElseThrow());
    }

    @Test
    void aSitesLocalCrpIsRecognisedAsOurCrpLabAndKeepsItsOwnCoding() throws Exception {
        String token = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.cruds");
        Observation stored = push(token, localLab(vnPatient, "HH-CRP", 48, "mg/L"), true);
        assertTrue(stored.getMeta().hasProfile(CarTIg.PROFILE_LAB_CRP), "recognised as our CRP lab");
        assertTrue(
                stored.getCode().getCoding().stream()
                        .anyMatch(
                                c -> c.getSystem().equals(LOCAL) && c.getCode().equals("HH-CRP")),
                "the site's own coding stays");
        assertTrue(stored.getCode().getCoding().stream()
                .anyMatch(c -> c.getSystem().equals(CarTIg.LOINC) && c.getCode().equals("1988-5")));

        // A single POST is mapped too; a 'wider' mapping (a whole panel) adds nothing.
        Observation platelets = push(token, localLab(vnPatient, "HH-PLT", 140, "10*9/L"), false);
        assertTrue(
                platelets.getMeta().hasProfile(CarTIg.PROFILE_LAB_PLATELETS),
                fhirContext.newJsonParser().encodeResourceToString(platelets));
        Observation panel = push(token, localLab(vnPatient, "HH-TONGQUAT", 1, "1"), false);
        assertEquals(1, panel.getCode().getCoding().size());

        // The patient's labs as the clinical views read them.
        HttpResponse<String> history = send(request("/Patient/" + vnPatient.substring(8) + "/$toxicity-history"));
        assertEquals(200, history.statusCode(), history.body());
        assertTrue(history.body().contains("\"name\":\"loinc\",\"valueCode\":\"1988-5\""), history.body());
        assertTrue(history.body().contains("\"name\":\"loinc\",\"valueCode\":\"777-3\""), history.body());

        // $translate answers from the same map.
        HttpResponse<String> translated =
                send(request("/ConceptMap/$translate?system=" + LOCAL + "&code=HH-CRP&targetsystem=" + CarTIg.LOINC));
        assertEquals(200, translated.statusCode(), translated.body());
        assertTrue(translated.body().contains("1988-5"), translated.body());
    }

    @Test
    void anotherSitesSameLocalCodeIsNotMapped() throws Exception {
        String token = TestClients.token(TestClients.SPOKE_MY, serverRoot(), "system/*.cruds");
        Observation stored = push(token, localLab(myPatient, "HH-CRP", 48, "mg/L"), true);
        assertFalse(stored.getMeta().hasProfile(CarTIg.PROFILE_LAB_CRP));
        assertEquals(1, stored.getCode().getCoding().size());
    }

    private String patient(String organization) {
        Patient patient = Fixtures.patient("SGH-" + UUID.randomUUID(), "Mapped", organization);
        return client.create()
                .resource(patient)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private static Observation localLab(String patient, String code, double value, String unit) {
        Observation lab = new Observation();
        lab.setStatus(Observation.ObservationStatus.FINAL);
        lab.addCategory()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("laboratory");
        lab.getCode().addCoding().setSystem(LOCAL).setCode(code);
        lab.setSubject(new Reference(patient));
        lab.setEffective(new DateTimeType("2026-11-20T08:00:00+07:00"));
        lab.setValue(new Quantity()
                .setValue(BigDecimal.valueOf(value))
                .setUnit(unit)
                .setSystem(CarTIg.UCUM)
                .setCode(unit));
        return lab;
    }

    /** Posts as the spoke (in a transaction or alone) and reads back what was stored. */
    private Observation push(String token, Observation lab, boolean transaction) throws Exception {
        String body;
        String path;
        if (transaction) {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            bundle.addEntry()
                    .setResource(lab)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
            body = fhirContext.newJsonParser().encodeResourceToString(bundle);
            path = "";
        } else {
            body = fhirContext.newJsonParser().encodeResourceToString(lab);
            path = "/Observation";
        }
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/fhir+json")
                        .header("Prefer", "return=representation")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, response.body());
        String location = transaction
                ? ((Bundle) fhirContext.newJsonParser().parseResource(response.body()))
                        .getEntryFirstRep()
                        .getResponse()
                        .getLocation()
                : response.headers().firstValue("Location").orElseThrow();
        return client.read()
                .resource(Observation.class)
                .withId(new org.hl7.fhir.r4.model.IdType(location).toUnqualifiedVersionless())
                .execute();
    }
}
