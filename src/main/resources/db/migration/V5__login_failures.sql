-- Lock-out (SPEC 3.8): consecutive password failures per account, and the devices (browser or API
-- client holding a __Host-portcullis-device cookie) that logged in successfully, which a lock does
-- not stop. Kept in the database so a lock survives a restart and holds on every node.

CREATE TABLE login_failures (
    user_id         UUID                     NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    failures        INTEGER                  NOT NULL,
    last_failure_at TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_until    TIMESTAMP WITH TIME ZONE
);

CREATE TABLE known_devices (
    token_hash   VARCHAR(64)              NOT NULL,
    user_id      UUID                     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_known_devices PRIMARY KEY (token_hash, user_id)
);
CREATE INDEX ix_known_devices_user ON known_devices (user_id);
