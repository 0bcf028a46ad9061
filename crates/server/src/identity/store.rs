//! Identity's SQL, all of it: users and tenants, sessions, sign-in attempts and guards, e-mail
//! tokens, 2FA, invitations and API keys. Functions that touch a tenant's records take the tenant
//! as an argument, so a tenant filter cannot be forgotten.
//!
//! Single statements take any executor: the pool (`db.pool()`) for a write that stands alone, or
//! the connection of a unit of work (`work.conn()`) for a write that is audited with others.

use didtron_core::id::new_id;
use didtron_db::{Bind, Db, Flag, ListQuery, Result};
use sqlx::{Any, AnyConnection, Executor};

use super::api_keys::ApiKey;
use super::profile::{LoginAttempt, SessionInfo};
use super::auth::PublicCategory;
use super::team::{Invitation, Member};

// ---- tenants and users -------------------------------------------------------------------------

/// The operator's own tenant, when it exists.
pub async fn platform_tenant(db: &Db) -> Result<Option<String>> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT id FROM tenants WHERE kind = 'platform' ORDER BY created_at LIMIT 1").fetch_optional(db.pool()).await?;
    Ok(found.map(|r| r.0))
}

pub struct NewTenant<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub category_id: Option<&'a str>,
    pub now: &'a str,
    pub actor: &'a str,
}

pub async fn insert_tenant<'c>(conn: impl Executor<'c, Database = Any>, t: NewTenant<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO tenants (id, kind, name, category_id, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $5, $6)",
    )
    .bind(t.id)
    .bind(t.kind)
    .bind(t.name)
    .bind(t.category_id)
    .bind(t.now)
    .bind(t.actor)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn tenant_kind(db: &Db, tenant_id: &str) -> Result<String> {
    let (kind,): (String,) = sqlx::query_as("SELECT kind FROM tenants WHERE id = $1").bind(tenant_id).fetch_one(db.pool()).await?;
    Ok(kind)
}

pub async fn tenant_name(db: &Db, tenant_id: &str) -> Result<String> {
    let (name,): (String,) = sqlx::query_as("SELECT name FROM tenants WHERE id = $1").bind(tenant_id).fetch_one(db.pool()).await?;
    Ok(name)
}

pub async fn user_count(db: &Db) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(db.pool()).await?;
    Ok(n)
}

/// A user as stored, written once.
pub struct NewUser<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub verified_at: Option<&'a str>,
    pub now: &'a str,
    /// Who created the row: the person themselves, or `system`.
    pub actor: &'a str,
}

/// Inserts a user. An address that is taken is a [`didtron_db::Error::Conflict`].
pub async fn insert_user<'c>(conn: impl Executor<'c, Database = Any>, u: NewUser<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, tenant_id, email, name, password_hash, role, email_verified_at, password_changed_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $8, $9)",
    )
    .bind(u.id)
    .bind(u.tenant_id)
    .bind(u.email)
    .bind(u.name)
    .bind(u.password_hash)
    .bind(u.role)
    .bind(u.verified_at)
    .bind(u.now)
    .bind(u.actor)
    .execute(conn)
    .await?;
    Ok(())
}

/// The user with this address and their tenant.
pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as("SELECT id, tenant_id FROM users WHERE email = $1").bind(email).fetch_optional(db.pool()).await?)
}

pub async fn unverified_user_by_email(db: &Db, email: &str) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM users WHERE email = $1 AND email_verified_at IS NULL").bind(email).fetch_optional(db.pool()).await?;
    Ok(row.map(|r| r.0))
}

pub async fn mark_verified<'c>(conn: impl Executor<'c, Database = Any>, user_id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1), updated_at = $1, updated_by = id WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets a new password. `proves_address`: the change came through a link mailed to the address,
/// which verifies it too.
pub async fn set_password<'c>(conn: impl Executor<'c, Database = Any>, user_id: &str, hash: &str, proves_address: bool, now: &str) -> Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = $2,
         email_verified_at = CASE WHEN $3 = 1 THEN COALESCE(email_verified_at, $2) ELSE email_verified_at END,
         updated_at = $2, updated_by = id WHERE id = $4",
    )
    .bind(hash)
    .bind(now)
    .bind(if proves_address { 1_i64 } else { 0 })
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn password_hash(db: &Db, user_id: &str) -> Result<String> {
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1").bind(user_id).fetch_one(db.pool()).await?;
    Ok(hash)
}

pub async fn user_email(db: &Db, user_id: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_optional(db.pool()).await?;
    Ok(row.map(|r| r.0))
}

/// What the profile page shows of a user.
#[derive(sqlx::FromRow)]
pub struct Profile {
    pub email: String,
    pub name: String,
    #[sqlx(try_from = "Flag")]
    pub email_verified: bool,
    #[sqlx(try_from = "Flag")]
    pub two_factor: bool,
    pub tenant_id: String,
    pub password_changed_at: Option<String>,
}

pub async fn profile(db: &Db, user_id: &str) -> Result<Option<Profile>> {
    Ok(sqlx::query_as(
        "SELECT email, name, email_verified_at IS NOT NULL AS email_verified, totp_enabled_at IS NOT NULL AS two_factor, tenant_id, password_changed_at
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn user_name<'c>(conn: impl Executor<'c, Database = Any>, user_id: &str) -> Result<String> {
    let (name,): (String,) = sqlx::query_as("SELECT name FROM users WHERE id = $1").bind(user_id).fetch_one(conn).await?;
    Ok(name)
}

pub async fn rename_user<'c>(conn: impl Executor<'c, Database = Any>, user_id: &str, name: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE users SET name = $1, updated_at = $2, updated_by = id WHERE id = $3").bind(name).bind(now).bind(user_id).execute(conn).await?;
    Ok(())
}

/// The customer categories offered on the registration form.
pub async fn public_categories(db: &Db) -> Result<Vec<PublicCategory>> {
    Ok(sqlx::query_as("SELECT id, code, name, description FROM categories WHERE is_public = 1 ORDER BY sort_order, name").fetch_all(db.pool()).await?)
}

pub async fn public_category_exists(db: &Db, id: &str) -> Result<bool> {
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM categories WHERE id = $1 AND is_public = 1").bind(id).fetch_optional(db.pool()).await?;
    Ok(found.is_some())
}

// ---- e-mail tokens -----------------------------------------------------------------------------

pub async fn insert_email_token<'c>(
    conn: impl Executor<'c, Database = Any>,
    id: &str,
    user_id: &str,
    purpose: &str,
    token_hash: &str,
    expires_at: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO email_tokens (id, token_hash, purpose, user_id, expires_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'system', $6, 'system')",
    )
    .bind(id)
    .bind(token_hash)
    .bind(purpose)
    .bind(user_id)
    .bind(expires_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_email_token<'c>(conn: impl Executor<'c, Database = Any>, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM email_tokens WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// A token as stored: id, user, expiry, use.
pub async fn email_token(db: &Db, token_hash: &str, purpose: &str) -> Result<Option<(String, String, String, Option<String>)>> {
    Ok(sqlx::query_as("SELECT id, user_id, expires_at, used_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2")
        .bind(token_hash)
        .bind(purpose)
        .fetch_optional(db.pool())
        .await?)
}

/// Marks the token used; false when another request spent it first.
pub async fn spend_email_token<'c>(conn: impl Executor<'c, Database = Any>, id: &str, now: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE email_tokens SET used_at = $1, updated_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Voids every unused token of the user, of every purpose.
pub async fn void_email_tokens<'c>(conn: impl Executor<'c, Database = Any>, user_id: &str, now: &str) -> Result<u64> {
    let done = sqlx::query("UPDATE email_tokens SET used_at = $1, updated_at = $1, updated_by = 'system' WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

// ---- sign-in attempts and guards ---------------------------------------------------------------

/// Records a sign-in attempt before anything is checked, as a failure in progress (`pending`), so
/// that it counts against its address's limit while it runs.
pub async fn insert_pending_attempt(db: &Db, id: &str, email: &str, ip: &str, user_agent: &str, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO login_attempts (id, user_id, email, ip, user_agent, success, reason, created_at, created_by, updated_at, updated_by)
         VALUES ($1, NULL, $2, $3, $4, 0, 'pending', $5, 'system', $5, 'system')",
    )
    .bind(id)
    .bind(email)
    .bind(ip)
    .bind(user_agent)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Records how an attempt ended: success, or the reason it failed.
pub async fn finish_attempt<'c>(conn: impl Executor<'c, Database = Any>, id: &str, user_id: Option<&str>, reason: Option<&str>, now: &str) -> Result<()> {
    sqlx::query("UPDATE login_attempts SET user_id = $1, success = $2, reason = $3, updated_at = $4 WHERE id = $5")
        .bind(user_id)
        .bind(Flag(reason.is_none()))
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Failed or unfinished sign-ins from `ip` since `since`. Attempts that were refused before any
/// check (`ip_limited`, `busy`) and those that only lacked the second factor do not count.
pub async fn ip_failures(db: &Db, ip: &str, since: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM login_attempts
         WHERE ip = $1 AND created_at > $2 AND success = 0 AND reason NOT IN ('totp_required', 'ip_limited', 'busy')",
    )
    .bind(ip)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

/// Reserves one try at `email`: the address's failures in a row go up by one, unless it is locked
/// or `limit` tries are already counted. Returns the try's place (1 to `limit`), or `None` when
/// refused. One statement, so parallel tries cannot both take the last place.
pub async fn reserve_sign_in(db: &Db, email: &str, limit: i64, now: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO sign_in_guards (id, email, failures, locked_until, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, 1, NULL, $3, 'system', $3, 'system')
         ON CONFLICT (email) DO UPDATE SET failures = sign_in_guards.failures + 1, locked_until = NULL, updated_at = $3
         WHERE sign_in_guards.failures < $4 AND (sign_in_guards.locked_until IS NULL OR sign_in_guards.locked_until <= $3)
         RETURNING failures",
    )
    .bind(new_id())
    .bind(email)
    .bind(now)
    .bind(limit)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| r.0))
}

/// Locks the address until `until` when its tries are used up and it is not locked yet. Returns
/// the lock in force afterwards, if any.
pub async fn lock_when_full(db: &Db, email: &str, limit: i64, until: &str, now: &str) -> Result<Option<String>> {
    sqlx::query(
        "UPDATE sign_in_guards SET locked_until = $1, failures = 0, updated_at = $2
         WHERE email = $3 AND failures >= $4 AND (locked_until IS NULL OR locked_until <= $2)",
    )
    .bind(until)
    .bind(now)
    .bind(email)
    .bind(limit)
    .execute(db.pool())
    .await?;
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT locked_until FROM sign_in_guards WHERE email = $1").bind(email).fetch_optional(db.pool()).await?;
    Ok(row.and_then(|r| r.0).filter(|u| u.as_str() > now))
}

/// Locks the address until `until`, its count starting again afterwards.
pub async fn lock_sign_in<'c>(conn: impl Executor<'c, Database = Any>, email: &str, until: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE sign_in_guards SET locked_until = $1, failures = 0, updated_at = $2 WHERE email = $3")
        .bind(until)
        .bind(now)
        .bind(email)
        .execute(conn)
        .await?;
    Ok(())
}

/// Gives a reserved try back: the attempt ended without a password check that failed.
pub async fn release_sign_in(db: &Db, email: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE sign_in_guards SET failures = failures - 1, updated_at = $1 WHERE email = $2 AND failures > 0")
        .bind(now)
        .bind(email)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A right password: the failures in a row start again from zero (a lock set meanwhile stays).
pub async fn clear_sign_in_failures<'c>(conn: impl Executor<'c, Database = Any>, email: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE sign_in_guards SET failures = 0, updated_at = $1 WHERE email = $2").bind(now).bind(email).execute(conn).await?;
    Ok(())
}

/// A new password by a mailed link lifts the address's lock.
pub async fn lift_sign_in_lock<'c>(conn: impl Executor<'c, Database = Any>, email: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE sign_in_guards SET failures = 0, locked_until = NULL, updated_at = $1 WHERE email = $2")
        .bind(now)
        .bind(email)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets guards untouched since `before` and not locked now (addresses tried once, long ago).
pub async fn prune_sign_in_guards<'c>(conn: impl Executor<'c, Database = Any>, before: &str, now: &str) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sign_in_guards WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until <= $2)")
        .bind(before)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// What sign-in needs of a user.
#[derive(sqlx::FromRow)]
pub struct SignInRow {
    pub id: String,
    pub tenant_id: String,
    pub password_hash: String,
    pub status: String,
    pub email_verified_at: Option<String>,
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<String>,
    pub tenant_status: String,
}

pub async fn sign_in_row(db: &Db, email: &str) -> Result<Option<SignInRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.tenant_id, u.password_hash, u.status, u.email_verified_at, u.totp_secret, u.totp_enabled_at, t.status AS tenant_status
         FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn record_sign_in<'c>(conn: impl Executor<'c, Database = Any>, user_id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2").bind(now).bind(user_id).execute(conn).await?;
    Ok(())
}

/// A page of the user's sign-in attempts, newest first.
pub async fn login_history(db: &Db, user_id: &str, limit: i64, offset: i64) -> Result<(Vec<LoginAttempt>, i64)> {
    let q = ListQuery::new("id, ip, user_agent, success, reason, created_at", "FROM login_attempts")
        .filter("user_id = ?", [Bind::from(user_id)])
        .order_by("created_at DESC, id DESC");
    didtron_db::paged(db, &q, limit, offset).await
}

// ---- sessions ----------------------------------------------------------------------------------

/// A live session with its user, as a request sees it.
#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub csrf_token: String,
    #[sqlx(try_from = "Flag")]
    pub remember: bool,
    pub last_seen_at: String,
    pub tenant_id: String,
    pub kind: String,
    pub role: String,
}

pub async fn live_session(db: &Db, token_hash: &str, now: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.user_id, s.csrf_token, s.remember, s.last_seen_at, u.tenant_id, t.kind, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = u.tenant_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.status = 'active' AND t.status <> 'closed'",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn touch_session(db: &Db, id: &str, now: &str, expires_at: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2, updated_at = $1 WHERE id = $3")
        .bind(now)
        .bind(expires_at)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub struct NewSession<'a> {
    pub id: &'a str,
    pub token_hash: &'a str,
    pub csrf_token: &'a str,
    pub user_id: &'a str,
    pub remember: bool,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub expires_at: &'a str,
    pub now: &'a str,
}

pub async fn insert_session<'c>(conn: impl Executor<'c, Database = Any>, s: NewSession<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id, token_hash, csrf_token, user_id, remember, ip, user_agent, expires_at, last_seen_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $4, $9, $4)",
    )
    .bind(s.id)
    .bind(s.token_hash)
    .bind(s.csrf_token)
    .bind(s.user_id)
    .bind(Flag(s.remember))
    .bind(s.ip)
    .bind(s.user_agent)
    .bind(s.expires_at)
    .bind(s.now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends one session of the user; false when there is no such session of theirs.
pub async fn delete_session<'c>(conn: impl Executor<'c, Database = Any>, user_id: &str, session_id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2").bind(session_id).bind(user_id).execute(conn).await?;
    Ok(done.rows_affected() > 0)
}

/// Ends every session of the user, except `keep` when given.
pub async fn delete_sessions<'c>(conn: impl Executor<'c, Database = Any>, user_id: &str, keep: Option<&str>) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2").bind(user_id).bind(keep.unwrap_or("")).execute(conn).await?;
    Ok(done.rows_affected())
}

pub async fn sessions(db: &Db, user_id: &str, now: &str) -> Result<Vec<SessionInfo>> {
    Ok(sqlx::query_as(
        "SELECT id, ip, user_agent, remember, created_at, last_seen_at, expires_at FROM sessions
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(db.pool())
    .await?)
}

// ---- two-factor authentication -----------------------------------------------------------------

/// A user's 2FA state: address, password hash, sealed seed, when it was turned on.
#[derive(sqlx::FromRow)]
pub struct TwoFactorRow {
    pub email: String,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<String>,
}

pub async fn two_factor(db: &Db, user_id: &str) -> Result<TwoFactorRow> {
    Ok(sqlx::query_as("SELECT email, password_hash, totp_secret, totp_enabled_at FROM users WHERE id = $1").bind(user_id).fetch_one(db.pool()).await?)
}

/// Accepts a TOTP step once: a step seen before (or an older one) is refused.
pub async fn claim_totp_step(db: &Db, user_id: &str, step: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
        .bind(step)
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_totp_seed<'c>(conn: impl Executor<'c, Database = Any>, user_id: &str, sealed: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = NULL, updated_at = $2, updated_by = id WHERE id = $3")
        .bind(sealed)
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn enable_totp<'c>(conn: impl Executor<'c, Database = Any>, user_id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE users SET totp_enabled_at = $1, updated_at = $1, updated_by = id WHERE id = $2").bind(now).bind(user_id).execute(conn).await?;
    Ok(())
}

/// Turns 2FA off: the seed and the recovery codes go.
pub async fn disable_totp(conn: &mut AnyConnection, user_id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = $1, updated_by = id WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

/// Replaces the user's recovery codes with these hashes.
pub async fn replace_recovery_codes(conn: &mut AnyConnection, user_id: &str, code_hashes: &[String], now: &str) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    for hash in code_hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (id, user_id, code_hash, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $2, $4, $2)",
        )
        .bind(new_id())
        .bind(user_id)
        .bind(hash)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The unused recovery codes of the user: id and hash.
pub async fn unused_recovery_codes(db: &Db, user_id: &str) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as("SELECT id, code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL").bind(user_id).fetch_all(db.pool()).await?)
}

pub async fn spend_recovery_code(db: &Db, id: &str, now: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE recovery_codes SET used_at = $1, updated_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn recovery_codes_left(db: &Db, user_id: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL").bind(user_id).fetch_one(db.pool()).await?;
    Ok(n)
}

// ---- team --------------------------------------------------------------------------------------

pub async fn members(db: &Db, tenant_id: &str) -> Result<Vec<Member>> {
    Ok(sqlx::query_as(
        "SELECT id, email, name, role, email_verified_at IS NOT NULL AS email_verified, totp_enabled_at IS NOT NULL AS two_factor,
                last_login_at, created_at
         FROM users WHERE tenant_id = $1 ORDER BY created_at",
    )
    .bind(tenant_id)
    .fetch_all(db.pool())
    .await?)
}

/// The member's role in the tenant; `None` when they are not a member of it.
pub async fn member_role(db: &Db, tenant_id: &str, user_id: &str) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT role FROM users WHERE id = $1 AND tenant_id = $2").bind(user_id).bind(tenant_id).fetch_optional(db.pool()).await?;
    Ok(row.map(|r| r.0))
}

/// Active members of the tenant who hold `role`.
pub async fn role_holders(db: &Db, tenant_id: &str, role: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND role = $2 AND status = 'active'")
        .bind(tenant_id)
        .bind(role)
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

pub async fn set_member_role<'c>(conn: impl Executor<'c, Database = Any>, tenant_id: &str, user_id: &str, role: &str, now: &str, actor: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET role = $1, updated_at = $2, updated_by = $3 WHERE id = $4 AND tenant_id = $5")
        .bind(role)
        .bind(now)
        .bind(actor)
        .bind(user_id)
        .bind(tenant_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a member from the tenant: their sessions, codes and tokens go, their sign-in history
/// stays without them, and the API keys they hold are revoked. Returns the revoked keys' ids.
pub async fn remove_member(conn: &mut AnyConnection, tenant_id: &str, user_id: &str, now: &str, actor: &str) -> Result<Vec<String>> {
    let keys = revoke_keys_of(&mut *conn, tenant_id, user_id, now, actor).await?;
    for sql in [
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM email_tokens WHERE user_id = $1",
        "UPDATE login_attempts SET user_id = NULL WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM users WHERE id = $1 AND tenant_id = $2").bind(user_id).bind(tenant_id).execute(&mut *conn).await?;
    Ok(keys)
}

pub async fn pending_invitations(db: &Db, tenant_id: &str, now: &str) -> Result<Vec<Invitation>> {
    Ok(sqlx::query_as(
        "SELECT id, email, role, expires_at, created_at FROM invitations
         WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at",
    )
    .bind(tenant_id)
    .bind(now)
    .fetch_all(db.pool())
    .await?)
}

pub async fn pending_invitations_for(db: &Db, tenant_id: &str, email: &str, now: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM invitations WHERE tenant_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3",
    )
    .bind(tenant_id)
    .bind(email)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

pub async fn insert_invitation<'c>(conn: impl Executor<'c, Database = Any>, tenant_id: &str, invitation: &Invitation, token_hash: &str, actor: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO invitations (id, tenant_id, email, role, token_hash, expires_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)",
    )
    .bind(&invitation.id)
    .bind(tenant_id)
    .bind(&invitation.email)
    .bind(&invitation.role)
    .bind(token_hash)
    .bind(&invitation.expires_at)
    .bind(&invitation.created_at)
    .bind(actor)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn revoke_invitation<'c>(conn: impl Executor<'c, Database = Any>, tenant_id: &str, id: &str, now: &str, actor: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET revoked_at = $1, updated_at = $1, updated_by = $2
         WHERE id = $3 AND tenant_id = $4 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(actor)
    .bind(id)
    .bind(tenant_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An invitation found by its link's token, with the inviting tenant's name.
#[derive(sqlx::FromRow)]
pub struct InvitationRow {
    pub id: String,
    pub tenant_id: String,
    pub tenant_name: String,
    pub email: String,
    pub role: String,
    pub expires_at: String,
    pub accepted_at: Option<String>,
    pub revoked_at: Option<String>,
}

pub async fn invitation_by_token(db: &Db, token_hash: &str) -> Result<Option<InvitationRow>> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.tenant_id, t.name AS tenant_name, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at
         FROM invitations i JOIN tenants t ON t.id = i.tenant_id WHERE i.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?)
}

/// Marks the invitation accepted by `user_id`; false when it was accepted or withdrawn meanwhile.
pub async fn claim_invitation<'c>(conn: impl Executor<'c, Database = Any>, id: &str, user_id: &str, now: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET accepted_at = $1, updated_at = $1, updated_by = $2 WHERE id = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---- API keys ----------------------------------------------------------------------------------

const KEY_COLUMNS: &str = "id, name, role, expires_at, revoked_at, last_used_at, last_used_ip, created_at, created_by";

pub async fn api_keys(db: &Db, tenant_id: &str) -> Result<Vec<ApiKey>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at DESC")))
        .bind(tenant_id)
        .fetch_all(db.pool())
        .await?)
}

pub async fn insert_api_key<'c>(
    conn: impl Executor<'c, Database = Any>,
    tenant_id: &str,
    key: &ApiKey,
    owner_id: &str,
    secret_hash: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_keys (id, tenant_id, name, role, secret_hash, expires_at, owner_id, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9)",
    )
    .bind(&key.id)
    .bind(tenant_id)
    .bind(&key.name)
    .bind(&key.role)
    .bind(secret_hash)
    .bind(&key.expires_at)
    .bind(owner_id)
    .bind(&key.created_at)
    .bind(&key.created_by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn revoke_api_key<'c>(conn: impl Executor<'c, Database = Any>, tenant_id: &str, id: &str, now: &str, actor: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1), updated_at = $1, updated_by = $2 WHERE id = $3 AND tenant_id = $4",
    )
    .bind(now)
    .bind(actor)
    .bind(id)
    .bind(tenant_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every live key of the tenant that `owner_id` holds; returns their ids.
pub async fn revoke_keys_of(conn: &mut AnyConnection, tenant_id: &str, owner_id: &str, now: &str, actor: &str) -> Result<Vec<String>> {
    let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM api_keys WHERE tenant_id = $1 AND owner_id = $2 AND revoked_at IS NULL ORDER BY id")
        .bind(tenant_id)
        .bind(owner_id)
        .fetch_all(&mut *conn)
        .await?;
    sqlx::query("UPDATE api_keys SET revoked_at = $1, updated_at = $1, updated_by = $2 WHERE tenant_id = $3 AND owner_id = $4 AND revoked_at IS NULL")
        .bind(now)
        .bind(actor)
        .bind(tenant_id)
        .bind(owner_id)
        .execute(&mut *conn)
        .await?;
    Ok(ids.into_iter().map(|r| r.0).collect())
}

/// Live keys the person holds that were made before `before` (their last password change).
pub async fn keys_made_before(db: &Db, tenant_id: &str, owner_id: &str, before: &str, now: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM api_keys WHERE tenant_id = $1 AND owner_id = $2 AND revoked_at IS NULL AND created_at < $3
         AND (expires_at IS NULL OR expires_at > $4)",
    )
    .bind(tenant_id)
    .bind(owner_id)
    .bind(before)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

/// A key as authentication needs it, with its tenant and the person who holds it (their role and
/// status in the key's tenant, absent when they are no longer a member of it).
#[derive(sqlx::FromRow)]
pub struct KeyRow {
    pub tenant_id: String,
    pub role: String,
    pub secret_hash: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub owner_id: Option<String>,
    pub kind: String,
    pub tenant_status: String,
    pub owner_role: Option<String>,
    pub owner_status: Option<String>,
}

pub async fn key_for_authentication(db: &Db, id: &str) -> Result<Option<KeyRow>> {
    Ok(sqlx::query_as(
        "SELECT k.tenant_id, k.role, k.secret_hash, k.expires_at, k.revoked_at, k.owner_id, t.kind, t.status AS tenant_status,
                o.role AS owner_role, o.status AS owner_status
         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
         LEFT JOIN users o ON o.id = k.owner_id AND o.tenant_id = k.tenant_id
         WHERE k.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn touch_api_key(db: &Db, id: &str, now: &str, ip: &str) -> Result<()> {
    sqlx::query("UPDATE api_keys SET last_used_at = $1, last_used_ip = $2 WHERE id = $3").bind(now).bind(ip).bind(id).execute(db.pool()).await?;
    Ok(())
}
