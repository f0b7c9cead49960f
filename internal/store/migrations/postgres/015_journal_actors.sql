-- The journal's "Compte" filter: who appears in a CT's journal, and the
-- entries of one account, read from the index alone.
CREATE INDEX journal_collectivity_account ON journal (collectivity_id, account_id, id);
