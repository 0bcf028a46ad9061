-- Carriers get a priority for priority-ordered LCR profiles (lower first).
ALTER TABLE carriers ADD COLUMN priority BIGINT NOT NULL DEFAULT 100;

-- Customer (sell) rate cards: derived from carrier rates plus a margin, or uploaded rates.
-- Margins: percent in millionths of a percent (15 % = 15000000), fixed in micro-units per minute.
CREATE TABLE rate_cards (
    id            TEXT PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT 'derived' CHECK (source IN ('derived', 'uploaded')),
    currency      TEXT NOT NULL DEFAULT 'USD',
    margin_type   TEXT NOT NULL DEFAULT 'percent' CHECK (margin_type IN ('percent', 'fixed')),
    margin        BIGINT NOT NULL DEFAULT 0,
    overrides     TEXT NOT NULL DEFAULT '[]',   -- JSON list of {prefix, margin_type, margin}
    status        TEXT NOT NULL DEFAULT 'active',
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT
);

-- The rates of uploaded rate cards (the card's current upload; each upload replaces them whole).
CREATE TABLE sell_rates (
    card_id               TEXT NOT NULL REFERENCES rate_cards (id) ON DELETE CASCADE,
    prefix                TEXT NOT NULL,
    destination           TEXT NOT NULL DEFAULT '',
    rate                  BIGINT NOT NULL,
    connection_fee        BIGINT NOT NULL DEFAULT 0,
    initial_increment     BIGINT NOT NULL DEFAULT 60,
    subsequent_increment  BIGINT NOT NULL DEFAULT 60,
    effective_from        TEXT NOT NULL,
    PRIMARY KEY (card_id, prefix, effective_from)
);

-- Route groups: carriers bundled with an order (1 = primary, 2 = backup…) and load shares.
CREATE TABLE route_groups (
    id            TEXT PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    members       TEXT NOT NULL DEFAULT '[]',   -- JSON list of {carrier_id, order, share}
    status        TEXT NOT NULL DEFAULT 'active',
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT
);

-- Routes: a destination prefix sent to a carrier or a route group first, optionally for one
-- voice tier; assigned by scope (a customer-only route is a custom route).
CREATE TABLE routes (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    prefix          TEXT NOT NULL,
    carrier_id      TEXT REFERENCES carriers (id),
    route_group_id  TEXT REFERENCES route_groups (id),
    tier_id         TEXT REFERENCES voice_tiers (id),
    priority        BIGINT NOT NULL DEFAULT 100,
    failover        BIGINT NOT NULL DEFAULT 1,
    status          TEXT NOT NULL DEFAULT 'active',
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    created_by      TEXT,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT
);
CREATE INDEX routes_prefix ON routes (prefix);

-- LCR profiles: how candidates are ordered and the margin guard; assigned by scope.
CREATE TABLE lcr_profiles (
    id                  TEXT PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    strategy            TEXT NOT NULL DEFAULT 'cost' CHECK (strategy IN ('cost', 'quality', 'priority')),
    quality_weight      BIGINT NOT NULL DEFAULT 100,
    min_margin          BIGINT NOT NULL DEFAULT 0,
    allow_below_margin  BIGINT NOT NULL DEFAULT 0,
    status              TEXT NOT NULL DEFAULT 'active',
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    created_by          TEXT,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT
);

-- Each carrier's measured call quality (written by monitoring): answer-seizure ratio in per mille,
-- average call duration in seconds, post-dial delay in milliseconds, over `calls` calls.
CREATE TABLE carrier_quality (
    carrier_id  TEXT PRIMARY KEY REFERENCES carriers (id) ON DELETE CASCADE,
    asr_permille BIGINT NOT NULL,
    acd_seconds BIGINT NOT NULL,
    pdd_ms      BIGINT NOT NULL,
    calls       BIGINT NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);

-- Files waiting for background work (a large rate deck being imported by the job queue).
-- BYTEA on PostgreSQL; SQLite keeps the bytes as a BLOB whatever the declared type.
CREATE TABLE uploads (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    content     BYTEA NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);

-- A deck imported in the background points at its file until the import ends.
ALTER TABLE rate_decks ADD COLUMN upload_id TEXT;
