-- The change feed without a time window (issue 13, item 11). created_at is the writer's
-- transaction *start* (CURRENT_TIMESTAMP), so a reader that looked back a fixed time missed a row
-- whose transaction ran longer than that. Each row now also records its writer's transaction id;
-- a reader keeps the snapshot of its previous read (pg_current_snapshot()) and reads exactly the
-- rows that snapshot could not see (xid >= pg_snapshot_xmin(previous) AND NOT
-- pg_visible_in_snapshot(xid, previous)): every row committed since, however long its transaction
-- ran. xid8 is 64 bits and never wraps; it needs PostgreSQL 13 or newer.

ALTER TABLE cluster_changes ADD COLUMN tx xid8 DEFAULT pg_current_xact_id() NOT NULL;
CREATE INDEX ix_cluster_changes_tx ON cluster_changes (tx);
