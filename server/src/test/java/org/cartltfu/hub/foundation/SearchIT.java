package org.cartltfu.hub.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.SortSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ResourceType;
import org.junit.jupiter.api.Test;

class SearchIT extends HubServerIT {

    private static final String CRP = "1988-5";

    private String patientWithCrpSeries(String family, int count) {
        Patient patient = Fixtures.patient(UUID.randomUUID().toString(), family, Fixtures.spokeOrganization(client));
        String patientId = client.create()
                .resource(patient)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        for (int day = 1; day <= count; day++) {
            // Created out of order so that sorting has work to do.
            int shuffledDay = (day * 7) % count + 1;
            String effective = String.format("2026-03-%02dT08:00:00+07:00", shuffledDay);
            client.create()
                    .resource(Fixtures.crp(patientId, effective, shuffledDay * 10))
                    .execute();
        }
        return patientId;
    }

    @Test
    void includeAndRevinclude() {
        String patientId = patientWithCrpSeries("Include-" + UUID.randomUUID(), 3);

        Bundle withSubjects = client.search()
                .forResource(Observation.class)
                .where(Observation.SUBJECT.hasId(patientId))
                .include(Observation.INCLUDE_SUBJECT)
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(3, matches(withSubjects, ResourceType.Observation));
        assertEquals(1, includes(withSubjects, ResourceType.Patient));

        Bundle withObservations = client.search()
                .forResource(Patient.class)
                .where(new ca.uhn.fhir.rest.gclient.TokenClientParam("_id")
                        .exactly()
                        .code(patientId.replace("Patient/", "")))
                .revInclude(Observation.INCLUDE_SUBJECT)
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(1, matches(withObservations, ResourceType.Patient));
        assertEquals(3, includes(withObservations, ResourceType.Observation));
    }

    @Test
    void sortsByDateBothWays() {
        String patientId = patientWithCrpSeries("Sort-" + UUID.randomUUID(), 9);
        List<String> ascending = effectiveDates(client.search()
                .forResource(Observation.class)
                .where(Observation.SUBJECT.hasId(patientId))
                .and(Observation.CODE.exactly().systemAndCode("http://loinc.org", CRP))
                .sort(new SortSpec("date"))
                .returnBundle(Bundle.class)
                .execute());
        List<String> sorted = new ArrayList<>(ascending);
        sorted.sort(null);
        assertEquals(9, ascending.size());
        assertEquals(sorted, ascending);

        List<String> descending = effectiveDates(client.search()
                .forResource(Observation.class)
                .where(Observation.SUBJECT.hasId(patientId))
                .sort(new SortSpec("date", ca.uhn.fhir.rest.api.SortOrderEnum.DESC))
                .returnBundle(Bundle.class)
                .execute());
        assertEquals(sorted.get(8), descending.get(0));
        assertEquals(sorted.get(0), descending.get(8));
    }

    @Test
    void pagesThroughEveryResultExactlyOnce() {
        String patientId = patientWithCrpSeries("Paging-" + UUID.randomUUID(), 25);
        Bundle page = client.search()
                .forResource(Observation.class)
                .where(Observation.SUBJECT.hasId(patientId))
                .count(10)
                .returnBundle(Bundle.class)
                .execute();
        Set<String> seen = new HashSet<>();
        int pages = 0;
        while (page != null) {
            pages++;
            page.getEntry()
                    .forEach(entry -> assertTrue(
                            seen.add(entry.getResource().getIdElement().getIdPart())));
            page = page.getLink(Bundle.LINK_NEXT) == null
                    ? null
                    : client.loadPage().next(page).execute();
        }
        assertEquals(25, seen.size());
        assertEquals(3, pages);
    }

    @Test
    void fullTextContentSearch() {
        String family =
                "Zyxquist" + UUID.randomUUID().toString().substring(0, 8).replaceAll("[^a-z]", "q");
        Patient patient = Fixtures.patient(UUID.randomUUID().toString(), family, Fixtures.spokeOrganization(client));
        client.create().resource(patient).execute();

        Bundle found = client.search()
                .forResource(Patient.class)
                .where(new ca.uhn.fhir.rest.gclient.StringClientParam("_content")
                        .matches()
                        .value(family))
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(1, found.getEntry().size());
        Bundle none = client.search()
                .forResource(Patient.class)
                .where(new ca.uhn.fhir.rest.gclient.StringClientParam("_content")
                        .matches()
                        .value("Nosuchnamewhatsoever"))
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(0, none.getEntry().size());
    }

    private static long matches(Bundle bundle, ResourceType type) {
        return bundle.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .filter(e -> e.getResource().getResourceType() == type)
                .count();
    }

    private static long includes(Bundle bundle, ResourceType type) {
        return bundle.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
                .filter(e -> e.getResource().getResourceType() == type)
                .count();
    }

    private static List<String> effectiveDates(Bundle bundle) {
        List<String> dates = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Observation observation = (Observation) entry.getResource();
            assertNotNull(observation.getEffectiveDateTimeType());
            dates.add(observation.getEffectiveDateTimeType().getValueAsString());
        }
        return dates;
    }
}
