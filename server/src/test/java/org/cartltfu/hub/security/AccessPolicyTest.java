package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cartltfu.hub.security.AccessPolicy.Facts;
import org.cartltfu.hub.security.AccessPolicy.Interaction;
import org.cartltfu.hub.security.AccessPolicy.Kind;
import org.cartltfu.hub.security.AccessPolicy.Request;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private static final Caller HUB = caller(Role.HUB, "hub", null, "system/*.cruds");
    private static final Caller HUB_PATIENTS_ONLY = caller(Role.HUB, "hub-p", null, "system/Patient.rs");
    private static final Caller SPOKE = caller(Role.SPOKE, "vn", "vn-site", "system/*.cruds");
    private static final Caller SPOKE_READ_ONLY = caller(Role.SPOKE, "vn-r", "vn-site", "system/*.rs");
    private static final Caller REGISTRY = caller(Role.REGISTRY, "registry", null, "system/*.rs");
    private static final String OWN = "1";
    private static final String OTHER = "2";

    private static Caller caller(Role role, String client, String site, String... scopes) {
        return new Caller(
                client,
                role,
                site,
                List.of(scopes).stream()
                        .map(SmartScope::parse)
                        .flatMap(Optional::stream)
                        .toList());
    }

    private static Facts data(String type, String... owners) {
        Set<String> set = new HashSet<>();
        for (String owner : owners) {
            set.add(owner);
        }
        return new Facts(type, type.equals("AuditEvent") ? Kind.HUB_ONLY : Kind.PATIENT_DATA, true, set, null);
    }

    @Test
    void aSpokeSeesOnlyDataWhoseEveryPatientIsManagedByItsSite() {
        assertTrue(AccessPolicy.maySee(SPOKE, OWN, data("Observation", OWN)));
        assertFalse(AccessPolicy.maySee(SPOKE, OWN, data("Observation", OTHER)));
        assertFalse(AccessPolicy.maySee(SPOKE, OWN, data("Provenance", OWN, OTHER)), "mixed: not provably its own");
        assertFalse(AccessPolicy.maySee(SPOKE, OWN, data("Observation", OWN, null)), "a patient of no known site");
        assertFalse(AccessPolicy.maySee(SPOKE, OWN, data("Observation")), "names no patient");
        assertFalse(AccessPolicy.maySee(SPOKE, null, data("Observation", OWN)), "a site without an Organization");
    }

    @Test
    void sharedKindsFollowTheirOwnRules() {
        Facts organization = new Facts("Organization", Kind.DIRECTORY, true, Set.of(), null);
        Facts profile = new Facts("StructureDefinition", Kind.CONFORMANCE, true, Set.of(), null);
        Facts audit = data("AuditEvent", OWN);
        Facts registryFile = new Facts("Binary", Kind.EXPORT_FILE, true, Set.of(), "registry");
        Facts otherFile = new Facts("Binary", Kind.EXPORT_FILE, true, Set.of(), "someone-else");
        assertTrue(AccessPolicy.maySee(SPOKE, OWN, organization));
        assertFalse(AccessPolicy.maySee(REGISTRY, null, organization));
        assertTrue(AccessPolicy.maySee(REGISTRY, null, profile));
        assertFalse(AccessPolicy.maySee(SPOKE, OWN, audit));
        assertTrue(AccessPolicy.maySee(HUB, null, audit));
        assertTrue(AccessPolicy.maySee(REGISTRY, null, registryFile));
        assertFalse(AccessPolicy.maySee(REGISTRY, null, otherFile));
        assertFalse(AccessPolicy.maySee(SPOKE, OWN, registryFile));
        assertFalse(AccessPolicy.maySee(REGISTRY, null, data("Patient", OWN)));
    }

    @Test
    void theHubSeesWhatItsScopesAllowAndResultsMadeForTheCallerPass() {
        assertTrue(AccessPolicy.maySee(HUB_PATIENTS_ONLY, null, data("Patient", OWN)));
        assertFalse(AccessPolicy.maySee(HUB_PATIENTS_ONLY, null, data("Observation", OWN)), "e.g. through _revinclude");
        Facts grade = new Facts("Observation", Kind.PATIENT_DATA, false, Set.of(), null);
        assertTrue(AccessPolicy.maySee(SPOKE, OWN, grade), "no id: made for this response by an allowed operation");
        assertTrue(AccessPolicy.maySee(REGISTRY, null, new Facts("Parameters", Kind.ENVELOPE, false, Set.of(), null)));
        assertFalse(AccessPolicy.maySee(null, null, data("Patient", OWN)));
    }

    @Test
    void requestsAreRefusedByRoleKindAndScopeBeforeAnythingIsRead() {
        Request searchObservations = new Request(Interaction.SEARCH, "Observation", Kind.PATIENT_DATA, null, false);
        Request writeObservation = new Request(Interaction.CREATE, "Observation", Kind.PATIENT_DATA, null, false);
        Request auditSearch = new Request(Interaction.SEARCH, "AuditEvent", Kind.HUB_ONLY, null, false);
        Request typeHistory = new Request(Interaction.HISTORY, "Observation", Kind.PATIENT_DATA, null, false);
        Request instanceHistory = new Request(Interaction.HISTORY, "Observation", Kind.PATIENT_DATA, null, true);
        Request writeOrganization = new Request(Interaction.UPDATE, "Organization", Kind.DIRECTORY, null, true);
        Request export = new Request(Interaction.OPERATION, null, null, "$export", false);
        Request trace = new Request(Interaction.OPERATION, null, null, "$trace-product", false);
        Request binary = new Request(Interaction.READ, "Binary", Kind.EXPORT_FILE, null, true);
        Request binarySearch = new Request(Interaction.SEARCH, "Binary", Kind.EXPORT_FILE, null, false);
        Request metadata = new Request(Interaction.METADATA, null, null, null, false);

        assertEquals(Optional.empty(), AccessPolicy.refusesRequest(SPOKE, OWN, searchObservations));
        assertTrue(AccessPolicy.refusesRequest(SPOKE_READ_ONLY, OWN, writeObservation)
                .isPresent());
        assertTrue(AccessPolicy.refusesRequest(SPOKE, OWN, auditSearch).isPresent());
        assertTrue(AccessPolicy.refusesRequest(SPOKE, OWN, typeHistory).isPresent());
        assertEquals(Optional.empty(), AccessPolicy.refusesRequest(SPOKE, OWN, instanceHistory));
        assertTrue(AccessPolicy.refusesRequest(SPOKE, OWN, writeOrganization).isPresent());
        assertTrue(AccessPolicy.refusesRequest(SPOKE, OWN, trace).isPresent());
        assertTrue(
                AccessPolicy.refusesRequest(SPOKE, null, searchObservations).isPresent(), "site without Organization");
        assertEquals(Optional.empty(), AccessPolicy.refusesRequest(HUB, null, trace));
        assertTrue(AccessPolicy.refusesRequest(HUB_PATIENTS_ONLY, null, searchObservations)
                .isPresent());
        assertEquals(Optional.empty(), AccessPolicy.refusesRequest(REGISTRY, null, export));
        assertEquals(Optional.empty(), AccessPolicy.refusesRequest(REGISTRY, null, binary));
        assertTrue(AccessPolicy.refusesRequest(REGISTRY, null, binarySearch).isPresent());
        assertTrue(
                AccessPolicy.refusesRequest(REGISTRY, null, searchObservations).isPresent());
        assertEquals(Optional.empty(), AccessPolicy.refusesRequest(null, null, metadata));
        assertTrue(AccessPolicy.refusesRequest(null, null, searchObservations).isPresent());
    }

    @Test
    void aSpokeWritesOnlyItsOwnPatientsDataAndNobodyWritesAuditEvents() {
        assertEquals(
                Optional.empty(), AccessPolicy.refusesWrite(SPOKE, OWN, data("Observation", OWN), Permission.CREATE));
        assertTrue(AccessPolicy.refusesWrite(SPOKE, OWN, data("Observation", OTHER), Permission.CREATE)
                .isPresent());
        assertTrue(AccessPolicy.refusesWrite(SPOKE, OWN, data("Observation"), Permission.CREATE)
                .isPresent());
        assertTrue(AccessPolicy.refusesWrite(SPOKE_READ_ONLY, OWN, data("Observation", OWN), Permission.CREATE)
                .isPresent());
        assertTrue(AccessPolicy.refusesWrite(
                        SPOKE, OWN, new Facts("Organization", Kind.DIRECTORY, true, Set.of(), null), Permission.UPDATE)
                .isPresent());
        assertTrue(AccessPolicy.refusesWrite(HUB, null, data("AuditEvent", OWN), Permission.CREATE)
                .isPresent());
        assertEquals(
                Optional.empty(), AccessPolicy.refusesWrite(HUB, null, data("Observation", OTHER), Permission.CREATE));
        assertTrue(AccessPolicy.refusesWrite(REGISTRY, null, data("Observation", OWN), Permission.CREATE)
                .isPresent());
    }
}
