package org.cartltfu.hub.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.BiologicallyDerivedProduct;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.io.ClassPathResource;

/**
 * The intake policy over HTTP with validation on: unchanged Synthea 3.3.0 bundles (general clinical data, US Core
 * profiles we do not hold) are stored; labs that conform to our lab profiles are recognised; CAR-T facts are held to
 * our profiles whether they declare them or not; general data is validated against the base specification; and a
 * transaction with several bad entries names every one of them and stores nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntakePolicyIT extends HubServerIT {

    /** The profiles module's invalid examples; see the failsafe configuration in server/pom.xml. */
    private static final Path INVALID_EXAMPLES = Path.of(System.getProperty("ig.invalid.dir"));

    /** Synthea 3.3.0, seed 14, 3 living patients, 2 years of history: see synthea/synthea.properties. */
    private static final List<String> SYNTHEA_PATIENTS =
            List.of("synthea/patient-alva.json", "synthea/patient-maren.json", "synthea/patient-belia.json");

    /** Narrows a search to the Synthea patients' data (other test classes share the database). */
    private static final String SYNTHEA_SUBJECT =
            "&subject:Patient.identifier=https://github.com/synthetichealth/synthea|";

    private String plateletPatient;

    @BeforeAll
    void postSyntheaUnchanged() throws Exception {
        connect();
        // Patient bundles name their organisations and practitioners by conditional references.
        for (String file : List.of("synthea/hospitals.json", "synthea/practitioners.json")) {
            HttpResponse<String> batch = post("", read(file));
            assertEquals(200, batch.statusCode(), batch.body());
            assertFalse(
                    batch.body().contains("\"status\": \"4") || batch.body().contains("\"status\":\"4"), batch.body());
        }
        for (String file : SYNTHEA_PATIENTS) {
            long start = System.nanoTime();
            HttpResponse<String> response = post("", read(file));
            assertEquals(200, response.statusCode(), file + ": " + response.body());
            System.out.printf(
                    "Synthea %s: %d entries stored with validation in %d ms%n",
                    file,
                    fhirContext
                            .newJsonParser()
                            .parseResource(Bundle.class, response.body())
                            .getEntry()
                            .size(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        Bundle platelets = client.search()
                .byUrl("Observation?code=" + CarTIg.LOINC + "|777-3" + SYNTHEA_SUBJECT)
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(1, platelets.getEntry().size());
        plateletPatient = ((Observation) platelets.getEntryFirstRep().getResource())
                .getSubject()
                .getReference();
    }

    @Test
    void syntheaDataIsStoredAsSent() {
        Bundle patients = client.search()
                .byUrl("Patient?identifier=https://github.com/synthetichealth/synthea|")
                .returnBundle(Bundle.class)
                .execute();
        assertTrue(
                patients.getEntry().size() >= SYNTHEA_PATIENTS.size(),
                "patients: " + patients.getEntry().size());
        for (String type : List.of(
                "Claim",
                "ExplanationOfBenefit",
                "Immunization",
                "DiagnosticReport",
                "MedicationRequest",
                "Procedure",
                "Condition",
                "Encounter")) {
            assertTrue(count(type) > 0, type + " not stored");
        }
        Patient patient = (Patient) patients.getEntryFirstRep().getResource();
        assertTrue(patient.getMeta().hasProfile("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"));
        assertFalse(patient.getMeta().hasProfile(CarTIg.PROFILE_PATIENT));
    }

    @Test
    void syntheaLabsThatConformAreRecognisedAsOurLabs() {
        Observation platelets = (Observation) client.search()
                .byUrl("Observation?code=" + CarTIg.LOINC + "|777-3" + SYNTHEA_SUBJECT)
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource();
        assertTrue(
                platelets.getMeta().hasProfile(CarTIg.PROFILE_LAB_PLATELETS),
                platelets.getMeta().getProfile().toString());
        Observation haemoglobin = (Observation) client.search()
                .byUrl("Observation?code=" + CarTIg.LOINC + "|718-7" + SYNTHEA_SUBJECT)
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource();
        assertTrue(
                haemoglobin.getMeta().hasProfile(CarTIg.PROFILE_LAB),
                haemoglobin.getMeta().getProfile().toString());
        // A vital sign is general data: validated, stored, not one of our labs.
        Observation weight = (Observation) client.search()
                .byUrl("Observation?code=" + CarTIg.LOINC + "|29463-7" + SYNTHEA_SUBJECT)
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource();
        assertFalse(weight.getMeta().getProfile().stream()
                .anyMatch(p -> p.getValue().startsWith(CarTIg.SD)));
    }

    @Test
    void syntheaPlateletsAppearInTheLabsView() throws Exception {
        HttpResponse<String> response = send(request("/$viewdefinition-run?view=labs&format=ndjson"));
        assertEquals(200, response.statusCode(), response.body());
        String patientId = plateletPatient.substring(plateletPatient.indexOf('/') + 1);
        assertTrue(
                response.body()
                        .lines()
                        .anyMatch(line -> line.contains("\"patient_id\":\"" + patientId + "\"")
                                && line.contains("\"loinc\":\"777-3\"")),
                response.body());
    }

    @Test
    void syntheaPlateletsAppearInTheToxicityHistory() {
        Parameters history = client.operation()
                .onInstance(plateletPatient)
                .named("$toxicity-history")
                .withNoParameters(Parameters.class)
                .execute();
        List<Parameters.ParametersParameterComponent> labs = history.getParameter().stream()
                .filter(parameter -> parameter.getName().equals("lab"))
                .toList();
        assertEquals(1, labs.size(), fhirContext.newJsonParser().encodeResourceToString(history));
        assertTrue(labs.get(0).getPart().stream()
                .anyMatch(part -> part.getName().equals("loinc")
                        && part.getValue().primitiveValue().equals("777-3")));
    }

    @Test
    void aLabDeclaringTheGenericLabProfileIsAccepted() throws Exception {
        String patient = newPatient();
        Observation haemoglobin = Fixtures.crp(patient, "2024-04-01T08:00:00+08:00", 1);
        haemoglobin.getMeta().getProfile().clear();
        haemoglobin.getMeta().addProfile(CarTIg.PROFILE_LAB);
        haemoglobin.getCode().getCodingFirstRep().setCode("718-7");
        haemoglobin.getValueQuantity().setValue(12.1).setUnit("g/dL").setCode("g/dL");
        HttpResponse<String> response = post("/Observation", encode(haemoglobin));
        assertEquals(201, response.statusCode(), response.body());

        haemoglobin.getCode().getCodingFirstRep().setSystem("urn:oid:1.2.3.4").setCode("HB");
        HttpResponse<String> local = post("/Observation", encode(haemoglobin));
        assertEquals(422, local.statusCode(), local.body());
        assertTrue(local.body().contains("cart-lab-loinc-1"), local.body());
    }

    @Test
    void aPlainCrpIsRecognisedAsOurCrp() throws Exception {
        Observation crp = Fixtures.crp(newPatient(), "2024-04-01T08:00:00+08:00", 42);
        crp.getMeta().getProfile().clear();
        HttpResponse<String> response = post("/Observation", encode(crp));
        assertEquals(201, response.statusCode(), response.body());
        Observation stored = client.read()
                .resource(Observation.class)
                .withUrl(response.headers().firstValue("Location").orElseThrow())
                .execute();
        assertTrue(
                stored.getMeta().hasProfile(CarTIg.PROFILE_LAB_CRP),
                stored.getMeta().getProfile().toString());
    }

    @Test
    void aCarTFactIsHeldToItsProfileEvenWhenItDoesNotDeclareIt() throws Exception {
        String patient = newPatient();
        AdverseEvent withoutGrade = (AdverseEvent) fhirContext
                .newJsonParser()
                .parseResource(Files.readString(INVALID_EXAMPLES.resolve("AdverseEvent-crs-without-grade.json")));
        withoutGrade.getMeta().getProfile().clear();
        withoutGrade.setSubject(new Reference(patient));
        int before = count("AdverseEvent");
        HttpResponse<String> response = post("/AdverseEvent", encode(withoutGrade));
        assertEquals(422, response.statusCode(), response.body());
        assertTrue(response.body().contains(CarTIg.PROFILE_CRS_EVENT), response.body());
        assertEquals(before, count("AdverseEvent"));

        BiologicallyDerivedProduct product = new BiologicallyDerivedProduct();
        product.setProductCategory(BiologicallyDerivedProduct.BiologicallyDerivedProductCategory.CELLS);
        HttpResponse<String> unprofiledProduct = post("/BiologicallyDerivedProduct", encode(product));
        assertEquals(422, unprofiledProduct.statusCode(), unprofiledProduct.body());
        assertTrue(unprofiledProduct.body().contains(CarTIg.PROFILE_PRODUCT), unprofiledProduct.body());
    }

    @Test
    void anUnknownProfileOfOursIsRefused() throws Exception {
        Observation crp = Fixtures.crp(newPatient(), "2024-04-01T08:00:00+08:00", 42);
        crp.getMeta().getProfile().clear();
        crp.getMeta().addProfile(CarTIg.SD + "lab-crp-typo");
        HttpResponse<String> response = post("/Observation", encode(crp));
        assertEquals(422, response.statusCode(), response.body());
        assertTrue(response.body().contains("lab-crp-typo"), response.body());
    }

    @Test
    void generalDataOfEveryTypeIsValidatedAgainstTheBaseSpecification() throws Exception {
        Immunization withoutStatus = immunization(newPatient());
        withoutStatus.setStatus(null);
        int before = count("Immunization");
        HttpResponse<String> response = post("/Immunization", encode(withoutStatus));
        assertEquals(422, response.statusCode(), response.body());
        OperationOutcome outcome = parseOutcome(response.body());
        assertTrue(
                outcome.getIssue().stream()
                        .anyMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                                && issue.getExpression().stream()
                                        .anyMatch(e -> e.getValue().startsWith("Immunization"))
                                && issue.getDiagnostics().contains("status")),
                response.body());
        assertEquals(before, count("Immunization"));
    }

    @Test
    void aTransactionWithSeveralBadEntriesNamesEveryOneAndStoresNothing() throws Exception {
        String patientUrn = "urn:uuid:" + UUID.randomUUID();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        add(
                bundle,
                patientUrn,
                Fixtures.patient(UUID.randomUUID().toString(), "Several", Fixtures.spokeOrganization(client)));
        Immunization withoutStatus = immunization(patientUrn);
        withoutStatus.setStatus(null);
        add(bundle, null, withoutStatus);
        add(bundle, null, immunization(patientUrn));
        add(bundle, null, new Claim().setStatus(Claim.ClaimStatus.ACTIVE));
        Observation iceScore = (Observation) fhirContext
                .newJsonParser()
                .parseResource(Files.readString(INVALID_EXAMPLES.resolve("Observation-ice-total-mismatch.json")));
        iceScore.getSubject().setReference(patientUrn);
        add(bundle, null, iceScore);
        int patients = count("Patient");
        int immunizations = count("Immunization");

        HttpResponse<String> response = post("", encode(bundle));

        assertEquals(422, response.statusCode(), response.body());
        OperationOutcome outcome = parseOutcome(response.body());
        for (int failing : new int[] {1, 3, 4}) {
            String entry = "Bundle.entry[" + failing + "].resource";
            assertTrue(
                    outcome.getIssue().stream()
                            .anyMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                                    && issue.getDiagnostics().startsWith("Entry " + failing + " (")
                                    && issue.getExpression().stream()
                                            .anyMatch(e -> e.getValue().startsWith(entry))),
                    "entry " + failing + ": " + response.body());
        }
        for (int valid : new int[] {0, 2}) {
            assertFalse(response.body().contains("Bundle.entry[" + valid + "]"), response.body());
        }
        assertTrue(response.body().contains("ice-total-1"), response.body());
        assertTrue(response.body().contains("Claim.use"), response.body());
        assertEquals(patients, count("Patient"));
        assertEquals(immunizations, count("Immunization"));
    }

    private String newPatient() {
        Patient patient = Fixtures.patient(UUID.randomUUID().toString(), "Intake", Fixtures.spokeOrganization(client));
        return client.create()
                .resource(patient)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private static Immunization immunization(String patient) {
        Immunization immunization = new Immunization();
        immunization.setStatus(Immunization.ImmunizationStatus.COMPLETED);
        immunization
                .getVaccineCode()
                .addCoding()
                .setSystem("http://hl7.org/fhir/sid/cvx")
                .setCode("140");
        immunization.setPatient(new Reference(patient));
        immunization.setOccurrence(new org.hl7.fhir.r4.model.DateTimeType("2025-10-01"));
        return immunization;
    }

    private static void add(Bundle bundle, String fullUrl, Resource resource) {
        bundle.addEntry()
                .setFullUrl(fullUrl)
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType());
    }

    private String encode(Resource resource) {
        return fhirContext.newJsonParser().encodeResourceToString(resource);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(request(path)
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String read(String classpath) throws IOException {
        try (InputStream in = new ClassPathResource(classpath).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
