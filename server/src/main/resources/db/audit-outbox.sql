-- AuditEvents accepted but not yet stored as FHIR resources (AuditWriter), created at every start if missing.
-- A row is written before the request's answer leaves the server and deleted in the transaction that stores its
-- AuditEvent, so an event survives the instance that took it; any instance on the database stores it.
CREATE TABLE IF NOT EXISTS hub_audit_outbox (
    id bigserial PRIMARY KEY,
    event text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    created_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL
);
