-- Rate-limit buckets shared by every node (issue 13, item 12): Bucket4j's PostgreSQL module keeps
-- one row per bucket, locked with SELECT ... FOR UPDATE for each check. id is the SHA-256 (hex) of
-- the bucket's key (never a typed username), state is Bucket4j's serialised bucket, expires_at
-- (epoch milliseconds) is when the bucket has refilled plus a minute; the housekeeping deletes rows
-- past it. H2 (one node) keeps its buckets in memory and never uses this table.

CREATE TABLE rate_limit_buckets (
    id         VARCHAR(64) NOT NULL PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX ix_rate_limit_buckets_expires ON rate_limit_buckets (expires_at);
