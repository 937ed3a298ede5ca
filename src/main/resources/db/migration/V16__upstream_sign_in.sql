-- Upstream sign-in (SPEC 3.7, "sign in with Google / GitHub / any OpenID provider").
--
-- upstream_links: a local account's link to an account at an upstream provider, keyed on the
-- provider's issuer and the subject it gives the account (never on an e-mail address): one
-- (issuer, subject) belongs to at most one local account. provider_id is the configured id the
-- link was made through (a renamed id keeps working while the issuer stays the same); email is
-- what the provider said at the last sign-in, for display only.
CREATE TABLE upstream_links (
    id           UUID                     NOT NULL PRIMARY KEY,
    user_id      UUID                     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_id  VARCHAR(32)              NOT NULL,
    issuer       VARCHAR(512)             NOT NULL,
    subject      VARCHAR(255)             NOT NULL,
    email        VARCHAR(254),
    linked_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_upstream_links_subject UNIQUE (issuer, subject)
);
CREATE INDEX ix_upstream_links_user ON upstream_links (user_id);

-- upstream_sign_in_attempts: one started sign-in (or link) between the redirect to the provider and
-- its callback. Looked up by the SHA-256 of its state; bound to the browser by the SHA-256 of the
-- __Host-portcullis-upstream cookie; single use (the callback deletes the row it redeems); expires
-- after minutes. The nonce and PKCE verifier are kept here, server-side, never in the browser.
-- link_user_id / link_session_id are set when a signed-in user links a provider from /account.
CREATE TABLE upstream_sign_in_attempts (
    state_hash      VARCHAR(64)              NOT NULL PRIMARY KEY,
    browser_hash    VARCHAR(64)              NOT NULL,
    provider_id     VARCHAR(32)              NOT NULL,
    nonce           VARCHAR(64)              NOT NULL,
    code_verifier   VARCHAR(128)             NOT NULL,
    redirect_uri    VARCHAR(600)             NOT NULL,
    next_target     VARCHAR(4096),
    link_user_id    UUID REFERENCES users (id) ON DELETE CASCADE,
    link_session_id UUID,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_upstream_attempts_expiry ON upstream_sign_in_attempts (expires_at);

-- A session or refresh family started through a provider records "upstream:<provider id>".
ALTER TABLE login_sessions ALTER COLUMN auth_method SET DATA TYPE VARCHAR(64);
ALTER TABLE refresh_families ALTER COLUMN auth_method SET DATA TYPE VARCHAR(64);
