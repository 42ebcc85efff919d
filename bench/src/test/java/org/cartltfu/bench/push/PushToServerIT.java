package org.cartltfu.bench.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.cartltfu.bench.cohort.CohortGenerator;
import org.cartltfu.bench.cohort.Json;
import org.cartltfu.bench.cohort.Site;
import org.cartltfu.bench.harness.Benchmark;
import org.cartltfu.bench.harness.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Against the real hub server started in-process (embedded PostgreSQL, validation on write, security off): a 3-patient cohort is
 * accepted whole and stored once per resource, and a tiny benchmark run completes with every row filled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PushToServerIT {

    private ConfigurableApplicationContext server;
    private FhirHttp fhir;

    @BeforeAll
    void start() throws Exception {
        Path data = Files.createDirectories(Path.of("target/test-data/push-" + UUID.randomUUID()));
        // By name: in a reactor build the server artifact is Spring Boot's repackaged jar, which javac cannot read;
        // failsafe puts server/target/classes on the test classpath instead (see pom.xml).
        server = new SpringApplicationBuilder(Class.forName("org.cartltfu.hub.HubApplication"))
                .run(
                        "--server.port=0",
                        "--hub.storage.embedded-postgres.data-dir=" + data.resolve("postgres"),
                        "--hub.storage.search-index-dir=" + data.resolve("lucene"),
                        "--management.endpoints.web.exposure.include=health,metrics",
                        // Pushes without tokens (the token path needs registered client keys; not covered here).
                        "--hub.security.enabled=false",
                        "--logging.level.root=WARN");
        int port = ((WebServerApplicationContext) server).getWebServer().getPort();
        fhir = new FhirHttp(
                URI.create("http://localhost:" + port + "/fhir"),
                TokenSource.NONE,
                FhirHttp.newHttpClient(),
                Duration.ofMinutes(2));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1) // counts below assume an empty server
    void threePatientCohortIsStoredOnce() throws Exception {
        CohortGenerator cohort = new CohortGenerator(CohortGenerator.Spec.of(11, 3));
        CohortPusher pusher = new CohortPusher(fhir);
        pusher.seedSites();
        CohortPusher.Result result = pusher.push(cohort, 0, 3, 2, Duration.ofMinutes(10));
        assertEquals(List.of(), result.firstErrors());
        assertEquals(0, result.failures());

        // Expected: each unconditional entry once, each conditional create once per distinct condition.
        Map<String, Integer> expected = new TreeMap<>();
        Set<String> conditions = new HashSet<>();
        int pushes = 0;
        for (CohortGenerator.PatientJourney j : cohort.stream().toList()) {
            for (CohortGenerator.Push push : j.pushes()) {
                pushes++;
                push.bundle().get("entry").forEach(e -> {
                    String type = e.at("/resource/resourceType").asText();
                    String condition = e.at("/request/ifNoneExist").asText(null);
                    if (condition == null || conditions.add(type + "?" + condition)) {
                        expected.merge(type, 1, Integer::sum);
                    }
                });
            }
        }
        expected.put("Organization", Site.all().size());
        assertEquals(pushes, result.bundles());
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), count(e.getKey()), e.getKey());
        }
        for (CohortGenerator.PatientJourney j : cohort.stream().toList()) {
            assertEquals(1, count("Patient?identifier=" + Json.sid("hub-mrn") + "|" + j.hubMrn() + "&"));
        }
    }

    @Test
    @Order(2)
    void smallBenchmarkRunFillsEveryRow() throws Exception {
        Path out = Files.createTempFile("bench-smoke", ".json");
        HikariDataSource ds = (HikariDataSource) server.getBean(DataSource.class);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Benchmark.Options o = new Benchmark.Options(
                99,
                new int[] {1, 2},
                new int[] {1, 1},
                2,
                3,
                Duration.ofMinutes(5),
                ds.getJdbcUrl(),
                ds.getUsername(),
                ds.getPassword(),
                ProcessHandle.current().pid(),
                out,
                List.of("plain", "cohort-search", "toxicity-history", "lot-trace", "bulk-export"),
                "smoke");
        List<Row> rows = new Benchmark(fhir, o, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        List<String> names =
                rows.stream().map(r -> r.workload() + "/" + r.concurrency()).toList();
        assertEquals(
                List.of(
                        "cohort-ingest/1",
                        "cohort-ingest/2",
                        "plain-ingest/1",
                        "plain-ingest/2",
                        "plain-search/1",
                        "cohort-search/1",
                        "toxicity-history/1",
                        "lot-trace/1",
                        "bulk-export/1",
                        "postgres-copy/1",
                        "postgres-copy-to/1"),
                names);
        rows.forEach(r -> assertEquals(0, r.failures(), r.toString()));
        Row export = rows.stream()
                .filter(r -> r.workload().equals("bulk-export"))
                .findFirst()
                .orElseThrow();
        assertTrue(export.resources() > 200, "the export brings back what was pushed: " + export);
        rows.stream()
                .filter(r -> !r.workload().startsWith("postgres-copy"))
                .forEach(r -> assertEquals("on", r.validation(), r.toString()));
        rows.stream()
                .filter(r -> r.resourcesPerSecond() != null)
                .forEach(r -> assertTrue(r.ratioToCopy() != null && r.ratioToCopy() > 0, r.toString()));
        String json = Files.readString(out);
        assertTrue(json.contains("\"heapUsedMiB\""), json);
        assertTrue(json.contains("\"rssMiB\""), json);
    }

    private int count(String typeOrQuery) throws Exception {
        String query = typeOrQuery.contains("?") ? typeOrQuery : typeOrQuery + "?";
        FhirHttp.Response r = fhir.get(
                Site.HUB.code(), query + (query.endsWith("?") || query.endsWith("&") ? "" : "&") + "_summary=count");
        assertTrue(r.ok(), r.body());
        return Json.MAPPER.readTree(r.body()).path("total").asInt();
    }
}
