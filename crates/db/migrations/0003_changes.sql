-- Groups within a customer category. A customer is in one category and at most one of its groups.
CREATE TABLE customer_groups (
    id           TEXT PRIMARY KEY,
    category_id  TEXT NOT NULL REFERENCES categories (id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    sort_order   BIGINT NOT NULL DEFAULT 0,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT,
    UNIQUE (category_id, code)
);
ALTER TABLE tenants ADD COLUMN group_id TEXT REFERENCES customer_groups (id);
CREATE INDEX tenants_category ON tenants (category_id, group_id);

-- Scoped assignment of every kind of record: one row per (record, scope).
-- scope_kind: all | category | group | customer | private; exclude = 1 removes instead of grants.
CREATE TABLE assignments (
    id           TEXT PRIMARY KEY,
    record_kind  TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    scope_kind   TEXT NOT NULL CHECK (scope_kind IN ('all', 'category', 'group', 'customer', 'private')),
    scope_id     TEXT,
    exclude      BIGINT NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
CREATE INDEX assignments_record ON assignments (record_kind, record_id);
CREATE INDEX assignments_scope ON assignments (scope_kind, scope_id);

-- Every saved state of every configuration record: the full record after the change (NULL when
-- deleted) and before it.
CREATE TABLE config_versions (
    id           TEXT PRIMARY KEY,
    record_kind  TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    version      BIGINT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'rollback')),
    snapshot     TEXT,
    previous     TEXT,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT,
    UNIQUE (record_kind, record_id, version)
);

-- Staged changes: previewed as a diff with impact, then pushed or discarded.
CREATE TABLE config_drafts (
    id            TEXT PRIMARY KEY,
    record_kind   TEXT NOT NULL,
    record_id     TEXT,
    operation     TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    payload       TEXT NOT NULL,
    base_version  BIGINT,
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pushed', 'discarded')),
    note          TEXT NOT NULL DEFAULT '',
    pushed_at     TEXT,
    created_at    TEXT NOT NULL,
    created_by    TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT
);
CREATE INDEX config_drafts_status ON config_drafts (status, created_at);

-- Every write by anyone: person, API key, automation, AI agent, system.
CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    actor_id     TEXT NOT NULL,
    actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system', 'automation', 'agent')),
    tenant_id    TEXT,
    action       TEXT NOT NULL,
    target_kind  TEXT NOT NULL,
    target_id    TEXT,
    old_values   TEXT,
    new_values   TEXT,
    ip           TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, created_at);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id);
CREATE INDEX audit_log_action ON audit_log (action, created_at);

-- Domain events, written in the same transaction as the change (the outbox), then dispatched.
CREATE TABLE events (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    tenant_id      TEXT,
    subject_id     TEXT,
    payload        TEXT NOT NULL,
    dispatched_at  TEXT,
    created_at     TEXT NOT NULL,
    created_by     TEXT,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT
);
CREATE INDEX events_pending ON events (dispatched_at, created_at);

-- The job queue. status: queued | running | succeeded | dead | cancelled.
CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'dead', 'cancelled')),
    attempts      BIGINT NOT NULL DEFAULT 0,
    max_attempts  BIGINT NOT NULL DEFAULT 3,
    run_at        TEXT NOT NULL,
    locked_by     TEXT,
    locked_until  TEXT,
    last_error    TEXT,
    started_at    TEXT,
    finished_at   TEXT,
    created_at    TEXT NOT NULL,
    created_by    TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT
);
CREATE INDEX jobs_ready ON jobs (status, run_at);
CREATE INDEX jobs_kind ON jobs (kind, created_at);

-- Recurring work (cron expressions with seconds: "sec min hour day month weekday").
CREATE TABLE schedules (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    cron         TEXT NOT NULL,
    job_kind     TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    enabled      BIGINT NOT NULL DEFAULT 1,
    next_run_at  TEXT NOT NULL,
    last_run_at  TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
