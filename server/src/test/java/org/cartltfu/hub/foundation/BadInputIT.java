package org.cartltfu.hub.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.cartltfu.hub.HubServerIT;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input gets a 4xx with an OperationOutcome that says what is wrong, and stores nothing. */
class BadInputIT extends HubServerIT {

    private static final String FHIR_JSON = "application/fhir+json";
    private static final String FHIR_XML = "application/fhir+xml";
    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Refused\"}]}";

    static Stream<Arguments> badRequests() {
        String oversized =
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}]}";
        return Stream.of(
                Arguments.of(
                        "malformed JSON",
                        "POST",
                        "/Patient",
                        FHIR_JSON,
                        "{\"resourceType\":\"Patient\",",
                        400,
                        "Failed to parse"),
                Arguments.of(
                        "JSON with an unknown element",
                        "POST",
                        "/Patient",
                        FHIR_JSON,
                        "{\"resourceType\":\"Patient\",\"nmae\":[{\"family\":\"X\"}]}",
                        400,
                        "nmae"),
                Arguments.of(
                        "malformed XML",
                        "POST",
                        "/Patient",
                        FHIR_XML,
                        "<Patient xmlns=\"http://hl7.org/fhir\"><name",
                        400,
                        "Failed to parse"),
                Arguments.of(
                        "body of another resource type",
                        "POST",
                        "/Patient",
                        FHIR_JSON,
                        "{\"resourceType\":\"Observation\",\"status\":\"final\"}",
                        400,
                        "Observation"),
                Arguments.of(
                        "unknown resource type", "POST", "/Patientt", FHIR_JSON, PATIENT, 404, "Unknown resource type"),
                Arguments.of("plain-text content type", "POST", "/Patient", "text/plain", PATIENT, 400, "Content-Type"),
                Arguments.of(
                        "form content type",
                        "POST",
                        "/Patient",
                        "application/x-www-form-urlencoded",
                        PATIENT,
                        400,
                        "Content-Type"),
                Arguments.of(
                        "invalid id on update",
                        "PUT",
                        "/Patient/bad$id",
                        FHIR_JSON,
                        "{\"resourceType\":\"Patient\",\"id\":\"bad$id\"}",
                        400,
                        "bad$id"),
                Arguments.of(
                        "body id differs from URL id",
                        "PUT",
                        "/Patient/abc",
                        FHIR_JSON,
                        "{\"resourceType\":\"Patient\",\"id\":\"xyz\"}",
                        400,
                        "xyz"),
                Arguments.of("oversized body", "POST", "/Patient", FHIR_JSON, oversized, 413, "larger than the limit"),
                Arguments.of("unknown search parameter", "GET", "/Patient?nmae=x", null, null, 400, "nmae"),
                Arguments.of(
                        "malformed date parameter",
                        "GET",
                        "/Patient?birthdate=yesterday",
                        null,
                        null,
                        400,
                        "yesterday"),
                Arguments.of("bad _sort", "GET", "/Observation?_sort=nonsense", null, null, 400, "nonsense"),
                Arguments.of("negative _count", "GET", "/Patient?_count=-5", null, null, 400, "_count"),
                Arguments.of("transaction that is not a Bundle", "POST", "", FHIR_JSON, PATIENT, 400, "Bundle"),
                Arguments.of(
                        "transaction with an unknown verb",
                        "POST",
                        "",
                        FHIR_JSON,
                        "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":" + PATIENT
                                + ",\"request\":{\"method\":\"FETCH\",\"url\":\"Patient\"}}]}",
                        400,
                        "FETCH"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusedWithOperationOutcomeAndNothingStored(
            String description,
            String method,
            String path,
            String contentType,
            String body,
            int expectedStatus,
            String expectedInMessage)
            throws Exception {
        int patientsBefore = count("Patient");
        int observationsBefore = count("Observation");

        HttpRequest.Builder request = request(path).header("Accept", FHIR_JSON);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = send(request);

        assertEquals(expectedStatus, response.statusCode(), description + ": " + response.body());
        OperationOutcome outcome = parseOutcome(response.body());
        assertFalse(outcome.getIssue().isEmpty());
        assertEquals(
                OperationOutcome.IssueSeverity.ERROR, outcome.getIssueFirstRep().getSeverity());
        String diagnostics = outcome.getIssueFirstRep().getDiagnostics();
        assertTrue(diagnostics.contains(expectedInMessage), description + ": " + diagnostics);

        assertEquals(patientsBefore, count("Patient"), description + " stored a Patient");
        assertEquals(observationsBefore, count("Observation"), description + " stored an Observation");
    }

    @ParameterizedTest(name = "chunked body over the limit")
    @MethodSource("chunked")
    void chunkedOversizedBodyIsCutOff(byte[] body) throws Exception {
        int before = count("Patient");
        HttpRequest.Builder request = request("/Patient")
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON)
                // An InputStream publisher has no known length, so the body goes out chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
        HttpResponse<String> response = send(request);
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(parseOutcome(response.body())
                .getIssueFirstRep()
                .getDiagnostics()
                .contains("larger than the limit"));
        assertEquals(before, count("Patient"));
    }

    static Stream<byte[]> chunked() {
        String json = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + "y".repeat(17 * 1024 * 1024) + "\"}]}";
        return Stream.of(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A small gzip body that unpacks to more than the limit (256 MB of spaces in ~250 KB) is refused, not unpacked. */
    @org.junit.jupiter.api.Test
    void aGzipBodyThatUnpacksBeyondTheLimitIsRefused() throws Exception {
        java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(packed)) {
            out.write("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"".getBytes());
            byte[] spaces = new byte[1024 * 1024];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 257; i++) {
                out.write(spaces);
            }
            out.write("\"}]}".getBytes());
        }
        assertTrue(packed.size() < 16 * 1024 * 1024);
        int before = count("Patient");
        HttpResponse<String> response = send(request("/Patient")
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(packed.toByteArray())));
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(
                parseOutcome(response.body())
                        .getIssueFirstRep()
                        .getDiagnostics()
                        .contains("unpacks (gzip)"),
                response.body());
        assertEquals(before, count("Patient"));

        HttpResponse<String> notGzip = send(request("/Patient")
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(PATIENT)));
        assertEquals(400, notGzip.statusCode(), notGzip.body());
        assertTrue(
                parseOutcome(notGzip.body()).getIssueFirstRep().getDiagnostics().contains("GZIP"), notGzip.body());
        assertEquals(before, count("Patient"));
    }

    @org.junit.jupiter.api.Test
    void aGzipBodyWithinTheLimitIsTakenAsIfSentPlain() throws Exception {
        java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(packed)) {
            out.write("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Packed\"}]}".getBytes());
        }
        HttpResponse<String> response = send(request("/Patient")
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(packed.toByteArray())));
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.body().contains("Packed"), response.body());
    }
}
