package org.cartltfu.hub.config;

import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.jpa.search.reindex.ResourceReindexer;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.hibernate.search.mapper.orm.Search;
import org.hibernate.search.mapper.orm.session.SearchSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes again the search-index documents of due {@code hub_search_index_pending} rows ({@link SearchIndexOutbox}:
 * the instance that wrote the resource died or the cluster did not take the document; {@link SearchIndexFailures}),
 * once the search cluster answers: every instance runs one, rows are taken {@code FOR UPDATE SKIP LOCKED} and deleted
 * in the transaction that re-indexes them, so each is done once. Its timer also deletes the rows of documents written
 * as usual. A resource is re-indexed the way HAPI's own reindexing does it (its
 * full-text fields are derived again from the stored resource); a resource expunged since is removed from the index.
 * If the cluster fails again, the re-indexing's own outbox row brings it back.
 */
public class SearchIndexRepair implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SearchIndexRepair.class);

    static final String RESOURCE_TABLE = ResourceTable.class.getSimpleName();
    private static final int BATCH = 200;
    private static final long INTERVAL_SECONDS = 5;

    private final JdbcTemplate jdbc;
    private final SearchIndexOutbox outbox;
    private final TransactionTemplate transactions;
    private final EntityManager entityManager;
    private final IResourceTableDao resources;
    private final ResourceReindexer reindexer;
    private final BooleanSupplier indexReachable;
    private ScheduledExecutorService runner;

    /**
     * @param entityManager a shared (transaction-bound) entity manager
     * @param indexReachable whether the search cluster answers now (always true for a local Lucene index)
     */
    public SearchIndexRepair(
            JdbcTemplate jdbc,
            SearchIndexOutbox outbox,
            TransactionTemplate transactions,
            EntityManager entityManager,
            IResourceTableDao resources,
            ResourceReindexer reindexer,
            BooleanSupplier indexReachable) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.transactions = transactions;
        this.entityManager = entityManager;
        this.resources = resources;
        this.reindexer = reindexer;
        this.indexReachable = indexReachable;
    }

    /**
     * Documents due to be written again, on every instance (the gauge {@code hub.search.repair.pending}); rows still
     * in their grace period are not counted.
     */
    public int pending() {
        try {
            Integer count = jdbc.queryForObject(
                    "SELECT count(DISTINCT res_id) FROM hub_search_index_pending WHERE due_at <= now()", Integer.class);
            return count == null ? 0 : count;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Whether the search index answers now. */
    public boolean indexReachable() {
        return indexReachable.getAsBoolean();
    }

    /** Re-indexes the resources of up to a batch of due rows; returns how many rows it took. */
    int repairBatch() {
        Integer done = transactions.execute(status -> {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT id, res_id FROM hub_search_index_pending WHERE due_at <= now() ORDER BY due_at LIMIT ?"
                            + " FOR UPDATE SKIP LOCKED",
                    BATCH);
            SearchSession search = Search.session(entityManager);
            Set<Long> due = new LinkedHashSet<>();
            rows.forEach(row -> due.add(((Number) row.get("res_id")).longValue()));
            List<Long> stored = new ArrayList<>();
            for (Long id : due) {
                JpaPid pid = JpaPid.fromId(id);
                Optional<ResourceTable> entity = resources.findById(pid);
                if (entity.isEmpty()) {
                    search.indexingPlan().purge(ResourceTable.class, pid, null);
                    continue;
                }
                stored.add(id);
                if (entity.get().getDeleted() != null) {
                    // HAPI's routing leaves deleted resources out of the index: this removes the document.
                    search.indexingPlan().addOrUpdate(entity.get());
                } else {
                    reindexer.reindexResourceEntity(entity.get());
                }
            }
            outbox.record(entityManager, stored);
            Long[] ids = rows.stream()
                    .map(row -> ((Number) row.get("id")).longValue())
                    .toArray(Long[]::new);
            jdbc.update(
                    "DELETE FROM hub_search_index_pending WHERE id = ANY(?)",
                    statement -> statement.setArray(1, statement.getConnection().createArrayOf("bigint", ids)));
            return rows.size();
        });
        return done == null ? 0 : done;
    }

    private void run() {
        try {
            outbox.deleteIndexed();
            if (!indexReachable()) {
                return;
            }
            int done;
            int total = 0;
            do {
                done = repairBatch();
                total += done;
            } while (done == BATCH);
            if (total > 0) {
                log.info("Search index: {} documents written again", total);
            }
        } catch (RuntimeException e) {
            // The database or the cluster away again: the rows wait for the next pass.
            log.warn("Search index repair did not finish: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        if (runner != null) {
            return;
        }
        runner = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "search-index-repair");
            thread.setDaemon(true);
            return thread;
        });
        runner.scheduleWithFixedDelay(this::run, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void stop() {
        if (runner != null) {
            runner.shutdownNow();
            try {
                runner.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runner = null;
        }
    }

    @Override
    public boolean isRunning() {
        return runner != null;
    }

    /** Stopped with the audit writer, after the web server (see AuditWriter#getPhase). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
