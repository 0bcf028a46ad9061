-- Tenants: the platform (the operator's own staff), customer accounts and carrier accounts.
CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('platform', 'customer', 'carrier')),
    name        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);
CREATE INDEX tenants_kind ON tenants (kind, created_at);

-- People who sign in. Each belongs to exactly one tenant and has one role in it.
CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    email              TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    role               TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    email_verified_at  TEXT,
    created_at         TEXT NOT NULL,
    created_by         TEXT,
    updated_at         TEXT NOT NULL,
    updated_by         TEXT
);
CREATE INDEX users_tenant ON users (tenant_id);

-- Platform-wide settings the super admin changes in the admin portal (configuration: versioned).
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);
