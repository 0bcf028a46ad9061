-- Wholesale carriers DIDtron buys termination from.
CREATE TABLE carriers (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL UNIQUE,
    hosts        TEXT NOT NULL DEFAULT '[]',   -- JSON list of "host" or "host:port"
    port         BIGINT NOT NULL DEFAULT 5060,
    transport    TEXT NOT NULL DEFAULT 'udp',
    tech_prefix  TEXT NOT NULL DEFAULT '',
    auth         TEXT NOT NULL DEFAULT 'ip',
    channels     BIGINT NOT NULL DEFAULT 0,
    cps          BIGINT NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'active',
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);

-- Each import of a carrier's rates. The newest accepted deck is in force (status active); earlier
-- ones are kept as history (superseded); a deck with bad rows is kept only as its report (rejected).
CREATE TABLE rate_decks (
    id           TEXT PRIMARY KEY,
    carrier_id   TEXT NOT NULL REFERENCES carriers (id),
    source       TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('queued', 'importing', 'active', 'superseded', 'rejected')),
    row_count    BIGINT NOT NULL DEFAULT 0,
    processed    BIGINT NOT NULL DEFAULT 0,
    report       TEXT,                           -- JSON: errors with line numbers, or a summary
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
CREATE INDEX rate_decks_carrier ON rate_decks (carrier_id, created_at);

-- The rows of every deck. Rates and fees in micro-units per minute; increments in seconds.
CREATE TABLE rates (
    deck_id               TEXT NOT NULL REFERENCES rate_decks (id) ON DELETE CASCADE,
    carrier_id            TEXT NOT NULL,
    prefix                TEXT NOT NULL,
    destination           TEXT NOT NULL DEFAULT '',
    rate                  BIGINT NOT NULL,
    connection_fee        BIGINT NOT NULL DEFAULT 0,
    initial_increment     BIGINT NOT NULL DEFAULT 60,
    subsequent_increment  BIGINT NOT NULL DEFAULT 60,
    effective_from        TEXT NOT NULL,
    PRIMARY KEY (deck_id, prefix, effective_from)
);
CREATE INDEX rates_prefix ON rates (prefix);
