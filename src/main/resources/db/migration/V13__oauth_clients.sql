-- OAuth clients (SPEC 3.6), registered through the admin API (source 'api') or the clients file
-- (source 'file', read-only in the API). A confidential client keeps only the SHA-256 (hex) of its
-- secret; a public client (token_endpoint_auth_method 'none') has none. List columns hold their
-- values separated by single spaces (URIs, scopes, grant types and roles never contain one), in
-- the order registered. Lifetimes are whole seconds, null for the server's own.

CREATE TABLE oauth_clients (
    client_id                  VARCHAR(64)              NOT NULL PRIMARY KEY,
    name                       VARCHAR(100)             NOT NULL,
    redirect_uris              VARCHAR(10260)           NOT NULL,
    post_logout_redirect_uris  VARCHAR(10260)           NOT NULL,
    grant_types                VARCHAR(64)              NOT NULL,
    token_endpoint_auth_method VARCHAR(32)              NOT NULL,
    scopes                     VARCHAR(3250)            NOT NULL,
    require_pkce               BOOLEAN                  NOT NULL,
    consent                    VARCHAR(16)              NOT NULL,
    access_token_profile       VARCHAR(16)              NOT NULL,
    roles                      VARCHAR(3250)            NOT NULL,
    access_token_ttl_seconds   BIGINT,
    refresh_token_ttl_seconds  BIGINT,
    secret_hash                VARCHAR(64),
    source                     VARCHAR(8)               NOT NULL,
    created_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    row_version                BIGINT                   NOT NULL,
    CONSTRAINT ck_oauth_clients_source CHECK (source IN ('api', 'file')),
    CONSTRAINT ck_oauth_clients_secret CHECK (
        (token_endpoint_auth_method = 'none' AND secret_hash IS NULL)
        OR (token_endpoint_auth_method <> 'none' AND secret_hash IS NOT NULL))
);
