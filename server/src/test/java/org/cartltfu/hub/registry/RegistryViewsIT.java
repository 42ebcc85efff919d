package org.cartltfu.hub.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.registry.deid.Pseudonyms;
import org.cartltfu.hub.registry.deid.RecipientKey;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
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
		Patient withoutConsent = Fixtures.patient("SGH-NOCONSENT-" + UUID.randomUUID(), "Trần",
				Fixtures.spokeOrganization(client));
		// The site's Organization may have been provisioned without an address: the patient's own country decides.
		withoutConsent.addAddress().setCountry("VN");
		unconsented = client.create().resource(withoutConsent).execute().getId().getIdPart();
		client.create().resource(Fixtures.crp("Patient/" + unconsented, "2024-03-09T08:00:00+07:00", 12.5)).execute();
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
		assertEquals("id,patient_id,kind,astct_grade,onset,onset_day,resolution,resolution_day,therapies,outcome,"
				+ "seriousness", lines.get(0));
		List<String> ours = lines.stream().filter(line -> line.contains("," + patientAtCibmtr + ",")).toList();
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
		List<String> ours = response.body().lines()
				.filter(line -> line.contains("\"patient_id\":\"" + idPart(journey.patient()) + "\"")).toList();
		assertEquals(10, ours.size(), response.body());
		assertTrue(ours.stream().anyMatch(line -> line.contains("\"loinc\":\"1988-5\"")
				&& line.contains("\"effective\":\"2024-03-05T06:00:00+08:00\"")), ours.toString());
		assertTrue(response.body().contains("\"patient_id\":\"" + unconsented + "\""), "the hub sees every patient");
	}

	@Test
	void theRegistrySummaryGivesDay100AsCibmtrAsksForOnlyConsentedPatients() throws Exception {
		HttpResponse<String> response = get(cibmtr, "/$registry-summary?asOf=2026-03-10&period=D100&format=csv");
		assertEquals(200, response.statusCode(), response.body());
		List<String> lines = response.body().lines().toList();
		assertTrue(lines.get(0).startsWith("patient,period,periodStartDay,periodEndDay,periodOpen,crsOccurred"),
				lines.get(0));
		List<String> ours = lines.stream().filter(line -> line.startsWith(patientAtCibmtr + ",")).toList();
		assertEquals(1, ours.size(), response.body());
		assertTrue(ours.get(0).startsWith(patientAtCibmtr + ",D100,0,115,false,yes,"), ours.get(0));
		assertFalse(response.body().contains(unconsented));

		HttpResponse<String> json = get(cibmtr, "/$registry-summary?asOf=2026-03-10&period=D100");
		assertEquals(200, json.statusCode(), json.body());
		assertTrue(json.body().contains("\"valueString\": \"" + patientAtCibmtr + "\"")
				|| json.body().contains("\"valueString\":\"" + patientAtCibmtr + "\""), json.body());
	}

	@Test
	void badRequestsAndOtherRolesGetAnOperationOutcome() throws Exception {
		HttpResponse<String> unknown = get(cibmtr, "/$viewdefinition-run?view=everything&format=csv");
		assertEquals(400, unknown.statusCode());
		assertTrue(parseOutcome(unknown.body()).getIssueFirstRep().getDiagnostics().contains("toxicity_events"));
		HttpResponse<String> format = get(cibmtr, "/$viewdefinition-run?view=labs&format=xlsx");
		assertEquals(400, format.statusCode());
		assertTrue(parseOutcome(format.body()).getIssueFirstRep().getDiagnostics().startsWith("format:"));
		HttpResponse<String> asOf = get(cibmtr, "/$registry-summary?asOf=2026-03");
		assertEquals(400, asOf.statusCode(), asOf.body());
		HttpResponse<String> period = get(cibmtr, "/$registry-summary?period=D101");
		assertEquals(400, period.statusCode(), period.body());
		assertTrue(parseOutcome(period.body()).getIssueFirstRep().getDiagnostics().contains("D100, M6, Y1"),
				period.body());
		HttpResponse<String> other = get(cibmtr, "/$registry-summary?recipient=" + TestClients.REGISTRY_EBMT.id());
		assertEquals(403, other.statusCode(), other.body());
		String spoke = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.rs");
		assertEquals(403, get(spoke, "/$viewdefinition-run?view=labs&format=csv").statusCode());
	}

	@Test
	void everyViewRunIsAudited() throws Exception {
		int before = audits();
		assertEquals(200, get(cibmtr, "/$viewdefinition-run?view=labs&format=csv").statusCode());
		long deadline = System.currentTimeMillis() + 20_000;
		while (audits() == before && System.currentTimeMillis() < deadline) {
			Thread.sleep(200);
		}
		Bundle latest = client.search().byUrl("AuditEvent?type=http://dicom.nema.org/resources/ontology/DCM|110106"
				+ "&_sort=-date&_count=1").returnBundle(Bundle.class).execute();
		org.hl7.fhir.r4.model.AuditEvent event = (org.hl7.fhir.r4.model.AuditEvent) latest.getEntryFirstRep().getResource();
		assertTrue(event.getEntityFirstRep().getDescription().startsWith("view labs as csv"),
				event.getEntityFirstRep().getDescription());
		assertEquals(TestClients.REGISTRY.id(), event.getAgentFirstRep().getWho().getIdentifier().getValue());
		assertTrue(event.getEntity().stream().anyMatch(entity -> entity.getWhat().getReference() != null
				&& entity.getWhat().getReference().endsWith("Patient/" + unconsented)
				&& entity.getDescription().startsWith("withheld: no active consent")));
	}

	private int audits() {
		return client.search().byUrl("AuditEvent?type=http://dicom.nema.org/resources/ontology/DCM|110106")
				.summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT).returnBundle(Bundle.class).execute().getTotal();
	}

	private HttpResponse<String> get(String token, String path) throws Exception {
		return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + token));
	}

	private static String idPart(String reference) {
		return reference.substring(reference.indexOf('/') + 1);
	}
}
