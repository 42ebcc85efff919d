-- Which instance queued each batch-job work chunk, and when each instance was last alive (BatchJobLiveness): the
-- chunks of an instance that stopped beating are taken back by another. Created at every start if missing.
CREATE TABLE IF NOT EXISTS hub_batch_chunk_owner (
    chunk_id varchar(100) PRIMARY KEY,
    node varchar(64) NOT NULL,
    queued_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS hub_node_heartbeat (
    node varchar(64) PRIMARY KEY,
    seen timestamptz NOT NULL
);
