-- Values every process of one portal shares, such as the key that signs
-- device cookies: made once, at the first start, and kept.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
