package org.cartltfu.hub.config;

import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.hibernate.action.spi.AfterTransactionCompletionProcess;
import org.hibernate.action.spi.BeforeTransactionCompletionProcess;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventSource;
import org.hibernate.event.spi.EventType;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.search.engine.backend.work.execution.DocumentCommitStrategy;
import org.hibernate.search.engine.backend.work.execution.DocumentRefreshStrategy;
import org.hibernate.search.engine.backend.work.execution.OperationSubmitter;
import org.hibernate.search.engine.reporting.FailureHandler;
import org.hibernate.search.mapper.pojo.work.IndexingPlanSynchronizationStrategy;
import org.hibernate.search.mapper.pojo.work.IndexingPlanSynchronizationStrategyConfigurationContext;
import org.hibernate.search.mapper.pojo.work.SearchIndexingPlanExecutionReport;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Makes a resource's search-index document as durable as the resource. Hibernate Search writes documents after the
 * commit; an instance that dies in between (kill -9, out of memory) would leave the resource committed and
 * acknowledged but never indexed. So every transaction that writes resources records their ids in
 * {@code hub_search_index_pending} in the same transaction, just before it commits; once Hibernate Search reports
 * the documents written, the rows are deleted. Rows left behind (the instance died, the cluster refused the
 * documents) become due after {@link #GRACE_SECONDS} and {@link SearchIndexRepair} on any instance writes them again.
 *
 * <p>Hibernate Search's own outbox-polling coordination would do the same, but it re-reads entities in the
 * background, and HAPI derives the full-text fields at write time without storing them: re-read documents would be
 * empty. This keeps HAPI's in-request indexing and only makes its loss recoverable.
 */
public final class SearchIndexOutbox
        implements PostInsertEventListener,
                PostUpdateEventListener,
                PostDeleteEventListener,
                IndexingPlanSynchronizationStrategy {

    /** How long Hibernate Search has to write a document before the repair writes it (again). */
    static final int GRACE_SECONDS = 60;

    private final JdbcTemplate jdbc;
    private final IndexingPlanSynchronizationStrategy delegate;
    /** The resources the transaction on this thread writes (one Hibernate session at a time per thread). */
    private final ThreadLocal<Written> open = new ThreadLocal<>();
    /** Rows of the transaction that has just committed on this thread, for its indexing plan's outcome. */
    private final ThreadLocal<List<Long>> committed = new ThreadLocal<>();
    /** Rows whose documents Hibernate Search reported written: deleted by {@link #deleteIndexed()}. */
    private final Queue<Long> indexed = new ConcurrentLinkedQueue<>();

    /**
     * @param delegate when a write waits for its documents (write-sync for the local index; async for a cluster)
     */
    public SearchIndexOutbox(DataSource dataSource, IndexingPlanSynchronizationStrategy delegate) {
        new ResourceDatabasePopulator(new ClassPathResource("db/search-index-pending.sql")).execute(dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
        this.delegate = delegate;
    }

    /** Starts recording; before the first write (the listeners join Hibernate Search's own). */
    public void listenTo(EntityManagerFactory entityManagerFactory) {
        EventListenerRegistry listeners = entityManagerFactory
                .unwrap(SessionFactoryImplementor.class)
                .getServiceRegistry()
                .getService(EventListenerRegistry.class);
        listeners.appendListeners(EventType.POST_INSERT, this);
        listeners.appendListeners(EventType.POST_UPDATE, this);
        listeners.appendListeners(EventType.POST_DELETE, this);
    }

    @Override
    public void onPostInsert(PostInsertEvent event) {
        track(event.getSession(), event.getEntity());
    }

    @Override
    public void onPostUpdate(PostUpdateEvent event) {
        track(event.getSession(), event.getEntity());
    }

    @Override
    public void onPostDelete(PostDeleteEvent event) {
        track(event.getSession(), event.getEntity());
    }

    @Override
    public boolean requiresPostCommitHandling(EntityPersister persister) {
        return false;
    }

    private void track(EventSource session, Object entity) {
        if (entity instanceof ResourceTable resource && resource.getId() != null) {
            track(session, resource.getId().getId());
        }
    }

    /**
     * Records resources the current transaction indexes without changing them (the repair's re-indexing, which
     * fires no entity event), so that a failure of that indexing too is written again.
     */
    void record(EntityManager entityManager, Collection<Long> resourceIds) {
        EventSource session = entityManager.unwrap(EventSource.class);
        resourceIds.forEach(id -> track(session, id));
    }

    private void track(EventSource session, Long resourceId) {
        Written written = open.get();
        if (written == null || written.session != session) {
            written = new Written(session);
            open.set(written);
            // Run after Hibernate Search's (registered at the same event, by its listener, which comes first).
            session.getActionQueue().registerProcess((BeforeTransactionCompletionProcess) written);
            session.getActionQueue().registerProcess((AfterTransactionCompletionProcess) written);
        }
        written.ids.add(resourceId);
    }

    /** Deletes the rows whose documents were written; returns how many. Called by the repair's timer. */
    int deleteIndexed() {
        List<Long> rows = new ArrayList<>();
        for (Long row = indexed.poll(); row != null; row = indexed.poll()) {
            rows.add(row);
        }
        if (rows.isEmpty()) {
            return 0;
        }
        try {
            return jdbc.update(
                    "DELETE FROM hub_search_index_pending WHERE id = ANY(?)",
                    statement ->
                            statement.setArray(1, statement.getConnection().createArrayOf("bigint", rows.toArray())));
        } catch (RuntimeException e) {
            indexed.addAll(rows); // the database away: next time
            throw e;
        }
    }

    @Override
    public void apply(IndexingPlanSynchronizationStrategyConfigurationContext context) {
        delegate.apply(new IndexingPlanSynchronizationStrategyConfigurationContext() {
            @Override
            public void documentCommitStrategy(DocumentCommitStrategy strategy) {
                context.documentCommitStrategy(strategy);
            }

            @Override
            public void documentRefreshStrategy(DocumentRefreshStrategy strategy) {
                context.documentRefreshStrategy(strategy);
            }

            @Override
            public void indexingFutureHandler(
                    Consumer<? super CompletableFuture<? extends SearchIndexingPlanExecutionReport>> handler) {
                context.indexingFutureHandler(future -> {
                    List<Long> rows = committed.get();
                    committed.remove();
                    if (rows != null) {
                        future.whenComplete((report, failure) -> {
                            if (failure == null && report.throwable().isEmpty()) {
                                indexed.addAll(rows);
                            }
                        });
                    }
                    handler.accept(future);
                });
            }

            @Override
            public FailureHandler failureHandler() {
                return context.failureHandler();
            }

            @Override
            public void operationSubmitter(OperationSubmitter submitter) {
                context.operationSubmitter(submitter);
            }
        });
    }

    /** One transaction's written resources: recorded before it commits, handed to its indexing plan after. */
    private final class Written implements BeforeTransactionCompletionProcess, AfterTransactionCompletionProcess {
        private final EventSource session;
        private final Set<Long> ids = new LinkedHashSet<>();

        Written(EventSource session) {
            this.session = session;
        }

        @Override
        public void doBeforeTransactionCompletion(SessionImplementor session) {
            if (ids.isEmpty()) {
                return;
            }
            List<Long> rows = new ArrayList<>(ids.size());
            session.doWork(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO hub_search_index_pending (res_id, due_at) SELECT unnest(?), now() + make_interval(secs => ?) RETURNING id")) {
                    Array array = connection.createArrayOf("bigint", ids.toArray());
                    insert.setArray(1, array);
                    insert.setInt(2, GRACE_SECONDS);
                    try (ResultSet keys = insert.executeQuery()) {
                        while (keys.next()) {
                            rows.add(keys.getLong(1));
                        }
                    }
                }
            });
            List<Long> before = committed.get();
            if (before != null) {
                rows.addAll(before); // a second recorder on the same session
            }
            committed.set(rows);
        }

        @Override
        public void doAfterTransactionCompletion(boolean success, SharedSessionContractImplementor session) {
            if (open.get() == this) {
                open.remove();
            }
            // Hibernate Search's plan (registered first) has taken its rows by now, if it had any work.
            committed.remove();
        }
    }
}
