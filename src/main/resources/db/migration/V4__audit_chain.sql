-- Tamper-evident audit log: every row written from now on carries a SHA-256 hash over its fields
-- and the previous row's hash (dev.portcullis.audit.AuditChain), and takes the next id from the
-- one-row audit_chain_head, which is locked (SELECT ... FOR UPDATE) by the appending transaction.
-- The lock is a database row lock, so appends are ordered across every server node.
--
-- Rows written before this migration are not rewritten: hashing them would need Java inside the
-- migration and would pretend they were protected when they were not. They keep NULL hashes and
-- count as "unchained"; the chain starts after chain_start_id (the last such row).
ALTER TABLE audit_events ADD COLUMN previous_hash VARCHAR(64);
ALTER TABLE audit_events ADD COLUMN record_hash VARCHAR(64);

CREATE TABLE audit_chain_head (
    id             INT         NOT NULL PRIMARY KEY,
    chain_start_id BIGINT      NOT NULL,
    last_id        BIGINT      NOT NULL,
    last_hash      VARCHAR(64),
    CONSTRAINT ck_audit_chain_head_single CHECK (id = 1)
);

INSERT INTO audit_chain_head (id, chain_start_id, last_id, last_hash)
SELECT 1, COALESCE(MAX(id), 0), COALESCE(MAX(id), 0), NULL FROM audit_events;

CREATE INDEX ix_audit_events_subject ON audit_events (subject);
CREATE INDEX ix_audit_events_type ON audit_events (event_type);
