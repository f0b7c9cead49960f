-- When the person of an operator account accepted its invitation: from
-- then on the account only waits for its password, which "Mot de passe
-- oublié ?" may set, and there is no invitation left to resend.
ALTER TABLE accounts ADD COLUMN accepted_at INTEGER;

-- The answer given with an invitation link ('accepted' or 'refused'): a
-- link used by an answer shows what was answered, where a link that died
-- unanswered (a newer one sent, the account changed) says it cannot serve.
ALTER TABLE tokens ADD COLUMN answer TEXT;
