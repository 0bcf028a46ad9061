-- Each running `didtron serve` registers itself: which host and process it is, and when it last
-- said it was alive. Leases and running jobs name the instance that holds them, so an instance
-- that starts again on the same host can free what its killed predecessor held at once, instead
-- of every push waiting for the predecessor's leases to run out.
CREATE TABLE instances (
    id            TEXT PRIMARY KEY,
    host          TEXT NOT NULL,
    pid           BIGINT NOT NULL,
    version       TEXT NOT NULL DEFAULT '',
    started_at    TEXT NOT NULL,
    heartbeat_at  TEXT NOT NULL,
    stopped_at    TEXT,
    created_at    TEXT NOT NULL,
    created_by    TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT
);
CREATE INDEX instances_host ON instances (host, stopped_at);

ALTER TABLE leases ADD COLUMN instance_id TEXT;
ALTER TABLE jobs ADD COLUMN instance_id TEXT;
CREATE INDEX jobs_instance ON jobs (instance_id, status);
