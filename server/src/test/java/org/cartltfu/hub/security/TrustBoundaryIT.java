package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.ProfiledResources;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The adversarial suite. Canary values (names, MRNs, birth date, resource ids) are seeded into one site's records
 * (Malaysia); then, as the other spoke (Vietnam) and as a registry, requests aimed at that data are generated from
 * what the CapabilityStatement advertises (every type, interaction, search parameter and operation, so a new one is
 * covered without editing this test): direct and conditional reads and writes, chains, {@code _has}, includes,
 * history, batches and transactions, operations and export parameters. The raw bytes of every response are scanned
 * for canaries the request did not itself carry. The only acceptable count of leaks is 0.
 */
class TrustBoundaryIT extends HubServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PROFILED =
            List.of("Observation", "AdverseEvent", "Procedure", "Consent", "Encounter");

    @Autowired
    private SiteDirectory sites;

    @Value("${hub.security.refusal-floor}")
    private Duration refusalFloor;

    /** What was seeded for one site. */
    private record Seeded(String patient, Map<String, String> ids, Map<String, String> canaries) {}

    private String spokeToken;
    private String registryToken;
    private String ownOrganization;

    private Seeded seed(String site, String organization, String infusion, String product) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> canaries = new LinkedHashMap<>();
        canaries.put("hub MRN", "CNRY-MRN-" + tag);
        canaries.put("spoke MRN", "CNRYSPOKE" + tag);
        canaries.put("family name", "Canaryfam" + tag);
        canaries.put("given name", "Canarygiv" + tag);
        canaries.put(
                "birth date",
                String.format(
                        "19%02d-%02d-%02d",
                        ThreadLocalRandom.current().nextInt(1, 9),
                        ThreadLocalRandom.current().nextInt(1, 13),
                        ThreadLocalRandom.current().nextInt(1, 29)));
        Patient patient =
                Fixtures.patient(canaries.get("hub MRN"), canaries.get("family name"), "Organization/" + organization);
        patient.getNameFirstRep().getGiven().clear();
        patient.getNameFirstRep().addGiven(canaries.get("given name"));
        patient.setBirthDateElement(new DateType(canaries.get("birth date")));
        patient.addIdentifier(
                Fixtures.identifier("spoke-mrn", CarTIg.SID_SPOKE_MRN_PREFIX + site, canaries.get("spoke MRN")));
        String patientId = client.create()
                .resource(patient)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("Patient", patientId);
        for (String type : PROFILED) {
            Resource resource =
                    ProfiledResources.of(type, patientId, "Organization/" + organization, infusion, product);
            ids.put(
                    type,
                    client.create()
                            .resource(resource)
                            .execute()
                            .getId()
                            .toUnqualifiedVersionless()
                            .getValue());
        }
        CodeableConcept text = new CodeableConcept().setText("canary condition " + tag);
        ids.put(
                "Condition",
                client.create()
                        .resource(new Condition().setCode(text).setSubject(new Reference(patientId)))
                        .execute()
                        .getId()
                        .toUnqualifiedVersionless()
                        .getValue());
        ids.put(
                "CarePlan",
                client.create()
                        .resource(new CarePlan()
                                .setStatus(CarePlan.CarePlanStatus.ACTIVE)
                                .setIntent(CarePlan.CarePlanIntent.PLAN)
                                .setSubject(new Reference(patientId)))
                        .execute()
                        .getId()
                        .toUnqualifiedVersionless()
                        .getValue());
        ids.values().forEach(id -> canaries.put(id, id));
        return new Seeded(patientId, ids, canaries);
    }

    private Seeded victim;
    private Seeded own;

    private void setUp() {
        Journey journey = Journey.post(client, fhirContext);
        String my = sites.organizationId(TestClients.SPOKE_MY.site()).orElseThrow();
        ownOrganization = sites.organizationId(TestClients.SPOKE_VN.site()).orElseThrow();
        victim = seed(TestClients.SPOKE_MY.site(), my, journey.infusion(), journey.product());
        own = seed(TestClients.SPOKE_VN.site(), ownOrganization, journey.infusion(), journey.product());
        spokeToken = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.cruds");
        registryToken = TestClients.token(TestClients.REGISTRY, serverRoot(), "system/*.rs");
    }

    // ------------------------------------------------------------------------------------------- generated suite

    @Test
    void noRequestTheCapabilityStatementAllowsBringsAnotherSitesCanaryBack() throws Exception {
        setUp();
        JsonNode capabilities = JSON.readTree(
                call(spokeToken, "GET", "/metadata", null, Map.of()).body());
        List<Attack> attacks = new ArrayList<>();
        for (JsonNode resource : capabilities.path("rest").get(0).path("resource")) {
            attacks.addAll(attacksOn(resource));
        }
        for (JsonNode operation : capabilities.path("rest").get(0).path("operation")) {
            String name = operation.path("name").asText();
            if (!name.equals("export")) {
                attacks.add(new Attack("GET", "/$" + name + "?patient=" + enc(victim.patient()), null));
                attacks.add(new Attack("POST", "/$" + name, parameters("patient", victim.patient())));
            }
        }
        attacks.addAll(bundles());
        attacks.addAll(exports());

        List<String> leaks = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Timed> slowest = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger requests = new AtomicInteger();
        List<Callable<Void>> calls = new ArrayList<>();
        for (String token : List.of(spokeToken, registryToken)) {
            String who = token.equals(spokeToken) ? "spoke" : "registry";
            for (Attack attack : attacks) {
                if (attack.perParameter() && token.equals(registryToken)) {
                    continue;
                }
                calls.add(() -> {
                    HttpResponse<String> response;
                    long started = System.nanoTime();
                    try {
                        response = call(token, attack.method(), attack.path(), attack.body(), attack.headers());
                    } catch (java.net.http.HttpTimeoutException e) {
                        failures.add(who + " " + attack.method() + " " + attack.path() + " -> no answer within 60 s");
                        // The server runs in this JVM: what its request threads were doing is the diagnosis.
                        printServerThreads();
                        return null;
                    }
                    slowest.add(new Timed(
                            (System.nanoTime() - started) / 1_000_000,
                            who + " " + attack.method() + " " + attack.path() + " -> " + response.statusCode()));
                    requests.incrementAndGet();
                    String sent = URLDecoder.decode(attack.path(), StandardCharsets.UTF_8) + " " + attack.body() + " "
                            + attack.headers();
                    for (Map.Entry<String, String> canary : victim.canaries().entrySet()) {
                        if (!contains(sent, canary.getValue()) && contains(response.body(), canary.getValue())) {
                            leaks.add(who + " " + attack.method() + " " + attack.path() + " -> " + response.statusCode()
                                    + " carries " + canary.getKey() + " " + canary.getValue());
                        }
                    }
                    if (response.statusCode() >= 500) {
                        failures.add(who + " " + attack.method() + " " + attack.path() + " -> " + response.statusCode()
                                + " " + abbreviate(response.body()));
                    }
                    return null;
                });
            }
        }
        // Four at a time: the suite is about what comes back, not about order (eight made single heavy requests
        // exceed the client's 60 s timeout on a loaded 2-core CI machine).
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Void> done : pool.invokeAll(calls)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(
                "TRUST BOUNDARY: %d requests (%d generated attacks as the other spoke, those not per search"
                        + " parameter also as a registry), %d leaks, %d server errors%n",
                requests.get(), attacks.size(), leaks.size(), failures.size());
        slowest.stream()
                .sorted(Comparator.comparingLong(Timed::millis).reversed())
                .limit(10)
                .forEach(timed -> System.out.println("SLOWEST " + timed.millis() + " ms " + timed.what()));
        leaks.forEach(leak -> System.out.println("LEAK " + leak));
        failures.forEach(failure -> System.out.println("SERVER ERROR " + failure));
        assertEquals(List.of(), leaks);
        assertEquals(List.of(), failures);
    }

    private record Timed(long millis, String what) {}

    private static synchronized void printServerThreads() {
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (java.util.Arrays.stream(stack)
                    .anyMatch(frame -> frame.getClassName().startsWith("ca.uhn"))) {
                System.out.println("THREAD " + thread.getName() + " " + thread.getState());
                for (StackTraceElement frame : stack) {
                    System.out.println("    at " + frame);
                }
            }
        });
    }

    /** @param perParameter one of the many per-search-parameter probes (registries are refused before any search) */
    private record Attack(String method, String path, String body, Map<String, String> headers, boolean perParameter) {
        Attack(String method, String path, String body) {
            this(method, path, body, Map.of(), false);
        }

        Attack(String method, String path, String body, Map<String, String> headers) {
            this(method, path, body, headers, false);
        }
    }

    /** Everything the CapabilityStatement says can be done with one type, aimed at the victim's data. */
    private List<Attack> attacksOn(JsonNode resource) {
        String type = resource.path("type").asText();
        String target = victim.ids().getOrDefault(type, type + "/" + idPart(victim.patient()));
        String targetId = idPart(target);
        String patient = victim.patient();
        Set<String> interactions = new LinkedHashSet<>();
        resource.path("interaction")
                .forEach(
                        interaction -> interactions.add(interaction.path("code").asText()));
        List<Attack> attacks = new ArrayList<>();
        String minimal = "{\"resourceType\":\"" + type + "\"}";
        if (interactions.contains("read")) {
            attacks.add(new Attack("GET", "/" + target, null));
            attacks.add(new Attack("GET", "/" + target + "?_elements=id", null));
        }
        if (interactions.contains("vread")) {
            attacks.add(new Attack("GET", "/" + target + "/_history/1", null));
        }
        if (interactions.contains("history-instance")) {
            attacks.add(new Attack("GET", "/" + target + "/_history", null));
        }
        if (interactions.contains("history-type")) {
            attacks.add(new Attack("GET", "/" + type + "/_history?_count=100", null));
        }
        if (interactions.contains("update")) {
            attacks.add(
                    new Attack("PUT", "/" + target, "{\"resourceType\":\"" + type + "\",\"id\":\"" + targetId + "\"}"));
            attacks.add(new Attack("PUT", "/" + type + "?_id=" + targetId, minimal));
        }
        if (interactions.contains("patch")) {
            attacks.add(new Attack(
                    "PATCH",
                    "/" + target,
                    "[{\"op\":\"add\",\"path\":\"/language\",\"value\":\"en\"}]",
                    Map.of("Content-Type", "application/json-patch+json")));
        }
        if (interactions.contains("delete")) {
            attacks.add(new Attack("DELETE", "/" + target, null));
            attacks.add(new Attack("DELETE", "/" + type + "?_id=" + targetId, null));
        }
        if (interactions.contains("create")) {
            attacks.add(new Attack("POST", "/" + type, minimal, Map.of("If-None-Exist", "_id=" + targetId)));
            attacks.add(new Attack(
                    "POST",
                    "/" + type,
                    minimal,
                    Map.of("If-None-Exist", "identifier=" + victim.canaries().get("hub MRN"))));
            attacks.add(new Attack("POST", "/" + type, minimal, Map.of("If-None-Exist", "patient=" + patient)));
            attacks.add(new Attack("POST", "/" + type, minimal, Map.of("If-None-Exist", "subject=" + patient)));
        }
        if (interactions.contains("search-type")) {
            attacks.add(new Attack("GET", "/" + type + "?_id=" + targetId, null));
            attacks.add(new Attack("GET", "/" + type + "?_include=*&_revinclude=*&_count=200", null));
            attacks.add(new Attack("GET", "/" + type + "?_id=" + targetId + "&_include=*&_revinclude=*", null));
            attacks.add(new Attack(
                    "GET",
                    "/" + type + "?_has:Observation:patient:_id="
                            + idPart(victim.ids().get("Observation")),
                    null));
            attacks.add(new Attack(
                    "GET",
                    "/" + type + "?_has:Patient:organization:identifier="
                            + victim.canaries().get("hub MRN"),
                    null));
            attacks.add(new Attack("GET", "/" + type + "?_count=1&_total=accurate", null));
            // Every parameter where the spoke's searches of the type run at all; where they are refused outright (403:
            // the type is not the spoke's), the probes above show that already.
            for (JsonNode parameter : searchable(type) ? resource.path("searchParam") : JSON.createArrayNode()) {
                String name = parameter.path("name").asText();
                for (String value : values(parameter.path("type").asText())) {
                    attacks.add(new Attack("GET", "/" + type + "?" + name + "=" + enc(value), null, Map.of(), true));
                }
                if (parameter.path("type").asText().equals("reference")) {
                    attacks.add(new Attack(
                            "GET",
                            "/" + type + "?" + name + ".identifier="
                                    + enc(victim.canaries().get("hub MRN")),
                            null,
                            Map.of(),
                            true));
                    attacks.add(new Attack(
                            "GET",
                            "/" + type + "?" + name + ":Patient.name="
                                    + enc(victim.canaries().get("family name")),
                            null,
                            Map.of(),
                            true));
                }
            }
        }
        for (JsonNode operation : resource.path("operation")) {
            String name = operation.path("name").asText();
            if (name.equals("export") || name.equals("export-poll-status")) {
                continue;
            }
            attacks.add(new Attack("GET", "/" + target + "/$" + name, null));
            attacks.add(new Attack("POST", "/" + target + "/$" + name, parameters("patient", patient)));
            attacks.add(new Attack("GET", "/" + type + "/$" + name + "?patient=" + enc(patient), null));
        }
        return attacks;
    }

    private boolean searchable(String type) {
        try {
            return call(spokeToken, "GET", "/" + type + "?_count=1", null, Map.of())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Values of a search parameter's type that would match the victim. */
    private List<String> values(String type) {
        return switch (type) {
            case "token" ->
                List.of(
                        victim.canaries().get("hub MRN"),
                        CarTIg.SID_HUB_MRN + "|" + victim.canaries().get("hub MRN"));
            case "string" ->
                List.of(victim.canaries().get("family name"), victim.canaries().get("given name"));
            case "date" -> List.of(victim.canaries().get("birth date"));
            case "reference" -> List.of(victim.patient(), idPart(victim.patient()));
            default -> List.of();
        };
    }

    /** Reads in batches, conditional entries in transactions, conditional references. */
    private List<Attack> bundles() {
        List<Attack> attacks = new ArrayList<>();
        StringBuilder reads = new StringBuilder();
        for (String id : victim.ids().values()) {
            String type = id.substring(0, id.indexOf('/'));
            for (String url : List.of(
                    id,
                    id + "/_history",
                    type + "?_id=" + idPart(id),
                    type + "?_id=" + idPart(id) + "&_revinclude=*")) {
                reads.append(reads.isEmpty() ? "" : ",")
                        .append("{\"request\":{\"method\":\"GET\",\"url\":\"")
                        .append(url)
                        .append("\"}}");
            }
        }
        attacks.add(
                new Attack("POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[" + reads + "]}"));
        for (String id : victim.ids().values()) {
            String type = id.substring(0, id.indexOf('/'));
            String create = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:"
                    + UUID.randomUUID() + "\",\"resource\":{\"resourceType\":\"" + type + "\"},\"request\":{\"method\":"
                    + "\"POST\",\"url\":\"" + type + "\",\"ifNoneExist\":\"_id=" + idPart(id) + "\"}}]}";
            attacks.add(new Attack("POST", "", create));
            attacks.add(new Attack("POST", "", create.replace("\"transaction\"", "\"batch\"")));
        }
        String mrn = victim.canaries().get("hub MRN");
        attacks.add(new Attack(
                "POST",
                "",
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":"
                        + "\"urn:uuid:" + UUID.randomUUID()
                        + "\",\"resource\":{\"resourceType\":\"Condition\",\"code\":{\"text\":"
                        + "\"x\"},\"subject\":{\"reference\":\"Patient?identifier=" + CarTIg.SID_HUB_MRN + "|" + mrn
                        + "\"}},"
                        + "\"request\":{\"method\":\"POST\",\"url\":\"Condition\"}}]}"));
        attacks.add(new Attack(
                "POST",
                "/Condition",
                "{\"resourceType\":\"Condition\",\"code\":{\"text\":\"x\"}," + "\"subject\":{\"reference\":\""
                        + victim.patient() + "\"}}"));
        attacks.add(new Attack(
                "POST",
                "/Condition",
                "{\"resourceType\":\"Condition\",\"code\":{\"text\":\"x\"},"
                        + "\"subject\":{\"reference\":\"Patient?identifier=" + CarTIg.SID_HUB_MRN + "|" + mrn
                        + "\"}}"));
        attacks.add(new Attack("GET", "/_history?_count=200", null));
        attacks.add(new Attack("GET", "/?_type=Patient,Observation&_count=200", null));
        return attacks;
    }

    /** Kick-offs whose parameters would narrow on what de-identification removes. */
    private List<Attack> exports() {
        List<Attack> attacks = new ArrayList<>();
        for (String filter : List.of(
                "Patient?identifier=" + victim.canaries().get("hub MRN"),
                "Patient?birthdate=" + victim.canaries().get("birth date"),
                "Patient?name=" + victim.canaries().get("family name"),
                "Patient?_id=" + idPart(victim.patient()),
                "Observation?subject=" + victim.patient())) {
            attacks.add(new Attack(
                    "GET",
                    "/$export?_type=Patient,Observation&_typeFilter=" + enc(filter),
                    null,
                    Map.of("Prefer", "respond-async")));
        }
        attacks.add(new Attack(
                "GET", "/Patient/$export?patient=" + enc(victim.patient()), null, Map.of("Prefer", "respond-async")));
        attacks.add(new Attack("GET", "/Binary?_count=100", null));
        return attacks;
    }

    // ------------------------------------------------------------------------------------------- focused cases

    /** A spoke's conditional create on another site's MRN is a conditional create that matched nothing. */
    @Test
    void aConditionalCreateOnAnotherSitesPatientMatchesNothing() throws Exception {
        setUp();
        String foreign = victim.canaries().get("hub MRN");
        String unknown = "UNKNOWN-" + UUID.randomUUID();
        // _id: no new resource can satisfy it (HAPI: 400 HAPI-0929), whether the id is another site's or nobody's.
        String absent = UUID.randomUUID().toString();
        Patient probe = Fixtures.patient("VN-" + UUID.randomUUID(), "Tran", "Organization/" + ownOrganization);
        String probeBody = fhirContext.newJsonParser().encodeResourceToString(probe);
        HttpResponse<String> byForeignId = call(
                spokeToken, "POST", "/Patient", probeBody, Map.of("If-None-Exist", "_id=" + idPart(victim.patient())));
        HttpResponse<String> byAbsentId =
                call(spokeToken, "POST", "/Patient", probeBody, Map.of("If-None-Exist", "_id=" + absent));
        assertEquals(byAbsentId.statusCode(), byForeignId.statusCode(), byForeignId.body());
        assertEquals(byAbsentId.body().replace(absent, "X"), byForeignId.body().replace(idPart(victim.patient()), "X"));
        for (String header : List.of(
                "identifier=" + foreign,
                "birthdate=" + victim.canaries().get("birth date") + "&family="
                        + victim.canaries().get("family name"))) {
            // The body satisfies the condition (HAPI checks that): the spoke's own record of someone with these
            // details.
            Patient mine =
                    Fixtures.patient(foreign, victim.canaries().get("family name"), "Organization/" + ownOrganization);
            mine.setBirthDateElement(new DateType(victim.canaries().get("birth date")));
            String body = fhirContext.newJsonParser().encodeResourceToString(mine);
            HttpResponse<String> response = call(spokeToken, "POST", "/Patient", body, Map.of("If-None-Exist", header));
            // 201 the first time; later conditions match the spoke's own record made by the first (never the victim).
            assertTrue(response.statusCode() == 201 || response.statusCode() == 200, header + ": " + response.body());
            Patient answered = (Patient) fhirContext.newJsonParser().parseResource(response.body());
            assertEquals(
                    "Organization/" + ownOrganization,
                    answered.getManagingOrganization().getReference(),
                    header);
            assertFalse(answered.getIdElement().getIdPart().equals(idPart(victim.patient())), header);
            assertNoCanary(response, header + body);
        }
        // The transaction form: no 409, no SQL, no row id; the same answer as for an MRN nobody has.
        List<Integer> statuses = new ArrayList<>();
        for (String mrn : List.of(foreign, unknown)) {
            Patient mine = Fixtures.patient(mrn, "Tran", "Organization/" + ownOrganization);
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            bundle.addEntry()
                    .setFullUrl("urn:uuid:" + UUID.randomUUID())
                    .setResource(mine)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Patient")
                    .setIfNoneExist("identifier=" + CarTIg.SID_HUB_MRN + "|" + mrn);
            HttpResponse<String> response =
                    call(spokeToken, "POST", "", fhirContext.newJsonParser().encodeResourceToString(bundle), Map.of());
            statuses.add(response.statusCode());
            assertFalse(response.body().toLowerCase().contains("sql"), response.body());
            assertNoCanary(response, mrn);
        }
        assertEquals(statuses.get(1), statuses.get(0), "another site's MRN answers like an unknown one");
    }

    /**
     * What the scoping must not break: a spoke's own push with conditional references to its site Organization and
     * to its own patient, and conditional entries, as the cohort loader sends them.
     */
    @Test
    void aSpokesOwnPushWithConditionalReferencesStillWorks() throws Exception {
        setUp();
        String mrn = "VN-" + UUID.randomUUID();
        String site = "Organization?identifier=" + CarTIg.SID_SITE + "|" + TestClients.SPOKE_VN.site();
        Bundle push = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        // Its own site Organization as a conditional create (a lookup: it exists), then conditional references.
        String organizationEntry = "urn:uuid:" + UUID.randomUUID();
        org.hl7.fhir.r4.model.Organization own = new org.hl7.fhir.r4.model.Organization().setName("Bach Mai");
        own.addIdentifier().setSystem(CarTIg.SID_SITE).setValue(TestClients.SPOKE_VN.site());
        push.addEntry()
                .setFullUrl(organizationEntry)
                .setResource(own)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Organization")
                .setIfNoneExist("identifier=" + CarTIg.SID_SITE + "|" + TestClients.SPOKE_VN.site());
        push.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(Fixtures.patient(mrn, "Pham", site))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist("identifier=" + CarTIg.SID_HUB_MRN + "|" + mrn);
        push.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(new Condition()
                        .setCode(new CodeableConcept().setText("follow-up"))
                        .setSubject(new Reference("Patient?identifier=" + CarTIg.SID_HUB_MRN + "|" + mrn)))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Condition");
        String body = fhirContext.newJsonParser().encodeResourceToString(push);
        HttpResponse<String> first = call(spokeToken, "POST", "", body, Map.of());
        assertEquals(200, first.statusCode(), first.body());
        // Pushed again: the conditional create matches the spoke's own patient (its answer is not hidden).
        HttpResponse<String> again = call(spokeToken, "POST", "", body, Map.of());
        assertEquals(200, again.statusCode(), again.body());
        Bundle answer = (Bundle) fhirContext.newJsonParser().parseResource(again.body());
        for (int i = 0; i < 2; i++) {
            assertTrue(answer.getEntry().get(i).getResponse().getStatus().startsWith("200"), again.body());
            assertTrue(answer.getEntry().get(i).getResponse().hasLocation(), again.body());
        }
    }

    /** Reads, updates, deletes and conditional updates of another site's data answer like absent data, word for word. */
    @Test
    void anotherSitesResourceIsIndistinguishableFromOneThatDoesNotExist() throws Exception {
        setUp();
        String absent = UUID.randomUUID().toString();
        List<Long> foreignNanos = new ArrayList<>();
        List<Long> absentNanos = new ArrayList<>();
        for (String id : victim.ids().values()) {
            String type = id.substring(0, id.indexOf('/'));
            for (String method : List.of("GET", "DELETE")) {
                long start = System.nanoTime();
                HttpResponse<String> foreign = call(spokeToken, method, "/" + id, null, Map.of());
                foreignNanos.add(System.nanoTime() - start);
                start = System.nanoTime();
                HttpResponse<String> missing = call(spokeToken, method, "/" + type + "/" + absent, null, Map.of());
                absentNanos.add(System.nanoTime() - start);
                assertEquals(missing.statusCode(), foreign.statusCode(), method + " " + id + ": " + foreign.body());
                assertEquals(
                        missing.body().replace(absent, "X"),
                        foreign.body().replace(idPart(id), "X"),
                        method + " " + id);
            }
        }
        String mrn = victim.canaries().get("hub MRN");
        Patient update = Fixtures.patient(mrn, "Tran", "Organization/" + ownOrganization);
        HttpResponse<String> foreign = call(
                spokeToken,
                "PUT",
                "/Patient?identifier=" + enc(CarTIg.SID_HUB_MRN + "|" + mrn),
                fhirContext.newJsonParser().encodeResourceToString(update),
                Map.of());
        String unknownMrn = "UNKNOWN-" + UUID.randomUUID();
        Patient other = Fixtures.patient(unknownMrn, "Tran", "Organization/" + ownOrganization);
        HttpResponse<String> unknown = call(
                spokeToken,
                "PUT",
                "/Patient?identifier=" + enc(CarTIg.SID_HUB_MRN + "|" + unknownMrn),
                fhirContext.newJsonParser().encodeResourceToString(other),
                Map.of());
        assertEquals(unknown.statusCode(), foreign.statusCode(), foreign.body());
        assertNoCanary(foreign, mrn);
        // Medians reported, never compared (shared, noisy machine); what is asserted is that no refusal or miss left
        // before the refusal floor, below which both answers leave at the same moment.
        System.out.printf(
                "TRUST BOUNDARY timing: another site's resource median %.1f ms, absent %.1f ms (%d each;"
                        + " refusal floor %d ms)%n",
                median(foreignNanos) / 1e6, median(absentNanos) / 1e6, foreignNanos.size(), refusalFloor.toMillis());
        assertTrue(Collections.min(foreignNanos) >= refusalFloor.toNanos(), "a refusal left before the floor");
        assertTrue(Collections.min(absentNanos) >= refusalFloor.toNanos(), "a miss left before the floor");
    }

    /**
     * {@code $follow-up-status} runs its searches as the caller: a spoke's work list (the web app's overdue page) holds
     * its own patients and never another site's, and asking for another site's patient's plan answers exactly like
     * asking for a patient nobody has.
     */
    @Test
    void aSpokesFollowUpWorkListHoldsItsOwnPatientsOnly() throws Exception {
        // More plans than a default page (20), made before the two under test: the work list must hold every one
        // (it once stopped at the first 20).
        String my = sites.organizationId(TestClients.SPOKE_MY.site()).orElseThrow();
        Journey journey = Journey.post(client, fhirContext);
        for (int i = 0; i < 22; i++) {
            String patient = client.create()
                    .resource(Fixtures.patient("PLAN-" + UUID.randomUUID(), "Plan", "Organization/" + my))
                    .execute()
                    .getId()
                    .toUnqualifiedVersionless()
                    .getValue();
            client.create()
                    .resource(ProfiledResources.of(
                            "Procedure", patient, "Organization/" + my, journey.infusion(), journey.product()))
                    .execute();
        }
        setUp();
        String everythingOverdue = "/$follow-up-status?asOf=2060-01-01&upcomingDays=0";
        HttpResponse<String> hub = call(hubToken, "GET", everythingOverdue, null, Map.of());
        assertEquals(200, hub.statusCode(), hub.body());
        if (!(contains(hub.body(), victim.patient()) && contains(hub.body(), own.patient()))) {
            String plans = client
                    .search()
                    .byUrl("CarePlan?subject=" + victim.patient() + "," + own.patient())
                    .returnBundle(Bundle.class)
                    .execute()
                    .getEntry()
                    .stream()
                    .map(entry -> ((CarePlan) entry.getResource()).getSubject().getReference() + " "
                            + ((CarePlan) entry.getResource())
                                    .getIdentifierFirstRep()
                                    .getValue())
                    .toList()
                    .toString();
            fail("the hub sees both plans; victim " + contains(hub.body(), victim.patient()) + ", own "
                    + contains(hub.body(), own.patient()) + "; their plans " + plans + "; visits in the answer "
                    + (hub.body().split("\"visit\"", -1).length - 1) + ", "
                    + hub.body().length() + " chars");
        }
        HttpResponse<String> spoke = call(spokeToken, "GET", everythingOverdue, null, Map.of());
        assertEquals(200, spoke.statusCode(), spoke.body());
        assertTrue(contains(spoke.body(), own.patient()), "the spoke's own patient is on its list");
        assertNoCanary(spoke, "");
        HttpResponse<String> foreign = call(
                spokeToken,
                "GET",
                "/$follow-up-status?asOf=2060-01-01&patient=" + enc(victim.patient()),
                null,
                Map.of());
        HttpResponse<String> absent = call(
                spokeToken,
                "GET",
                "/$follow-up-status?asOf=2060-01-01&patient=" + enc("Patient/" + UUID.randomUUID()),
                null,
                Map.of());
        assertEquals(absent.statusCode(), foreign.statusCode(), foreign.body());
        assertEquals(absent.body(), foreign.body());
        assertNoCanary(foreign, victim.patient());
        HttpResponse<String> ownPlan = call(
                spokeToken, "GET", "/$follow-up-status?asOf=2060-01-01&patient=" + enc(own.patient()), null, Map.of());
        assertTrue(ownPlan.body().contains("\"D100\""), ownPlan.body());
    }

    /**
     * A visit report (CSV upload) that names another site's patient — by its id, hub MRN or spoke MRN — is refused
     * exactly like one naming a patient nobody has, stores nothing on that patient, and brings none of its data back.
     */
    @Test
    void aVisitReportNamingAnotherSitesPatientReadsLikeOneNamingNobody() throws Exception {
        setUp();
        int before = client.search()
                .byUrl("Observation?subject=" + victim.patient() + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
        String unknown = "NOBODY-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> foreignKeys = Map.of(
                "patient",
                victim.patient(),
                "hub_mrn",
                victim.canaries().get("hub MRN"),
                "spoke_mrn",
                victim.canaries().get("spoke MRN"));
        for (Map.Entry<String, String> key : foreignKeys.entrySet()) {
            String foreignCsv = key.getKey() + ",timepoint,visit_date,survival,platelets\n" + key.getValue()
                    + ",D100,2026-01-05,alive,150\n";
            String absentCsv =
                    foreignCsv.replace(key.getValue(), key.getKey().equals("patient") ? "Patient/" + unknown : unknown);
            Map<String, String> csv = Map.of("Content-Type", "text/csv");
            HttpResponse<String> foreign = call(spokeToken, "POST", "/$report-visits", foreignCsv, csv);
            HttpResponse<String> absent = call(spokeToken, "POST", "/$report-visits", absentCsv, csv);
            assertEquals(422, foreign.statusCode(), foreign.body());
            assertEquals(absent.statusCode(), foreign.statusCode());
            String typed = key.getKey().equals("patient") ? idPart(victim.patient()) : key.getValue();
            assertEquals(
                    absent.body().replace(unknown, "X"),
                    foreign.body().replace(typed, "X"),
                    key.getKey() + ": another site's patient must read like nobody's");
            assertNoCanary(foreign, foreignCsv);
        }
        assertEquals(
                before,
                client.search()
                        .byUrl("Observation?subject=" + victim.patient() + "&_summary=count")
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal(),
                "something was stored on another site's patient");
    }

    /**
     * An import naming another site's patient (by hub id, or by its spoke MRN on a Patient line) is refused exactly
     * like one naming a patient nobody has, stores nothing on that patient, and carries none of its canaries back.
     */
    @Test
    void anImportNamingAnotherSitesPatientReadsLikeOneNamingNobody() throws Exception {
        setUp();
        int before = client.search()
                .byUrl("Observation?subject=" + victim.patient() + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
        String unknown = UUID.randomUUID().toString();
        String observation =
                "{\"resourceType\":\"Observation\",\"id\":\"t1\",\"status\":\"final\",\"code\":{\"coding\":"
                        + "[{\"system\":\"http://loinc.org\",\"code\":\"718-7\"}]},\"subject\":{\"reference\":\"%s\"}}";
        String patientLine = "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"identifier\":[{\"system\":\""
                + CarTIg.SID_SPOKE_MRN_PREFIX + "%s\",\"value\":\"%s\"}]}\n" + observation.formatted("Patient/p1");
        Map<String, String> ndjson = Map.of("Content-Type", "application/fhir+ndjson");
        String byId = observation.formatted(victim.patient());
        HttpResponse<String> foreign = call(spokeToken, "POST", "/$import", byId, ndjson);
        HttpResponse<String> absent =
                call(spokeToken, "POST", "/$import", observation.formatted("Patient/" + unknown), ndjson);
        assertTrue(foreign.statusCode() >= 400 && foreign.statusCode() < 500, foreign.body());
        assertEquals(absent.statusCode(), foreign.statusCode());
        assertEquals(absent.body().replace(unknown, "X"), foreign.body().replace(idPart(victim.patient()), "X"));
        assertNoCanary(foreign, byId);

        String mrn = victim.canaries().get("spoke MRN");
        String site = TestClients.SPOKE_MY.site();
        String byMrn = patientLine.formatted(site, mrn);
        HttpResponse<String> foreignMrn = call(spokeToken, "POST", "/$import", byMrn, ndjson);
        HttpResponse<String> absentMrn =
                call(spokeToken, "POST", "/$import", patientLine.formatted(site, "NOBODY-1"), ndjson);
        assertEquals(absentMrn.statusCode(), foreignMrn.statusCode(), foreignMrn.body());
        assertEquals(
                absentMrn.body().replace("NOBODY-1", "X"), foreignMrn.body().replace(mrn, "X"));
        assertNoCanary(foreignMrn, byMrn);
        assertEquals(
                before,
                client.search()
                        .byUrl("Observation?subject=" + victim.patient() + "&_summary=count")
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal(),
                "something was stored on another site's patient");
    }

    /**
     * A spoke cannot probe ids by writing under them: an update, patch or delete by id of another site's resource
     * answers exactly like one of an id nobody has (no create under a free id, which would tell the two apart),
     * directly and as a transaction entry. Its own resources it still updates by id.
     */
    @Test
    void writingUnderAnIdTellsNothingAboutWhoseItIs() throws Exception {
        setUp();
        String free = UUID.randomUUID().toString();
        for (String id : victim.ids().values()) {
            String type = id.substring(0, id.indexOf('/'));
            String body = "{\"resourceType\":\"" + type + "\",\"id\":\"%s\"}";
            HttpResponse<String> foreign = call(spokeToken, "PUT", "/" + id, body.formatted(idPart(id)), Map.of());
            HttpResponse<String> absent =
                    call(spokeToken, "PUT", "/" + type + "/" + free, body.formatted(free), Map.of());
            // A bare body of another type may already fail validation; a bare Patient is valid R4 and reaches the gate.
            if (type.equals("Patient")) {
                assertEquals(404, absent.statusCode(), "PUT " + type + "/" + free + ": " + absent.body());
            }
            assertEquals(absent.statusCode(), foreign.statusCode(), "PUT " + id + ": " + foreign.body());
            assertEquals(absent.body().replace(free, "X"), foreign.body().replace(idPart(id), "X"), "PUT " + id);
            for (String method : List.of("PUT", "DELETE")) {
                String entry = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{"
                        + ("PUT".equals(method) ? "\"resource\":" + body + "," : "")
                        + "\"request\":{\"method\":\"" + method + "\",\"url\":\"" + type + "/%s\"}}]}";
                HttpResponse<String> foreignEntry =
                        call(spokeToken, "POST", "", entry.replace("%s", idPart(id)), Map.of());
                HttpResponse<String> absentEntry = call(spokeToken, "POST", "", entry.replace("%s", free), Map.of());
                if (method.equals("DELETE") || type.equals("Patient")) {
                    assertEquals(
                            404,
                            absentEntry.statusCode(),
                            method + " entry " + type + "/" + free + ": " + absentEntry.body());
                }
                assertEquals(absentEntry.statusCode(), foreignEntry.statusCode(), method + " entry " + id);
                assertEquals(
                        absentEntry.body().replace(free, "X"),
                        foreignEntry.body().replace(idPart(id), "X"),
                        method + " entry " + id);
            }
        }
        assertEquals(
                0,
                client.search()
                        .byUrl("Patient?_id=" + free)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal(),
                "nothing was created under the free id");

        Patient mine = Fixtures.patient("OWN-" + UUID.randomUUID(), "Tran", "Organization/" + ownOrganization);
        HttpResponse<String> created = call(
                spokeToken, "POST", "/Patient", fhirContext.newJsonParser().encodeResourceToString(mine), Map.of());
        assertEquals(201, created.statusCode(), created.body());
        String mineId = new IdType(created.headers().firstValue("Location").orElseThrow()).getIdPart();
        mine.setId(mineId);
        mine.getNameFirstRep().setFamily("Tran Van");
        HttpResponse<String> updated = call(
                spokeToken,
                "PUT",
                "/Patient/" + mineId,
                fhirContext.newJsonParser().encodeResourceToString(mine),
                Map.of());
        assertEquals(200, updated.statusCode(), "a spoke updates its own patient by id: " + updated.body());
    }

    /** Reaching across compartments through a shared type is refused, naming the parameter. */
    @Test
    void hasOnSharedTypesIsRefusedAndProvenanceOfTwoSitesIsNeitherSpokes() throws Exception {
        setUp();
        HttpResponse<String> has = call(
                spokeToken,
                "GET",
                "/Organization?_has:Patient:organization:identifier="
                        + enc(victim.canaries().get("hub MRN")),
                null,
                Map.of());
        assertEquals(400, has.statusCode(), has.body());
        assertTrue(has.body().contains("_has"), has.body());
        assertNoCanary(has, victim.canaries().get("hub MRN"));

        // One hub write touching both sites' patients: its Provenance names both, so neither spoke may see it.
        String own = client.search()
                .byUrl("Patient?organization=Organization/" + ownOrganization + "&_count=1")
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource()
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
        Bundle both = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (String patient : List.of(own, victim.patient())) {
            both.addEntry()
                    .setFullUrl("urn:uuid:" + UUID.randomUUID())
                    .setResource(new Condition()
                            .setCode(new CodeableConcept().setText("both"))
                            .setSubject(new Reference(patient)))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Condition");
        }
        client.transaction().withBundle(both).execute();
        HttpResponse<String> provenance =
                call(spokeToken, "GET", "/Provenance?patient=" + enc(own) + "&_count=200&_include=*", null, Map.of());
        assertEquals(200, provenance.statusCode(), provenance.body());
        assertNoCanary(provenance, "");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** No canary the request did not carry itself ({@code sent}) is in the response. */
    private void assertNoCanary(HttpResponse<String> response, String sent) {
        for (Map.Entry<String, String> canary : victim.canaries().entrySet()) {
            if (!contains(sent, canary.getValue())) {
                assertFalse(contains(response.body(), canary.getValue()), canary.getKey() + " in " + response.body());
            }
        }
    }

    /** An id canary must match whole ({@code Patient/ab} is not in {@code Patient/abc}). */
    private static boolean contains(String text, String canary) {
        return text != null
                && Pattern.compile(Pattern.quote(canary) + "(?![A-Za-z0-9-])")
                        .matcher(text)
                        .find();
    }

    private static String parameters(String name, String reference) {
        return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"" + name
                + "\",\"valueReference\":{\"reference\":\"" + reference + "\"}}]}";
    }

    private HttpResponse<String> call(
            String token, String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json");
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            if (!headers.containsKey("Content-Type")) {
                request.header("Content-Type", "application/fhir+json");
            }
            request.method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String idPart(String id) {
        return id.substring(id.indexOf('/') + 1);
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
