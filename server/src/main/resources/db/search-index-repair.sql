-- Rows whose search-index document could not be written (the search cluster was away), created at every start if
-- missing. SearchIndexFailures adds them, SearchIndexRepair (on any instance) indexes them again once the cluster
-- answers, and deletes them in the transaction that does.
CREATE TABLE IF NOT EXISTS hub_search_index_repair (
    entity varchar(64) NOT NULL,
    entity_id bigint NOT NULL,
    failed_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (entity, entity_id)
);
