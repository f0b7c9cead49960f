-- The journal: every change made through the portal or the command line,
-- appended in the transaction of the change. The actor is kept as it was
-- (name and role at the time), so that deleting an account keeps its lines.
CREATE TABLE journal (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              BIGINT NOT NULL,
    collectivity_id BIGINT REFERENCES collectivities(id),
    account_id      BIGINT,
    actor_name      TEXT   NOT NULL,
    actor_role      TEXT   NOT NULL,
    addr            TEXT   NOT NULL,
    kind            TEXT   NOT NULL,
    what            TEXT   NOT NULL,
    fields          TEXT   NOT NULL
);
CREATE INDEX journal_collectivity ON journal (collectivity_id, id);

-- Append-only, whatever the code does.
CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'journal: entries are append-only';
END;
$$;
CREATE TRIGGER journal_no_change BEFORE UPDATE OR DELETE ON journal
FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();
