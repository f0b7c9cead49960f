-- The agents of each CT. Dates are days written AAAA-MM-JJ, which sort as
-- text. sort_key is the French collation key of "Nom Prénom" (computed in
-- Go), compared byte by byte by both engines, so that SQL sorts and pages
-- the French way; search_key is "nom prénom" without case or accents;
-- identity_key (nom, prénom, date de naissance, folded) is what the CSV
-- import matches agents on, one agent per identity in a CT.
CREATE TABLE agents (
    id              INTEGER PRIMARY KEY,
    collectivity_id INTEGER NOT NULL REFERENCES collectivities(id) ON DELETE CASCADE,
    civility        TEXT    NOT NULL CHECK (civility IN ('M', 'Mme')),
    last_name       TEXT    NOT NULL,
    first_name      TEXT    NOT NULL,
    birth_date      TEXT    NOT NULL CHECK (length(birth_date) = 10),
    email           TEXT    NOT NULL DEFAULT '',
    category        TEXT    NOT NULL CHECK (category IN ('A', 'B', 'C')),
    status          TEXT    NOT NULL CHECK (status IN ('titulaire', 'stagiaire', 'contractuel')),
    grade           TEXT    NOT NULL,
    appointed_on    TEXT    NOT NULL CHECK (length(appointed_on) = 10),
    sort_key        BLOB    NOT NULL,
    search_key      TEXT    NOT NULL,
    identity_key    TEXT    NOT NULL,
    left_at         INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX agents_identity ON agents (collectivity_id, identity_key);
CREATE INDEX agents_sorted ON agents (collectivity_id, sort_key, id);

-- A CSV import between its preview and its confirmation: the file's
-- agents as read and checked, kept on the server so that the
-- confirmation applies what the preview showed, never a file sent again.
-- applied_at makes the confirmation single-use.
CREATE TABLE agent_imports (
    id              TEXT    PRIMARY KEY,
    collectivity_id INTEGER NOT NULL REFERENCES collectivities(id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    file_name       TEXT    NOT NULL,
    encoding        TEXT    NOT NULL,
    agents_json     TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    applied_at      INTEGER
);
CREATE INDEX agent_imports_collectivity ON agent_imports (collectivity_id, expires_at);
