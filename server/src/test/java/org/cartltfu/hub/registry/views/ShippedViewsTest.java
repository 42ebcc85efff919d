package org.cartltfu.hub.registry.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cartltfu.hub.registry.views.Views.FHIR;
import static org.cartltfu.hub.registry.views.Views.row;

import ca.uhn.fhir.util.FhirTerser;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cartltfu.hub.record.StudyDay;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** The three shipped registry views over the IG's example journey, as stored and as a day-offset extract. */
class ShippedViewsTest {

    private static final String STUDY_DAY = "https://cart-ltfu.org/fhir/StructureDefinition/study-day";
    private static final LocalDate INFUSION = LocalDate.of(2024, 3, 4);
    private static final String PATIENT = "5a493a79-1600-53f2-bb82-460810dcce96";
    private static final String BACH_MAI = "8de2e019-bba6-5af0-b6ba-2669326987c5";
    private static final String CRS = "274107ac-dd27-5359-a877-a79b4dc7f01b";
    private static final String ICANS = "36641bb3-bae7-5af9-8d15-e05d29fc4549";

    private static final ViewCatalog CATALOG = ViewCatalog.shipped();

    @Test
    void theCatalogShipsTheThreeRegistryViews() {
        assertThat(CATALOG.names()).containsExactly("follow_up_visits", "labs", "toxicity_events");
        assertThat(CATALOG.named("nowhere")).isEmpty();
    }

    @Test
    void toxicityEventsHaveOneRowPerCrsOrIcansEpisode() throws IOException {
        ViewRunner runner = runner("toxicity_events");
        assertThat(runner.columns())
                .extracting(ViewDefinition.Column::name)
                .containsExactly(
                        "id",
                        "patient_id",
                        "kind",
                        "astct_grade",
                        "onset",
                        "onset_day",
                        "resolution",
                        "resolution_day",
                        "therapies",
                        "outcome",
                        "seriousness");
        assertThat(rows(runner, journey()))
                .containsExactly(
                        row(
                                CRS,
                                PATIENT,
                                "crs",
                                2,
                                "2024-03-05T02:00:00+08:00",
                                null,
                                "2024-03-09",
                                null,
                                List.of("tocilizumab"),
                                "resolved",
                                null),
                        row(
                                ICANS,
                                PATIENT,
                                "icans",
                                2,
                                "2024-03-10T07:30:00+08:00",
                                null,
                                "2024-03-13",
                                null,
                                List.of("corticosteroid"),
                                "resolved",
                                null));
    }

    @Test
    void followUpVisitsHaveOneRowPerTimePoint() throws IOException {
        assertThat(rows(runner("follow_up_visits"), journey()))
                .containsExactly(
                        row(
                                "19570157-f255-5245-94a2-ba189d6accad",
                                PATIENT,
                                "D100",
                                "finished",
                                "2024-06-12T08:30:00+07:00",
                                null,
                                "2024-06-12T11:00:00+07:00",
                                null,
                                BACH_MAI),
                        row(
                                "251b458a-982e-501d-a691-3db3879c64a7",
                                PATIENT,
                                "M6",
                                "finished",
                                "2024-09-04T08:30:00+07:00",
                                null,
                                "2024-09-04T11:00:00+07:00",
                                null,
                                BACH_MAI),
                        row(
                                "7c07a258-1657-5115-adaf-d89c3ce271d1",
                                PATIENT,
                                "Y1",
                                "finished",
                                "2025-03-04T08:30:00+07:00",
                                null,
                                "2025-03-04T11:00:00+07:00",
                                null,
                                BACH_MAI),
                        row(
                                "bc6e3070-1b3e-5e6d-b845-78b7534892d5",
                                PATIENT,
                                "Y2",
                                "finished",
                                "2026-03-05T08:30:00+07:00",
                                null,
                                "2026-03-05T11:00:00+07:00",
                                null,
                                BACH_MAI));
    }

    @Test
    void labsHaveTheFiveProfiledAnalytesAndNoOtherObservation() throws IOException {
        assertThat(rows(runner("labs"), journey()))
                .containsExactly(
                        lab(
                                "b4e85efb-2c59-5d5f-93cf-0a5e8f91df40",
                                "2276-4",
                                "1250",
                                "ug/L",
                                "2024-03-05T06:00:00+08:00"),
                        lab(
                                "c17fc0de-5701-59e0-88f8-e8275d3f072a",
                                "1988-5",
                                "86",
                                "mg/L",
                                "2024-03-05T06:00:00+08:00"),
                        lab(
                                "0bfc9f1f-bf46-5418-ba43-5163350fd5b5",
                                "1988-5",
                                "142",
                                "mg/L",
                                "2024-03-07T06:00:00+08:00"),
                        lab(
                                "e2c65676-7bd7-5ef8-95a2-99c9e9d4064d",
                                "751-8",
                                "0.9",
                                "10*9/L",
                                "2024-04-01T08:00:00+08:00"),
                        lab(
                                "3d2039be-65f9-5041-a78e-af2449d295fd",
                                "777-3",
                                "62",
                                "10*9/L",
                                "2024-04-01T08:00:00+08:00"),
                        lab(
                                "c7c7b109-fe89-5066-8ec1-bec0ab9039e8",
                                "751-8",
                                "1.8",
                                "10*9/L",
                                "2024-06-12T08:45:00+07:00"),
                        lab(
                                "b80a5d41-2b82-5c1f-a3e0-e9391710cc00",
                                "777-3",
                                "134",
                                "10*9/L",
                                "2024-06-12T08:45:00+07:00"),
                        lab(
                                "101c200e-c6bc-5af4-9cb4-8af81197c6d8",
                                "2465-3",
                                "4.2",
                                "g/L",
                                "2024-06-12T08:45:00+07:00"),
                        lab(
                                "6c947a44-56ab-5cc4-90c7-35279ddd1c06",
                                "2465-3",
                                "5.0",
                                "g/L",
                                "2024-09-04T08:45:00+07:00"),
                        lab(
                                "13629ea5-f88b-550d-b540-b2408d966479",
                                "751-8",
                                "2.6",
                                "10*9/L",
                                "2025-03-04T08:45:00+07:00"));
    }

    @Test
    void aDayOffsetExtractHasEmptyDatesAndTheirStudyDays() throws IOException {
        List<Resource> extract = dayOffsetExtract(journey());

        assertThat(rows(runner("toxicity_events"), extract))
                .containsExactly(
                        row(CRS, PATIENT, "crs", 2, null, 1, null, 5, List.of("tocilizumab"), "resolved", null),
                        row(ICANS, PATIENT, "icans", 2, null, 6, null, 9, List.of("corticosteroid"), "resolved", null));
        assertThat(rows(runner("follow_up_visits"), extract))
                .extracting(r -> r.subList(2, 8))
                .containsExactly(
                        row("D100", "finished", null, 100, null, 100),
                        row("M6", "finished", null, 184, null, 184),
                        row("Y1", "finished", null, 365, null, 365),
                        row("Y2", "finished", null, 731, null, 731));
        assertThat(rows(runner("labs"), extract)).extracting(r -> r.get(5)).containsOnlyNulls();
        assertThat(rows(runner("labs"), extract))
                .extracting(r -> r.get(6))
                .containsExactly(1, 1, 3, 28, 28, 100, 100, 100, 184, 365);
    }

    private static List<Object> lab(String id, String loinc, String value, String unit, String effective) {
        return row(id, PATIENT, loinc, new BigDecimal(value), unit, effective, null, "final");
    }

    private static ViewRunner runner(String name) {
        return new ViewRunner(Views.ENGINE, CATALOG.named(name).orElseThrow());
    }

    private static List<List<Object>> rows(ViewRunner runner, List<Resource> resources) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        runner.run(resources, rows::add);
        return rows;
    }

    /**
     * The journey bundle's resources as the hub stores them: each with an id (its urn:uuid), references as Type/id.
     */
    private static List<Resource> journey() throws IOException {
        Bundle bundle;
        try (InputStream in = new ClassPathResource(CarTIg.JOURNEY_BUNDLE_CLASSPATH).getInputStream()) {
            bundle = FHIR.newJsonParser().parseResource(Bundle.class, in);
        }
        Map<String, String> literal = new HashMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            String uuid = entry.getFullUrl().substring("urn:uuid:".length());
            entry.getResource().setId(uuid);
            literal.put(entry.getFullUrl(), entry.getResource().fhirType() + "/" + uuid);
        }
        FhirTerser terser = FHIR.newTerser();
        List<Resource> resources = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            for (Reference reference :
                    terser.getAllPopulatedChildElementsOfType(entry.getResource(), Reference.class)) {
                if (literal.containsKey(reference.getReference())) {
                    reference.setReference(literal.get(reference.getReference()));
                }
            }
            resources.add(entry.getResource());
        }
        return resources;
    }

    /**
     * Every date replaced by the study-day extension (days since the infusion, day 0), then written as JSON and read
     * back: the extract carries {@code "_detected": {"extension": [...]}} and no {@code "detected"}.
     */
    private static List<Resource> dayOffsetExtract(List<Resource> resources) {
        FhirTerser terser = FHIR.newTerser();
        List<Resource> extract = new ArrayList<>();
        for (Resource resource : resources) {
            for (BaseDateTimeType date : terser.getAllPopulatedChildElementsOfType(resource, BaseDateTimeType.class)) {
                if (date.hasValue()) {
                    int day = StudyDay.dayNumber(INFUSION, StudyDay.localDate(date.getValueAsString()));
                    date.setValue(null);
                    date.addExtension(STUDY_DAY, new IntegerType(day));
                }
            }
            String json = FHIR.newJsonParser().encodeResourceToString(resource);
            if (resource.fhirType().equals("AdverseEvent")) {
                assertThat(json)
                        .contains("\"_detected\":{\"extension\":[{\"url\":\"" + STUDY_DAY + "\"")
                        .doesNotContain("\"detected\"");
            }
            extract.add((Resource) FHIR.newJsonParser().parseResource(json));
        }
        return extract;
    }
}
