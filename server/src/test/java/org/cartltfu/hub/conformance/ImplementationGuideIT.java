package org.cartltfu.hub.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.ClassPathResource;

/**
 * The implementation guide as the server enforces it: installed at start, the example journey accepted whole, every
 * invalid example refused over HTTP with 422 naming the element and the rule, and the terminology operations answering
 * from our own CodeSystems and ConceptMaps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImplementationGuideIT extends HubServerIT {

    /** The profiles module's invalid examples; see the failsafe configuration in server/pom.xml. */
    private static final Path INVALID_EXAMPLES = Path.of(System.getProperty("ig.invalid.dir"));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Logical ids the invalid examples use for their references, mapped to what the journey created. */
    private final Map<String, String> journeyReferences = new HashMap<>();

    @BeforeAll
    void postTheJourney() {
        connect();
        Journey journey = Journey.post(client, fhirContext);
        journeyReferences.put("Patient/patient", journey.patient());
        journeyReferences.put("Procedure/infusion", journey.infusion());
        journeyReferences.put("Organization/org-hub", journey.hubOrganization());
        journeyReferences.put("Organization/org-spoke", journey.spokeOrganization());
    }

    @Test
    void journeyIsStoredWithItsProfiles() {
        String patientId = journeyReferences.get("Patient/patient");
        Patient patient =
                client.read().resource(Patient.class).withUrl(patientId).execute();
        assertTrue(patient.getMeta().hasProfile(CarTIg.PROFILE_PATIENT));
        Bundle everything = client.search()
                .forResource(Observation.class)
                .where(Observation.SUBJECT.hasId(patientId))
                .count(200)
                .returnBundle(Bundle.class)
                .execute();
        assertTrue(
                everything.getEntry().size() >= 10,
                "observations stored: " + everything.getEntry().size());
    }

    static Stream<String> invalidExamples() throws IOException {
        try (Stream<Path> files = Files.list(INVALID_EXAMPLES)) {
            return files
                    .map(path -> path.getFileName().toString())
                    .filter(name -> !name.equals("expected.json"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleIsRefusedOverHttpAndNothingIsStored(String file) throws Exception {
        JsonNode expected = JSON.readTree(
                        INVALID_EXAMPLES.resolve("expected.json").toFile())
                .get(file);
        assertNotNull(expected, "expected.json has no entry for " + file);
        String body = Files.readString(INVALID_EXAMPLES.resolve(file));
        for (Map.Entry<String, String> reference : journeyReferences.entrySet()) {
            body = body.replace("\"" + reference.getKey() + "\"", "\"" + reference.getValue() + "\"");
        }
        String type = JSON.readTree(body).get("resourceType").asText();
        int before = count(type);

        HttpResponse<String> response = send(request("/" + type)
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        if ("warning".equals(expected.path("severity").asText())) {
            assertEquals(201, response.statusCode(), response.body());
            assertEquals(before + 1, count(type));
            return;
        }
        assertEquals(422, response.statusCode(), response.body());
        OperationOutcome outcome = parseOutcome(response.body());
        // The server's terminology service quotes codes with " where the offline validator uses '; same rule.
        String messageContains = expected.get("messageContains").asText().replace('"', '\'');
        String path = expected.get("path").asText();
        List<OperationOutcome.OperationOutcomeIssueComponent> matching = outcome.getIssue().stream()
                .filter(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
                .filter(issue -> issue.getDiagnostics().replace('"', '\'').contains(messageContains))
                .toList();
        assertFalse(matching.isEmpty(), "no error mentioning '" + messageContains + "' in " + response.body());
        assertTrue(
                matching.stream()
                        .anyMatch(issue -> issue.getExpression().stream()
                                        .anyMatch(expression ->
                                                expression.getValue().startsWith(path))
                                || issue.getLocation().stream()
                                        .anyMatch(
                                                location -> location.getValue().startsWith(path))),
                "no error at " + path + " in " + response.body());
        assertEquals(before, count(type), file + " was stored");
    }

    @Test
    void transactionWithOneInvalidEntryStoresNothing() throws Exception {
        int patientsBefore = count("Patient");
        int observationsBefore = count("Observation");
        String patientUrn = "urn:uuid:" + UUID.randomUUID();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl(patientUrn)
                .setResource(
                        Fixtures.patient(UUID.randomUUID().toString(), "Valid", Fixtures.spokeOrganization(client)))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        Observation iceScore = (Observation) fhirContext
                .newJsonParser()
                .parseResource(Files.readString(INVALID_EXAMPLES.resolve("Observation-ice-total-mismatch.json")));
        iceScore.getSubject().setReference(patientUrn);
        bundle.addEntry()
                .setResource(iceScore)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");

        HttpResponse<String> response = send(request("")
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        fhirContext.newJsonParser().encodeResourceToString(bundle))));

        assertEquals(422, response.statusCode(), response.body());
        assertTrue(response.body().contains("ice-total-1"), response.body());
        assertEquals(patientsBefore, count("Patient"));
        assertEquals(observationsBefore, count("Observation"));
    }

    @Test
    void aPatientWithoutOurProfileIsGeneralDataForTheHub() throws Exception {
        // CAR-T facts must conform to our profiles (IntakePolicyIT); a Patient is not one: it is base-validated only.
        Patient patient =
                Fixtures.patient(UUID.randomUUID().toString(), "Unprofiled", Fixtures.spokeOrganization(client));
        patient.getMeta().getProfile().clear();
        patient.getIdentifierFirstRep().setSystem(null);
        HttpResponse<String> response = send(request("/Patient")
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        fhirContext.newJsonParser().encodeResourceToString(patient))));
        assertEquals(201, response.statusCode(), response.body());
    }

    @Test
    void validateOperationReportsTheBrokenRule() throws Exception {
        String body = Files.readString(INVALID_EXAMPLES.resolve("Observation-ice-total-mismatch.json"));
        HttpResponse<String> response = send(request("/Observation/$validate")
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertTrue(response.statusCode() == 200 || response.statusCode() == 412, response.body());
        OperationOutcome outcome = parseOutcome(response.body());
        assertTrue(
                outcome.getIssue().stream()
                        .anyMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                                && issue.getDiagnostics().contains("ice-total-1")),
                response.body());
    }

    @Test
    void lookupAnswersInVietnameseAndChinese() throws IOException {
        CodeSystem grades = (CodeSystem) fhirContext
                .newJsonParser()
                .parseResource(classpath("cart-ltfu-ig/terminology/CodeSystem-astct-crs-grade.json"));
        CodeSystem.ConceptDefinitionComponent grade3 = grades.getConcept().stream()
                .filter(concept -> concept.getCode().equals("3"))
                .findFirst()
                .orElseThrow();
        for (String language : List.of("vi", "zh")) {
            String expected = grade3.getDesignation().stream()
                    .filter(designation -> designation.getLanguage().equals(language))
                    .findFirst()
                    .orElseThrow()
                    .getValue();
            Parameters result = client.operation()
                    .onType(CodeSystem.class)
                    .named("$lookup")
                    .withParameter(Parameters.class, "system", new UriType(CarTIg.CS_ASTCT_CRS_GRADE))
                    .andParameter("code", new CodeType("3"))
                    .andParameter("displayLanguage", new CodeType(language))
                    .useHttpGet()
                    .execute();
            boolean designationReturned = result.getParameter().stream()
                    .filter(parameter -> parameter.getName().equals("designation"))
                    .anyMatch(designation -> designation.getPart().stream()
                                    .anyMatch(part -> part.getName().equals("language")
                                            && language.equals(part.getValue().primitiveValue()))
                            && designation.getPart().stream()
                                    .anyMatch(part -> part.getName().equals("value")
                                            && expected.equals(part.getValue().primitiveValue())));
            assertTrue(
                    designationReturned,
                    language + ": " + fhirContext.newJsonParser().encodeResourceToString(result));
        }
    }

    @Test
    void translateMapsAstctGradeToIcd10cm() {
        Parameters result = client.operation()
                .onType(org.hl7.fhir.r4.model.ConceptMap.class)
                .named("$translate")
                .withParameter(Parameters.class, "system", new UriType(CarTIg.CS_ASTCT_CRS_GRADE))
                .andParameter("code", new CodeType("3"))
                .andParameter("targetsystem", new UriType(CarTIg.ICD10CM))
                .useHttpGet()
                .execute();
        assertEquals(
                "true",
                result.getParameterValue("result").primitiveValue(),
                fhirContext.newJsonParser().encodeResourceToString(result));
        String mapped = result.getParameter().stream()
                .filter(parameter -> parameter.getName().equals("match"))
                .flatMap(match -> match.getPart().stream())
                .filter(part -> part.getName().equals("concept"))
                .map(part -> ((org.hl7.fhir.r4.model.Coding) part.getValue()).getCode())
                .findFirst()
                .orElseThrow();
        assertEquals("D89.833", mapped);
    }

    @Test
    void expandAndValidateCode() {
        ValueSet expansion = client.operation()
                .onType(ValueSet.class)
                .named("$expand")
                .withParameter(Parameters.class, "url", new UriType(CarTIg.VS + "astct-icans-grade"))
                .returnResourceType(ValueSet.class)
                .useHttpGet()
                .execute();
        assertEquals(6, expansion.getExpansion().getContains().size());

        Parameters valid = client.operation()
                .onType(CodeSystem.class)
                .named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType(CarTIg.CS_LTFU_TIMEPOINT))
                .andParameter("code", new CodeType("D100"))
                .useHttpGet()
                .execute();
        assertEquals("true", valid.getParameterValue("result").primitiveValue());
        Parameters invalid = client.operation()
                .onType(CodeSystem.class)
                .named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType(CarTIg.CS_LTFU_TIMEPOINT))
                .andParameter("code", new CodeType("M9"))
                .useHttpGet()
                .execute();
        assertEquals("false", invalid.getParameterValue("result").primitiveValue());
        assertNotNull(invalid.getParameterValue("message"), "a reason for the refusal");
        assertTrue(new StringType(invalid.getParameterValue("message").primitiveValue())
                .getValue()
                .contains("M9"));
    }

    private static String classpath(String location) throws IOException {
        try (InputStream in = new ClassPathResource(location).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
