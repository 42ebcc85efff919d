package org.cartltfu.bench.harness;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.cartltfu.bench.cohort.Json;
import org.cartltfu.bench.cohort.Site;
import org.cartltfu.bench.push.FhirHttp;

/**
 * The typical hub query: a patient's IgG trend, found by the hub MRN the way a client that does not know server ids
 * asks: {@code Observation?subject:Patient.identifier=<hub-mrn>&code=http://loinc.org|2465-3&_sort=date}.
 */
public final class CohortSearchWorkload implements Workload {

    @Override
    public String name() {
        return "cohort-search";
    }

    @Override
    public List<Row> run(BenchContext ctx) throws Exception {
        List<Long> latencies = new ArrayList<>();
        long failures = 0;
        long t0 = System.nanoTime();
        long deadline = t0 + ctx.budget().toNanos();
        for (int i = 0; i < ctx.searches() && ctx.loadedPatients() > 0 && System.nanoTime() < deadline; i++) {
            int patient = (int) ((i * 7919L) % ctx.loadedPatients());
            String mrn = ctx.cohort().patient(patient).hubMrn();
            String query = "Observation?subject:Patient.identifier="
                    + URLEncoder.encode(Json.sid("hub-mrn") + "|" + mrn, StandardCharsets.UTF_8)
                    + "&code=" + URLEncoder.encode(Json.LOINC + "|2465-3", StandardCharsets.UTF_8) + "&_sort=date";
            FhirHttp.Response r = ctx.fhir().get(Site.HUB.code(), query);
            latencies.add(r.nanos());
            if (!r.ok()) {
                failures++;
            }
        }
        return List.of(new Row(
                name(),
                ctx.validation(),
                1,
                latencies.size(),
                failures,
                0,
                (System.nanoTime() - t0) / 1e9,
                null,
                null,
                Percentiles.ms(latencies, 50),
                Percentiles.ms(latencies, 95),
                Percentiles.ms(latencies, 99),
                null,
                "Observation?subject:Patient.identifier=hub-mrn|…&code=loinc|2465-3&_sort=date"));
    }
}
