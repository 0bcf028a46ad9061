-- Customer categories (managed in the admin portal; these four are the defaults). Public ones are
-- offered on the registration form.
CREATE TABLE categories (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    is_public    BIGINT NOT NULL DEFAULT 1,
    sort_order   BIGINT NOT NULL DEFAULT 0,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
INSERT INTO categories (id, code, name, description, is_public, sort_order, created_at, created_by, updated_at, updated_by) VALUES
    ('019ab9a0-0000-7000-8000-000000000001', 'sip_trunk', 'SIP Trunk', 'Wholesale and retail SIP trunking', 1, 10, '2026-11-25T00:00:00.000000Z', 'system', '2026-11-25T00:00:00.000000Z', 'system'),
    ('019ab9a0-0000-7000-8000-000000000002', 'enterprise', 'Enterprise', 'Businesses with many users and sites', 1, 20, '2026-11-25T00:00:00.000000Z', 'system', '2026-11-25T00:00:00.000000Z', 'system'),
    ('019ab9a0-0000-7000-8000-000000000003', 'call_center', 'Call Center', 'High-volume inbound and outbound calling', 1, 30, '2026-11-25T00:00:00.000000Z', 'system', '2026-11-25T00:00:00.000000Z', 'system'),
    ('019ab9a0-0000-7000-8000-000000000004', 'individual', 'Individual', 'Personal numbers and calling', 1, 40, '2026-11-25T00:00:00.000000Z', 'system', '2026-11-25T00:00:00.000000Z', 'system');

ALTER TABLE tenants ADD COLUMN category_id TEXT REFERENCES categories (id);

-- Sign-in state of a user.
ALTER TABLE users ADD COLUMN totp_secret TEXT;            -- encrypted with the server's secret key
ALTER TABLE users ADD COLUMN totp_enabled_at TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;       -- a code is accepted once
ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT;
ALTER TABLE users ADD COLUMN last_login_at TEXT;

-- Sessions: the cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    csrf_token    TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    remember      BIGINT NOT NULL DEFAULT 0,
    ip            TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT '',
    expires_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Every sign-in attempt, successful or not. Also the source of the per-IP rate limit.
CREATE TABLE login_attempts (
    id          TEXT PRIMARY KEY,
    user_id     TEXT REFERENCES users (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    ip          TEXT NOT NULL,
    user_agent  TEXT NOT NULL DEFAULT '',
    success     BIGINT NOT NULL,
    reason      TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);
CREATE INDEX login_attempts_user ON login_attempts (user_id, created_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, created_at);

-- One-time tokens sent by e-mail (verification, password reset); only the hash is stored.
CREATE TABLE email_tokens (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Two-factor recovery codes, each usable once; stored hashed.
CREATE TABLE recovery_codes (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL,
    used_at     TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Invitations to join a tenant's team with a role.
CREATE TABLE invitations (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    expires_at   TEXT NOT NULL,
    accepted_at  TEXT,
    revoked_at   TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT
);
CREATE INDEX invitations_tenant ON invitations (tenant_id, created_at);

-- API keys: the key id is public, the secret is shown once and only its SHA-256 is kept.
CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    secret_hash   TEXT NOT NULL,
    expires_at    TEXT,
    revoked_at    TEXT,
    last_used_at  TEXT,
    last_used_ip  TEXT,
    created_at    TEXT NOT NULL,
    created_by    TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at);

-- Every e-mail DIDtron sends. With no mail provider configured this is where mail goes, and a
-- super admin reads it in the admin portal; with SMTP it is the delivery log.
CREATE TABLE mail_outbox (
    id          TEXT PRIMARY KEY,
    to_address  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    template    TEXT NOT NULL,
    transport   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('stored', 'sent', 'failed')),
    attempts    BIGINT NOT NULL DEFAULT 0,
    last_error  TEXT,
    sent_at     TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);
CREATE INDEX mail_outbox_created ON mail_outbox (created_at);
