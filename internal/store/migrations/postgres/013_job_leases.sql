-- The leases of the scheduled jobs: job is held by holder (one running
-- portal) until expires_at (Unix seconds), so that two portals on one
-- database never run the same job at once. A holder renews its lease
-- before it runs; another takes it only once it has expired.
CREATE TABLE job_leases (
    job        TEXT    NOT NULL PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at BIGINT  NOT NULL
);
