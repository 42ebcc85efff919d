package org.cartltfu.hub.exchange;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes every AuditEvent into a table ({@code hub_audit_outbox}, {@code db/audit-outbox.sql}) before the request that
 * caused it is answered, and stores them as FHIR AuditEvents on a background thread, so requests do not wait for
 * HAPI's store and an instance that dies (kill -9, out of memory) loses no event: the rows wait in the database and
 * the next writer of any instance stores them. A row is deleted in the transaction that stores its event, and rows are
 * taken with {@code FOR UPDATE SKIP LOCKED}, so with several instances each event is stored exactly once.
 *
 * <p>Taking an event costs the request one small insert on a connection of its own (outside any transaction of the
 * caller, which it must neither join nor doom). The writer stores up to {@link #BATCH} events in one database
 * transaction: each transaction costs a commit (fsync) in PostgreSQL and one in the full-text index, so one event per
 * transaction could not keep up with a burst of requests. Not more than {@link #BATCH}: Hibernate re-checks every
 * entity of the session at each query HAPI makes while it stores an event, so the cost per event grows with the
 * batch (200 to a batch stored ~16 events/s under the trust-boundary suite's load, 20 to a batch ~38/s). A batch that
 * fails is stored again one event at a time, so one bad event costs no other; an event that fails {@link #ATTEMPTS}
 * times stays in the table, logged, for a person to look at.
 */
public class AuditWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);

    static final int BATCH = 20;
    static final int ATTEMPTS = 5;
    /** How often an idle writer looks for rows that another instance (or an earlier run of this one) left. */
    private static final long IDLE_POLL_MILLIS = 1000;

    private record Row(long id, AuditEvent event) {}

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Consumer<List<AuditEvent>> store;
    private final FhirContext fhirContext;
    private final Semaphore submitted = new Semaphore(0);
    private volatile boolean running;
    private Thread writer;

    /**
     * @param transactions a template that opens a new transaction of the JPA transaction manager on {@code dataSource}
     *     (the outbox rows are deleted in the transaction that stores their events)
     * @param store stores the given events, within the current transaction
     */
    public AuditWriter(
            DataSource dataSource,
            TransactionTemplate transactions,
            FhirContext fhirContext,
            Consumer<List<AuditEvent>> store) {
        new ResourceDatabasePopulator(new ClassPathResource("db/audit-outbox.sql")).execute(dataSource);
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = transactions;
        this.fhirContext = fhirContext;
        this.store = store;
    }

    /** Takes the event durably; it is stored as an AuditEvent shortly after, by this instance or another. */
    public void submit(AuditEvent event) {
        String json = parser().encodeResourceToString(event);
        // A connection of its own, committed at once: never part of (or rolled back with) the caller's transaction.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO hub_audit_outbox (event) VALUES (?)")) {
            connection.setAutoCommit(true);
            insert.setString(1, json);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not take an AuditEvent into hub_audit_outbox", e);
        }
        submitted.release();
    }

    /** Events taken but not yet stored, on every instance (the gauge {@code hub.audit.pending}: the audit's lag). */
    public int pending() {
        try {
            Integer count = jdbc.queryForObject("SELECT count(*) FROM hub_audit_outbox", Integer.class);
            return count == null ? 0 : count;
        } catch (DataAccessException e) {
            return -1;
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        writer = new Thread(this::drain, "audit-event-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        submitted.release();
        if (writer != null) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer = null;
        }
        // Whatever is still in the table waits there for the next writer (of this or another instance).
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server (its graceful shutdown and stop run at DEFAULT_PHASE - 1024 and - 2048). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void drain() {
        while (running) {
            try {
                int stored = storeBatch();
                if (stored < BATCH) {
                    // Woken by the next submit on this instance, or after a while for rows taken elsewhere.
                    submitted.tryAcquire(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    submitted.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database away (restarting, failing over): the rows wait; try again in a while.
                log.warn("Could not store AuditEvents from hub_audit_outbox: {}", e.getMessage());
                try {
                    Thread.sleep(IDLE_POLL_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stores up to a batch of waiting events; returns how many rows it took. */
    int storeBatch() {
        try {
            Integer taken = transactions.execute(status -> {
                List<Row> rows = take(BATCH);
                if (!rows.isEmpty()) {
                    store.accept(events(rows));
                    delete(rows);
                }
                return rows.size();
            });
            return taken == null ? 0 : taken;
        } catch (RuntimeException batchFailed) {
            log.warn(
                    "Could not store a batch of AuditEvents ({}); storing them one at a time",
                    batchFailed.getMessage());
            int taken = 0;
            while (taken < BATCH && storeOne()) {
                taken++;
            }
            return taken;
        }
    }

    /** One waiting event in a transaction of its own; false when none waits. */
    private boolean storeOne() {
        long[] id = {-1};
        try {
            return Boolean.TRUE.equals(transactions.execute(status -> {
                List<Row> rows = take(1);
                if (rows.isEmpty()) {
                    return false;
                }
                id[0] = rows.get(0).id();
                store.accept(events(rows));
                delete(rows);
                return true;
            }));
        } catch (RuntimeException e) {
            if (id[0] < 0) {
                throw e; // not even taken: the database is away
            }
            // Counted outside the rolled-back transaction; after ATTEMPTS the row is left for a person.
            jdbc.update("UPDATE hub_audit_outbox SET attempts = attempts + 1 WHERE id = ?", id[0]);
            log.error("Could not store the AuditEvent of hub_audit_outbox row {}", id[0], e);
            return true;
        }
    }

    private List<Row> take(int limit) {
        return jdbc.query(
                "SELECT id, event FROM hub_audit_outbox WHERE attempts < ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                (result, n) -> new Row(result.getLong(1), parsed(result.getString(2))),
                ATTEMPTS,
                limit);
    }

    private AuditEvent parsed(String json) {
        try {
            return parser().parseResource(AuditEvent.class, json);
        } catch (DataFormatException e) {
            return null; // fails its store, and so is counted like any event that cannot be stored
        }
    }

    private static List<AuditEvent> events(List<Row> rows) {
        if (rows.stream().anyMatch(row -> row.event() == null)) {
            throw new IllegalStateException("an unreadable row in hub_audit_outbox");
        }
        return rows.stream().map(Row::event).toList();
    }

    private void delete(List<Row> rows) {
        jdbc.update("DELETE FROM hub_audit_outbox WHERE id = ANY (?)", (Object)
                rows.stream().map(Row::id).toArray(Long[]::new));
    }

    private IParser parser() {
        return fhirContext.newJsonParser();
    }
}
