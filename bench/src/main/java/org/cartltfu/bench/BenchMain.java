package org.cartltfu.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cartltfu.bench.cohort.CohortGenerator;
import org.cartltfu.bench.cohort.CohortWriter;
import org.cartltfu.bench.cohort.Json;
import org.cartltfu.bench.faults.ExportCheck;
import org.cartltfu.bench.faults.IngestCheck;
import org.cartltfu.bench.harness.Benchmark;
import org.cartltfu.bench.harness.JfrSummary;
import org.cartltfu.bench.push.CohortPusher;
import org.cartltfu.bench.push.FhirHttp;
import org.cartltfu.bench.push.SmartBackendTokens;
import org.cartltfu.bench.push.TokenSource;

/** Command line: generate | demo | push | bench | ingest-check | jfr-summary. See bench/README.md. */
public final class BenchMain {

    static final String USAGE = """
			usage: java -jar cart-ltfu-bench.jar <command> [--option value …]
			  generate --patients N [--seed S] [--out DIR] [--format bundles|resources]
			  demo     [--server URL] [--patients 20] [--seed S]              load a small cohort into a fresh server
			  push     --server URL --patients N [--from K] [--seed S] [--workers W]
			  bench    [--server URL] [--levels 1,4,16] [--level-patients 50,100,150] [--plain-bundles 100]
			           [--searches 200] [--budget-seconds 900] [--jdbc URL --db-user U --db-password P] [--pid PID]
			           [--workloads plain,cohort-search,toxicity-history,lot-trace,bulk-export[,registry-export]]
			           [--out bench-results.json]   (registry-export: keys/registry.pem of a registry client)
			  jfr-summary --file server.jfr [--top 25]                          where the server's CPU time went
			  ingest-check --server URL --patients N [--from K] [--workers 16] [--give-up-seconds 180]
			           [--budget-seconds S] [--out F]
			           push as resending spokes while faults happen, then count what was stored (exit 1 unless clean)
			  export-check --kickoff URL --server URL [--between 'shell command'] [--site sg-sgh]
			           $export kicked off through one instance, the fault run, then polled and downloaded
			           through --server (the balancer); exits 1 unless every file downloads
			  get      --server URL --path 'Observation?code=…' [--site sg-sgh]   one GET as that site; status and start
			security (push, demo, bench): [--auth-keys DIR] [--token-url URL] [--scope system/*.cruds]
			server URLs must be on this machine (localhost / 127.0.0.1); default http://localhost:8080/fhir
			""";

    private BenchMain() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help")) {
            System.out.print(USAGE);
            return;
        }
        Map<String, String> a = options(Arrays.copyOfRange(argv, 1, argv.length));
        long seed = Long.parseLong(a.getOrDefault("seed", "2026"));
        switch (argv[0]) {
            case "generate" -> generate(a, seed);
            case "demo" -> push(a, seed, Integer.parseInt(a.getOrDefault("patients", "20")), 0, 2);
            case "push" ->
                push(
                        a,
                        seed,
                        Integer.parseInt(required(a, "patients")),
                        Integer.parseInt(a.getOrDefault("from", "0")),
                        Integer.parseInt(a.getOrDefault("workers", "4")));
            case "bench" -> bench(a, seed, String.join(" ", argv));
            case "ingest-check" -> ingestCheck(a, seed);
            case "export-check" -> {
                Map<String, String> starter = new HashMap<>(a);
                starter.put("server", required(a, "kickoff"));
                String between = a.get("between");
                ExportCheck.Result r = ExportCheck.run(
                        fhir(starter),
                        fhir(a),
                        a.getOrDefault("site", "sg-sgh"),
                        between == null ? null : () -> shell(between),
                        Duration.ofSeconds(Long.parseLong(a.getOrDefault("budget-seconds", "300"))));
                System.out.println(r.summary());
                if (!r.clean()) {
                    System.exit(1);
                }
            }
            case "get" -> {
                FhirHttp.Response r = fhir(a).get(a.getOrDefault("site", "sg-sgh"), required(a, "path"));
                System.out.println(r.status() + " "
                        + r.body().substring(0, Math.min(300, r.body().length())));
            }
            case "jfr-summary" ->
                JfrSummary.print(
                        Path.of(required(a, "file")), Integer.parseInt(a.getOrDefault("top", "25")), System.out);
            default -> {
                System.err.print(USAGE);
                System.exit(2);
            }
        }
    }

    static void generate(Map<String, String> a, long seed) throws Exception {
        int patients = Integer.parseInt(required(a, "patients"));
        Path out = Path.of(a.getOrDefault("out", "cohort"));
        CohortWriter.Format format =
                CohortWriter.Format.valueOf(a.getOrDefault("format", "bundles").toUpperCase());
        long t0 = System.nanoTime();
        CohortWriter.Summary s =
                CohortWriter.write(new CohortGenerator(CohortGenerator.Spec.of(seed, patients)), out, format);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "%d patients, %d transactions, %d resources in %.1f s (%.0f resources/s) -> %s%n%s%n",
                s.patients(),
                s.bundles(),
                s.resources(),
                seconds,
                s.resources() / seconds,
                out.toAbsolutePath(),
                s.byType());
    }

    static void push(Map<String, String> a, long seed, int patients, int from, int workers) throws Exception {
        FhirHttp fhir = fhir(a);
        CohortGenerator cohort = new CohortGenerator(CohortGenerator.Spec.of(seed, from + patients));
        CohortPusher pusher = new CohortPusher(fhir);
        pusher.seedSites();
        CohortPusher.Result r = pusher.push(
                cohort,
                from,
                from + patients,
                workers,
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("budget-seconds", "86400"))));
        r.firstErrors().forEach(e -> System.err.println("error: " + e));
        System.out.printf(
                "pushed %d transactions (%d resources) for %d patients in %.1f s, %d failed%n",
                r.bundles(), r.resources(), patients, r.elapsedNanos() / 1e9, r.failures());
        System.out.printf(
                "try: curl -s '%sPatient?identifier=%s|%s'%n",
                fhir.base(),
                "https://cart-ltfu.org/fhir/sid/hub-mrn",
                cohort.patient(from).hubMrn());
        if (r.failures() > 0) {
            System.exit(1);
        }
    }

    static void ingestCheck(Map<String, String> a, long seed) throws Exception {
        int patients = Integer.parseInt(required(a, "patients"));
        int from = Integer.parseInt(a.getOrDefault("from", "0"));
        IngestCheck.Result r = new IngestCheck(
                        fhir(a),
                        1000 * Long.parseLong(a.getOrDefault("give-up-seconds", "180")),
                        1000 * Long.parseLong(a.getOrDefault("budget-seconds", "86400")))
                .run(
                        new CohortGenerator(CohortGenerator.Spec.of(seed, from + patients)),
                        from,
                        from + patients,
                        Integer.parseInt(a.getOrDefault("workers", "16")));
        r.examples().forEach(e -> System.err.println("example: " + e));
        System.out.printf(
                "ingest-check %s: %d transactions, %d acknowledged, %d resent, %d given up, %d refused;"
                        + " %d identifiers checked: %d lost, %d duplicates, %d partial; answers %s; %.1f s%n",
                r.clean() ? "clean" : "NOT CLEAN",
                r.transactions(),
                r.acknowledged(),
                r.resent(),
                r.gaveUp(),
                r.refused(),
                r.keysChecked(),
                r.lost(),
                r.duplicates(),
                r.partial(),
                r.answers(),
                r.seconds());
        if (a.containsKey("out")) {
            Json.MAPPER
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(Path.of(a.get("out")).toFile(), IngestCheck.json(r));
        }
        if (!r.clean()) {
            System.exit(1);
        }
    }

    static void bench(Map<String, String> a, long seed, String command) throws Exception {
        int[] levels = ints(a.getOrDefault("levels", "1,4,16"));
        int[] levelPatients = ints(a.getOrDefault("level-patients", "50,100,150"));
        if (levels.length != levelPatients.length) {
            throw new IllegalArgumentException("--levels and --level-patients need the same number of values");
        }
        Benchmark.Options o = new Benchmark.Options(
                seed,
                levels,
                levelPatients,
                Integer.parseInt(a.getOrDefault("plain-bundles", "100")),
                Integer.parseInt(a.getOrDefault("searches", "200")),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("budget-seconds", "900"))),
                a.get("jdbc"),
                a.getOrDefault("db-user", "postgres"),
                a.getOrDefault("db-password", ""),
                a.containsKey("pid") ? Long.valueOf(a.get("pid")) : null,
                Path.of(a.getOrDefault("out", "bench-results.json")),
                List.of(a.getOrDefault("workloads", "plain,cohort-search,toxicity-history,lot-trace,bulk-export")
                        .split(",")),
                "java -jar cart-ltfu-bench.jar " + command);
        new Benchmark(fhir(a), o, System.out).run();
    }

    static FhirHttp fhir(Map<String, String> a) {
        URI base = FhirHttp.requireLoopback(a.getOrDefault("server", "http://localhost:8080/fhir"));
        var http = FhirHttp.newHttpClient();
        TokenSource tokens = a.containsKey("auth-keys")
                ? new SmartBackendTokens(
                        new SmartBackendTokens.Config(
                                base,
                                a.containsKey("token-url") ? URI.create(a.get("token-url")) : null,
                                Path.of(a.get("auth-keys")),
                                a.getOrDefault("scope", "system/*.cruds")),
                        http)
                : TokenSource.NONE;
        return new FhirHttp(base, tokens, http, Duration.ofMinutes(5));
    }

    /** Runs a shell command (a fault of the caller's choosing) and waits for it. */
    static void shell(String command) {
        try {
            Process p = new ProcessBuilder("bash", "-c", command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("'" + command + "' exited " + p.exitValue());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i] + "\n" + USAGE);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    private static String required(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required\n" + USAGE);
        }
        return v;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(","))
                .mapToInt(s -> Integer.parseInt(s.trim()))
                .toArray();
    }
}
