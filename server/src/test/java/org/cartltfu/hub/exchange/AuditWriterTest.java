package org.cartltfu.hub.exchange;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit outbox on a real PostgreSQL (the embedded one the hub runs on). "Storing" an event here inserts its
 * description into a table in the writer's transaction, as HAPI's DAO would store the AuditEvent: so a rolled-back
 * batch stores nothing, and what the table holds is exactly what was stored, once.
 */
class AuditWriterTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static EmbeddedPostgres postgres;
    private static HikariDataSource database;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(
                        Path.of("target/test-data/audit-" + UUID.randomUUID()).toAbsolutePath())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        database = new HikariDataSource();
        database.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        database.setUsername("postgres");
        jdbc = new JdbcTemplate(database);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
        postgres.close();
    }

    @BeforeEach
    void emptyTables() {
        new AuditWriter(database, transactions(), FHIR, events -> {}); // creates the outbox
        jdbc.execute("DROP TABLE IF EXISTS stored_event");
        jdbc.execute("CREATE TABLE stored_event (description text NOT NULL, batch_size int NOT NULL)");
        jdbc.execute("TRUNCATE hub_audit_outbox");
    }

    private static TransactionTemplate transactions() {
        return new TransactionTemplate(new DataSourceTransactionManager(database));
    }

    /** Stores into stored_event within the writer's transaction; an event described "bad" fails its store. */
    private static Consumer<List<AuditEvent>> storing() {
        return events -> events.forEach(event -> {
            if (event.getOutcomeDesc().equals("bad")) {
                throw new IllegalStateException("the bad event");
            }
            jdbc.update(
                    "INSERT INTO stored_event (description, batch_size) VALUES (?, ?)",
                    event.getOutcomeDesc(),
                    events.size());
        });
    }

    private static AuditEvent event(String description) {
        return new AuditEvent().setOutcomeDesc(description);
    }

    private static List<String> stored() {
        return jdbc.queryForList("SELECT description FROM stored_event", String.class);
    }

    @Test
    void eventsTakenByAnInstanceThatDiedAreStoredByAnother() {
        // "Instance A" takes events and dies before its writer ran (it is never started).
        AuditWriter dead = new AuditWriter(database, transactions(), FHIR, storing());
        IntStream.range(0, 45).forEach(i -> dead.submit(event("a" + i)));
        assertEquals(45, dead.pending());

        AuditWriter survivor = new AuditWriter(database, transactions(), FHIR, storing());
        survivor.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> survivor.pending() == 0);
        } finally {
            survivor.stop();
        }
        assertEquals(IntStream.range(0, 45).mapToObj(i -> "a" + i).collect(Collectors.toSet()), Set.copyOf(stored()));
        assertEquals(45, stored().size());
        List<Integer> batchSizes = jdbc.queryForList("SELECT batch_size FROM stored_event", Integer.class);
        assertTrue(batchSizes.contains(AuditWriter.BATCH), "stored in batches: " + batchSizes);
        assertTrue(batchSizes.stream().allMatch(size -> size <= AuditWriter.BATCH), batchSizes.toString());
    }

    @Test
    void twoInstancesStoreEachEventExactlyOnce() throws Exception {
        AuditWriter one = new AuditWriter(database, transactions(), FHIR, storing());
        AuditWriter two = new AuditWriter(database, transactions(), FHIR, storing());
        one.start();
        two.start();
        List<Thread> requests = IntStream.range(0, 4)
                .mapToObj(thread -> new Thread(() -> {
                    for (int i = 0; i < 100; i++) {
                        (i % 2 == 0 ? one : two).submit(event(thread + "-" + i));
                    }
                }))
                .toList();
        try {
            requests.forEach(Thread::start);
            for (Thread request : requests) {
                request.join();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> one.pending() == 0);
        } finally {
            one.stop();
            two.stop();
        }
        List<String> stored = stored();
        assertEquals(400, stored.size(), "no event stored twice, none lost");
        assertEquals(400, Set.copyOf(stored).size());
    }

    @Test
    void aBadEventCostsNoOtherAndStaysForAPerson() {
        AuditWriter writer = new AuditWriter(database, transactions(), FHIR, storing());
        List<String> expected = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 30; i++) {
            String description = i == 7 ? "bad" : "e" + i;
            writer.submit(event(description));
            if (i != 7) {
                expected.add(description);
            }
        }
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> stored().size() == 29);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> jdbc.queryForObject("SELECT max(attempts) FROM hub_audit_outbox", Integer.class)
                            == AuditWriter.ATTEMPTS);
        } finally {
            writer.stop();
        }
        assertEquals(Set.copyOf(expected), Set.copyOf(stored()));
        assertEquals(1, writer.pending(), "the bad event waits in the outbox");
        assertEquals(
                "bad",
                FHIR.newJsonParser()
                        .parseResource(
                                AuditEvent.class,
                                jdbc.queryForObject("SELECT event FROM hub_audit_outbox", String.class))
                        .getOutcomeDesc());
    }

    @Test
    void anEventIsTakenOutsideTheCallersTransaction() {
        AuditWriter writer = new AuditWriter(database, transactions(), FHIR, storing());
        // The caller's own transaction rolls back (a failed write): the event it took is kept regardless.
        try {
            transactions().executeWithoutResult(status -> {
                writer.submit(event("taken while the caller's transaction failed"));
                throw new IllegalStateException("the caller's write failed");
            });
        } catch (IllegalStateException expected) {
            // the caller's failure
        }
        assertEquals(1, writer.pending());
    }
}
