-- Mail preferences per training type: one row per account (or designation)
-- and type of the training_types table, so that a third type is a row, not
-- a column. A type without a row is Non, except for the historical
-- manager, who receives every type while open. The two columns of the
-- notice's types are moved here, then dropped.
CREATE TABLE account_mail_prefs (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    type_code  TEXT    NOT NULL REFERENCES training_types(code),
    receives   BOOLEAN NOT NULL,
    PRIMARY KEY (account_id, type_code)
);
INSERT INTO account_mail_prefs (account_id, type_code, receives)
    SELECT id, 'integration', mail_integration FROM accounts WHERE role <> 'staff';
INSERT INTO account_mail_prefs (account_id, type_code, receives)
    SELECT id, 'inter', mail_inter FROM accounts WHERE role <> 'staff';
ALTER TABLE accounts DROP COLUMN mail_integration;
ALTER TABLE accounts DROP COLUMN mail_inter;

-- The preferences a designation offers the designated principal.
CREATE TABLE designation_mail_prefs (
    designation_id INTEGER NOT NULL REFERENCES designations(id) ON DELETE CASCADE,
    type_code      TEXT    NOT NULL REFERENCES training_types(code),
    receives       BOOLEAN NOT NULL,
    PRIMARY KEY (designation_id, type_code)
);
INSERT INTO designation_mail_prefs (designation_id, type_code, receives)
    SELECT id, 'integration', mail_integration FROM designations;
INSERT INTO designation_mail_prefs (designation_id, type_code, receives)
    SELECT id, 'inter', mail_inter FROM designations;
ALTER TABLE designations DROP COLUMN mail_integration;
ALTER TABLE designations DROP COLUMN mail_inter;
