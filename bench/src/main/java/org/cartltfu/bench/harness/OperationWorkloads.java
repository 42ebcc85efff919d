package org.cartltfu.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.cartltfu.bench.cohort.CohortGenerator;
import org.cartltfu.bench.cohort.Json;
import org.cartltfu.bench.cohort.Site;
import org.cartltfu.bench.push.FhirHttp;

/** Latency of the hub's clinical operations over the loaded cohort: Patient/$toxicity-history and $trace-product. */
final class OperationWorkloads {

    private OperationWorkloads() {}

    /** {@code Patient/[id]/$toxicity-history}; the patient id is looked up by hub MRN first (not timed). */
    static final class ToxicityHistory implements Workload {
        @Override
        public String name() {
            return "toxicity-history";
        }

        @Override
        public List<Row> run(BenchContext ctx) throws Exception {
            return timed(ctx, name(), "Patient/{id}/$toxicity-history", i -> {
                String mrn = ctx.cohort().patient(i).hubMrn();
                FhirHttp.Response found = ctx.fhir()
                        .get(
                                Site.HUB.code(),
                                "Patient?identifier=" + Json.sid("hub-mrn") + "|" + mrn + "&_elements=id");
                JsonNode id = Json.MAPPER.readTree(found.body()).at("/entry/0/resource/id");
                return id.isMissingNode() ? null : "Patient/" + id.asText() + "/$toxicity-history";
            });
        }
    }

    /** {@code $trace-product?lot=…}: every recipient of a manufacturing lot with their adverse events. */
    static final class LotTrace implements Workload {
        @Override
        public String name() {
            return "lot-trace";
        }

        @Override
        public List<Row> run(BenchContext ctx) throws Exception {
            return timed(ctx, name(), "$trace-product?lot={lot}", i -> {
                CohortGenerator.Push hub = ctx.cohort().patient(i).pushes().get(0);
                for (JsonNode e : hub.bundle().get("entry")) {
                    if (e.at("/resource/resourceType").asText().equals("BiologicallyDerivedProduct")) {
                        return "$trace-product?lot="
                                + e.at("/resource/identifier/1/value").asText();
                    }
                }
                return null;
            });
        }
    }

    interface QueryForPatient {
        String query(int patient) throws Exception;
    }

    static List<Row> timed(BenchContext ctx, String name, String note, QueryForPatient queries) throws Exception {
        List<Long> latencies = new ArrayList<>();
        long failures = 0;
        long t0 = System.nanoTime();
        long deadline = t0 + ctx.budget().toNanos();
        for (int i = 0; i < ctx.searches() && ctx.loadedPatients() > 0 && System.nanoTime() < deadline; i++) {
            String query = queries.query((int) ((i * 7919L) % ctx.loadedPatients()));
            if (query == null) {
                failures++;
                continue;
            }
            FhirHttp.Response r = ctx.fhir().get(Site.HUB.code(), query);
            latencies.add(r.nanos());
            if (!r.ok()) {
                failures++;
            }
        }
        return List.of(new Row(
                name,
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
                note));
    }
}
