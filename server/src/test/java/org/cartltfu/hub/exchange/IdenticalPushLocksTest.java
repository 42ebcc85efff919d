package org.cartltfu.hub.exchange;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions naming the same conditional match URLs wait for each other, on one server instance or two sharing a
 * database; others do not. The locks live in a real PostgreSQL (the embedded one the hub runs on); each instance is
 * an {@link IdenticalPushLocks} with its own pools, as in a hub process. Each request runs on a thread of its own.
 */
class IdenticalPushLocksTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static EmbeddedPostgres postgres;
    private static HikariDataSource database;

    private final ExecutorService first = Executors.newSingleThreadExecutor();
    private final ExecutorService second = Executors.newSingleThreadExecutor();
    private final List<IdenticalPushLocks> instances = new ArrayList<>();

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(
                        Path.of("target/test-data/locks-" + UUID.randomUUID()).toAbsolutePath())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        database = new HikariDataSource();
        database.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        database.setUsername("postgres");
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
        postgres.close();
    }

    @AfterEach
    void stop() {
        first.shutdownNow();
        second.shutdownNow();
        instances.forEach(IdenticalPushLocks::close);
    }

    private IdenticalPushLocks instance(Duration wait) {
        IdenticalPushLocks locks = IdenticalPushLocks.on(database, 4, wait);
        instances.add(locks);
        return locks;
    }

    private static ServletRequestDetails transaction(Bundle bundle) {
        ServletRequestDetails request = new ServletRequestDetails();
        request.setRestOperationType(RestOperationTypeEnum.TRANSACTION);
        request.setResource(bundle);
        return request;
    }

    /** A spoke's push: a conditional create of its patient by MRN (ifNoneExist in either of its two spellings). */
    private static Bundle createPatient(String mrn, boolean typeInIfNoneExist) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setResource(new Patient())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist((typeInIfNoneExist ? "Patient?" : "") + "identifier=urn:mrn|" + mrn);
        return bundle;
    }

    private static Bundle updatePatient(String url) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setResource(new Patient())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(url);
        return bundle;
    }

    /**
     * Whether the second request (through {@code two}), started while the first (through {@code one}) holds its
     * locks, has to wait for the first's end.
     */
    private boolean secondWaitsForFirst(
            IdenticalPushLocks one, Bundle firstPush, IdenticalPushLocks two, Bundle secondPush) throws Exception {
        ServletRequestDetails firstRequest = transaction(firstPush);
        ServletRequestDetails secondRequest = transaction(secondPush);
        first.submit(() -> one.lock(firstRequest)).get(5, TimeUnit.SECONDS);
        Future<?> later = second.submit(() -> two.lock(secondRequest));
        boolean waited;
        try {
            later.get(500, TimeUnit.MILLISECONDS);
            waited = false;
        } catch (java.util.concurrent.TimeoutException stillWaiting) {
            waited = true;
        }
        first.submit(() -> one.unlock(firstRequest)).get(5, TimeUnit.SECONDS);
        later.get(5, TimeUnit.SECONDS); // goes on at once when the first is done
        second.submit(() -> two.unlock(secondRequest)).get(5, TimeUnit.SECONDS);
        return waited;
    }

    private boolean secondWaitsForFirst(IdenticalPushLocks locks, Bundle one, Bundle two) throws Exception {
        return secondWaitsForFirst(locks, one, locks, two);
    }

    @Test
    void theSamePushTwiceWaitsUntilTheFirstIsDone() throws Exception {
        IdenticalPushLocks locks = instance(WAIT);
        assertTrue(secondWaitsForFirst(locks, createPatient("A-1", false), createPatient("A-1", false)));
        assertTrue(
                secondWaitsForFirst(locks, createPatient("A-1", false), createPatient("A-1", true)),
                "ifNoneExist with or without its type is the same match URL");
        assertTrue(
                secondWaitsForFirst(locks, createPatient("A-1", true), updatePatient("Patient?identifier=urn:mrn|A-1")),
                "a conditional update of the same URL");
    }

    @Test
    void theSamePushThroughAnotherInstanceWaitsToo() throws Exception {
        IdenticalPushLocks one = instance(WAIT);
        IdenticalPushLocks two = instance(WAIT);
        assertTrue(secondWaitsForFirst(one, createPatient("A-1", false), two, createPatient("A-1", true)));
        assertFalse(secondWaitsForFirst(one, createPatient("A-1", false), two, createPatient("B-2", false)));
    }

    @Test
    void pushesOfOtherPatientsAndPlainWritesDoNotWait() throws Exception {
        IdenticalPushLocks locks = instance(WAIT);
        assertFalse(secondWaitsForFirst(locks, createPatient("A-1", false), createPatient("B-2", false)));
        assertFalse(
                secondWaitsForFirst(locks, updatePatient("Patient/17"), updatePatient("Patient/17")),
                "no match URL: HAPI's version check, not this, decides");
    }

    @Test
    void aMatchUrlACommittedPushResolvedIsNotLockedAgain() throws Exception {
        IdenticalPushLocks locks = instance(WAIT);
        ServletRequestDetails earlier = transaction(createPatient("A-1", false));
        first.submit(() -> locks.lock(earlier)).get(5, TimeUnit.SECONDS);
        first.submit(() -> locks.committed(earlier)).get(5, TimeUnit.SECONDS);
        first.submit(() -> locks.unlock(earlier)).get(5, TimeUnit.SECONDS);
        assertFalse(
                secondWaitsForFirst(locks, createPatient("A-1", false), createPatient("A-1", true)),
                "the patient exists now: two pushes naming it create nothing, so neither waits");
        assertTrue(
                secondWaitsForFirst(instance(WAIT), createPatient("A-1", false), createPatient("A-1", false)),
                "another instance has not seen it committed, and waits (correct, only slower)");
    }

    @Test
    void aPushThatFailedOrDeletedTeachesNothing() throws Exception {
        IdenticalPushLocks locks = instance(WAIT);
        ServletRequestDetails failed = transaction(createPatient("A-1", false));
        first.submit(() -> locks.lock(failed)).get(5, TimeUnit.SECONDS);
        first.submit(() -> locks.unlock(failed)).get(5, TimeUnit.SECONDS);
        Bundle deleting = createPatient("B-2", false);
        deleting.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("Observation?subject=Patient/9");
        ServletRequestDetails deleted = transaction(deleting);
        first.submit(() -> locks.lock(deleted)).get(5, TimeUnit.SECONDS);
        first.submit(() -> locks.committed(deleted)).get(5, TimeUnit.SECONDS);
        first.submit(() -> locks.unlock(deleted)).get(5, TimeUnit.SECONDS);
        assertTrue(secondWaitsForFirst(locks, createPatient("A-1", false), createPatient("A-1", false)));
        assertTrue(secondWaitsForFirst(locks, createPatient("B-2", false), createPatient("B-2", false)));
    }

    @Test
    void onlyTransactionsAreSerialised() throws Exception {
        IdenticalPushLocks locks = instance(WAIT);
        ServletRequestDetails push = transaction(createPatient("A-1", false));
        first.submit(() -> locks.lock(push)).get(5, TimeUnit.SECONDS);
        ServletRequestDetails create = transaction(createPatient("A-1", false));
        create.setRestOperationType(RestOperationTypeEnum.CREATE);
        second.submit(() -> locks.lock(create)).get(5, TimeUnit.SECONDS);
        second.submit(() -> locks.unlock(create)).get(5, TimeUnit.SECONDS);
        first.submit(() -> locks.unlock(push)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRequestThatWaitedTooLongGoesOnWithoutTakingTheLockAndEndsCleanly() throws Exception {
        IdenticalPushLocks locks = instance(Duration.ofMillis(300));
        ServletRequestDetails holder = transaction(createPatient("A-1", false));
        first.submit(() -> locks.lock(holder)).get(5, TimeUnit.SECONDS);
        ServletRequestDetails late = transaction(createPatient("A-1", false));
        assertTrue(millisToLock(locks, late) >= 290, "it waited its 300 ms, then went on");
        // It holds nothing, so its end releases nothing ...
        assertDoesNotThrow(() -> second.submit(() -> locks.unlock(late)).get(5, TimeUnit.SECONDS));
        // ... and the first still holds its lock: the next identical push waits again.
        ServletRequestDetails next = transaction(createPatient("A-1", false));
        assertTrue(millisToLock(locks, next) >= 290);
        second.submit(() -> locks.unlock(next)).get(5, TimeUnit.SECONDS);
        first.submit(() -> locks.unlock(holder)).get(5, TimeUnit.SECONDS);
        assertEquals(0, advisoryLocksHeld(), "every lock released, none left on a pooled connection");
    }

    @Test
    void anInstanceThatDiesReleasesItsLocks() throws Exception {
        IdenticalPushLocks dying = instance(WAIT);
        IdenticalPushLocks survivor = instance(WAIT);
        ServletRequestDetails holder = transaction(createPatient("A-1", false));
        first.submit(() -> dying.lock(holder)).get(5, TimeUnit.SECONDS);
        ServletRequestDetails waiting = transaction(createPatient("A-1", false));
        Future<?> later = second.submit(() -> survivor.lock(waiting));
        await().atMost(Duration.ofSeconds(5)).until(() -> advisoryLocks(false) == 1);
        assertFalse(later.isDone(), "waits for the instance holding the lock");
        // The process is gone: PostgreSQL ends its sessions, and with them its locks.
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted");
        }
        later.get(5, TimeUnit.SECONDS);
        second.submit(() -> survivor.unlock(waiting)).get(5, TimeUnit.SECONDS);
        assertDoesNotThrow(
                () -> first.submit(() -> dying.unlock(holder)).get(5, TimeUnit.SECONDS),
                "ending a request whose lock connection was killed is harmless");
        assertEquals(0, advisoryLocksHeld());
    }

    private long millisToLock(IdenticalPushLocks locks, ServletRequestDetails request) throws Exception {
        long started = System.nanoTime();
        second.submit(() -> locks.lock(request)).get(5, TimeUnit.SECONDS);
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    private static int advisoryLocksHeld() throws Exception {
        return advisoryLocks(true) + advisoryLocks(false);
    }

    /** Advisory locks held (granted) or asked for and waited on (not granted), by any session. */
    private static int advisoryLocks(boolean granted) throws Exception {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted = " + granted)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
