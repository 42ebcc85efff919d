package org.cartltfu.hub.exchange;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.security.TestClients;
import org.cartltfu.hub.security.TestClients.TestClient;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * The fault test of the embedded default: the packaged server, started with the README's command in a folder of its
 * own, is killed with SIGKILL in the middle of concurrent spoke pushes (profiled transaction bundles from two spokes)
 * and started again with the same command and nothing else. Every push it acknowledged must then be there and whole;
 * a push the kill cut off must be whole or absent. In every other round the watchdog is killed with the server, so
 * that the postmaster outlives it and the next start has to stop it; in the others the watchdog must stop it.
 * Before the first kill a second server started on the same folder must refuse to run.
 *
 * <p>Rounds: {@code -Dcrash.rounds} (3 by default; the README's reliability figures come from
 * {@code -Dcrash.rounds=10}). The only client registration, the HTTP port, lives in the folder's
 * {@code config/application.properties}, which Spring Boot reads from the working directory.
 */
class CrashRecoveryIT {

    private static final int ROUNDS = Integer.getInteger("crash.rounds", 3);
    private static final List<TestClient> SPOKES = List.of(TestClients.SPOKE_VN, TestClients.SPOKE_MY);
    private static final int PUSHERS_PER_SPOKE = 3;
    /** Acknowledged pushes per round before the kill, so that the kill lands among pushes in flight. */
    private static final int ACKNOWLEDGED_BEFORE_KILL = 6;

    private static final Duration START_TIMEOUT = Duration.ofMinutes(8);
    private static final String COMMAND_JAR = "server/target/cart-ltfu-server.jar";

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final HttpClient http = HttpClient.newHttpClient();
    private Path work;
    private int port;

    /** One push: the spoke's identifiers of its three resources. */
    private record Push(String site, String mrn, String lab, String event, int grade) {}

    @Test
    void everyAcknowledgedPushSurvivesSigkillAndTheServerComesBackByItself() throws Exception {
        try {
            run();
        } finally {
            // A failed round must not leave a server or an orphan postmaster behind.
            ProcessHandle.current()
                    .children()
                    .filter(p ->
                            p.info().arguments().map(List::of).orElse(List.of()).contains(COMMAND_JAR))
                    .forEach(ProcessHandle::destroyForcibly);
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).stream()
                            .anyMatch(argument -> work != null && argument.startsWith(work.toString())))
                    .forEach(ProcessHandle::destroy);
        }
    }

    private void run() throws Exception {
        assumeTrue(
                System.getenv("SPRING_DATASOURCE_URL") == null
                        || System.getenv("SPRING_DATASOURCE_URL").isBlank(),
                "this test is about the embedded default");
        work = Files.createDirectories(
                Path.of("target/crash-" + UUID.randomUUID()).toAbsolutePath());
        Path jar = Path.of("target/cart-ltfu-server.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "package the server first: " + jar);
        // The README's command names the jar relative to the repository: the same path exists in this folder.
        Files.createDirectories(work.resolve(COMMAND_JAR).getParent());
        Files.createSymbolicLink(work.resolve(COMMAND_JAR), jar);
        port = freePort();
        writeConfiguration();

        List<Push> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<Push> cutOff = Collections.synchronizedList(new ArrayList<>());
        List<Long> startMillis = new ArrayList<>();
        long start = System.nanoTime();
        Process server = start(0);
        startMillis.add((System.nanoTime() - start) / 1_000_000);
        String infusion = Journey.post(client(TestClients.HUB), fhir).infusion();

        secondServerOnTheSameFolderRefuses();

        for (int round = 1; round <= ROUNDS; round++) {
            boolean orphan = round % 2 == 0;
            long postmaster = postmasterPid();
            pushAndKill(server, infusion, orphan, acknowledged, cutOff);
            if (orphan) {
                assertTrue(
                        ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false),
                        "round " + round + ": without its watchdog the postmaster outlives the server");
            } else {
                Optional<ProcessHandle> left = ProcessHandle.of(postmaster);
                if (left.isPresent()) {
                    left.get().onExit().get(2, TimeUnit.MINUTES);
                }
            }

            start = System.nanoTime();
            server = start(round);
            startMillis.add((System.nanoTime() - start) / 1_000_000);
            assertFalse(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false));
            assertNotEquals(postmaster, postmasterPid());
            if (orphan) {
                assertTrue(log(round).contains("was left running on"), "round " + round + ": the orphan was stopped");
            }

            int lost = 0;
            IGenericClient hub = client(TestClients.HUB);
            for (Push push : acknowledged) {
                if (!whole(hub, push)) {
                    lost++;
                    System.out.println("CRASH: acknowledged push lost or partial: " + push);
                }
            }
            int present = 0;
            for (Push push : cutOff) {
                present += state(hub, push);
            }
            System.out.printf(
                    "CRASH round %d/%d (%s): %d acknowledged pushes so far, %d lost; %d cut off by the kill "
                            + "(%d present and whole, %d absent, none partial); restart took %d ms%n",
                    round,
                    ROUNDS,
                    orphan ? "watchdog killed too: postmaster left running" : "watchdog stopped the postmaster",
                    acknowledged.size(),
                    lost,
                    cutOff.size(),
                    present,
                    cutOff.size() - present,
                    startMillis.get(round));
            assertEquals(0, lost, "acknowledged pushes lost");
        }

        long postmaster = postmasterPid();
        server.destroy();
        assertTrue(server.waitFor(5, TimeUnit.MINUTES), "a normal shutdown (SIGTERM) ends the server");
        assertFalse(
                ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false),
                "a normal shutdown stops PostgreSQL");
        assertFalse(Files.exists(work.resolve("data/postgres/postmaster.pid")));
        System.out.printf(
                "CRASH: %d rounds, %d acknowledged pushes, 0 lost, %d cut off by a kill; server start times "
                        + "(ms, first cold) %s%n",
                ROUNDS, acknowledged.size(), cutOff.size(), startMillis);
    }

    /** Pushes from every spoke at once until enough are acknowledged, then kills the server with SIGKILL. */
    private void pushAndKill(
            Process server, String infusion, boolean alsoKillWatchdog, List<Push> acknowledged, List<Push> cutOff)
            throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger acknowledgedThisRound = new AtomicInteger();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pushers = Executors.newFixedThreadPool(SPOKES.size() * PUSHERS_PER_SPOKE);
        for (TestClient spoke : SPOKES) {
            IGenericClient client = client(spoke);
            for (int i = 0; i < PUSHERS_PER_SPOKE; i++) {
                pushers.submit(() -> {
                    while (true) {
                        Push push = new Push(
                                spoke.site(),
                                UUID.randomUUID().toString(),
                                UUID.randomUUID().toString(),
                                UUID.randomUUID().toString(),
                                ThreadLocalRandom.current().nextInt(1, 5));
                        try {
                            Bundle response = client.transaction()
                                    .withBundle(SpokePush.bundle(
                                            push.site(), push.mrn(), push.lab(), push.event(), push.grade(), infusion))
                                    .execute();
                            for (Bundle.BundleEntryComponent entry : response.getEntry()) {
                                assertTrue(
                                        entry.getResponse().getStatus().startsWith("201"),
                                        entry.getResponse().getStatus());
                            }
                            acknowledged.add(push);
                            acknowledgedThisRound.incrementAndGet();
                        } catch (Throwable e) {
                            if (killed.get()) {
                                cutOff.add(push);
                                return;
                            }
                            if (e instanceof FhirClientConnectionException) {
                                // Not acknowledged (on an overloaded machine the client gave up waiting): whole or
                                // absent.
                                cutOff.add(push);
                                continue;
                            }
                            failures.add(e);
                            return;
                        }
                    }
                });
            }
        }
        try {
            await().dontCatchUncaughtExceptions()
                    .atMost(Duration.ofMinutes(5))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> acknowledgedThisRound.get() >= ACKNOWLEDGED_BEFORE_KILL || !failures.isEmpty());
        } catch (ConditionTimeoutException tooFew) {
            // The server is killed all the same; the failures and the count are checked after it is gone.
        }
        // Not a wait for anything: the kill lands at a random moment of the pushes that are still running.
        Thread.sleep(ThreadLocalRandom.current().nextInt(500));
        killed.set(true);
        if (alsoKillWatchdog) {
            server.toHandle()
                    .descendants()
                    .filter(process -> !process.info().command().orElse("").endsWith("/postgres"))
                    .forEach(ProcessHandle::destroyForcibly);
        }
        server.destroyForcibly();
        server.waitFor();
        pushers.shutdown();
        assertTrue(pushers.awaitTermination(5, TimeUnit.MINUTES));
        if (!failures.isEmpty()) {
            throw new AssertionError("a push failed before the kill", failures.get(0));
        }
        assertTrue(acknowledgedThisRound.get() >= ACKNOWLEDGED_BEFORE_KILL);
    }

    /** Patient, lab result and CRS event all there once, linked to each other, with the grade sent. */
    private boolean whole(IGenericClient hub, Push push) {
        List<Resource> patients =
                find(hub, "Patient?identifier=" + SpokePush.MRN_PREFIX + push.site() + "|" + push.mrn());
        List<Resource> labs = find(hub, "Observation?identifier=" + SpokePush.LAB + "|" + push.lab());
        List<Resource> events = find(hub, "AdverseEvent?identifier=" + SpokePush.EVENT + "|" + push.event());
        if (patients.size() != 1 || labs.size() != 1 || events.size() != 1) {
            return false;
        }
        String patient =
                patients.get(0).getIdElement().toUnqualifiedVersionless().getValue();
        AdverseEvent event = (AdverseEvent) events.get(0);
        String grade = ((CodeableConcept)
                        event.getExtensionByUrl(SpokePush.GRADE_EXTENSION).getValue())
                .getCodingFirstRep()
                .getCode();
        return patient.equals(((Observation) labs.get(0)).getSubject().getReference())
                && patient.equals(event.getSubject().getReference())
                && String.valueOf(push.grade()).equals(grade);
    }

    /** 1 if the push is there whole, 0 if nothing of it is; a partial push fails the test. */
    private int state(IGenericClient hub, Push push) {
        int found = find(hub, "Patient?identifier=" + SpokePush.MRN_PREFIX + push.site() + "|" + push.mrn())
                        .size()
                + find(hub, "Observation?identifier=" + SpokePush.LAB + "|" + push.lab())
                        .size()
                + find(hub, "AdverseEvent?identifier=" + SpokePush.EVENT + "|" + push.event())
                        .size();
        assertTrue(found == 0 || (found == 3 && whole(hub, push)), "partial push after a crash: " + push);
        return found == 0 ? 0 : 1;
    }

    private List<Resource> find(IGenericClient hub, String url) {
        return hub.search().byUrl(url).returnBundle(Bundle.class).execute().getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .toList();
    }

    /** A second server started the same way in the same folder while the first runs must stop with a clear reason. */
    private void secondServerOnTheSameFolderRefuses() throws Exception {
        Path log = work.resolve("second-start.log");
        Process second = new ProcessBuilder(java(), "-jar", COMMAND_JAR, "--server.port=" + freePort())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertTrue(second.waitFor(START_TIMEOUT.toMinutes(), TimeUnit.MINUTES), "the second server must not stay up");
        assertNotEquals(0, second.exitValue());
        assertTrue(Files.readString(log).contains("is in use by another running hub"), "the reason is given");
        assertEquals(200, get("/fhir/metadata"), "the first server keeps running");
        System.out.println("CRASH: a second server on the same folder refused to start: "
                + Files.readAllLines(log).stream()
                        .filter(line -> line.contains("is in use by another running hub"))
                        .findFirst()
                        .orElseThrow());
    }

    /** The README's command, in the test's folder, and nothing else. */
    private Process start(int round) throws Exception {
        Process server = new ProcessBuilder(java(), "-jar", COMMAND_JAR)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(logName(round)).toFile())
                .start();
        try {
            await().dontCatchUncaughtExceptions()
                    .atMost(START_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                    .until(() -> {
                        if (!server.isAlive()) {
                            throw new AssertionError(
                                    "the server did not start (round " + round + "):\n" + tail(log(round)));
                        }
                        return get("/actuator/health/readiness") == 200;
                    });
            return server;
        } catch (ConditionTimeoutException notReady) {
            server.destroyForcibly();
            throw new AssertionError(
                    "the server did not become ready within " + START_TIMEOUT + ":\n" + tail(log(round)));
        }
    }

    private void writeConfiguration() throws IOException {
        Properties properties = new Properties();
        properties.setProperty("server.port", Integer.toString(port));
        TestClients.register(properties::setProperty);
        Files.createDirectories(work.resolve("config"));
        try (OutputStream out = Files.newOutputStream(work.resolve("config/application.properties"))) {
            properties.store(out, "Written by CrashRecoveryIT: the test clients and the HTTP port");
        }
    }

    private IGenericClient client(TestClient who) {
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setSocketTimeout(300_000);
        IGenericClient client = fhir.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(
                new BearerTokenAuthInterceptor(TestClients.token(who, "http://localhost:" + port, "system/*.cruds")));
        return client;
    }

    private int get(String path) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(work.resolve("data/postgres/postmaster.pid"))
                .get(0)
                .trim());
    }

    private String log(int round) throws IOException {
        return Files.readString(work.resolve(logName(round)), StandardCharsets.UTF_8);
    }

    private static String logName(int round) {
        return "server-" + round + ".log";
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 6000));
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
