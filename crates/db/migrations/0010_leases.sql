-- Named leases: work that must run in one place at a time across instances (pushes to the switch)
-- holds a lease until it is done or the lease runs out (a crashed holder does not block for ever).
CREATE TABLE leases (
    name         TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
