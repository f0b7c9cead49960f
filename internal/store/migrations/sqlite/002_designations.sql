-- A designation offers the principal role ("gestionnaire principal CT") to a
-- person, who accepts or refuses by link. At most one is pending per CT.
CREATE TABLE designations (
    id               INTEGER PRIMARY KEY,
    collectivity_id  INTEGER NOT NULL REFERENCES collectivities(id) ON DELETE CASCADE,
    designated_by    INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    target_account   INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    civility         TEXT    NOT NULL,
    last_name        TEXT    NOT NULL,
    first_name       TEXT    NOT NULL,
    function         TEXT    NOT NULL,
    email            TEXT    NOT NULL,
    phone            TEXT    NOT NULL,
    mail_integration BOOLEAN NOT NULL,
    mail_inter       BOOLEAN NOT NULL,
    token_hash       TEXT    NOT NULL UNIQUE,
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'accepted', 'refused', 'cancelled', 'replaced')),
    comment          TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    answered_at      INTEGER
);
CREATE UNIQUE INDEX designations_one_pending ON designations (collectivity_id) WHERE state = 'pending';
