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
