package org.cartltfu.bench.harness;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.cartltfu.bench.cohort.CohortGenerator;
import org.cartltfu.bench.cohort.Json;
import org.cartltfu.bench.cohort.Site;
import org.cartltfu.bench.push.CohortPusher;
import org.cartltfu.bench.push.FhirHttp;

/**
 * One benchmark run against a running server: cohort ingest at each concurrency level (a fresh slice of the cohort per
 * level), the plain workload, the typical search, any extra workloads, the COPY floor, memory before/after; prints a
 * table and writes JSON.
 */
public final class Benchmark {

    public record Options(
            long seed,
            int[] levels,
            int[] levelPatients,
            int plainBundlesPerLevel,
            int searches,
            Duration budget,
            String jdbcUrl,
            String dbUser,
            String dbPassword,
            Long serverPid,
            Path out,
            List<String> workloads,
            String command) {}

    private final FhirHttp fhir;
    private final Options options;
    private final PrintStream log;

    public Benchmark(FhirHttp fhir, Options options, PrintStream log) {
        this.fhir = fhir;
        this.options = options;
        this.log = log;
    }

    public List<Row> run() throws Exception {
        int total = 0;
        for (int n : options.levelPatients()) {
            total += n;
        }
        CohortGenerator cohort = new CohortGenerator(CohortGenerator.Spec.of(options.seed(), total));
        URI actuator = fhir.base().resolve("/actuator/");
        var http = FhirHttp.newHttpClient();
        Map<String, Object> memoryBefore = ServerMetrics.snapshot(http, actuator, options.serverPid());
        String validation = ValidationProbe.detect(fhir);
        log.printf("server %s, validation on write: %s, memory before: %s%n", fhir.base(), validation, memoryBefore);

        CohortPusher pusher = new CohortPusher(fhir);
        pusher.seedSites();
        List<Row> rows = new ArrayList<>();
        int from = 0;
        for (int l = 0; l < options.levels().length; l++) {
            int workers = options.levels()[l];
            int to = from + options.levelPatients()[l];
            log.printf("cohort ingest: patients %d..%d with %d concurrent spokes …%n", from, to - 1, workers);
            CohortPusher.Result r = pusher.push(cohort, from, to, workers, options.budget());
            r.firstErrors().forEach(e -> log.println("  error: " + e));
            rows.add(new Row(
                    "cohort-ingest",
                    validation,
                    workers,
                    r.bundles() + r.failures(),
                    r.failures(),
                    r.resources(),
                    r.elapsedNanos() / 1e9,
                    r.bundlesPerSecond(),
                    r.resourcesPerSecond(),
                    Percentiles.ms(r.latencies(), 50),
                    Percentiles.ms(r.latencies(), 95),
                    Percentiles.ms(r.latencies(), 99),
                    null,
                    (to - from) + " patients" + (r.timedOut() ? ", stopped at the time budget" : "")));
            log.println("  " + format(rows.get(rows.size() - 1)));
            // A level stopped by the budget leaves later patients unpushed; the next level starts after its slice
            // anyway.
            from = to;
        }
        int loaded = from;

        BenchContext ctx = new BenchContext(fhir, cohort, loaded, validation, options.budget(), options.searches());
        for (Workload w : workloads()) {
            if (options.workloads().contains(w.name())) {
                log.printf("workload %s …%n", w.name());
                for (Row row : w.run(ctx)) {
                    rows.add(row);
                    log.println("  " + format(row));
                }
            }
        }

        CopyFloor.Result copy = null;
        if (options.jdbcUrl() != null) {
            log.println("COPY floor …");
            copy = CopyFloor.measure(options.jdbcUrl(), options.dbUser(), options.dbPassword(), cohort, loaded);
            rows.add(new Row(
                    "postgres-copy",
                    "n/a",
                    1,
                    1,
                    0,
                    copy.rows(),
                    copy.seconds(),
                    null,
                    copy.rowsPerSecond(),
                    null,
                    null,
                    null,
                    1.0,
                    String.format(Locale.ROOT, "%.1f MiB of resource JSON, one COPY", copy.bytes() / 1048576.0)));
            double floor = copy.rowsPerSecond();
            if (rows.stream().anyMatch(r -> r.workload().endsWith("-export"))) {
                // Exports read: their floor is PostgreSQL reading the same resources out, not writing them in.
                log.println("COPY TO floor …");
                CopyFloor.Result out = CopyFloor.measureOut(options.jdbcUrl(), options.dbUser(), options.dbPassword());
                double readFloor = out.rowsPerSecond();
                rows.replaceAll(r -> r.workload().endsWith("-export") && r.resourcesPerSecond() != null
                        ? r.withRatio(r.resourcesPerSecond() / readFloor)
                        : r);
                rows.add(new Row(
                        "postgres-copy-to",
                        "n/a",
                        1,
                        1,
                        0,
                        out.rows(),
                        out.seconds(),
                        null,
                        out.rowsPerSecond(),
                        null,
                        null,
                        null,
                        1.0,
                        String.format(
                                Locale.ROOT,
                                "%.1f MiB, one COPY of the current resource versions TO STDOUT",
                                out.bytes() / 1048576.0)));
            }
            rows.replaceAll(r -> r.resourcesPerSecond() != null && r.ratioToCopy() == null
                    ? r.withRatio(r.resourcesPerSecond() / floor)
                    : r);
        }
        Map<String, Object> memoryAfter = ServerMetrics.snapshot(http, actuator, options.serverPid());
        log.println();
        log.println(table(rows));
        log.printf("memory before: %s%nmemory after:  %s%n", memoryBefore, memoryAfter);
        write(rows, validation, memoryBefore, memoryAfter, copy);
        return rows;
    }

    private List<Workload> workloads() {
        List<Workload> list = new ArrayList<>(List.of(
                new PlainWorkload(
                        options.levels(),
                        options.plainBundlesPerLevel(),
                        Long.toString(System.currentTimeMillis(), 36)),
                new CohortSearchWorkload(),
                new OperationWorkloads.ToxicityHistory(),
                new OperationWorkloads.LotTrace(),
                BulkExportWorkload.hub(),
                BulkExportWorkload.registry()));
        ServiceLoader.load(Workload.class).forEach(list::add);
        return list;
    }

    private void write(
            List<Row> rows,
            String validation,
            Map<String, Object> before,
            Map<String, Object> after,
            CopyFloor.Result copy)
            throws Exception {
        ObjectNode root = Json.obj();
        root.put("startedAt", Instant.now().toString());
        root.put("command", options.command());
        root.put("server", fhir.base().toString());
        root.put("validation", validation);
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.version"));
        memTotal().ifPresent(m -> machine.put("memTotalGiB", m));
        root.set("memoryBefore", Json.MAPPER.valueToTree(before));
        root.set("memoryAfter", Json.MAPPER.valueToTree(after));
        if (copy != null) {
            root.put("databaseBytesAfter", copy.databaseBytes());
        }
        root.set("rows", Json.MAPPER.valueToTree(rows));
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        Files.writeString(
                options.out(),
                Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root),
                StandardCharsets.UTF_8);
        log.println("wrote " + options.out());
    }

    private static java.util.Optional<Double> memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return java.util.Optional.of(
                            Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0 * 10) / 10.0);
                }
            }
        } catch (Exception ignored) {
            // not Linux: leave it out
        }
        return java.util.Optional.empty();
    }

    static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "%-16s %-5s %4s %8s %5s %9s %8s %9s %11s %9s %9s %9s %9s%n",
                "workload",
                "valid",
                "conc",
                "requests",
                "fail",
                "resources",
                "seconds",
                "bundles/s",
                "resources/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "% of COPY"));
        rows.forEach(r -> b.append(format(r)).append('\n'));
        return b.toString();
    }

    static String format(Row r) {
        return String.format(
                Locale.ROOT,
                "%-16s %-5s %4d %8d %5d %9d %8.1f %9s %11s %9s %9s %9s %9s",
                r.workload(),
                r.validation(),
                r.concurrency(),
                r.requests(),
                r.failures(),
                r.resources(),
                r.seconds(),
                num(r.bundlesPerSecond(), 2),
                num(r.resourcesPerSecond(), 1),
                num(r.p50Ms(), 1),
                num(r.p95Ms(), 1),
                num(r.p99Ms(), 1),
                r.ratioToCopy() == null ? "-" : num(100 * r.ratioToCopy(), 3));
    }

    private static String num(Double d, int decimals) {
        return d == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", d);
    }

    /**
     * Whether the server validates writes. The hub accepts plain R4 Patients, so the probe breaks a base R4 invariant
     * instead (pat-1: a contact needs details or an organization): a validating server refuses it with 422.
     */
    static final class ValidationProbe {
        private ValidationProbe() {}

        static String detect(FhirHttp fhir) throws Exception {
            // Conditional create: with validation off this stores at most one probe Patient, however often it runs.
            String probe = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                    + "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + Json.sid("bench-probe")
                    + "\",\"value\":\"validation-probe\"}],\"contact\":[{\"gender\":\"male\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\","
                    + "\"ifNoneExist\":\"identifier=" + Json.sid("bench-probe") + "|validation-probe\"}}]}";
            FhirHttp.Response r = fhir.transaction(Site.HUB.code(), probe.getBytes(StandardCharsets.UTF_8));
            return r.status() == 422 ? "on" : r.ok() ? "off" : "?" + r.status();
        }
    }
}
