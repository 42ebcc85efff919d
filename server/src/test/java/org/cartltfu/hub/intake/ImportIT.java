package org.cartltfu.hub.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.security.TestClients;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A spoke onboards years of history at once: the NDJSON export of its own FHIR server (here a Synthea 3.3.0 patient
 * as another server would export it: its own ids, references by id, practitioners and organizations in their own
 * files) is imported under the rules of a push, the patient matched to the hub's, the labs seen by the clinical
 * views; importing it again changes nothing; a file with bad lines stores nothing and names every line.
 */
class ImportIT extends HubServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String spokeToken;
    private String spokeMrn;
    private String patient;

    @BeforeEach
    void aPatientOfTheSpoke() {
        spokeToken = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.cruds");
        spokeMrn = "BM-" + UUID.randomUUID().toString().substring(0, 8);
        Patient record = Fixtures.patient(
                "SGH-" + UUID.randomUUID().toString().substring(0, 8), "Imported", Fixtures.spokeOrganization(client));
        record.addIdentifier(
                Fixtures.identifier("spoke-mrn", CarTIg.SID_SPOKE_MRN_PREFIX + Fixtures.SPOKE_SITE, spokeMrn));
        patient = client.create()
                .resource(record)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    @Test
    void anExportFromAnotherServerIsImportedOnceWithProgressAndSeenByTheClinicalViews() throws Exception {
        String export = syntheaExport("synthea/patient-belia.json", spokeMrn);
        long lines = export.lines().count();

        HttpResponse<String> kickOff = send(upload(spokeToken, gzip(export))
                .header("Content-Encoding", "gzip")
                .header("Prefer", "respond-async"));
        assertEquals(202, kickOff.statusCode(), kickOff.body());
        String poll = kickOff.headers().firstValue("Content-Location").orElseThrow();
        assertTrue(poll.contains("/$import-poll-status?_jobId="), poll);

        // Another client (even of the same site) cannot follow it: the job reads like one that does not exist.
        String otherClient = TestClients.token(TestClients.HUB, serverRoot(), "system/*.cruds");
        HttpResponse<String> foreign =
                send(HttpRequest.newBuilder(URI.create(poll)).header("Authorization", "Bearer " + otherClient));
        HttpResponse<String> none =
                send(HttpRequest.newBuilder(URI.create(poll.replaceFirst("_jobId=.*", "_jobId=" + UUID.randomUUID())))
                        .header("Authorization", "Bearer " + otherClient));
        assertEquals(404, foreign.statusCode(), foreign.body());
        assertEquals(
                none.body().replaceAll("[0-9a-f-]{36}", "X"), foreign.body().replaceAll("[0-9a-f-]{36}", "X"));

        HttpResponse<String> done = awaitImport(poll);
        assertEquals(200, done.statusCode(), done.body());
        Parameters summary = (Parameters) fhirContext.newJsonParser().parseResource(done.body());
        assertEquals(lines, count(summary, "lines"));
        // Everything but the patient (the hub's, matched) and what a spoke does not store was created.
        int notStored = summary.getParameter().stream()
                .filter(p -> p.getName().equals("notStored"))
                .mapToInt(p -> ((IntegerType) p.getPart().get(1).getValue()).getValue())
                .sum();
        assertTrue(
                notStored > 1,
                "practitioners, organizations, locations and the Provenance are not stored: " + done.body());
        assertEquals(1, count(summary, "existing"), done.body());
        assertEquals(lines - notStored - 1, count(summary, "created"), done.body());

        // The data is the hub's patient's; the labs are seen as the clinical views see a push's.
        Bundle observations = client.search()
                .byUrl("Observation?subject=" + patient + "&_count=500")
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(
                export.lines()
                        .filter(line -> line.startsWith("{\"resourceType\":\"Observation\""))
                        .count(),
                observations.getEntry().size());
        HttpResponse<String> history = send(request("/" + patient + "/$toxicity-history"));
        assertEquals(200, history.statusCode(), history.body());
        assertTrue(
                history.body().contains("777-3"), "the platelet count is in the toxicity history: " + history.body());
        // A practitioner the spoke may not store is still named: by identifier and name.
        Encounter encounter = (Encounter) client.search()
                .byUrl("Encounter?subject=" + patient)
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource();
        assertTrue(encounter.getParticipantFirstRep().getIndividual().hasIdentifier(), "encounter participant");
        assertTrue(
                encounter.getParticipantFirstRep().getIndividual().getDisplay().startsWith("Dr"),
                encounter.getParticipantFirstRep().getIndividual().getDisplay());
        assertTrue(
                encounter.getIdentifier().stream()
                        .anyMatch(identifier ->
                                identifier.getSystem().equals(CarTIg.SID_SOURCE_PREFIX + Fixtures.SPOKE_SITE)),
                "the source id is kept");

        // The same files again, waiting for the answer this time: nothing new.
        HttpResponse<String> again = send(upload(spokeToken, export.getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, again.statusCode(), again.body());
        Parameters second = (Parameters) fhirContext.newJsonParser().parseResource(again.body());
        assertEquals(0, count(second, "created"), again.body());
        assertEquals(
                observations.getEntry().size(),
                client.search()
                        .byUrl("Observation?subject=" + patient + "&_count=500")
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry()
                        .size());
    }

    @Test
    void badLinesAreAllNamedAndNothingIsStored() throws Exception {
        String good = observation("o1", patient, "final");
        // Unreadable lines: named before anything is checked.
        String unreadable = good + "\n{\"resourceType\":\"Observation\",\"id\":\"o2\",\"colour\":\"red\"}\nnot json\n"
                + observation("o1", patient, "final") + "\n";
        HttpResponse<String> refused = send(upload(spokeToken, unreadable.getBytes(StandardCharsets.UTF_8)));
        assertEquals(422, refused.statusCode(), refused.body());
        List<String> problems = diagnostics(refused.body());
        assertEquals(3, problems.size(), refused.body());
        assertTrue(problems.get(0).startsWith("Line 2: ") && problems.get(0).contains("colour"), problems.get(0));
        assertTrue(problems.get(1).startsWith("Line 3: "), problems.get(1));
        assertTrue(problems.get(2).startsWith("Line 4: ") && problems.get(2).contains("also line 1"), problems.get(2));

        // Readable lines that break the intake rules: every one named by its line, nothing stored.
        int before = count("Observation");
        // No code: readable, but invalid against the base specification (Observation.code is 1..1).
        String invalid = good + "\n" + observation("o2", patient, "final").replaceFirst("\"code\":\\{.*?\\]\\},", "")
                + "\n" + observation("o3", "Patient/" + UUID.randomUUID(), "final") + "\n";
        HttpResponse<String> rejected = send(upload(spokeToken, invalid.getBytes(StandardCharsets.UTF_8)));
        assertEquals(422, rejected.statusCode(), rejected.body());
        assertTrue(
                diagnostics(rejected.body()).stream().anyMatch(d -> d.startsWith("Line 2 (Observation/o2): ")),
                rejected.body());
        assertEquals(before, count("Observation"), "nothing of a refused import is stored");

        HttpResponse<String> dangling = send(upload(
                spokeToken,
                (good + "\n" + observation("o3", "Patient/" + UUID.randomUUID(), "final"))
                        .getBytes(StandardCharsets.UTF_8)));
        assertTrue(dangling.statusCode() >= 400 && dangling.statusCode() < 500, dangling.body());
        assertTrue(dangling.body().contains("Line 2 (Observation/o3)"), dangling.body());
        assertEquals(before, count("Observation"));

        // Refused after its 202: the poll gives the same refusal, and the audit trail records it as one.
        Instant start = Instant.now().minusSeconds(1);
        HttpResponse<String> accepted = send(
                upload(spokeToken, invalid.getBytes(StandardCharsets.UTF_8)).header("Prefer", "respond-async"));
        assertEquals(202, accepted.statusCode(), accepted.body());
        HttpResponse<String> outcome =
                awaitImport(accepted.headers().firstValue("Content-Location").orElseThrow());
        assertEquals(rejected.statusCode(), outcome.statusCode(), outcome.body());
        assertEquals(diagnostics(rejected.body()), diagnostics(outcome.body()));
        awaitAudit(
                start,
                event -> event.getOutcome() == AuditEvent.AuditEventOutcome._4
                        && event.getOutcomeDesc().startsWith(outcome.statusCode() + " Line ")
                        && event.getEntityFirstRep().getDescription().equals("POST $import"),
                "the refused import");
        assertEquals(before, count("Observation"));

        // Not NDJSON at all, or a body that says gzip and is not: 4xx that say what to send.
        HttpResponse<String> parameters = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/$import"))
                .header("Authorization", "Bearer " + spokeToken)
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Parameters\"}")));
        assertEquals(415, parameters.statusCode(), parameters.body());
        assertTrue(parameters.body().contains("does not fetch files from URLs"), parameters.body());
        HttpResponse<String> notGzip =
                send(upload(spokeToken, good.getBytes(StandardCharsets.UTF_8)).header("Content-Encoding", "gzip"));
        assertEquals(400, notGzip.statusCode(), notGzip.body());
        assertTrue(notGzip.body().contains("GZIP"), notGzip.body());
        assertEquals(before, count("Observation"));
    }

    @Test
    void aRegistryCannotImport() throws Exception {
        String registry = TestClients.token(TestClients.REGISTRY, serverRoot(), "system/*.rs");
        HttpResponse<String> refused =
                send(upload(registry, observation("r1", patient, "final").getBytes(StandardCharsets.UTF_8)));
        assertEquals(403, refused.statusCode(), refused.body());
    }

    private HttpResponse<String> awaitImport(String poll) {
        AtomicBoolean sawProgress = new AtomicBoolean();
        return await("the import to end")
                .dontCatchUncaughtExceptions()
                .atMost(Duration.ofMinutes(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            HttpResponse<String> status = send(HttpRequest.newBuilder(URI.create(poll))
                                    .header("Authorization", "Bearer " + spokeToken));
                            if (status.statusCode() == 202) {
                                // Not an awaited condition: a running import that does not tell its progress fails at
                                // once.
                                if (status.headers().firstValue("X-Progress").isPresent()) {
                                    sawProgress.set(true);
                                }
                                assertTrue(sawProgress.get(), "a running import tells its progress");
                            }
                            return status;
                        },
                        status -> status.statusCode() != 202);
    }

    private HttpRequest.Builder upload(String token, byte[] body) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + "/$import"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/fhir+ndjson")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static long count(Parameters summary, String name) {
        return ((IntegerType) summary.getParameter(name).getValue()).getValue();
    }

    private List<String> diagnostics(String body) {
        return ((OperationOutcome) fhirContext.newJsonParser().parseResource(body))
                .getIssue().stream()
                        .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                        .toList();
    }

    private static String observation(String id, String subject, String status) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"" + status
                + "\",\"code\":{\"coding\":"
                + "[{\"system\":\"http://loinc.org\",\"code\":\"718-7\"}]},\"subject\":{\"reference\":\"" + subject
                + "\"},\"effectiveDateTime\":\"2025-05-01\",\"valueQuantity\":{\"value\":11.2,\"unit\":\"g/dL\","
                + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"g/dL\"}}";
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(packed)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return packed.toByteArray();
    }

    /**
     * A Synthea patient as another FHIR server would export it: every resource with its id, references by
     * {@code Type/id} (Synthea's conditional references to practitioners and organizations resolved to the
     * resources of its provider files, which are exported too), the Patient carrying the spoke MRN. Types one file
     * each, in the order of a Bulk Data export (which an import must not depend on).
     */
    private String syntheaExport(String patientFile, String mrn) throws Exception {
        Map<String, String> ids = new HashMap<>(); // urn:uuid or conditional reference -> Type/id
        Map<String, List<JsonNode>> byType = new java.util.TreeMap<>();
        for (String file : List.of("synthea/hospitals.json", "synthea/practitioners.json", patientFile)) {
            for (JsonNode entry : read(file).path("entry")) {
                JsonNode resource = entry.path("resource");
                String type = resource.path("resourceType").asText();
                String id = entry.path("fullUrl").asText().replace("urn:uuid:", "");
                ((ObjectNode) resource).put("id", id);
                ids.put(entry.path("fullUrl").asText(), type + "/" + id);
                for (JsonNode identifier : resource.path("identifier")) {
                    ids.put(
                            type + "?identifier=" + identifier.path("system").asText() + "|"
                                    + identifier.path("value").asText(),
                            type + "/" + id);
                }
                if (type.equals("Patient")) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) resource.path("identifier"))
                            .addObject()
                            .put("system", CarTIg.SID_SPOKE_MRN_PREFIX + Fixtures.SPOKE_SITE)
                            .put("value", mrn);
                }
                byType.computeIfAbsent(type, key -> new java.util.ArrayList<>()).add(resource);
            }
        }
        StringBuilder ndjson = new StringBuilder();
        for (List<JsonNode> resources : byType.values()) {
            for (JsonNode resource : resources) {
                rewriteReferences(resource, ids);
                ndjson.append(JSON.writeValueAsString(resource)).append('\n');
            }
        }
        return ndjson.toString();
    }

    private static void rewriteReferences(JsonNode node, Map<String, String> ids) {
        if (node instanceof ObjectNode object) {
            JsonNode reference = object.get("reference");
            if (reference instanceof TextNode text && ids.containsKey(text.asText())) {
                object.put("reference", ids.get(text.asText()));
            }
            object.elements().forEachRemaining(child -> rewriteReferences(child, ids));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> rewriteReferences(child, ids));
        }
    }

    private static JsonNode read(String resource) throws Exception {
        try (InputStream in = ImportIT.class.getClassLoader().getResourceAsStream(resource)) {
            return JSON.readTree(in);
        }
    }
}
