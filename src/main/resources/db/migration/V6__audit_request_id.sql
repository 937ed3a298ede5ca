-- The request an audit event came from (X-Request-Id); part of the hash chain when present.
ALTER TABLE audit_events ADD COLUMN request_id VARCHAR(64);
