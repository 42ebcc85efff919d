package org.cartltfu.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.cartltfu.bench.cohort.Json;
import org.cartltfu.bench.cohort.Site;
import org.cartltfu.bench.push.FhirHttp;

/**
 * The plain workload any FHIR R4 server accepts, for side-by-side figures: transactions of 1 Patient (conditional
 * create on its identifier) + 10 Observations (CRP, ten dates), at each concurrency level, then
 * {@code Observation?subject=Patient/{id}&code=http://loinc.org|1988-5&_sort=date} searches. The resources carry our
 * profiles in meta.profile (so that our validating server accepts them); servers that do not know the profiles
 * ignore that. The Patient's managingOrganization is a logical reference (identifier), which needs no Organization.
 */
public final class PlainWorkload implements Workload {

    static final String CRP = "1988-5";

    private final int[] levels;
    private final int bundlesPerLevel;
    private final String runId;

    public PlainWorkload(int[] levels, int bundlesPerLevel, String runId) {
        this.levels = levels;
        this.bundlesPerLevel = bundlesPerLevel;
        this.runId = runId;
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public List<Row> run(BenchContext ctx) throws Exception {
        List<Row> rows = new ArrayList<>();
        List<String> patientIds = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        for (int workers : levels) {
            rows.add(ingest(ctx, workers, next, patientIds));
        }
        rows.add(search(ctx, patientIds));
        return rows;
    }

    private Row ingest(BenchContext ctx, int workers, AtomicInteger next, List<String> patientIds) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        int first = next.get();
        int last = first + bundlesPerLevel;
        next.set(last);
        long deadline = System.nanoTime() + ctx.budget().toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (int i = first + worker; i < last && System.nanoTime() < deadline; i += workers) {
                        FhirHttp.Response r = ctx.fhir().transaction(Site.HUB.code(), bundle(i));
                        latencies.add(r.nanos());
                        if (r.ok()) {
                            ok.incrementAndGet();
                            patientIds.add(patientId(r.body()));
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Row(
                "plain-ingest",
                ctx.validation(),
                workers,
                ok.get() + failed.get(),
                failed.get(),
                ok.get() * 11,
                seconds,
                ok.get() / seconds,
                ok.get() * 11 / seconds,
                Percentiles.ms(latencies, 50),
                Percentiles.ms(latencies, 95),
                Percentiles.ms(latencies, 99),
                null,
                "1 Patient + 10 Observation per bundle");
    }

    private Row search(BenchContext ctx, List<String> patientIds) throws Exception {
        List<Long> latencies = new ArrayList<>();
        long failures = 0;
        long t0 = System.nanoTime();
        long deadline = t0 + ctx.budget().toNanos();
        for (int i = 0; i < ctx.searches() && !patientIds.isEmpty() && System.nanoTime() < deadline; i++) {
            // A fixed stride through the patients: every run asks for the same ones in the same order.
            String id = patientIds.get((int) ((i * 7919L) % patientIds.size()));
            FhirHttp.Response r = ctx.fhir()
                    .get(
                            Site.HUB.code(),
                            "Observation?subject=Patient/" + id + "&code=http://loinc.org|" + CRP + "&_sort=date");
            latencies.add(r.nanos());
            if (!r.ok() || Json.MAPPER.readTree(r.body()).path("entry").size() != 10) {
                failures++;
            }
        }
        return new Row(
                "plain-search",
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
                "Observation?subject=Patient/{id}&code=loinc|1988-5&_sort=date (failure = not 10 hits)");
    }

    private static String patientId(String transactionResponse) throws Exception {
        JsonNode entry = Json.MAPPER.readTree(transactionResponse).path("entry").path(0);
        String[] location = entry.path("response").path("location").asText().split("/");
        return location[1];
    }

    byte[] bundle(int n) {
        String mrn = "PLAIN-" + runId + "-" + n;
        ObjectNode b = Json.obj().put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entries = b.putArray("entry");
        ObjectNode p = Json.resource("Patient", "cart-patient");
        p.putArray("identifier").add(Json.identifier("hub-mrn", Json.sid("hub-mrn"), mrn, "MR"));
        p.putArray("name").addObject().put("family", "Plain").putArray("given").add("Bench" + n);
        p.put("gender", n % 2 == 0 ? "female" : "male").put("birthDate", (1950 + n % 50) + "-01-15");
        p.putObject("managingOrganization")
                .put("display", Site.HUB.name())
                .putObject("identifier")
                .put("system", Json.sid("site"))
                .put("value", Site.HUB.code());
        String patientUrl = "urn:uuid:" + java.util.UUID.nameUUIDFromBytes(mrn.getBytes(StandardCharsets.UTF_8));
        ObjectNode pe = entries.addObject().put("fullUrl", patientUrl);
        pe.set("resource", p);
        pe.putObject("request")
                .put("method", "POST")
                .put("url", "Patient")
                .put("ifNoneExist", "identifier=" + Json.sid("hub-mrn") + "|" + mrn);
        for (int i = 0; i < 10; i++) {
            ObjectNode o = Json.resource("Observation", "lab-crp").put("status", "final");
            o.putArray("category")
                    .add(Json.concept(
                            "http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory"));
            o.set("code", Json.concept(Json.LOINC, CRP, "C reactive protein [Mass/volume] in Serum or Plasma"));
            o.set("subject", Json.ref(patientUrl, null));
            o.put("effectiveDateTime", String.format("2025-%02d-%02dT08:00:00+08:00", 1 + i, 1 + n % 28));
            o.set("valueQuantity", Json.quantity(5 + (n * 31 + i * 17) % 150, "mg/L"));
            ObjectNode oe = entries.addObject();
            oe.set("resource", o);
            oe.putObject("request").put("method", "POST").put("url", "Observation");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
