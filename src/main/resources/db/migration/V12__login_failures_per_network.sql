-- Lock-out per account and client network (issue 13): failures from one network (an IPv4 /24, an
-- IPv6 /64) lock the account for that network only, so an attacker elsewhere cannot keep the owner
-- out. The per-account counts kept so far cannot be assigned to a network; they are dropped (they
-- are forgotten after an hour without a failure anyway).

DROP TABLE login_failures;

CREATE TABLE login_failures (
    user_id         UUID                     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    network         VARCHAR(64)              NOT NULL,
    failures        INTEGER                  NOT NULL,
    last_failure_at TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_until    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_login_failures PRIMARY KEY (user_id, network)
);
