-- Browser sessions (SPEC 3.2, 3.5): the cookie names a row by the SHA-256 of its value.

CREATE TABLE login_sessions (
    id                  UUID                     NOT NULL PRIMARY KEY,
    token_hash          VARCHAR(64)              NOT NULL,
    user_id             UUID                     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token          VARCHAR(64)              NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    absolute_expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    client_ip           VARCHAR(64),
    user_agent          VARCHAR(256),
    auth_method         VARCHAR(16)              NOT NULL,
    revoked_at          TIMESTAMP WITH TIME ZONE,
    revoke_reason       VARCHAR(32),
    CONSTRAINT uq_login_sessions_token UNIQUE (token_hash)
);
CREATE INDEX ix_login_sessions_user ON login_sessions (user_id);
