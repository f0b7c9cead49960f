-- The files attached to an e-mail of the outbox (convocation, attestation,
-- calendar event), in order; deleted with the e-mail's bodies once it is
-- delivered or given up.
CREATE TABLE outbox_attachments (
    outbox_id    INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    PRIMARY KEY (outbox_id, position)
);
