package org.cartltfu.hub.config;

import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.IdAndPartitionId;
import javax.sql.DataSource;
import org.hibernate.search.engine.common.EntityReference;
import org.hibernate.search.engine.reporting.EntityIndexingFailureContext;
import org.hibernate.search.engine.reporting.FailureContext;
import org.hibernate.search.engine.reporting.FailureHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Hibernate Search's background failure handler: a resource document that could not be written to the search index
 * (the OpenSearch cluster was down or unreachable) is recorded in {@code hub_search_index_pending}, due at once,
 * instead of only logged, so that {@link SearchIndexRepair} writes it again once the cluster is back. The write that
 * caused it has been committed and acknowledged; only its index entry lags. (Its {@link SearchIndexOutbox} row would
 * bring it back too, after the grace period; this one makes it sooner.)
 */
public class SearchIndexFailures implements FailureHandler {

    private static final Logger log = LoggerFactory.getLogger(SearchIndexFailures.class);

    private final JdbcTemplate jdbc;

    /** @param dataSource whose {@code hub_search_index_pending} table {@link SearchIndexOutbox} created */
    public SearchIndexFailures(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public void handle(FailureContext context) {
        log.error("Search index failure: {}", context.failingOperation(), context.throwable());
    }

    @Override
    public void handle(EntityIndexingFailureContext context) {
        int recorded = 0;
        for (EntityReference reference : context.failingEntityReferences()) {
            Long id = numericId(reference.id());
            if (id == null || !SearchIndexRepair.RESOURCE_TABLE.equals(reference.name())) {
                log.error("Search index failure for {} (id {} not recordable)", reference.name(), reference.id());
                continue;
            }
            try {
                jdbc.update("INSERT INTO hub_search_index_pending (res_id, due_at) VALUES (?, now())", id);
                recorded++;
            } catch (RuntimeException e) {
                // The database is away too: the resource's SearchIndexOutbox row brings it back once due.
                log.error("Could not record {}#{} for search index repair", reference.name(), id, e);
            }
        }
        log.warn(
                "Search index: {} documents not written ({}); {} recorded for repair",
                context.failingEntityReferences().size(),
                context.throwable().getMessage(),
                recorded);
    }

    static Long numericId(Object id) {
        if (id instanceof Number number) {
            return number.longValue();
        }
        if (id instanceof JpaPid pid) {
            return pid.getId();
        }
        if (id instanceof IdAndPartitionId pid) {
            return pid.getId();
        }
        return null;
    }
}
