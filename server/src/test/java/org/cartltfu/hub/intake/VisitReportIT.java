package org.cartltfu.hub.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.security.TestClients;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hospital with only Excel reports follow-up visits: it downloads the template of a time point, fills it in and
 * uploads it; each line is stored as the profiled transaction a spoke EHR would send, seen by the clinical
 * operations; a wrong file stores nothing and names every line and column; a file sent again changes nothing.
 */
class VisitReportIT extends HubServerIT {

    private String spokeToken;
    private String hubMrn;
    private String spokeMrn;
    private String patient;

    @BeforeEach
    void aPatientOfTheSpoke() {
        spokeToken = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.cruds");
        hubMrn = "SGH-" + UUID.randomUUID().toString().substring(0, 8);
        spokeMrn = "BM-" + UUID.randomUUID().toString().substring(0, 8);
        Patient record = Fixtures.patient(hubMrn, "Reported", Fixtures.spokeOrganization(client));
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
    void eachTimePointsTemplateFilledInIsStoredAsProfiledDataTheClinicalViewsSee() throws Exception {
        String[][] visits = {{"D100", "2026-03-01"}, {"M6", "2026-06-01"}, {"yearly", "2026-11-20"}};
        for (String[] visit : visits) {
            HttpResponse<byte[]> template = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(baseUrl() + "/$visit-template?timepoint=" + visit[0] + "&lang=vi"))
                            .header("Authorization", "Bearer " + spokeToken)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, template.statusCode());
            assertTrue(template.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
            String text = new String(template.body(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("\uFEFFhub_mrn,spoke_mrn,timepoint,visit_date,"), text);
            assertTrue(text.contains("Ngày khám"), "the help line is in Vietnamese: " + text);
            List<String> header = List.of(text.substring(1, text.indexOf('\r')).split(","));
            assertEquals(visit[0].equals("D100"), header.contains("crp"), "CRP is a D100 lab only");
            // Filled in the way a coordinator would: under the template's help lines, values in the header's order.
            String timepoint = visit[0].equals("yearly") ? "Y1" : visit[0];
            List<String> row = new ArrayList<>();
            for (String column : header) {
                row.add(
                        switch (column) {
                            case "spoke_mrn" -> spokeMrn;
                            case "timepoint" -> timepoint;
                            case "visit_date" -> visit[1];
                            case "survival" -> "alive";
                            case "response" -> "Complete response / remission";
                            case "platelets" -> "142";
                            case "igg" -> "450 mg/dL";
                            case "crp" -> "12.5";
                            case "persistence" -> "detected";
                            case "persistence_method" -> "pcr";
                            default -> "";
                        });
            }
            HttpResponse<String> stored = upload(spokeToken, text + String.join(",", row) + "\r\n", null);
            assertEquals(200, stored.statusCode(), stored.body());
            Parameters summary = (Parameters) fhirContext.newJsonParser().parseResource(stored.body());
            assertEquals(
                    1,
                    ((org.hl7.fhir.r4.model.IntegerType)
                                    summary.getParameter("visits").getValue())
                            .getValue());
            int entries = visit[0].equals("D100") ? 7 : 6;
            assertEquals(
                    entries,
                    ((org.hl7.fhir.r4.model.IntegerType)
                                    summary.getParameter("created").getValue())
                            .getValue(),
                    stored.body());

            Bundle encounters = client.search()
                    .byUrl("Encounter?subject=" + patient + "&type=" + CarTIg.CS_LTFU_TIMEPOINT + "|" + timepoint)
                    .returnBundle(Bundle.class)
                    .execute();
            Encounter encounter = (Encounter) encounters.getEntryFirstRep().getResource();
            assertEquals(1, encounters.getEntry().size());
            assertTrue(encounter.getMeta().hasProfile(CarTIg.PROFILE_FOLLOWUP_VISIT));
        }
        Bundle igg = client.search()
                .byUrl("Observation?subject=" + patient + "&_profile=" + CarTIg.PROFILE_LAB_IGG)
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(3, igg.getEntry().size());
        Observation first = (Observation) igg.getEntryFirstRep().getResource();
        assertEquals("g/L", first.getValueQuantity().getCode());
        assertEquals(
                0,
                new java.math.BigDecimal("4.5")
                        .compareTo(first.getValueQuantity().getValue()));
        assertEquals("Reported as 450 mg/dL", first.getNoteFirstRep().getText());

        // The patient's labs as the clinical views read them (the patient page's toxicity history).
        HttpResponse<String> history = send(request("/Patient/" + patient.substring(8) + "/$toxicity-history"));
        assertEquals(200, history.statusCode(), history.body());
        assertTrue(history.body().contains("142"), history.body());

        // Stored in the spoke's name, like any push: one Provenance per upload, its agent the spoke's site.
        Bundle provenance = client.search()
                .byUrl("Provenance?target=" + first.getEncounter().getReference())
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(1, provenance.getEntry().size());
        assertEquals(
                TestClients.SPOKE_VN.site(),
                ((Provenance) provenance.getEntryFirstRep().getResource())
                        .getAgentFirstRep()
                        .getWho()
                        .getIdentifier()
                        .getValue());
    }

    @Test
    void aFileSentAgainChangesNothingAndACorrectedOneCorrectsWhatItReported() throws Exception {
        String csv = "hub_mrn,timepoint,visit_date,survival,platelets\n" + hubMrn + ",M6,2026-06-02,alive,90\n";
        assertEquals(200, upload(spokeToken, csv, null).statusCode());
        int observations = count("Observation");
        int encounters = count("Encounter");

        HttpResponse<String> again = upload(spokeToken, csv, null);
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("\"name\":\"created\",\"valueInteger\":0"), again.body());
        assertEquals(observations, count("Observation"));
        assertEquals(encounters, count("Encounter"));

        assertEquals(200, upload(spokeToken, csv.replace(",90", ",95"), null).statusCode());
        assertEquals(observations, count("Observation"));
        Bundle platelets = client.search()
                .byUrl("Observation?subject=" + patient + "&_profile=" + CarTIg.PROFILE_LAB_PLATELETS)
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(1, platelets.getEntry().size());
        assertEquals(
                95,
                ((Observation) platelets.getEntryFirstRep().getResource())
                        .getValueQuantity()
                        .getValue()
                        .intValue());
    }

    @Test
    void aFileWithAnyWrongCellStoresNothingAndNamesEveryLineAndColumn() throws Exception {
        int observations = count("Observation");
        int encounters = count("Encounter");
        String csv = "hub_mrn,timepoint,visit_date,survival,crp,anc\n"
                + hubMrn + ",D100,2026-03-01,alive,12,1.5\n" // fine: must not be stored either
                + hubMrn + ",M6,01/06/2026,alive,12 mgL,\n"
                + "SGH-NOBODY,Y1,2026-11-01,=1+1,,abc\n";
        HttpResponse<String> refused = upload(spokeToken, csv, null);
        assertEquals(422, refused.statusCode(), refused.body());
        OperationOutcome outcome = parseOutcome(refused.body());
        List<String> where = outcome.getIssue().stream()
                .map(issue -> issue.getLocation().get(0).getValue())
                .toList();
        assertEquals(
                List.of(
                        "Line 3, column visit_date",
                        "Line 3, column crp",
                        "Line 4, column survival",
                        "Line 4, column anc"),
                where,
                refused.body());
        assertTrue(outcome.getIssue().get(0).getDiagnostics().contains("YYYY-MM-DD"), refused.body());
        assertEquals(observations, count("Observation"));
        assertEquals(encounters, count("Encounter"));

        // Cells fixed, one patient the hub does not have: still nothing, and that line named.
        String unknownPatient = csv.replace("01/06/2026", "2026-06-01")
                .replace("12 mgL", "12 mg/L")
                .replace("=1+1", "alive")
                .replace(",abc", ",");
        HttpResponse<String> unknown = upload(spokeToken, unknownPatient, null);
        assertEquals(422, unknown.statusCode(), unknown.body());
        assertTrue(
                unknown.body()
                        .contains("Line 4, column hub_mrn: the hub has no patient of site vn-bachmai with"
                                + " hub_mrn 'SGH-NOBODY'"),
                unknown.body());
        assertEquals(observations, count("Observation"));
    }

    @Test
    void encodingsAsExcelWritesThemAndOthersNamed() throws Exception {
        String csv = "spoke_mrn,timepoint,visit_date,infections\n" + spokeMrn + ",Y2,2026-10-10,肺炎（已治愈）\n";
        Charset gb18030 = Charset.forName("GB18030");
        HttpResponse<String> undeclared = upload(spokeToken, csv.getBytes(gb18030), "text/csv");
        assertEquals(422, undeclared.statusCode(), undeclared.body());
        assertTrue(
                undeclared.body().contains("Line 2") && undeclared.body().contains("charset=GB18030"),
                undeclared.body());

        HttpResponse<String> declared = upload(spokeToken, csv.getBytes(gb18030), "text/csv; charset=GB18030");
        assertEquals(200, declared.statusCode(), declared.body());
        Bundle conditions = client.search()
                .byUrl("Condition?subject=" + patient)
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(
                "Infection: 肺炎（已治愈）",
                ((org.hl7.fhir.r4.model.Condition) conditions.getEntryFirstRep().getResource())
                        .getCode()
                        .getText());

        HttpResponse<String> unknownCharset =
                upload(spokeToken, csv.getBytes(StandardCharsets.UTF_8), "text/csv; charset=klingon");
        assertEquals(400, unknownCharset.statusCode(), unknownCharset.body());
    }

    @Test
    void registriesAndStrangersCannotUploadOrFetchTemplates() throws Exception {
        String registry = TestClients.token(TestClients.REGISTRY, serverRoot(), "system/*.rs");
        String csv = "hub_mrn,timepoint,visit_date\n" + hubMrn + ",M6,2026-06-02\n";
        assertEquals(403, upload(registry, csv, null).statusCode());
        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/$report-visits"))
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString(csv))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> template = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/$visit-template"))
                        .header("Authorization", "Bearer " + registry)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, template.statusCode());
        assertEquals(
                0,
                client.search()
                        .byUrl("Encounter?subject=" + patient)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry()
                        .size());
    }

    private HttpResponse<String> upload(String token, String csv, String contentType) throws Exception {
        return upload(token, csv.getBytes(StandardCharsets.UTF_8), contentType == null ? "text/csv" : contentType);
    }

    private HttpResponse<String> upload(String token, byte[] bytes, String contentType) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/$report-visits"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", contentType)
                        .header("Accept", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
