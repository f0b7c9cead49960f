-- Times are Unix seconds (BIGINT ) on both engines: one SQL text compares them.
CREATE TABLE collectivities (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL UNIQUE,
    email      TEXT    NOT NULL,
    version    BIGINT  NOT NULL DEFAULT 0,
    created_at BIGINT  NOT NULL
);

CREATE TABLE accounts (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    collectivity_id  BIGINT  REFERENCES collectivities(id) ON DELETE CASCADE,
    login            TEXT    NOT NULL UNIQUE,
    role             TEXT    NOT NULL CHECK (role IN ('manager', 'principal', 'operator', 'staff')),
    state            TEXT    NOT NULL CHECK (state IN ('inactive', 'active', 'refused', 'closed')),
    civility         TEXT    NOT NULL DEFAULT '',
    last_name        TEXT    NOT NULL DEFAULT '',
    first_name       TEXT    NOT NULL DEFAULT '',
    function         TEXT    NOT NULL DEFAULT '',
    email            TEXT    NOT NULL,
    phone            TEXT    NOT NULL DEFAULT '',
    mail_integration BOOLEAN NOT NULL DEFAULT TRUE,
    mail_inter       BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash    TEXT    NOT NULL DEFAULT '',
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    CHECK ((role = 'staff') = (collectivity_id IS NULL))
);
CREATE INDEX accounts_collectivity ON accounts (collectivity_id);
-- Exactly one principal per CT, whatever the code does.
CREATE UNIQUE INDEX accounts_one_principal ON accounts (collectivity_id) WHERE role = 'principal';
CREATE UNIQUE INDEX accounts_one_manager ON accounts (collectivity_id) WHERE role = 'manager' AND state <> 'closed';

-- Links sent by e-mail: only the SHA-256 of the random token is kept.
CREATE TABLE tokens (
    hash       TEXT    PRIMARY KEY,
    purpose    TEXT    NOT NULL,
    account_id BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    used_at    BIGINT 
);
CREATE INDEX tokens_account ON tokens (account_id, purpose);

CREATE TABLE login_sessions (
    id_hash      TEXT    PRIMARY KEY,
    account_id   BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL
);
CREATE INDEX login_sessions_account ON login_sessions (account_id);

-- Failed logins, per submitted identifiant and per client address.
CREATE TABLE login_throttle (
    key             TEXT    PRIMARY KEY,
    failures        BIGINT  NOT NULL,
    last_failure_at BIGINT  NOT NULL
);

-- The outbox: e-mails written in the transaction of the change that causes them.
CREATE TABLE outbox (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id      TEXT    NOT NULL,
    mail_from       TEXT    NOT NULL DEFAULT '',
    to_addr         TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL,
    expires_at      BIGINT ,
    created_at      BIGINT  NOT NULL,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    sent_at         BIGINT ,
    failed_at       BIGINT ,
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
