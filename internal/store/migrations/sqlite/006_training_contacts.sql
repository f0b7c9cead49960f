-- "CORRESPONDANTS FORMATION": the people of a CT the CNFPT may contact
-- about training. Contacts, not logins.
CREATE TABLE training_contacts (
    id              INTEGER PRIMARY KEY,
    collectivity_id INTEGER NOT NULL REFERENCES collectivities(id) ON DELETE CASCADE,
    civility        TEXT    NOT NULL CHECK (civility IN ('M', 'Mme')),
    last_name       TEXT    NOT NULL,
    first_name      TEXT    NOT NULL,
    function        TEXT    NOT NULL DEFAULT '',
    email           TEXT    NOT NULL,
    phone           TEXT    NOT NULL DEFAULT '',
    perimeter       TEXT    NOT NULL DEFAULT '',
    -- nom, prénom and courriel as domain.TrainingContact.PersonKey folds them
    person_key      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
-- One person is one correspondant of a CT, whatever the code does.
CREATE UNIQUE INDEX training_contacts_person ON training_contacts (collectivity_id, person_key);
