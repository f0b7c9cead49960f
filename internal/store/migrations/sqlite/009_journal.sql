-- The journal: every change made through the portal or the command line,
-- appended in the transaction of the change. The actor is kept as it was
-- (name and role at the time), so that deleting an account keeps its lines.
CREATE TABLE journal (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    collectivity_id INTEGER REFERENCES collectivities(id),
    account_id      INTEGER,
    actor_name      TEXT    NOT NULL,
    actor_role      TEXT    NOT NULL,
    addr            TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    what            TEXT    NOT NULL,
    fields          TEXT    NOT NULL
);
CREATE INDEX journal_collectivity ON journal (collectivity_id, id);

-- Append-only, whatever the code does.
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal: entries are append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal: entries are append-only'); END;
