package org.cartltfu.hub.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.cartltfu.hub.HubServerIT;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edge of the server: bodies that are cheap to send and costly to parse, FHIR's own query characters, errors
 * answered by the container rather than HAPI, search modifiers HAPI would ignore, and the audit of 401s.
 */
class EdgeIT extends HubServerIT {

    private static final String FHIR_JSON = "application/fhir+json";
    private static final String FHIR_XML = "application/fhir+xml";

    static Stream<Arguments> costlyBodies() {
        String observation = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"8310-5\"}]},\"valueQuantity\":{\"value\":1e999999,\"unit\":\"Cel\","
                + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"Cel\"}}";
        String xmlObservation = "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/><code><coding>"
                + "<system value=\"http://loinc.org\"/><code value=\"8310-5\"/></coding></code><valueQuantity>"
                + "<value value=\"1e999999\"/></valueQuantity></Observation>";
        String deep = "{\"resourceType\":\"Patient\",\"extension\":[" + "{\"extension\":[".repeat(400) + "{}"
                + "]}".repeat(400) + "]}";
        String wide = "{\"resourceType\":\"Patient\",\"name\":[" + "{},".repeat(999_999) + "{}]}";
        String longString =
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}]}";
        return Stream.of(
                Arguments.of("1e999999 in JSON", "/Observation", FHIR_JSON, observation, "max-number-exponent"),
                Arguments.of("1e999999 in XML", "/Observation", FHIR_XML, xmlObservation, "max-number-exponent"),
                Arguments.of(
                        "1e999999 in a transaction",
                        "",
                        FHIR_JSON,
                        "{\"resourceType\":\"Bundle\",\"type\":"
                                + "\"transaction\",\"entry\":[{\"resource\":" + observation
                                + ",\"request\":{\"method\":\"POST\","
                                + "\"url\":\"Observation\"}}]}",
                        "max-number-exponent"),
                Arguments.of("nesting 800 deep", "/Patient", FHIR_JSON, deep, "max-depth"),
                Arguments.of("an array of a million items", "/Patient", FHIR_JSON, wide, "max-array-length"),
                Arguments.of("a 10 MB string", "/Patient", FHIR_JSON, longString, "max-string-length"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("costlyBodies")
    void costlyBodiesAreRefusedBeforeParsingAndNothingIsStored(
            String description, String path, String contentType, String body, String setting) throws Exception {
        int patients = count("Patient");
        int observations = count("Observation");

        long start = System.nanoTime();
        HttpResponse<String> response = send(request(path)
                .header("Content-Type", contentType)
                .header("Accept", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        System.out.printf(
                "%s: %d in %d ms%n", description, response.statusCode(), (System.nanoTime() - start) / 1_000_000);

        assertEquals(400, response.statusCode(), response.body());
        OperationOutcome outcome = parseOutcome(response.body());
        assertTrue(
                outcome.getIssueFirstRep().getDiagnostics().contains("hub.fhir.limits." + setting),
                outcome.getIssueFirstRep().getDiagnostics());
        assertEquals(patients, count("Patient"));
        assertEquals(observations, count("Observation"));
    }

    /** curl and browsers send {@code system|code} and brackets unencoded; the FHIR server must get to answer. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/fhir/Observation?code=http://loinc.org|8310-5&_count=1",
                "/fhir/Patient?identifier=https://cart-ltfu.org/fhir/sid/x|y",
                "/fhir/Patient?name=[x]{y}"
            })
    void rawFhirQueryCharactersReachTheFhirServer(String target) throws Exception {
        RawHttp.Response response =
                RawHttp.get(port, target, "Authorization: Bearer " + hubToken, "Accept: " + FHIR_JSON);

        assertEquals(200, response.status(), response.body());
        Bundle bundle = (Bundle) fhirContext.newJsonParser().parseResource(response.body());
        assertEquals(Bundle.BundleType.SEARCHSET, bundle.getType());
    }

    static Stream<Arguments> containerErrors() {
        return Stream.of(
                Arguments.of("/fhir/Pat%zzient", new String[0], 400, "could not read"),
                Arguments.of("/fhir/Patient?name=%zz", new String[] {"Accept: " + FHIR_JSON}, 400, "percent-encoding"),
                Arguments.of("/fhirx/Patient", new String[0], 404, "/fhirx/Patient"),
                Arguments.of("/auth/nothing", new String[0], 404, "/auth/nothing"),
                // The authorization server answers only POST there; a GET finds nothing (a JSON 404, not its HTML
                // page).
                Arguments.of("/auth/token", new String[0], 404, "/auth/token"),
                Arguments.of(
                        "/fhir/metadata", new String[] {"X-Padding: " + "x".repeat(20_000)}, 400, "could not read"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("containerErrors")
    void containerErrorsAreOperationOutcomes(String target, String[] headers, int status, String expected)
            throws Exception {
        // As a browser asks, unless the case says otherwise: still an OperationOutcome, never an HTML page.
        String accept = Stream.of(headers).anyMatch(line -> line.startsWith("Accept:")) ? null : "Accept: text/html";
        String[] lines = Stream.concat(Stream.of("Authorization: Bearer " + hubToken, accept), Stream.of(headers))
                .filter(java.util.Objects::nonNull)
                .toArray(String[]::new);
        RawHttp.Response response = RawHttp.get(port, target, lines);

        assertEquals(status, response.status(), response.body());
        assertTrue(response.header("Content-Type").startsWith(FHIR_JSON), response.header("Content-Type"));
        OperationOutcome outcome = parseOutcome(response.body());
        assertTrue(
                outcome.getIssueFirstRep().getDiagnostics().contains(expected),
                outcome.getIssueFirstRep().getDiagnostics());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"/Patient?_id:badmodifier=x", "/Patient?birthdate:badmodifier=2000", "/Observation?code:foo=x"})
    void unknownSearchModifiersAreNamed(String query) throws Exception {
        HttpResponse<String> response = send(request(query).header("Accept", FHIR_JSON));

        assertEquals(400, response.statusCode(), response.body());
        String modifier = query.substring(query.indexOf(':'), query.indexOf('='));
        String diagnostics = parseOutcome(response.body()).getIssueFirstRep().getDiagnostics();
        assertTrue(diagnostics.contains("\"" + modifier + "\""), diagnostics);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/Patient?name:exact=X",
                "/Patient?birthdate:missing=true",
                "/Observation?code:text=fever",
                "/Observation?subject:Patient=Patient/x",
                "/Observation?subject:Patient.name=x",
                "/Patient?_id:not=x",
                "/Observation?_include:iterate=Observation:subject"
            })
    void knownSearchModifiersStillWork(String query) throws Exception {
        HttpResponse<String> response = send(request(query).header("Accept", FHIR_JSON));

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void unauthenticatedRequestsAreAudited() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        String marker = UUID.randomUUID().toString();
        HttpResponse<String> refused =
                send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/Patient/" + marker)));
        assertEquals(401, refused.statusCode());

        awaitAudit(
                since,
                event -> event.getOutcomeDesc() != null
                        && event.getOutcomeDesc().startsWith("401")
                        && event.getEntity().stream()
                                .anyMatch(entity -> entity.getDescription().contains(marker))
                        && "unauthenticated"
                                .equals(event.getAgentFirstRep()
                                        .getWho()
                                        .getIdentifier()
                                        .getValue())
                        && event.getAgentFirstRep().getNetwork().hasAddress(),
                "the 401 of /fhir/Patient/" + marker);
    }
}
