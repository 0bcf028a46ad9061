-- Sign-in guards: failed sign-ins in a row and the lock, per e-mail address as typed (normalised),
-- whether or not an account has that address, so a lock does not reveal which addresses are real.
-- A sign-in reserves its try here (failures + 1, refused at the limit) before the password is
-- checked, so parallel tries cannot get more checks than the limit.
CREATE TABLE sign_in_guards (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    failures      BIGINT NOT NULL DEFAULT 0,
    locked_until  TEXT,
    created_at    TEXT NOT NULL,
    created_by    TEXT,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT
);
CREATE INDEX sign_in_guards_updated ON sign_in_guards (updated_at);

-- The person whose rights an API key stands on. A key never does more than this person's current
-- role allows, and stops working when the person leaves. (A key made by a key belongs to the person
-- behind that key.)
ALTER TABLE api_keys ADD COLUMN owner_id TEXT;
UPDATE api_keys SET owner_id = created_by WHERE created_by IN (SELECT id FROM users);
UPDATE api_keys SET owner_id = (SELECT p.created_by FROM api_keys p WHERE 'key:' || p.id = api_keys.created_by)
    WHERE owner_id IS NULL AND created_by LIKE 'key:%';
CREATE INDEX api_keys_owner ON api_keys (owner_id);

-- When the password was last set; keys made before it are offered for revocation after a reset.
ALTER TABLE users ADD COLUMN password_changed_at TEXT;

-- Whether the links of a mail were removed from the outbox copy (it was handed to SMTP, so the
-- outbox is a delivery log, not the delivery).
ALTER TABLE mail_outbox ADD COLUMN links_redacted BIGINT NOT NULL DEFAULT 0;

CREATE INDEX email_tokens_created ON email_tokens (user_id, purpose, created_at);
CREATE INDEX login_attempts_email ON login_attempts (email, created_at);
CREATE INDEX mail_outbox_to ON mail_outbox (to_address, template, created_at);
