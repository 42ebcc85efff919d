-- Resources whose search-index document may not be written yet, created at every start if missing.
-- SearchIndexOutbox adds a row for every resource a transaction writes, in that transaction, and deletes it once
-- Hibernate Search reports the document written; SearchIndexFailures adds one, due at once, for a document the
-- search cluster refused. SearchIndexRepair (on any instance) writes the documents of due rows again and deletes them.
CREATE TABLE IF NOT EXISTS hub_search_index_pending (
    id bigserial PRIMARY KEY,
    res_id bigint NOT NULL,
    due_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS hub_search_index_pending_due ON hub_search_index_pending (due_at);
-- The table of an earlier version (failures only), superseded by this one.
DROP TABLE IF EXISTS hub_search_index_repair;
