-- When the person of an operator account accepted its invitation: from
-- then on the account only waits for its password, which "Mot de passe
-- oublié ?" may set, and there is no invitation left to resend.
ALTER TABLE accounts ADD COLUMN accepted_at INTEGER;
