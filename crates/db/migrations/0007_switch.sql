-- The switch objects DIDtron made for its records: which record owns each, the id the switch gave it
-- and the body last sent (what a rollback restores, and what a no-change push compares with).
CREATE TABLE switch_objects (
    id           TEXT PRIMARY KEY,
    owner_kind   TEXT NOT NULL,
    owner_id     TEXT NOT NULL,
    object       TEXT NOT NULL,      -- carrier, carrier_ip, route, rate_card, server…
    local_key    TEXT NOT NULL,      -- unique per object kind: the record id, or id/host
    remote_id    TEXT NOT NULL,
    parent_key   TEXT,               -- local_key of the parent object, for objects under another
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT,
    UNIQUE (object, local_key)
);
CREATE INDEX switch_objects_owner ON switch_objects (owner_kind, owner_id);

-- The embedded switch (driver "local"): the objects a real switch would hold.
CREATE TABLE switch_local (
    id           TEXT PRIMARY KEY,
    object       TEXT NOT NULL,
    parent_id    TEXT,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
CREATE INDEX switch_local_object ON switch_local (object, parent_id);

-- Each push of a record to the switch, and how it ended.
CREATE TABLE switch_pushes (
    id           TEXT PRIMARY KEY,
    record_kind  TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    version      BIGINT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'running', 'synced', 'failed')),
    operations   TEXT NOT NULL DEFAULT '[]',  -- JSON: the planned operations
    error        TEXT,
    rolled_back  BIGINT NOT NULL DEFAULT 0,
    attempts     BIGINT NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
CREATE INDEX switch_pushes_status ON switch_pushes (status, created_at);
CREATE INDEX switch_pushes_record ON switch_pushes (record_kind, record_id, created_at);

-- Every call made to the switch, with its request and response.
CREATE TABLE switch_calls (
    id           TEXT PRIMARY KEY,
    push_id      TEXT,
    purpose      TEXT NOT NULL,      -- push, rollback, reconcile, test
    driver       TEXT NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    request      TEXT,
    status       BIGINT,
    response     TEXT,
    error        TEXT,
    attempt      BIGINT NOT NULL DEFAULT 1,
    millis       BIGINT NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
CREATE INDEX switch_calls_created ON switch_calls (created_at);
CREATE INDEX switch_calls_push ON switch_calls (push_id);

-- The sync state of every synced record, shown next to it.
CREATE TABLE switch_sync_status (
    record_kind     TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'synced', 'failed')),
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

-- Reconciliation runs: what differed between DIDtron and the switch.
CREATE TABLE switch_reconciliations (
    id           TEXT PRIMARY KEY,
    status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    checked      BIGINT NOT NULL DEFAULT 0,
    drift_count  BIGINT NOT NULL DEFAULT 0,
    drift        TEXT NOT NULL DEFAULT '[]',  -- JSON list of {object, local_key, remote_id, problem, fields}
    error        TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);

-- Events the switch sent to DIDtron's webhook.
CREATE TABLE switch_webhooks (
    id           TEXT PRIMARY KEY,
    event        TEXT NOT NULL,
    payload      TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
CREATE INDEX switch_webhooks_created ON switch_webhooks (created_at);
