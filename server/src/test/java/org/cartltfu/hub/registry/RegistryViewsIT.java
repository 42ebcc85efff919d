package org.cartltfu.hub.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Calendar;
import java.util.List;
import java.util.UUID;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.registry.deid.Pseudonyms;
import org.cartltfu.hub.registry.deid.RecipientKey;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flat views and registry period summaries over HTTP, for a registry and for the hub. */
class RegistryViewsIT extends HubServerIT {

    private Journey journey;
    private String unconsented;
    private String cibmtr;
    private String patientAtCibmtr;

    @BeforeEach
    void cohort() {
        journey = Journey.post(client, fhirContext);
        Patient withoutConsent =
                Fixtures.patient("SGH-NOCONSENT-" + UUID.randomUUID(), "Trần", Fixtures.spokeOrganization(client));
        // The site's Organization may have been provisioned without an address: the patient's own country decides.
        withoutConsent.addAddress().setCountry("VN");
        unconsented = client.create().resource(withoutConsent).execute().getId().getIdPart();
        client.create()
                .resource(Fixtures.crp("Patient/" + unconsented, "2024-03-09T08:00:00+07:00", 12.5))
                .execute();
        cibmtr = TestClients.token(TestClients.REGISTRY, serverRoot(), "system/*.rs");
        patientAtCibmtr = new Pseudonyms(RecipientKey.ofHex(TestClients.REGISTRY.id(), TestClients.CIBMTR_KEY))
                .of(journey.patient());
    }

    @Test
    void aRegistryRunsTheToxicityViewOverItsPseudonymisedExtract() throws Exception {
        HttpResponse<String> response = get(cibmtr, "/$viewdefinition-run?view=toxicity_events&format=csv");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
        List<String> lines = response.body().lines().toList();
        assertEquals(
                "id,patient_id,kind,astct_grade,onset,onset_day,resolution,resolution_day,therapies,outcome,"
                        + "seriousness",
                lines.get(0));
        List<String> ours = lines.stream()
                .filter(line -> line.contains("," + patientAtCibmtr + ","))
                .toList();
        assertEquals(2, ours.size(), response.body());
        assertTrue(ours.stream().anyMatch(line -> line.contains(",crs,2,,1,,5,")), ours.toString());
        assertTrue(ours.stream().anyMatch(line -> line.contains(",icans,2,,6,,9,")), ours.toString());
        assertFalse(response.body().contains(idPart(journey.patient())), "the real patient id left the hub");
        assertFalse(response.body().contains(unconsented), "a patient without consent is in the view");
    }

    @Test
    void theHubRunsAViewIdentifiedAsNdjson() throws Exception {
        HttpResponse<String> response = get(hubToken, "/$viewdefinition-run?view=labs&format=ndjson");
        assertEquals(200, response.statusCode(), response.body());
        List<String> ours = response.body()
                .lines()
                .filter(line -> line.contains("\"patient_id\":\"" + idPart(journey.patient()) + "\""))
                .toList();
        assertEquals(10, ours.size(), response.body());
        assertTrue(
                ours.stream()
                        .anyMatch(line -> line.contains("\"loinc\":\"1988-5\"")
                                && line.contains("\"effective\":\"2024-03-05T06:00:00+08:00\"")),
                ours.toString());
        assertTrue(response.body().contains("\"patient_id\":\"" + unconsented + "\""), "the hub sees every patient");
    }

    @Test
    void theRegistrySummaryGivesDay100AsCibmtrAsksForOnlyConsentedPatients() throws Exception {
        HttpResponse<String> response = get(cibmtr, "/$registry-summary?asOf=2026-03-10&period=D100&format=csv");
        assertEquals(200, response.statusCode(), response.body());
        List<String> lines = response.body().lines().toList();
        assertTrue(
                lines.get(0).startsWith("patient,period,periodStartDay,periodEndDay,periodOpen,crsOccurred"),
                lines.get(0));
        List<String> ours = lines.stream()
                .filter(line -> line.startsWith(patientAtCibmtr + ","))
                .toList();
        assertEquals(1, ours.size(), response.body());
        assertTrue(ours.get(0).startsWith(patientAtCibmtr + ",D100,0,115,false,yes,"), ours.get(0));
        assertFalse(response.body().contains(unconsented));

        HttpResponse<String> json = get(cibmtr, "/$registry-summary?asOf=2026-03-10&period=D100");
        assertEquals(200, json.statusCode(), json.body());
        assertTrue(
                json.body().contains("\"valueString\": \"" + patientAtCibmtr + "\"")
                        || json.body().contains("\"valueString\":\"" + patientAtCibmtr + "\""),
                json.body());
    }

    /**
     * Day 0 has one rule: an infusion entered in error ten days before the real one moves no study day, and the same
     * CRS episode has the same onset and resolution day in the clinicians' history, the registry's view (computed
     * like its export, by the same de-identification) and its period summary.
     */
    @Test
    void theSameEpisodeHasTheSameStudyDaysEverywhereWhateverWasVoided() throws Exception {
        Procedure infusion = client.read()
                .resource(Procedure.class)
                .withId(new IdType(journey.infusion()))
                .execute();
        Procedure voided = infusion.copy();
        voided.setId((String) null);
        voided.getMeta().setVersionId(null).setLastUpdated(null);
        voided.setStatus(Procedure.ProcedureStatus.ENTEREDINERROR);
        DateTimeType earlier = infusion.getPerformedDateTimeType().copy();
        earlier.add(Calendar.DATE, -10);
        voided.setPerformed(earlier);
        client.create().resource(voided).execute();

        Parameters history = client.operation()
                .onInstance(new IdType(journey.patient()))
                .named("$toxicity-history")
                .withNoParameters(Parameters.class)
                .execute();
        assertEquals(
                journey.infusion(),
                ((Reference) history.getParameter("infusion").getValue()).getReference());
        ParametersParameterComponent crs = history.getParameter().stream()
                .filter(parameter -> parameter.getName().equals("episode")
                        && part(parameter, "toxicity").equals("crs"))
                .findFirst()
                .orElseThrow();
        List<String> days = List.of(part(crs, "onsetDay"), part(crs, "resolutionDay"));
        assertEquals(List.of("1", "5"), days, "the example's CRS runs from day 1 to day 5");

        HttpResponse<String> view = get(cibmtr, "/$viewdefinition-run?view=toxicity_events&format=csv");
        assertEquals(200, view.statusCode(), view.body());
        List<String> header =
                List.of(view.body().lines().findFirst().orElseThrow().split(","));
        List<String> row = view
                .body()
                .lines()
                .filter(line -> line.contains("," + patientAtCibmtr + ",crs,"))
                .map(line -> List.of(line.split(",", -1)))
                .findFirst()
                .orElseThrow()
                .stream()
                .toList();
        assertEquals(days, List.of(row.get(header.indexOf("onset_day")), row.get(header.indexOf("resolution_day"))));

        HttpResponse<String> summary = get(cibmtr, "/$registry-summary?asOf=2026-03-10&period=D100&format=csv");
        assertEquals(200, summary.statusCode(), summary.body());
        List<String> columns =
                List.of(summary.body().lines().findFirst().orElseThrow().split(","));
        List<String> values = summary.body()
                .lines()
                .filter(line -> line.startsWith(patientAtCibmtr + ","))
                .map(line -> List.of(line.split(",", -1)))
                .findFirst()
                .orElseThrow();
        assertEquals(
                days,
                List.of(values.get(columns.indexOf("crsOnsetDay")), values.get(columns.indexOf("crsResolutionDay"))));
    }

    private static String part(ParametersParameterComponent parameter, String name) {
        return parameter.getPart().stream()
                .filter(part -> part.getName().equals(name))
                .findFirst()
                .map(part -> part.getValue().primitiveValue())
                .orElse("");
    }

    @Test
    void badRequestsAndOtherRolesGetAnOperationOutcome() throws Exception {
        HttpResponse<String> unknown = get(cibmtr, "/$viewdefinition-run?view=everything&format=csv");
        assertEquals(400, unknown.statusCode());
        assertTrue(
                parseOutcome(unknown.body()).getIssueFirstRep().getDiagnostics().contains("toxicity_events"));
        HttpResponse<String> format = get(cibmtr, "/$viewdefinition-run?view=labs&format=xlsx");
        assertEquals(400, format.statusCode());
        assertTrue(
                parseOutcome(format.body()).getIssueFirstRep().getDiagnostics().startsWith("format:"));
        HttpResponse<String> asOf = get(cibmtr, "/$registry-summary?asOf=2026-03");
        assertEquals(400, asOf.statusCode(), asOf.body());
        HttpResponse<String> period = get(cibmtr, "/$registry-summary?period=D101");
        assertEquals(400, period.statusCode(), period.body());
        assertTrue(
                parseOutcome(period.body()).getIssueFirstRep().getDiagnostics().contains("D100, M6, Y1"),
                period.body());
        HttpResponse<String> other = get(cibmtr, "/$registry-summary?recipient=" + TestClients.REGISTRY_EBMT.id());
        assertEquals(403, other.statusCode(), other.body());
        String spoke = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.rs");
        assertEquals(
                403, get(spoke, "/$viewdefinition-run?view=labs&format=csv").statusCode());
    }

    @Test
    void everyViewRunIsAudited() throws Exception {
        java.time.Instant since = java.time.Instant.now().minusSeconds(1);
        assertEquals(
                200, get(cibmtr, "/$viewdefinition-run?view=labs&format=csv").statusCode());
        org.hl7.fhir.r4.model.AuditEvent event = awaitAudit(
                since,
                audit -> audit.getType().getCode().equals("110106")
                        && audit.getEntityFirstRep().getDescription() != null
                        && audit.getEntityFirstRep().getDescription().startsWith("view labs as csv"),
                "the view run");
        assertEquals(
                TestClients.REGISTRY.id(),
                event.getAgentFirstRep().getWho().getIdentifier().getValue());
        assertTrue(event.getEntity().stream()
                .anyMatch(entity -> entity.getWhat().getReference() != null
                        && entity.getWhat().getReference().endsWith("Patient/" + unconsented)
                        && entity.getDescription().startsWith("withheld: no active consent")));
        assertEquals(List.of(), validationErrors(event));
    }

    private HttpResponse<String> get(String token, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + token));
    }

    private static String idPart(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }
}
