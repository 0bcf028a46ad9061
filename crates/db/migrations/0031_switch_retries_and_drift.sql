-- A push that failed on something passing (a 503, a timeout) waits until `retry_at` and runs
-- again, a few times, before it is marked failed.
ALTER TABLE switch_pushes ADD COLUMN retry_at TEXT;

-- A record's sync status may also be `drift`: its last push went through, but the last
-- reconciliation found the switch holding something else. (SQLite cannot change a CHECK, so the
-- table is made again with the wider one.)
CREATE TABLE switch_sync_status_v2 (
    record_kind     TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'synced', 'failed', 'drift')),
    version         BIGINT NOT NULL,
    last_error      TEXT,
    last_push_id    TEXT,
    synced_version  BIGINT,
    created_at      TEXT NOT NULL,
    created_by      TEXT,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT,
    PRIMARY KEY (record_kind, record_id)
);
INSERT INTO switch_sync_status_v2 (record_kind, record_id, status, version, last_error, last_push_id, synced_version, created_at, created_by, updated_at, updated_by)
    SELECT record_kind, record_id, status, version, last_error, last_push_id, synced_version, created_at, created_by, updated_at, updated_by FROM switch_sync_status;
DROP TABLE switch_sync_status;
ALTER TABLE switch_sync_status_v2 RENAME TO switch_sync_status;
CREATE INDEX switch_sync_status_status ON switch_sync_status (status);
