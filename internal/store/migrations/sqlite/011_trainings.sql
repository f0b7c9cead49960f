-- Trainings. The types are data: a third type is a row, not code (the
-- mail preferences of accounts still name the two of the notice).
CREATE TABLE training_types (
    code     TEXT    PRIMARY KEY,
    label    TEXT    NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO training_types (code, label, position) VALUES
    ('integration', 'Formation d''intégration', 1),
    ('inter', 'Formation inter', 2);

-- The sessions staff publish. Days are AAAA-MM-JJ, which sort as text.
-- title_key and place_key are the intitulé and the lieu folded (no case,
-- no accents) for the catalogue's search. taken counts the registrations
-- acceptée, présent or absent: the places taken, kept with the row that
-- every decision locks, and never above the capacity.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    title_key    TEXT    NOT NULL,
    type         TEXT    NOT NULL REFERENCES training_types(code),
    starts_on    TEXT    NOT NULL CHECK (length(starts_on) = 10),
    ends_on      TEXT    NOT NULL CHECK (length(ends_on) = 10 AND ends_on >= starts_on),
    hours        TEXT    NOT NULL,
    place        TEXT    NOT NULL,
    place_key    TEXT    NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    deadline     TEXT    NOT NULL CHECK (length(deadline) = 10 AND deadline <= starts_on),
    audience     TEXT    NOT NULL,
    taken        INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
    cancelled_at INTEGER,
    cancel_motif TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX sessions_catalogue ON sessions (starts_on, id);
CREATE INDEX sessions_type ON sessions (type, starts_on, id);

-- The registrations of agents to sessions. One live registration (not
-- annulée) per agent and session; created_at, then id, orders the waiting
-- list. reminded_at marks the reminder sent, once.
CREATE TABLE registrations (
    id              INTEGER PRIMARY KEY,
    session_id      INTEGER NOT NULL REFERENCES sessions(id),
    collectivity_id INTEGER NOT NULL REFERENCES collectivities(id) ON DELETE CASCADE,
    agent_id        INTEGER NOT NULL REFERENCES agents(id),
    state           TEXT    NOT NULL CHECK (state IN ('sent', 'accepted', 'refused', 'waiting', 'cancelled', 'present', 'absent')),
    motif           TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    decided_at      INTEGER NOT NULL,
    reminded_at     INTEGER
);
CREATE UNIQUE INDEX registrations_live ON registrations (session_id, agent_id) WHERE state <> 'cancelled';
CREATE INDEX registrations_session ON registrations (session_id, state, created_at, id);
CREATE INDEX registrations_collectivity ON registrations (collectivity_id, id);
CREATE INDEX registrations_agent ON registrations (agent_id);
CREATE INDEX registrations_reminder ON registrations (state, reminded_at);

-- A CSV import of sessions between its preview and its confirmation: the
-- file's sessions as read and checked, kept on the server so that the
-- confirmation applies what the preview showed, never a file sent again.
-- applied_at makes the confirmation single-use.
CREATE TABLE session_imports (
    id            TEXT    PRIMARY KEY,
    account_id    INTEGER NOT NULL,
    file_name     TEXT    NOT NULL,
    encoding      TEXT    NOT NULL,
    sessions_json TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    applied_at    INTEGER
);
CREATE INDEX session_imports_created ON session_imports (created_at);
