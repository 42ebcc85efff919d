package org.cartltfu.hub.clinical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.TestClients;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/** The clinical operations over HTTP, on the IG's example journey. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClinicalOperationsIT extends HubServerIT {

    @Autowired
    private SiteDirectory sites;

    private Journey journey;

    @BeforeAll
    void postJourney() {
        connect();
        journey = Journey.post(client, fhirContext);
    }

    private Parameters get(String pathAndQuery) throws Exception {
        HttpResponse<String> response = send(
                request(pathAndQuery).header("Accept", "application/fhir+json").GET());
        assertEquals(200, response.statusCode(), response.body());
        return (Parameters) fhirContext.newJsonParser().parseResource(response.body());
    }

    @ParameterizedTest(name = "CRS: {0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "temperature=38.5&oxygenDevice=room-air; 1",
                "temperature=37.9; 0",
                "temperature=38.4&hypotensionFluidsOnly=true; 2",
                "temperature=38.4&oxygenDevice=low-flow-nasal-cannula&oxygenFlow=6; 2",
                "temperature=38.4&oxygenDevice=low-flow-nasal-cannula&oxygenFlow=7; 3",
                "temperature=38.4&vasopressor=norepinephrine&vasopressor=vasopressin; 3",
                "temperature=38.4&vasopressor=norepinephrine&vasopressor=phenylephrine; 4",
                "temperature=38.4&oxygenDevice=bipap; 4",
                "temperature=37.0&feverMaskingTherapyGiven=true&vasopressor=norepinephrine; 3",
                "temperature=39.0&feverAttributableToOtherCause=true; 0",
                "hypotensionSupport=one-pressor&oxygenSupport=low-flow&temperature=38.2; 3"
            })
    void gradesCrsFromRawFindings(String query, int expectedGrade) throws Exception {
        Parameters result = get("/$grade-crs?" + query);
        assertEquals(
                expectedGrade,
                ((org.hl7.fhir.r4.model.IntegerType) result.getParameterValue("grade")).getValue(),
                fhirContext.newJsonParser().encodeResourceToString(result));
    }

    @Test
    void crsGradeNamesTheDrivingDomain() throws Exception {
        Parameters result = get(
                "/$grade-crs?temperature=38.4&vasopressor=norepinephrine&oxygenDevice=low-flow-nasal-cannula&oxygenFlow=2");
        List<String> reasons = parts(result, "driver", "reason");
        assertTrue(reasons.stream().anyMatch(reason -> reason.startsWith("G3")), reasons.toString());
        assertTrue(parts(result, "driver", "domain").contains("hypotension"));
    }

    @Test
    void vasopressinAloneIsFlaggedNotGuessed() throws Exception {
        Parameters result = get("/$grade-crs?temperature=38.4&vasopressor=vasopressin");
        assertNull(result.getParameterValue("grade"), "no single grade");
        assertEquals(
                2, ((org.hl7.fhir.r4.model.IntegerType) result.getParameterValue("lowestPossibleGrade")).getValue());
        assertEquals(
                3, ((org.hl7.fhir.r4.model.IntegerType) result.getParameterValue("highestPossibleGrade")).getValue());
        assertTrue(parts(result, "flag", "code").contains("vasopressin-alone"));
    }

    @ParameterizedTest(name = "ICANS: {0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "ageYears=45&iceScore=10&consciousness=awake&seizure=none&motor=none&raisedIcp=none; 0",
                "ageYears=45&iceScore=7&consciousness=awake&seizure=none&motor=none&raisedIcp=none; 1",
                "ageYears=45&iceScore=3&consciousness=awake&seizure=resolved-rapidly&motor=none&raisedIcp=none; 3",
                "ageYears=45&iceScore=9&consciousness=awakens-to-voice&seizure=none&motor=none&raisedIcp=none; 2",
                "ageYears=45&iceScore=8&consciousness=awake&seizure=none&motor=none&raisedIcp=none&excludedFinding=intracranial-haemorrhage; 1",
                "ageYears=45&iceScore=10&consciousness=awake&seizure=none&motor=deep-focal-weakness&raisedIcp=none; 4",
                "ageYears=8&capdScore=10&consciousness=awake&seizure=none&motor=none&raisedIcp=none; 3"
            })
    void gradesIcansFromRawFindings(String query, int expectedGrade) throws Exception {
        Parameters result = get("/$grade-icans?" + query);
        assertEquals(
                expectedGrade,
                ((org.hl7.fhir.r4.model.IntegerType) result.getParameterValue("grade")).getValue(),
                fhirContext.newJsonParser().encodeResourceToString(result));
    }

    @ParameterizedTest(name = "bad: {0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "/$grade-crs?oxygenDevice=helmet; oxygenDevice",
                "/$grade-crs?hypotensionSupport=two-pressors; hypotensionSupport",
                "/$grade-crs?temperature=hot; temperature=hot",
                "/$grade-icans?ageYears=45&iceScore=11; iceScore",
                "/$trace-product; lot",
                "/$trace-product?lot=A&coi=B; lot"
            })
    void badParametersGet400WithOperationOutcome(String pathAndQuery, String mentioned) throws Exception {
        HttpResponse<String> response = send(
                request(pathAndQuery).header("Accept", "application/fhir+json").GET());
        assertEquals(400, response.statusCode(), response.body());
        OperationOutcome outcome = parseOutcome(response.body());
        assertTrue(outcome.getIssueFirstRep().getDiagnostics().contains(mentioned), response.body());
    }

    @Test
    void toxicityHistoryListsEpisodesInTimeOrderRelativeToInfusion() throws Exception {
        Parameters history = get("/" + journey.patient() + "/$toxicity-history");
        assertEquals("2024-03-04", history.getParameterValue("infusionDate").primitiveValue());

        List<ParametersParameterComponent> episodes = history.getParameter().stream()
                .filter(parameter -> parameter.getName().equals("episode"))
                .toList();
        assertEquals(2, episodes.size());
        ParametersParameterComponent crs = episodes.get(0);
        assertEquals("crs", part(crs, "toxicity").primitiveValue());
        assertEquals("2024-03-05", part(crs, "onsetDate").primitiveValue());
        assertEquals("1", part(crs, "onsetDay").primitiveValue());
        assertEquals("5", part(crs, "resolutionDay").primitiveValue());
        assertEquals("2", part(crs, "highestGrade").primitiveValue());
        assertEquals("2", part(crs, "assessedHighestGrade").primitiveValue());
        assertTrue(
                part(crs, "drivingDomain").primitiveValue().startsWith("G2"),
                part(crs, "drivingDomain").primitiveValue());
        assertTrue(part(crs, "treatment").primitiveValue().toLowerCase().contains("tocilizumab"));

        ParametersParameterComponent icans = episodes.get(1);
        assertEquals("icans", part(icans, "toxicity").primitiveValue());
        assertEquals("6", part(icans, "onsetDay").primitiveValue());
        assertEquals("2", part(icans, "highestGrade").primitiveValue());
        for (ParametersParameterComponent episode : episodes) {
            // Who recorded it: the journey's own Provenance names Bach Mai, the server's the site that pushed it.
            String source = part(episode, "sourceSite").primitiveValue();
            String pusher = "Organization/"
                    + sites.organizationId(TestClients.HUB.site()).orElseThrow();
            assertTrue(
                    List.of("Bach Mai Hospital", pusher).contains(source),
                    source + " is neither Bach Mai nor the pushing hub client's site (" + pusher + ")");
        }

        List<String> dailyCrs = history.getParameter().stream()
                .filter(parameter -> parameter.getName().equals("day"))
                .filter(day -> part(day, "toxicity").primitiveValue().equals("crs"))
                .map(day -> part(day, "studyDay").primitiveValue() + ":"
                        + part(day, "assessedGrade").primitiveValue())
                .toList();
        assertEquals(List.of("1:1", "2:2", "3:2"), dailyCrs);
    }

    @Test
    void gradesAPatientsStoredAssessmentsOfOneDay() throws Exception {
        Parameters crsDay = get("/" + journey.patient() + "/$toxicity-grades?date=2024-03-06");
        assertEquals("2", crsDay.getParameterValue("studyDay").primitiveValue());
        ParametersParameterComponent crs = crsDay.getParameter().stream()
                .filter(parameter -> parameter.getName().equals("crs"))
                .findFirst()
                .orElseThrow();
        assertEquals("2", part(crs, "grade").primitiveValue());
        assertTrue(crsDay.getParameter().stream()
                .noneMatch(parameter -> parameter.getName().equals("icans")));

        Parameters icansDay = get("/" + journey.patient() + "/$toxicity-grades?date=2024-03-11");
        ParametersParameterComponent icans = icansDay.getParameter().stream()
                .filter(parameter -> parameter.getName().equals("icans"))
                .findFirst()
                .orElseThrow();
        assertEquals("2", part(icans, "grade").primitiveValue());
        assertTrue(part(icans, "drivingDomain").primitiveValue().startsWith("G2"));

        for (String bad : List.of("", "?date=2024-03", "?date=tomorrow")) {
            HttpResponse<String> response = send(request("/" + journey.patient() + "/$toxicity-grades" + bad)
                    .header("Accept", "application/fhir+json")
                    .GET());
            assertEquals(400, response.statusCode(), bad + ": " + response.body());
        }
    }

    @Test
    void clinicianSearchForCrsEventsSortedByOnset() {
        Bundle events = client.search()
                .forResource(AdverseEvent.class)
                .where(AdverseEvent.SUBJECT.hasId(journey.patient()))
                .and(AdverseEvent.EVENT.exactly().systemAndCode(CarTIg.CS_CART_EVENT_TYPE, "crs"))
                .sort()
                .descending("detected")
                .returnBundle(Bundle.class)
                .execute();
        assertFalse(events.getEntry().isEmpty());
        List<String> onsets = events.getEntry().stream()
                .map(entry -> ((AdverseEvent) entry.getResource())
                        .getDetectedElement()
                        .getValueAsString())
                .toList();
        List<String> sorted = new java.util.ArrayList<>(onsets);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertEquals(sorted, onsets);
        assertTrue(events.getEntry().stream()
                .allMatch(entry -> ((AdverseEvent) entry.getResource())
                        .getEvent().getCoding().stream()
                                .anyMatch(coding -> coding.getCode().equals("crs"))));
    }

    @Test
    void clinicianSearchForSevereCrsByGrade() throws Exception {
        String severe = client.create()
                .resource(crsEvent("3"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        String mild = client.create()
                .resource(crsEvent("1"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        Bundle events = client.search()
                .forResource(AdverseEvent.class)
                .where(AdverseEvent.SUBJECT.hasId(journey.patient()))
                .and(AdverseEvent.EVENT.exactly().systemAndCode(CarTIg.CS_CART_EVENT_TYPE, "crs"))
                .and(new ca.uhn.fhir.rest.gclient.TokenClientParam("astct-grade")
                        .exactly()
                        .codes("3", "4", "5"))
                .sort()
                .descending("detected")
                .returnBundle(Bundle.class)
                .execute();
        List<String> found = events.getEntry().stream()
                .map(entry -> entry.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
        assertTrue(found.contains(severe), found.toString());
        assertFalse(found.contains(mild), found.toString());
        assertTrue(events.getEntry().stream()
                .allMatch(entry ->
                        Integer.parseInt(((org.hl7.fhir.r4.model.CodeableConcept) ((AdverseEvent) entry.getResource())
                                                .getExtensionByUrl(CarTIg.EXT_ASTCT_GRADE)
                                                .getValue())
                                        .getCodingFirstRep()
                                        .getCode())
                                >= 3));
    }

    @Test
    void historyOfAPatientWithWeeksOfDailyAssessments() throws Exception {
        Journey busy = Journey.post(client, fhirContext);
        org.hl7.fhir.r4.model.Observation template = client
                .search()
                .forResource(org.hl7.fhir.r4.model.Observation.class)
                .where(org.hl7.fhir.r4.model.Observation.SUBJECT.hasId(busy.patient()))
                .and(org.hl7.fhir.r4.model.Observation.CODE
                        .exactly()
                        .systemAndCode(CarTIg.CS_CART_OBSERVATION, "crs-assessment"))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .stream()
                .map(entry -> (org.hl7.fhir.r4.model.Observation) entry.getResource())
                .findFirst()
                .orElseThrow();
        Bundle daily = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        java.time.LocalDate day = java.time.LocalDate.of(2024, 4, 1);
        for (int i = 0; i < 60; i++) {
            org.hl7.fhir.r4.model.Observation assessment = template.copy();
            assessment.setId((String) null);
            assessment.setMeta(new org.hl7.fhir.r4.model.Meta().addProfile(CarTIg.PROFILE_CRS_ASSESSMENT));
            assessment.setEffective(new org.hl7.fhir.r4.model.DateTimeType(day.plusDays(i) + "T08:00:00+08:00"));
            daily.addEntry()
                    .setResource(assessment)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
        }
        client.transaction().withBundle(daily).execute();
        Bundle stored = client.search()
                .forResource(org.hl7.fhir.r4.model.Observation.class)
                .where(org.hl7.fhir.r4.model.Observation.SUBJECT.hasId(busy.patient()))
                .and(org.hl7.fhir.r4.model.Observation.CODE
                        .exactly()
                        .systemAndCode(CarTIg.CS_CART_OBSERVATION, "crs-assessment"))
                .summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT)
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(63, stored.getTotal());

        Parameters history = get("/" + busy.patient() + "/$toxicity-history");
        long crsDays = history.getParameter().stream()
                .filter(parameter -> parameter.getName().equals("day"))
                .filter(dayPart -> part(dayPart, "toxicity").primitiveValue().equals("crs"))
                .count();
        assertEquals(63, crsDays);
    }

    @Test
    void unknownPatientHistoryIs404() throws Exception {
        HttpResponse<String> response = send(request("/Patient/no-such-patient/$toxicity-history")
                .header("Accept", "application/fhir+json")
                .GET());
        assertEquals(404, response.statusCode(), response.body());
    }

    @Test
    void traceByLotAndByChainOfIdentityFindTheRecipientAndEverythingSince() throws Exception {
        for (String query : List.of("lot=" + journey.lot(), "coi=" + journey.chainOfIdentity())) {
            Parameters trace = get("/$trace-product?" + query);
            assertEquals("1", trace.getParameterValue("productsFound").primitiveValue(), query);
            ParametersParameterComponent product = trace.getParameter().stream()
                    .filter(parameter -> parameter.getName().equals("product"))
                    .findFirst()
                    .orElseThrow();
            List<ParametersParameterComponent> recipients = product.getPart().stream()
                    .filter(part -> part.getName().equals("recipient"))
                    .toList();
            assertEquals(1, recipients.size());
            ParametersParameterComponent recipient = recipients.get(0);
            assertEquals(
                    journey.patient(), ((org.hl7.fhir.r4.model.Reference) part(recipient, "patient")).getReference());
            assertEquals("2024-03-04", part(recipient, "infusionDate").primitiveValue());
            assertEquals("Singapore General Hospital", part(recipient, "site").primitiveValue());
            // Every adverse event of the recipient (all are after the infusion), whatever other tests added.
            int events = client.search()
                    .forResource(AdverseEvent.class)
                    .where(AdverseEvent.SUBJECT.hasId(journey.patient()))
                    .returnBundle(Bundle.class)
                    .execute()
                    .getEntry()
                    .size();
            assertTrue(events >= 2);
            assertEquals(
                    events,
                    recipient.getPart().stream()
                            .filter(part -> part.getName().equals("adverseEvent"))
                            .count());
            assertEquals(
                    1,
                    recipient.getPart().stream()
                            .filter(part -> part.getName().equals("newMalignancy"))
                            .count());
        }
        Parameters none = get("/$trace-product?lot=NO-SUCH-LOT");
        assertEquals("0", none.getParameterValue("productsFound").primitiveValue());
    }

    @Test
    void newMalignancyRaisesTransgeneTestAndManufacturerNotice() {
        Bundle tasks = client.search()
                .forResource(Task.class)
                .where(Task.SUBJECT.hasId(journey.patient()))
                .and(Task.STATUS.exactly().code("requested"))
                .returnBundle(Bundle.class)
                .execute();
        List<Task> raised = tasks.getEntry().stream()
                .map(entry -> (Task) entry.getResource())
                .toList();
        assertEquals(2, raised.size());
        Task notice = raised.stream()
                .filter(task -> task.getCode().getCodingFirstRep().getCode().equals("manufacturer-notification"))
                .findFirst()
                .orElseThrow();
        assertEquals("Kite Pharma (Gilead)", notice.getOwner().getDisplay());
        assertTrue(notice.getDescription().contains(journey.lot()), notice.getDescription());
        assertTrue(raised.stream()
                .anyMatch(task -> task.getCode().getCodingFirstRep().getCode().equals("car-transgene-test")
                        && task.getCode().getCodingFirstRep().getSystem().equals(CarTIg.CS + "cart-task")));

        Bundle worklist = client.search()
                .forResource(Task.class)
                .where(Task.CODE.exactly().systemAndCode(CarTIg.CS + "cart-task", "car-transgene-test"))
                .and(Task.STATUS.exactly().code("requested"))
                .returnBundle(Bundle.class)
                .execute();
        assertFalse(worklist.getEntry().isEmpty());
    }

    @Test
    void followUpPlanIsCreatedFromTheInfusionAndCompletedByTheSpokesData() {
        Bundle plans = client.search()
                .forResource(CarePlan.class)
                .where(CarePlan.SUBJECT.hasId(journey.patient()))
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(1, plans.getEntry().size());
        CarePlan plan = (CarePlan) plans.getEntryFirstRep().getResource();
        assertEquals("2024-03-04", plan.getPeriod().getStartElement().getValueAsString());
        // Early visits D7, D14, D28 plus the 15-year track: D100, M6, Y1..Y15.
        assertEquals(20, plan.getActivity().size());
        List<String> completed = plan.getActivity().stream()
                .filter(activity -> activity.getDetail().getStatus() == CarePlan.CarePlanActivityStatus.COMPLETED)
                .map(activity ->
                        activity.getDetail().getCode().getCodingFirstRep().getCode())
                .toList();
        assertEquals(List.of("D28", "D100", "M6", "Y1", "Y2"), completed);
        CarePlan.CarePlanActivityComponent d100 = plan.getActivity().get(3);
        assertEquals(
                "2024-05-28",
                d100.getDetail().getScheduledPeriod().getStartElement().getValueAsString());
        assertEquals(
                "2024-06-27",
                d100.getDetail().getScheduledPeriod().getEndElement().getValueAsString());
        assertFalse(d100.getOutcomeReference().isEmpty());
    }

    @Test
    void followUpStatusListsOverdueVisitsPerSpoke() throws Exception {
        Parameters status = get("/$follow-up-status?asOf=2027-06-01&site=" + org.cartltfu.hub.Fixtures.SPOKE_SITE);
        List<ParametersParameterComponent> sites = status.getParameter().stream()
                .filter(parameter -> parameter.getName().equals("site"))
                .toList();
        assertEquals(1, sites.size());
        assertEquals(
                org.cartltfu.hub.Fixtures.SPOKE_SITE, part(sites.get(0), "code").primitiveValue());
        List<String> ours = sites.get(0).getPart().stream()
                .filter(part -> part.getName().equals("visit"))
                .filter(visit -> ((org.hl7.fhir.r4.model.Reference) part(visit, "patient"))
                        .getReference()
                        .equals(journey.patient()))
                .map(visit -> part(visit, "timepoint").primitiveValue() + ":"
                        + part(visit, "status").primitiveValue())
                .toList();
        assertEquals(List.of("D7:overdue", "D14:overdue", "Y3:overdue"), ours);

        Parameters otherSite = get("/$follow-up-status?asOf=2027-06-01&site=cn-pumch");
        assertTrue(otherSite.getParameter().stream()
                .noneMatch(parameter -> parameter.getName().equals("site")));
    }

    @Test
    void followUpStatusOfOnePatientListsTheWholePlan() throws Exception {
        Parameters plan = get("/$follow-up-status?asOf=2027-06-01&patient=" + journey.patient());
        List<String> visits = plan.getParameter().stream()
                .filter(parameter -> parameter.getName().equals("site"))
                .flatMap(site ->
                        site.getPart().stream().filter(part -> part.getName().equals("visit")))
                .map(visit -> part(visit, "timepoint").primitiveValue() + ":"
                        + part(visit, "status").primitiveValue())
                .toList();
        assertEquals(
                List.of(
                        "D7:overdue",
                        "D14:overdue",
                        "D28:done",
                        "D100:done",
                        "M6:done",
                        "Y1:done",
                        "Y2:done",
                        "Y3:overdue",
                        "Y4:upcoming"),
                visits.subList(0, 9));
        assertEquals(20, visits.size(), "early visits and the 15-year track");
        HttpResponse<String> bad = send(request("/$follow-up-status?patient=Patient/")
                .header("Accept", "application/fhir+json")
                .GET());
        assertEquals(400, bad.statusCode(), bad.body());
    }

    @Test
    void followUpStatusRefusesAMalformedDate() throws Exception {
        HttpResponse<String> response = send(request("/$follow-up-status?asOf=next-week")
                .header("Accept", "application/fhir+json")
                .GET());
        assertEquals(400, response.statusCode(), response.body());
    }

    /** The example journey's CRS event (grade 2, matching its assessments), re-pointed at this test's patient. */
    private AdverseEvent crsEvent(String grade) throws Exception {
        String example = new String(
                new org.springframework.core.io.ClassPathResource(CarTIg.JOURNEY_BUNDLE_CLASSPATH)
                        .getInputStream()
                        .readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Bundle bundle = (Bundle) fhirContext.newJsonParser().parseResource(example);
        AdverseEvent event = bundle.getEntry().stream()
                .map(entry -> entry.getResource())
                .filter(resource ->
                        resource instanceof AdverseEvent ae && ae.getMeta().hasProfile(CarTIg.PROFILE_CRS_EVENT))
                .map(AdverseEvent.class::cast)
                .findFirst()
                .orElseThrow();
        event.setSubject(new org.hl7.fhir.r4.model.Reference(journey.patient()));
        event.getSuspectEntityFirstRep().setInstance(new org.hl7.fhir.r4.model.Reference(journey.infusion()));
        ((org.hl7.fhir.r4.model.CodeableConcept)
                        event.getExtensionByUrl(CarTIg.EXT_ASTCT_GRADE).getValue())
                .getCodingFirstRep()
                .setCode(grade)
                .setDisplay(null);
        event.getEvent().getCoding().removeIf(coding -> CarTIg.ICD10CM.equals(coding.getSystem()));
        return event;
    }

    @Test
    void statedGradeContradictedByAssessmentsIsKeptTaggedAndWarned() throws Exception {
        String body = fhirContext.newJsonParser().encodeResourceToString(crsEvent("4"));
        HttpResponse<String> response = send(request("/AdverseEvent")
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .header("Prefer", "return=OperationOutcome")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(201, response.statusCode(), response.body());
        OperationOutcome outcome = parseOutcome(response.body());
        OperationOutcome.OperationOutcomeIssueComponent warning = outcome.getIssue().stream()
                .filter(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING)
                .findFirst()
                .orElseThrow(() -> new AssertionError(response.body()));
        assertTrue(
                warning.getDiagnostics().contains("grade 4")
                        && warning.getDiagnostics().contains("support grade 2"),
                warning.getDiagnostics());

        String location =
                response.headers().firstValue("Location").orElseThrow().replaceAll("/_history/.*", "");
        AdverseEvent stored =
                client.read().resource(AdverseEvent.class).withUrl(location).execute();
        assertEquals(
                "4",
                ((org.hl7.fhir.r4.model.CodeableConcept)
                                stored.getExtensionByUrl(CarTIg.EXT_ASTCT_GRADE).getValue())
                        .getCodingFirstRep()
                        .getCode(),
                "never regraded");
        assertTrue(stored.getMeta().getTag(CarTIg.CS + "cart-task", "grade-review") != null);
    }

    @Test
    void consistentGradeInATransactionGetsNoWarning() throws Exception {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setResource(crsEvent("2"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("AdverseEvent");
        transaction
                .addEntry()
                .setResource(crsEvent("3"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("AdverseEvent");
        Bundle response = client.transaction().withBundle(transaction).execute();
        assertFalse(response.getEntry().get(0).getResponse().hasOutcome()
                && ((OperationOutcome) response.getEntry().get(0).getResponse().getOutcome())
                        .getIssue().stream()
                                .anyMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING));
        OperationOutcome second =
                (OperationOutcome) response.getEntry().get(1).getResponse().getOutcome();
        assertTrue(
                second.getIssue().stream()
                        .anyMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING
                                && issue.getDiagnostics().contains("grade 3")),
                fhirContext.newJsonParser().encodeResourceToString(second));
    }

    private static Type part(ParametersParameterComponent parent, String name) {
        return parent.getPart().stream()
                .filter(part -> part.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no part " + name))
                .getValue();
    }

    private static List<String> parts(Parameters parameters, String name, String partName) {
        return parameters.getParameter().stream()
                .filter(parameter -> parameter.getName().equals(name))
                .flatMap(parameter -> parameter.getPart().stream())
                .filter(part -> part.getName().equals(partName))
                .map(part -> part.getValue().primitiveValue())
                .toList();
    }
}
