-- API keys (SPEC 3.3): only hashes are stored; the key is shown once at creation.

CREATE TABLE api_keys (
    id                     VARCHAR(16)              NOT NULL PRIMARY KEY,
    owner_id               UUID                     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name                   VARCHAR(100)             NOT NULL,
    scopes                 VARCHAR(1000)            NOT NULL,
    audience               VARCHAR(200),
    secret_hash            VARCHAR(64)              NOT NULL,
    previous_secret_hash   VARCHAR(64),
    previous_valid_until   TIMESTAMP WITH TIME ZONE,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    rotated_at             TIMESTAMP WITH TIME ZONE,
    last_used_at           TIMESTAMP WITH TIME ZONE,
    expires_at             TIMESTAMP WITH TIME ZONE,
    revoked_at             TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_api_keys_owner ON api_keys (owner_id);
