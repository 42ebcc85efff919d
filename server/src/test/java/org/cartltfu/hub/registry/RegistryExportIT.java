package org.cartltfu.hub.registry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.security.TestClients;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registry extracts over HTTP, as a registry's Bulk Data client does them: kick-off with {@code Prefer: respond-async},
 * poll the status URL, read the manifest, download the NDJSON files with its own token.
 */
class RegistryExportIT extends HubServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FULL_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private Journey consented;
    private String unconsented;
    private String cibmtr;
    private String ebmt;

    @BeforeEach
    void cohort() {
        consented = Journey.post(client, fhirContext);
        String spoke = Fixtures.spokeOrganization(client);
        Patient withoutConsent = Fixtures.patient("SGH-NOCONSENT-" + UUID.randomUUID(), "Trần", spoke);
        // The site's Organization may have been provisioned without an address: the patient's own country decides.
        withoutConsent.addAddress().setCountry("VN");
        unconsented = client.create()
                .resource(withoutConsent)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        client.create()
                .resource(Fixtures.crp(unconsented, "2024-03-09T08:00:00+07:00", 12.5))
                .execute();
        cibmtr = TestClients.token(TestClients.REGISTRY, serverRoot(), "system/*.rs");
        ebmt = TestClients.token(TestClients.REGISTRY_EBMT, serverRoot(), "system/*.rs");
    }

    @Test
    void aRegistryGetsItsConsentedPatientsDeidentifiedInSecondsAndTheExtractIsAudited() throws Exception {
        // Speed is the benchmark's business; here the status answer's Retry-After (2 s, checked in export()) stands
        // for "a small extract does not wait for HAPI's minute-long maintenance passes".
        Extract extract = export(cibmtr, "/Group/" + group() + "/$export");
        System.out.printf("REGISTRY EXTRACT: group of 2 patients ready and downloaded in %.1f s%n", extract.seconds());

        List<Resource> patients = extract.resources("Patient");
        assertEquals(
                1,
                patients.size(),
                "only the consented patient: " + extract.files().keySet());
        Patient released = (Patient) patients.get(0);
        String patientId = idPart(consented.patient());
        assertNotEquals(patientId, released.getIdPart());
        assertEquals(32, released.getIdPart().length());
        assertEquals("1968", released.getBirthDateElement().getValueAsString(), "year of birth only");
        assertTrue(released.getName().isEmpty()
                && released.getAddress().isEmpty()
                && released.getTelecom().isEmpty());
        assertEquals(
                List.of("https://cart-ltfu.org/fhir/sid/cibmtr-crid"),
                released.getIdentifier().stream().map(Identifier::getSystem).toList(),
                "CIBMTR keeps its own research id and nothing else");
        assertTrue(released.getMeta().getSecurity().stream().anyMatch(label -> "PSEUDED".equals(label.getCode())));

        // Every resource of the patient references the pseudonym, and dates are study days from the infusion (day 0).
        String subject = "Patient/" + released.getIdPart();
        for (Resource resource : extract.all()) {
            String json = fhirContext.newJsonParser().encodeResourceToString(resource);
            assertFalse(json.contains(patientId), resource.fhirType() + " names the real patient id");
            if (!(resource instanceof Patient)) {
                assertTrue(
                        json.contains(subject), resource.fhirType() + " does not point at the pseudonymised patient");
            }
        }
        String infusion = extract.lines("Procedure").get(0);
        assertTrue(
                infusion.contains("\"_performedDateTime\":{\"extension\":[{\"url\":\"" + CarTIg.EXT_STUDY_DAY
                        + "\",\"valueInteger\":0}]}"),
                infusion);
        assertFalse(FULL_DATE.matcher(extract.text()).find(), "no calendar date leaves in a study-day extract");

        AuditEvent audit = auditOf(extract.jobId());
        assertEquals(
                TestClients.REGISTRY.id(),
                audit.getAgentFirstRep().getWho().getIdentifier().getValue());
        assertEquals(List.of(), validationErrors(audit));
        String decisions = audit.getEntity().stream()
                .map(entity -> entity.getWhat().getReference() + " " + entity.getDescription())
                .toList()
                .toString();
        assertTrue(decisions.contains(consented.patient() + " released: consent"), decisions);
        assertTrue(decisions.contains(unconsented + " withheld: no active consent"), decisions);
        Map<String, String> details = new LinkedHashMap<>();
        audit.getEntityFirstRep()
                .getDetail()
                .forEach(detail ->
                        details.put(detail.getType(), detail.getValue().primitiveValue()));
        for (String type : List.of("Patient", "Procedure", "Observation")) {
            assertEquals(
                    String.valueOf(extract.lines(type).size()),
                    details.get("released " + type),
                    "the audit counts what the files hold: " + details);
        }
    }

    @Test
    void nothingIdentifyingLeavesInAnyFileOfTheExampleCohort() throws Exception {
        Set<String> identifying = identifyingValues(consented.patient());
        identifying.addAll(identifyingValues(unconsented));
        for (String token : List.of(cibmtr, ebmt)) {
            Extract extract = export(token, "/$export");
            String text = extract.text();
            assertFalse(text.isEmpty());
            for (String value : identifying) {
                assertFalse(
                        text.contains(value),
                        "'" + value + "' leaked into " + extract.files().keySet());
            }
            assertFalse(text.contains("\"text\":{\"status\""), "narrative leaked");
            assertFalse(text.contains("\"note\""), "notes leaked");
            assertFalse(text.contains("\"display\":\"Bach Mai"), "reference display leaked");
        }
    }

    @Test
    void twoRegistriesCannotLinkTheirExtracts() throws Exception {
        Extract toCibmtr = export(cibmtr, "/Group/" + group() + "/$export");
        Extract toEbmt = export(ebmt, "/Group/" + group() + "/$export");
        Set<String> cibmtrIds = ids(toCibmtr);
        Set<String> ebmtIds = ids(toEbmt);
        assertFalse(cibmtrIds.isEmpty());
        assertEquals(cibmtrIds.size(), ebmtIds.size(), "same patient, same resources");
        cibmtrIds.retainAll(ebmtIds);
        assertTrue(cibmtrIds.isEmpty(), "ids shared by both extracts: " + cibmtrIds);

        Patient atEbmt = (Patient) toEbmt.resources("Patient").get(0);
        assertFalse(atEbmt.hasBirthDate(), "EBMT gets the age at infusion instead");
        assertEquals(
                55,
                atEbmt.getExtensionByUrl(CarTIg.EXT_AGE_AT_INFUSION)
                        .getValue()
                        .castToQuantity(atEbmt.getExtensionByUrl(CarTIg.EXT_AGE_AT_INFUSION)
                                .getValue())
                        .getValue()
                        .intValue());
        assertTrue(atEbmt.getIdentifier().isEmpty(), "EBMT is registered for no identifier system");
        String procedure = toEbmt.lines("Procedure").get(0);
        assertTrue(FULL_DATE.matcher(procedure).find(), "EBMT's dates are shifted, not removed: " + procedure);
        assertFalse(procedure.contains("2024-03-04"), "but not the real infusion date: " + procedure);

        // The same registry gets the same pseudonyms every time: its extracts link over the years.
        assertEquals(ids(toEbmt), ids(export(ebmt, "/Group/" + group() + "/$export")));
    }

    @Test
    void typeSinceAndTypeFilterNarrowTheExtract() throws Exception {
        String group = group();
        Extract observations = export(
                cibmtr,
                "/Group/" + group + "/$export?_type=Observation" + "&_typeFilter="
                        + enc("Observation?code=http://loinc.org|1988-5"));
        assertEquals(Set.of("Observation"), observations.files().keySet());
        assertTrue(observations.lines("Observation").stream().allMatch(line -> line.contains("1988-5")));
        Extract patientLevel = export(cibmtr, "/Patient/$export?_type=Patient");
        assertEquals(Set.of("Patient"), patientLevel.files().keySet());
        assertTrue(patientLevel.lines("Patient").stream().noneMatch(line -> line.contains(idPart(unconsented))));
        String since = enc(
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        Extract later = export(hubToken, "/Group/" + group + "/$export?_type=Patient,Observation&_since=" + since);
        assertTrue(
                later.files().isEmpty(),
                "nothing changed since: " + later.files().keySet());
    }

    /**
     * A registry narrows only on what it receives after de-identification: anything else would let it find, by
     * bisection, the birth date, name or MRN behind a pseudonym. Refused with 400 naming the parameter.
     */
    @Test
    void aRegistryCannotNarrowOnWhatDeidentificationRemoved() throws Exception {
        String group = group();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put(
                "_typeFilter=" + enc("Patient?identifier=" + CarTIg.SID_HUB_MRN + "|SGH-2024-000731"), "identifier");
        refused.put("_typeFilter=" + enc("Patient?birthdate=ge1960-01-01"), "birthdate");
        refused.put("_typeFilter=" + enc("Patient?name=Nguy"), "name");
        refused.put("_typeFilter=" + enc("Observation?subject.name=Nguy"), "subject.name");
        refused.put("_typeFilter=" + enc("Observation?date=2024-05-01"), "date");
        refused.put("_since=" + enc("2024-01-01T00:00:00Z"), "_since");
        for (Map.Entry<String, String> attempt : refused.entrySet()) {
            HttpResponse<String> response = kickOff(cibmtr, "/Group/" + group + "/$export?" + attempt.getKey());
            assertEquals(400, response.statusCode(), attempt.getKey() + ": " + response.body());
            assertTrue(
                    parseOutcome(response.body())
                            .getIssueFirstRep()
                            .getDiagnostics()
                            .contains(attempt.getValue()),
                    response.body());
        }
        HttpResponse<String> byPatient = kickOff(cibmtr, "/Patient/$export?patient=" + consented.patient());
        assertTrue(byPatient.statusCode() == 400 || byPatient.statusCode() == 405, byPatient.body());
        assertEquals(
                202,
                kickOff(
                                cibmtr,
                                "/Group/" + group + "/$export?_type=Observation&_typeFilter="
                                        + enc("Observation?code=http://loinc.org|1988-5&status=final"))
                        .statusCode());
    }

    @Test
    void registriesAskOnlyForWhatTheyReceiveAndSeeOnlyTheirOwnJobs() throws Exception {
        HttpResponse<String> audit = kickOff(cibmtr, "/$export?_type=AuditEvent");
        assertEquals(400, audit.statusCode(), audit.body());
        assertTrue(
                parseOutcome(audit.body()).getIssueFirstRep().getDiagnostics().contains("AuditEvent not released"));

        String spoke = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.rs");
        assertEquals(403, kickOff(spoke, "/$export").statusCode());

        Extract mine = export(cibmtr, "/Group/" + group() + "/$export");
        HttpResponse<String> othersPoll = get(ebmt, mine.statusUrl());
        assertEquals(404, othersPoll.statusCode(), othersPoll.body());
        String file = mine.urls().get(0);
        HttpResponse<String> othersFile = get(ebmt, file);
        assertEquals(404, othersFile.statusCode(), "another registry's file is answered as absent");
        assertTrue(othersFile.body().contains("is not known"), othersFile.body());
        assertEquals(403, get(cibmtr, baseUrl() + "/Binary").statusCode(), "registries do not search files");
        assertEquals(200, get(cibmtr, file).statusCode());

        HttpResponse<String> direct = get(cibmtr, baseUrl() + "/Patient");
        assertEquals(403, direct.statusCode(), "registries never read patient data directly");
    }

    @Test
    void hubAdminsExportIdentifiedOtherHubClientsDoNot() throws Exception {
        Extract hub = export(hubToken, "/Group/" + group() + "/$export?_type=Patient");
        Set<String> ids = ids(hub);
        assertTrue(
                ids.contains(idPart(consented.patient())) && ids.contains(idPart(unconsented)),
                "the hub's own extract is identified and not gated: " + ids);
        assertEquals(
                "hub (identified extract)",
                auditOf(hub.jobId()).getAgentFirstRep().getName());
        String narrowHub = TestClients.token(TestClients.HUB, serverRoot(), "system/Observation.rs");
        HttpResponse<String> everything = kickOff(narrowHub, "/$export");
        assertEquals(403, everything.statusCode(), "a hub token exports only what it may read");
        assertTrue(parseOutcome(everything.body())
                .getIssueFirstRep()
                .getDiagnostics()
                .contains("may not read"));
        assertEquals(202, kickOff(narrowHub, "/$export?_type=Observation").statusCode());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String group() {
        Group group = new Group();
        group.setType(Group.GroupType.PERSON).setActual(true).setName("registry cohort " + UUID.randomUUID());
        group.addMember().setEntity(new Reference(consented.patient()));
        group.addMember().setEntity(new Reference(unconsented));
        return client.create().resource(group).execute().getId().getIdPart();
    }

    /** Names, identifiers and ids of a patient and of everything stored about them. */
    private Set<String> identifyingValues(String patient) {
        Set<String> values = new HashSet<>();
        Patient stored = client.read().resource(Patient.class).withId(patient).execute();
        for (HumanName name : stored.getName()) {
            values.add(name.getFamily());
            name.getGiven().forEach(given -> values.add(given.getValue()));
            if (name.hasText()) {
                values.add(name.getText());
            }
        }
        stored.getIdentifier().stream()
                .filter(identifier -> !"https://cart-ltfu.org/fhir/sid/cibmtr-crid".equals(identifier.getSystem()))
                .forEach(identifier -> values.add(identifier.getValue()));
        values.add(stored.getBirthDateElement().getValueAsString());
        Bundle everything = client.search()
                .byUrl("Patient?_id=" + idPart(patient) + "&_revinclude=*")
                .count(500)
                .returnBundle(Bundle.class)
                .execute();
        everything
                .getEntry()
                .forEach(entry -> values.add(entry.getResource().getIdElement().getIdPart()));
        values.removeIf(value -> value == null || value.length() < 4);
        return values;
    }

    private static Set<String> ids(Extract extract) {
        Set<String> ids = new HashSet<>();
        extract.all().forEach(resource -> ids.add(resource.getIdElement().getIdPart()));
        return ids;
    }

    private AuditEvent auditOf(String jobId) throws InterruptedException {
        return awaitAudit(
                Instant.now().minus(Duration.ofMinutes(10)),
                event -> event.getEntity().stream()
                        .anyMatch(entity ->
                                jobId.equals(entity.getWhat().getIdentifier().getValue())),
                "export " + jobId);
    }

    private HttpResponse<String> kickOff(String token, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async"));
    }

    private HttpResponse<String> get(String token, String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+ndjson"));
    }

    private Extract export(String token, String path) throws Exception {
        Instant started = Instant.now();
        HttpResponse<String> kickOff = kickOff(token, path);
        assertEquals(202, kickOff.statusCode(), kickOff.body());
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        try {
            // Polled at once, then every 2 s: the Retry-After each 202 is checked to say.
            await().dontCatchUncaughtExceptions()
                    .atMost(Duration.between(Instant.now(), started.plus(Duration.ofMinutes(3))))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        HttpResponse<String> poll = get(token, status);
                        last.set(poll);
                        if (poll.statusCode() == 202) {
                            assertEquals(
                                    "2",
                                    poll.headers().firstValue("Retry-After").orElseThrow(),
                                    "HAPI's 120 s would make a small extract wait two minutes");
                        }
                        return poll.statusCode() != 202;
                    });
        } catch (ConditionTimeoutException stillRunning) {
            // answered below with the last status, as when it ends in an error
        }
        HttpResponse<String> poll = last.get();
        assertEquals(200, poll.statusCode(), poll.body());
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        JsonNode manifest = JSON.readTree(poll.body());
        assertTrue(manifest.get("requiresAccessToken").asBoolean());
        Map<String, List<String>> files = new LinkedHashMap<>();
        List<String> urls = new ArrayList<>();
        for (JsonNode output : manifest.get("output")) {
            String url = output.get("url").asText();
            urls.add(url);
            HttpResponse<String> file = get(token, url);
            assertEquals(200, file.statusCode(), file.body());
            files.computeIfAbsent(output.get("type").asText(), type -> new ArrayList<>())
                    .addAll(file.body().lines().filter(line -> !line.isBlank()).toList());
        }
        String jobId = status.substring(status.indexOf("_jobId=") + "_jobId=".length());
        return new Extract(status, jobId, seconds, files, urls);
    }

    private record Extract(
            String statusUrl, String jobId, double seconds, Map<String, List<String>> files, List<String> urls) {

        List<String> lines(String type) {
            return files.getOrDefault(type, List.of());
        }

        List<Resource> resources(String type) {
            return lines(type).stream()
                    .map(line -> (Resource) ca.uhn.fhir.context.FhirContext.forR4Cached()
                            .newJsonParser()
                            .parseResource(line))
                    .toList();
        }

        List<Resource> all() {
            return files.keySet().stream()
                    .flatMap(type -> resources(type).stream())
                    .toList();
        }

        String text() {
            return String.join(
                    "\n", files.values().stream().flatMap(List::stream).toList());
        }
    }

    private static String idPart(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
