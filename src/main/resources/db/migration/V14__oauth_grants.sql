-- OAuth 2.0 / OpenID Connect provider (SPEC 3.6): authorization codes, the client a refresh-token
-- family was issued to, and revoked access tokens that belong to no family (client credentials).

ALTER TABLE refresh_families ADD COLUMN client_id VARCHAR(64);
ALTER TABLE refresh_families ADD COLUMN scope VARCHAR(1024);
ALTER TABLE refresh_families ADD COLUMN auth_time TIMESTAMP WITH TIME ZONE;
ALTER TABLE refresh_families ADD COLUMN login_session_id UUID;
CREATE INDEX ix_refresh_families_client ON refresh_families (client_id, user_id);

-- A code is stored only as the SHA-256 of its value; redeemed once by a conditional update.
CREATE TABLE oauth_authorization_codes (
    code_hash             VARCHAR(64)              NOT NULL PRIMARY KEY,
    client_id             VARCHAR(64)              NOT NULL,
    user_id               UUID                     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri          VARCHAR(512)             NOT NULL,
    scope                 VARCHAR(1024)            NOT NULL,
    nonce                 VARCHAR(512),
    code_challenge        VARCHAR(128),
    login_session_id      UUID                     NOT NULL,
    auth_time             TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    redeemed_at           TIMESTAMP WITH TIME ZONE,
    family_id             UUID
);
CREATE INDEX ix_oauth_codes_expiry ON oauth_authorization_codes (expires_at);

-- Access tokens revoked through /oauth2/revoke that have no family to revoke (client credentials).
CREATE TABLE oauth_revoked_access_tokens (
    jti        VARCHAR(64)              NOT NULL PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
