-- The ledger of running registry and hub extracts (Bulk Data $export), created at every start if missing
-- (idempotent). It lives in the database, not in a server's memory, because every hub instance's batch workers may
-- process part of one export: they must agree on each patient's release decision, and the extract's AuditEvent,
-- written by whichever instance sees the job complete, must name every decision and be written exactly once.
CREATE TABLE IF NOT EXISTS hub_extract (
    extract_key varchar(400) NOT NULL,
    opened_at timestamptz NOT NULL,
    audited_at timestamptz DEFAULT NULL,
    PRIMARY KEY (extract_key)
);
-- One row per patient per extract: the first decision made by any instance is the extract's decision.
CREATE TABLE IF NOT EXISTS hub_extract_patient (
    extract_key varchar(400) NOT NULL,
    patient_id varchar(100) NOT NULL,
    released boolean NOT NULL,
    reason varchar(2000) NOT NULL,
    infusion_date date DEFAULT NULL,
    PRIMARY KEY (extract_key, patient_id)
);
-- Resources written into the extract's files, per type (counted when each file is stored, in its transaction).
CREATE TABLE IF NOT EXISTS hub_extract_released (
    extract_key varchar(400) NOT NULL,
    resource_type varchar(64) NOT NULL,
    resources bigint NOT NULL,
    PRIMARY KEY (extract_key, resource_type)
);
