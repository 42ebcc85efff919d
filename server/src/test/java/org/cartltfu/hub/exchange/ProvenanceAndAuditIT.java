package org.cartltfu.hub.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.ProfiledResources;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Who wrote what (Provenance, from the token) and who touched what (AuditEvent, written in the background). */
class ProvenanceAndAuditIT extends HubServerIT {

    @Autowired
    private SiteDirectory sites;

    /** A hub infusion the spoke's CRS events are attributed to. */
    private String infusion;

    @BeforeEach
    void infuse() {
        infusion = Journey.post(client, fhirContext).infusion();
    }

    private IGenericClient spoke() {
        return clientWithToken(TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.cruds"));
    }

    @Test
    void everyAcceptedPushGetsAProvenanceNamingTheSiteFromTheToken() {
        String mrn = UUID.randomUUID().toString();
        Bundle response = spoke().transaction()
                .withBundle(SpokePush.bundle(
                        "vn-bachmai",
                        mrn,
                        UUID.randomUUID().toString(),
                        UUID.randomUUID().toString(),
                        2,
                        infusion))
                .execute();
        List<String> written = response.getEntry().stream()
                .map(entry -> entry.getResponse().getLocation().replaceAll("/_history/.*", ""))
                .toList();

        Bundle provenances = client.search()
                .byUrl("Provenance?target=" + written.get(0))
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(1, provenances.getEntry().size());
        Provenance provenance = (Provenance) provenances.getEntryFirstRep().getResource();
        assertEquals(
                written,
                provenance.getTarget().stream().map(Reference::getReference).toList());
        assertEquals(1, provenance.getAgent().size());
        Reference agent = provenance.getAgentFirstRep().getWho();
        assertEquals("Organization/" + sites.organizationId("vn-bachmai").orElseThrow(), agent.getReference());
        assertEquals("vn-bachmai", agent.getIdentifier().getValue());
        assertEquals(
                "author",
                provenance.getAgentFirstRep().getType().getCodingFirstRep().getCode());
        assertTrue(provenance.hasRecorded());
    }

    @Test
    void aSpokeMayAddProvenanceOnlyInTheNameOfItsOwnSite() {
        IGenericClient spoke = spoke();
        String patientId = push(spoke);
        int before = count("Provenance");

        Provenance forged = new Provenance();
        forged.addTarget(new Reference(patientId));
        forged.setRecorded(new java.util.Date());
        forged.addAgent()
                .setWho(new Reference(
                        "Organization/" + sites.organizationId("my-ummc").orElseThrow()));
        assertThrows(
                ForbiddenOperationException.class,
                () -> spoke.create().resource(forged).execute());

        Bundle smuggled = SpokePush.bundle(
                "vn-bachmai",
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                1,
                infusion);
        smuggled.addEntry()
                .setResource(forged)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Provenance");
        int patientsBefore = count("Patient");
        assertThrows(
                ForbiddenOperationException.class,
                () -> spoke.transaction().withBundle(smuggled).execute());

        assertEquals(before, count("Provenance"));
        assertEquals(patientsBefore, count("Patient"), "the refused bundle stored nothing");

        Provenance own = new Provenance();
        own.addTarget(new Reference(patientId));
        own.setRecorded(new java.util.Date());
        own.addAgent()
                .setWho(new Reference(
                        "Organization/" + sites.organizationId("vn-bachmai").orElseThrow()));
        spoke.create().resource(own).execute();
        // The spoke's own record, and the hub's record of that write.
        assertEquals(before + 2, count("Provenance"));
    }

    @Test
    void readsWritesAndRefusalsAreAuditedAndOnlyTheHubCanSearchTheTrail() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        IGenericClient spoke = spoke();
        String patientId = pushReadAndSearch(spoke);

        Patient other = (Patient) ProfiledResources.of(
                "Patient",
                null,
                "Organization/" + sites.organizationId("my-ummc").orElseThrow(),
                infusion,
                null);
        String otherId = client.create().resource(other).execute().getId().getIdPart();
        // Another site's patient reads as one that does not exist; the hub's audit trail says what really happened.
        assertThrows(
                ResourceNotFoundException.class,
                () -> spoke.read().resource(Patient.class).withId(otherId).execute());

        awaitAudit(
                start,
                event -> isBy(event, "spoke-bachmai")
                        && mentions(event, patientId)
                        && event.getAction() == AuditEvent.AuditEventAction.R,
                "read of " + patientId);
        awaitAudit(
                start,
                event -> isBy(event, "spoke-bachmai")
                        && mentions(event, patientId)
                        && event.getAction() == AuditEvent.AuditEventAction.C,
                "create of " + patientId);
        awaitAudit(
                start,
                event -> isBy(event, "spoke-bachmai")
                        && event.getOutcome() == AuditEvent.AuditEventOutcome._4
                        && event.getOutcomeDesc().startsWith("404")
                        && event.getOutcomeDesc().contains("another site's"),
                "refused read of Patient/" + otherId);

        assertThrows(
                ForbiddenOperationException.class,
                () -> spoke.search()
                        .forResource(AuditEvent.class)
                        .returnBundle(Bundle.class)
                        .execute());
    }

    /** BALP audits no operation; the hub does: who called which operation, and the patients it answered about. */
    @Test
    void operationsAreAuditedWithThePatientsTheyAnsweredAbout() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        IGenericClient spoke = spoke();
        String patientId = pushReadAndSearch(spoke);
        toxicityHistory(spoke, patientId);
        awaitAudit(
                start,
                event -> isBy(event, "spoke-bachmai")
                        && event.getAction() == AuditEvent.AuditEventAction.E
                        && names(event, "$toxicity-history")
                        && namesPatient(event, patientId),
                "$toxicity-history of " + patientId);

        // A server-level operation: the patients come from its answer.
        String planned = new IdType(Journey.post(client, fhirContext).patient()).getIdPart();
        Parameters status = client.operation()
                .onServer()
                .named("$follow-up-status")
                .withParameter(Parameters.class, "patient", new StringType("Patient/" + planned))
                .useHttpGet()
                .execute();
        assertTrue(
                fhirContext.newJsonParser().encodeResourceToString(status).contains("Patient/" + planned),
                "the plan lists its patient");
        awaitAudit(
                start,
                event -> event.getAction() == AuditEvent.AuditEventAction.E
                        && names(event, "$follow-up-status")
                        && namesPatient(event, planned),
                "the hub's $follow-up-status of Patient/" + planned);
    }

    private static boolean names(AuditEvent event, String operation) {
        return event.getEntity().stream().anyMatch(entity -> operation.equals(entity.getDescription()));
    }

    private static boolean namesPatient(AuditEvent event, String patientId) {
        return event.getEntity().stream()
                .anyMatch(entity -> entity.getWhat().getReference() != null
                        && entity.getWhat().getReference().endsWith("/" + patientId)
                        && "1".equals(entity.getRole().getCode()));
    }

    /**
     * The audit writer stores without validating (a refused record would be a lost one), so the events of every kind
     * of request are validated here against base R4 with the hub's own validation chain.
     */
    @Test
    void everyKindOfAuditEventTheHubStoresIsValidR4() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        IGenericClient spoke = spoke();
        String patientId = pushReadAndSearch(spoke);
        toxicityHistory(spoke, patientId);
        assertThrows(
                ResourceNotFoundException.class,
                () -> spoke.read()
                        .resource(Patient.class)
                        .withId(UUID.randomUUID().toString())
                        .execute());
        send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient")));
        awaitAudit(
                start,
                event ->
                        event.getOutcomeDesc() != null && event.getOutcomeDesc().startsWith("401"),
                "the unauthenticated search");

        Bundle stored = client.search()
                .byUrl("AuditEvent?date=ge" + start + "&_count=500")
                .returnBundle(Bundle.class)
                .execute();
        Set<String> kinds = new TreeSet<>();
        for (Bundle.BundleEntryComponent entry : stored.getEntry()) {
            AuditEvent event = (AuditEvent) entry.getResource();
            String kind = event.getType().getCode() + " "
                    + event.getSubtype().stream().map(Coding::getCode).toList() + " outcome "
                    + event.getOutcome().toCode();
            kinds.add(kind);
            List<String> errors = validationErrors(event);
            assertTrue(errors.isEmpty(), kind + " " + entry.getFullUrl() + ": " + errors);
        }
        // Reads, searches, a transaction's writes, the operation and refusals were all checked (BALP audits no
        // capability statement; the code every operation's event gets is checked in AuditTrailTest).
        for (String code : List.of("[read]", "[search-type]", "[transaction]", "[operation]")) {
            assertTrue(kinds.stream().anyMatch(kind -> kind.contains(code)), code + " not among " + kinds);
        }
        assertTrue(kinds.stream().anyMatch(kind -> kind.endsWith(" outcome 4")), "no refusal among " + kinds);
    }

    /** The spoke pushes one patient's follow-up data; the patient's reference. */
    private String push(IGenericClient spoke) {
        return spoke.transaction()
                .withBundle(SpokePush.bundle(
                        "vn-bachmai",
                        UUID.randomUUID().toString(),
                        UUID.randomUUID().toString(),
                        UUID.randomUUID().toString(),
                        1,
                        infusion))
                .execute()
                .getEntryFirstRep()
                .getResponse()
                .getLocation()
                .replaceAll("/_history/.*", "");
    }

    private static void toxicityHistory(IGenericClient spoke, String patientId) {
        spoke.operation()
                .onInstance(patientId)
                .named("$toxicity-history")
                .withNoParameters(Parameters.class)
                .execute();
    }

    /** The spoke pushes a patient's follow-up data, reads the patient and searches its observations. */
    private String pushReadAndSearch(IGenericClient spoke) {
        String patientId = push(spoke);
        spoke.read()
                .resource(Patient.class)
                .withId(patientId.substring("Patient/".length()))
                .execute();
        spoke.search()
                .byUrl("Observation?patient=" + patientId)
                .returnBundle(Bundle.class)
                .execute();
        return patientId;
    }

    private static boolean isBy(AuditEvent event, String clientId) {
        return event.getAgent().stream()
                .anyMatch(
                        agent -> clientId.equals(agent.getWho().getIdentifier().getValue()));
    }

    private static boolean mentions(AuditEvent event, String resourceId) {
        return event.getEntity().stream()
                .anyMatch(entity -> entity.getWhat().getReference() != null
                                && entity.getWhat().getReference().contains(resourceId + "/")
                        || resourceId.equals(entity.getWhat().getReference()));
    }
}
