-- A designation offers the principal role ("gestionnaire principal CT") to a
-- person, who accepts or refuses by link. At most one is pending per CT.
CREATE TABLE designations (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    collectivity_id  BIGINT  NOT NULL REFERENCES collectivities(id) ON DELETE CASCADE,
    designated_by    BIGINT  REFERENCES accounts(id) ON DELETE SET NULL,
    target_account   BIGINT  REFERENCES accounts(id) ON DELETE CASCADE,
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
    created_at       BIGINT  NOT NULL,
    sent_at          BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL,
    answered_at      BIGINT 
);
CREATE UNIQUE INDEX designations_one_pending ON designations (collectivity_id) WHERE state = 'pending';
