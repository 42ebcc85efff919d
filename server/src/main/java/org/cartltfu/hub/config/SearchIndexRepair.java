package org.cartltfu.hub.config;

import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.jpa.search.reindex.ResourceReindexer;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;
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
 * Writes again the search-index documents that {@link SearchIndexFailures} recorded, once the search cluster
 * answers: every instance runs one, rows are taken {@code FOR UPDATE SKIP LOCKED} and deleted in the transaction that
 * re-indexes them, so each is done once. A resource is re-indexed the way HAPI's own reindexing does it (its
 * full-text fields are derived again from the stored resource); a resource expunged since is removed from the index.
 * If the cluster fails again, the new failure records the row again.
 */
public class SearchIndexRepair implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SearchIndexRepair.class);

    static final String RESOURCE_TABLE = ResourceTable.class.getSimpleName();
    private static final int BATCH = 200;
    private static final long INTERVAL_SECONDS = 5;

    private final JdbcTemplate jdbc;
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
            TransactionTemplate transactions,
            EntityManager entityManager,
            IResourceTableDao resources,
            ResourceReindexer reindexer,
            BooleanSupplier indexReachable) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.entityManager = entityManager;
        this.resources = resources;
        this.reindexer = reindexer;
        this.indexReachable = indexReachable;
    }

    /** Documents waiting to be written again, on every instance (the gauge {@code hub.search.repair.pending}). */
    public int pending() {
        try {
            Integer count = jdbc.queryForObject("SELECT count(*) FROM hub_search_index_repair", Integer.class);
            return count == null ? 0 : count;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Whether the search index answers now. */
    public boolean indexReachable() {
        return indexReachable.getAsBoolean();
    }

    /** Re-indexes up to a batch of recorded documents; returns how many it took. */
    int repairBatch() {
        Integer done = transactions.execute(status -> {
            List<Long> ids = jdbc.queryForList(
                    "SELECT entity_id FROM hub_search_index_repair WHERE entity = ? ORDER BY failed_at LIMIT ?"
                            + " FOR UPDATE SKIP LOCKED",
                    Long.class,
                    RESOURCE_TABLE,
                    BATCH);
            SearchSession search = Search.session(entityManager);
            for (Long id : ids) {
                JpaPid pid = JpaPid.fromId(id);
                Optional<ResourceTable> entity = resources.findById(pid);
                if (entity.isEmpty()) {
                    search.indexingPlan().purge(ResourceTable.class, pid, null);
                } else if (entity.get().getDeleted() != null) {
                    // HAPI's routing leaves deleted resources out of the index: this removes the document.
                    search.indexingPlan().addOrUpdate(entity.get());
                } else {
                    reindexer.reindexResourceEntity(entity.get());
                }
                jdbc.update(
                        "DELETE FROM hub_search_index_repair WHERE entity = ? AND entity_id = ?", RESOURCE_TABLE, id);
            }
            return ids.size();
        });
        return done == null ? 0 : done;
    }

    private void run() {
        try {
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
