-- OAuth consents (SPEC 3.6, the /consent page): the scopes a user approved for a client, one row per
-- user and client. Scopes are RFC 6749 scope tokens, space-separated in sorted order; a grant only
-- adds to them (under the row lock), the account page's "Revoke" deletes the row. No foreign key to
-- the clients (a client may come from the clients file): a removed client's consents are deleted by
-- Consents.forgetClient (by client_id, hence the index), and until then the account page shows the
-- client id in place of its name.

CREATE TABLE oauth_consents (
    user_id    UUID                     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  VARCHAR(255)             NOT NULL,
    scopes     VARCHAR(1000)            NOT NULL,
    granted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_oauth_consents PRIMARY KEY (user_id, client_id)
);
CREATE INDEX ix_oauth_consents_client ON oauth_consents (client_id);
