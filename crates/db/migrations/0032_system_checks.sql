-- What every instance sharing this database must agree on, recorded by the first one to start:
-- a check of the secret key (a MAC of a fixed label under the key, never the key itself) and the
-- mark of the local file store. An instance whose key or file store does not match refuses to
-- start, instead of failing later on secrets it cannot open or files it cannot find.
CREATE TABLE system_checks (
    name         TEXT PRIMARY KEY,
    value        TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
