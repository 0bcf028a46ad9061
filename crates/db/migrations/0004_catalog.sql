-- Channel/CPS plans: how many simultaneous calls and calls per second a customer may make, and the
-- monthly price (micro-units of the currency). Assigned by scope; private plans are enterprise deals.
CREATE TABLE channel_plans (
    id             TEXT PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    channels       BIGINT NOT NULL,
    cps            BIGINT NOT NULL,
    monthly_price  BIGINT NOT NULL DEFAULT 0,
    currency       TEXT NOT NULL DEFAULT 'USD',
    status         TEXT NOT NULL DEFAULT 'active',
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    created_by     TEXT,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT
);

-- Points of presence: where customers' SIP traffic enters the network.
CREATE TABLE pops (
    id                 TEXT PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    region             TEXT NOT NULL DEFAULT '',
    sip_hosts          TEXT NOT NULL,          -- JSON list of "host" or "host:port"
    port               BIGINT NOT NULL DEFAULT 5060,
    transport          TEXT NOT NULL DEFAULT 'udp',
    capacity_channels  BIGINT NOT NULL DEFAULT 0,
    status             TEXT NOT NULL DEFAULT 'active',
    version            BIGINT NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    created_by         TEXT,
    updated_at         TEXT NOT NULL,
    updated_by         TEXT
);

-- Voice quality tiers with their targets and price per minute (micro-units).
CREATE TABLE voice_tiers (
    id               TEXT PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    target_asr       BIGINT NOT NULL,
    target_pdd_ms    BIGINT NOT NULL,
    rate_per_minute  BIGINT NOT NULL DEFAULT 0,
    currency         TEXT NOT NULL DEFAULT 'USD',
    status           TEXT NOT NULL DEFAULT 'active',
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    created_by       TEXT,
    updated_at       TEXT NOT NULL,
    updated_by       TEXT
);

-- Codecs, in priority order (lower first).
CREATE TABLE codecs (
    id            TEXT PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    payload_type  BIGINT,
    priority      BIGINT NOT NULL DEFAULT 100,
    status        TEXT NOT NULL DEFAULT 'active',
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT
);

-- How SIP trunks authenticate: username/password, IP, or both.
CREATE TABLE auth_methods (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    method      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active',
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);

-- Countries whose numbers are sold, with KYC rules and prices (micro-units).
CREATE TABLE did_countries (
    id                  TEXT PRIMARY KEY,
    iso_code            TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    kyc_required        BIGINT NOT NULL DEFAULT 0,
    kyc_type            TEXT NOT NULL DEFAULT 'none',
    required_documents  TEXT NOT NULL DEFAULT '[]',  -- JSON list of document names
    setup_price         BIGINT NOT NULL DEFAULT 0,
    monthly_price       BIGINT NOT NULL DEFAULT 0,
    currency            TEXT NOT NULL DEFAULT 'USD',
    status              TEXT NOT NULL DEFAULT 'active',
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    created_by          TEXT,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT
);

-- Suppliers of numbers. `adapter` names the connection; `local` keeps its inventory in did_inventory.
CREATE TABLE did_providers (
    id                TEXT PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    adapter           TEXT NOT NULL DEFAULT 'local',
    countries         TEXT NOT NULL DEFAULT '[]',        -- JSON list of ISO codes served
    status            TEXT NOT NULL DEFAULT 'active',
    last_sync_at      TEXT,
    last_sync_status  TEXT,
    last_sync_result  TEXT,
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    created_by        TEXT,
    updated_at        TEXT NOT NULL,
    updated_by        TEXT
);

-- Numbers a provider offers. For the local provider this table is the inventory itself.
CREATE TABLE did_inventory (
    id           TEXT PRIMARY KEY,
    provider_id  TEXT NOT NULL REFERENCES did_providers (id) ON DELETE CASCADE,
    number       TEXT NOT NULL UNIQUE,   -- E.164, with the leading +
    country      TEXT NOT NULL,
    area         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'reserved', 'assigned')),
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
CREATE INDEX did_inventory_lookup ON did_inventory (provider_id, country, status);
