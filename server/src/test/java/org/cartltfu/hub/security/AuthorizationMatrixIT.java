package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.ProfiledResources;
import org.cartltfu.hub.record.SiteDirectory;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every role against every resource type, operation and site, over HTTP with real tokens. A cell passes when an
 * allowed operation succeeds, and a refused one leaves the database as it was and answers as if the data did not
 * exist (spokes) or with 403 (registries). A leak is any cell where a client read, found or changed data it should
 * not have.
 */
class AuthorizationMatrixIT extends HubServerIT {

    private static final List<String> TYPES = List.of(
            "Patient", "Observation", "AdverseEvent", "Procedure", "Condition", "Encounter", "Consent", "CarePlan");
    private static final List<String> OPERATIONS =
            List.of("read", "search", "create", "update", "delete", "transaction");

    @Autowired
    private SiteDirectory sites;

    private record Cell(String role, String type, String operation, String site, boolean allowed) {}

    private final List<String> failures = new ArrayList<>();
    /** The hub infusion and product that profiled events and infusions refer to. */
    private String infusion;

    private String product;
    private int leaks;

    @Test
    void noRoleReachesDataItShouldNot() throws Exception {
        Journey journey = Journey.post(client, fhirContext);
        infusion = journey.infusion();
        product = journey.product();
        String vn = sites.organizationId(TestClients.SPOKE_VN.site()).orElseThrow();
        String my = sites.organizationId(TestClients.SPOKE_MY.site()).orElseThrow();
        String patientVn = createAsHub(patient(vn));
        String patientMy = createAsHub(patient(my));
        Map<String, String> patientOf = Map.of("own", patientVn, "other", patientMy);
        Map<String, String> organizationOf = Map.of("own", vn, "other", my);

        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("hub", hubToken);
        tokens.put("spoke", TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.cruds"));
        tokens.put("registry", TestClients.token(TestClients.REGISTRY, serverRoot(), "system/*.rs"));

        int cells = 0;
        int allowedCells = 0;
        for (String role : tokens.keySet()) {
            for (String type : TYPES) {
                for (String operation : OPERATIONS) {
                    for (String site : List.of("own", "other")) {
                        boolean allowed = role.equals("hub") || (role.equals("spoke") && site.equals("own"));
                        Cell cell = new Cell(role, type, operation, site, allowed);
                        run(cell, tokens.get(role), patientOf.get(site), organizationOf.get(site));
                        cells++;
                        allowedCells += allowed ? 1 : 0;
                    }
                }
            }
        }
        System.out.printf(
                "AUTHZ MATRIX: %d cells (%d roles x %d types x %d operations x 2 sites), %d allowed, "
                        + "%d refused, %d failures, %d leaks%n",
                cells,
                tokens.size(),
                TYPES.size(),
                OPERATIONS.size(),
                allowedCells,
                cells - allowedCells,
                failures.size(),
                leaks);
        assertEquals(0, leaks, "leaks: " + failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void spokesReadTheImplementationGuideAndSiteDirectoryButRegistriesDoNot() throws Exception {
        String spoke = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.rs");
        String registry = TestClients.token(TestClients.REGISTRY, serverRoot(), "system/*.rs");
        String sites = "/Organization?identifier=" + TestClients.SITE_SYSTEM + "%7Cvn-bachmai";
        HttpResponse<String> ownSite = call(spoke, "GET", sites, null);
        assertEquals(200, ownSite.statusCode(), ownSite.body());
        assertTrue(ownSite.body().contains("vn-bachmai"), ownSite.body());
        HttpResponse<String> grade = call(spoke, "GET", "/SearchParameter/astct-grade", null);
        assertEquals(200, grade.statusCode(), grade.body());
        assertEquals(403, call(registry, "GET", sites, null).statusCode());
        HttpResponse<String> audit = call(spoke, "GET", "/AuditEvent", null);
        assertEquals(403, audit.statusCode(), audit.body());
        assertTrue(isOperationOutcome(audit.body()));
    }

    private void run(Cell cell, String token, String patientId, String organizationId) throws Exception {
        switch (cell.operation()) {
            case "read" -> {
                String id = createAsHub(build(cell.type(), patientId, organizationId));
                HttpResponse<String> response = call(token, "GET", "/" + id, null);
                // A refusal may echo the id that was asked for, as HAPI does for any unknown id: only a 200 is a read.
                boolean read = response.statusCode() == 200 && response.body().contains(id.split("/")[1]);
                check(cell, response, read, read);
            }
            case "search" -> {
                String id = createAsHub(build(cell.type(), patientId, organizationId));
                String query = switch (cell.type()) {
                    case "Patient" -> "_id=" + id.split("/")[1];
                    case "AdverseEvent" -> "subject=" + patientId;
                    default -> "patient=" + patientId;
                };
                HttpResponse<String> response = call(token, "GET", "/" + cell.type() + "?" + query, null);
                boolean found = response.statusCode() == 200
                        && ((Bundle) fhirContext.newJsonParser().parseResource(response.body()))
                                .getEntry().stream()
                                        .anyMatch(entry -> entry.getResource()
                                                .getIdElement()
                                                .getIdPart()
                                                .equals(id.split("/")[1]));
                check(cell, response, found, found);
            }
            case "create" -> {
                int before = count(cell.type());
                HttpResponse<String> response =
                        call(token, "POST", "/" + cell.type(), encode(build(cell.type(), patientId, organizationId)));
                boolean stored = count(cell.type()) != before;
                check(cell, response, response.statusCode() == 201 && stored, stored);
            }
            case "update" -> {
                String id = createAsHub(build(cell.type(), patientId, organizationId));
                Resource changed = (Resource) build(cell.type(), patientId, organizationId);
                changed.setId(id);
                changed.setLanguage("en");
                HttpResponse<String> response = call(token, "PUT", "/" + id, encode(changed));
                boolean changedStored = !client.read()
                        .resource(cell.type())
                        .withId(id)
                        .execute()
                        .getMeta()
                        .getVersionId()
                        .equals("1");
                check(cell, response, response.statusCode() == 200 && changedStored, changedStored);
            }
            case "delete" -> {
                String id = createAsHub(build(cell.type(), patientId, organizationId));
                HttpResponse<String> response = call(token, "DELETE", "/" + id, null);
                boolean gone = client.search()
                                .byUrl(cell.type() + "?_id=" + id.split("/")[1] + "&_summary=count")
                                .returnBundle(Bundle.class)
                                .execute()
                                .getTotal()
                        == 0;
                check(cell, response, (response.statusCode() == 200 || response.statusCode() == 204) && gone, gone);
            }
            case "transaction" -> {
                int before = count(cell.type());
                Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
                bundle.addEntry()
                        .setFullUrl("urn:uuid:" + UUID.randomUUID())
                        .setResource((Resource) build(cell.type(), patientId, organizationId))
                        .getRequest()
                        .setMethod(Bundle.HTTPVerb.POST)
                        .setUrl(cell.type());
                HttpResponse<String> response = call(token, "POST", "", encode(bundle));
                boolean stored = count(cell.type()) != before;
                check(cell, response, response.statusCode() == 200 && stored, stored);
            }
            default -> throw new IllegalArgumentException(cell.operation());
        }
    }

    /** {@code succeeded}: the operation did what it should; {@code touched}: data was read, found or changed. */
    private void check(Cell cell, HttpResponse<String> response, boolean succeeded, boolean touched) {
        if (cell.allowed()) {
            if (!succeeded) {
                failures.add(cell + " should succeed: " + response.statusCode() + " " + abbreviate(response.body()));
            }
            return;
        }
        if (touched) {
            leaks++;
            failures.add("LEAK " + cell + ": " + response.statusCode() + " " + abbreviate(response.body()));
        }
        if (!refusedAsAbsent(cell, response)) {
            failures.add(cell + " should be refused as if absent (404/400/403 with an OperationOutcome, or an empty"
                    + " search): " + response.statusCode() + " " + abbreviate(response.body()));
        }
    }

    /**
     * Another site's data is answered as if it did not exist: a read, update or delete 404, a write that refers to it
     * 400 ("not found"), a search an empty bundle; what a role may not do at all is 403.
     */
    private boolean refusedAsAbsent(Cell cell, HttpResponse<String> response) {
        if (cell.operation().equals("search") && response.statusCode() == 200) {
            return ((Bundle) fhirContext.newJsonParser().parseResource(response.body()))
                    .getEntry()
                    .isEmpty();
        }
        int expected = switch (cell.role()) {
            case "registry" -> 403;
            default ->
                switch (cell.operation()) {
                    case "read", "update", "delete" -> 404;
                    case "create", "transaction" -> cell.type().equals("Patient") ? 403 : 400;
                    default -> 403;
                };
        };
        return response.statusCode() == expected && isOperationOutcome(response.body());
    }

    private boolean isOperationOutcome(String body) {
        try {
            return fhirContext.newJsonParser().parseResource(body) instanceof OperationOutcome;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    private HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/fhir+json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return send(request);
    }

    private String encode(IBaseResource resource) {
        return fhirContext.newJsonParser().encodeResourceToString(resource);
    }

    private String createAsHub(IBaseResource resource) {
        return client.create()
                .resource(resource)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private Patient patient(String organizationId) {
        return (Patient) build("Patient", null, organizationId);
    }

    /** A resource of the type for the patient: conformant to the IG's profile where the IG requires one. */
    private IBaseResource build(String type, String patientId, String organizationId) {
        if (ProfiledResources.hasTemplate(type)) {
            return ProfiledResources.of(type, patientId, "Organization/" + organizationId, infusion, product);
        }
        Reference subject = new Reference(patientId);
        CodeableConcept text = new CodeableConcept().setText("matrix " + UUID.randomUUID());
        return switch (type) {
            case "Condition" -> new Condition().setCode(text).setSubject(subject);
            case "CarePlan" ->
                new CarePlan()
                        .setStatus(CarePlan.CarePlanStatus.ACTIVE)
                        .setIntent(CarePlan.CarePlanIntent.PLAN)
                        .setSubject(subject);
            default -> throw new IllegalArgumentException(type);
        };
    }
}
