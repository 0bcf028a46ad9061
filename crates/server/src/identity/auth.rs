//! Sign-up, e-mail verification, sign-in with lockout and 2FA, password reset.

use chrono::Duration;
use didtron_core::access::{Role, TenantKind};
use didtron_core::error::Validation;
use didtron_core::{Error, Result, id::new_id, time};
use didtron_db::{Db, Flag};

use super::{mails, password, rules, session, totp};
use crate::state::AppState;
use crate::changes::audit::{self, AuditActor, Entry};
use crate::crypto::{random_token, token_hash};

/// Failed sign-ins in a row before the account is locked, and for how long.
pub const LOCK_AFTER: i64 = 5;
pub const LOCK_FOR: Duration = Duration::minutes(15);
/// Failed sign-ins from one address within [`IP_WINDOW`] before that address must wait.
pub const IP_LIMIT: i64 = 20;
pub const IP_WINDOW: Duration = Duration::minutes(15);
const VERIFY_VALID: Duration = Duration::hours(24);
const RESET_VALID: Duration = Duration::hours(1);

pub struct Registration {
    pub email: String,
    pub password: String,
    pub name: String,
    pub company: Option<String>,
    pub category_id: String,
}

/// Creates a customer account with its owner, unverified, and sends the verification e-mail.
pub async fn register(state: &AppState, input: Registration) -> Result<(String, String)> {
    let mut v = Validation::new();
    let email = rules::check(&mut v, "email", rules::email(&input.email));
    rules::check(&mut v, "password", rules::password(&input.password));
    let name = rules::check(&mut v, "name", rules::name(&input.name));
    let company = match input.company.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => rules::check(&mut v, "company", rules::name(c)),
        None => None,
    };
    let category: Option<(String,)> = sqlx::query_as("SELECT id FROM categories WHERE id = $1 AND is_public = 1")
        .bind(&input.category_id)
        .fetch_optional(state.db.pool())
        .await
        .map_err(Error::internal)?;
    v.check(category.is_some(), "category_id", "choose one of the offered categories");
    v.finish()?;
    let (email, name) = (email.unwrap_or_default(), name.unwrap_or_default());
    if user_id_by_email(&state.db, &email).await?.is_some() {
        return Err(Error::Conflict("an account with this e-mail address already exists; sign in or reset your password".into()));
    }
    let hash = password::hash(&input.password).await?;
    let (tenant_id, user_id) = (new_id(), new_id());
    let now = time::to_db(time::now());
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    sqlx::query(
        "INSERT INTO tenants (id, kind, name, category_id, created_at, created_by, updated_at, updated_by)
         VALUES ($1, 'customer', $2, $3, $4, $5, $4, $5)",
    )
    .bind(&tenant_id)
    .bind(company.as_deref().unwrap_or(&name))
    .bind(&input.category_id)
    .bind(&now)
    .bind(&user_id)
    .execute(&mut *tx)
    .await
    .map_err(Error::internal)?;
    insert_user(&mut tx, &user_id, &tenant_id, &email, &name, &hash, Role::Owner, None, &now).await?;
    audit::record(
        &mut *tx,
        &AuditActor::person(&user_id, Some(&tenant_id), ""),
        Entry { action: "user.register", target_kind: "user", target_id: Some(&user_id), old: None, new: Some(serde_json::json!({"email": email, "name": name, "tenant_id": tenant_id, "category_id": input.category_id})) },
    )
    .await?;
    tx.commit().await.map_err(Error::internal)?;
    send_verification(state, &user_id, &email).await?;
    Ok((user_id, email))
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    tenant_id: &str,
    email: &str,
    name: &str,
    hash: &str,
    role: Role,
    verified_at: Option<&str>,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, tenant_id, email, name, password_hash, role, email_verified_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $1, $8, $1)",
    )
    .bind(id)
    .bind(tenant_id)
    .bind(email)
    .bind(name)
    .bind(hash)
    .bind(role.as_str())
    .bind(verified_at)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => Error::Conflict("an account with this e-mail address already exists".into()),
        other => Error::internal(other),
    })?;
    Ok(())
}

pub async fn user_id_by_email(db: &Db, email: &str) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(email).fetch_optional(db.pool()).await.map_err(Error::internal)?;
    Ok(row.map(|r| r.0))
}

/// Issues a one-time token for `purpose`, returning the token to put in the link.
async fn issue_token(db: &Db, user_id: &str, purpose: &str, valid: Duration) -> Result<String> {
    let token = random_token(32);
    let now = time::now();
    sqlx::query(
        "INSERT INTO email_tokens (id, token_hash, purpose, user_id, expires_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'system', $6, 'system')",
    )
    .bind(new_id())
    .bind(token_hash(&token))
    .bind(purpose)
    .bind(user_id)
    .bind(time::to_db(now + valid))
    .bind(time::to_db(now))
    .execute(db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(token)
}

/// Spends a one-time token: it must exist for `purpose`, be unexpired and unused. Returns the user.
async fn spend_token(db: &Db, token: &str, purpose: &str) -> Result<String> {
    let row: Option<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, user_id, expires_at, used_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2")
            .bind(token_hash(token.trim()))
            .bind(purpose)
            .fetch_optional(db.pool())
            .await
            .map_err(Error::internal)?;
    let Some((id, user_id, expires_at, used_at)) = row else {
        return Err(Error::invalid("token", "this link is not valid; request a new one"));
    };
    if used_at.is_some() {
        return Err(Error::invalid("token", "this link has already been used"));
    }
    let now = time::to_db(time::now());
    if expires_at <= now {
        return Err(Error::invalid("token", "this link has expired; request a new one"));
    }
    // Only one request may spend it, even when two arrive together.
    let spent = sqlx::query("UPDATE email_tokens SET used_at = $1, updated_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(&now)
        .bind(&id)
        .execute(db.pool())
        .await
        .map_err(Error::internal)?;
    if spent.rows_affected() == 0 {
        return Err(Error::invalid("token", "this link has already been used"));
    }
    Ok(user_id)
}

async fn send_verification(state: &AppState, user_id: &str, email: &str) -> Result<()> {
    let token = issue_token(&state.db, user_id, "verify_email", VERIFY_VALID).await?;
    let (subject, text) = mails::verify_email(&format!("{}/verify-email?token={token}", state.settings.public_url()));
    state.mailer.send(&state.db, "verify_email", email, &subject, &text).await?;
    Ok(())
}

pub async fn verify_email(state: &AppState, token: &str) -> Result<()> {
    let user_id = spend_token(&state.db, token, "verify_email").await?;
    let now = time::to_db(time::now());
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1), updated_at = $1, updated_by = id WHERE id = $2")
        .bind(&now)
        .bind(&user_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    audit::record(state.db.pool(), &AuditActor::person(&user_id, None, ""), Entry { action: "user.verify_email", target_kind: "user", target_id: Some(&user_id), old: None, new: Some(serde_json::json!({"email_verified": true})) }).await?;
    Ok(())
}

/// Sends a new verification link when the address belongs to an unverified account. Says nothing
/// either way, so the answer does not reveal which addresses have accounts.
pub async fn resend_verification(state: &AppState, email: &str) -> Result<()> {
    let Ok(email) = rules::email(email) else { return Err(Error::invalid("email", "must be an e-mail address")) };
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1 AND email_verified_at IS NULL")
        .bind(&email)
        .fetch_optional(state.db.pool())
        .await
        .map_err(Error::internal)?;
    if let Some((id,)) = row {
        send_verification(state, &id, &email).await?;
    }
    Ok(())
}

pub async fn forgot_password(state: &AppState, email: &str) -> Result<()> {
    let Ok(email) = rules::email(email) else { return Err(Error::invalid("email", "must be an e-mail address")) };
    if let Some(id) = user_id_by_email(&state.db, &email).await? {
        let token = issue_token(&state.db, &id, "reset_password", RESET_VALID).await?;
        let (subject, text) = mails::reset_password(&format!("{}/reset-password?token={token}", state.settings.public_url()));
        state.mailer.send(&state.db, "reset_password", &email, &subject, &text).await?;
    }
    Ok(())
}

/// Sets a new password from a reset link, ends every session and lifts a lock.
pub async fn reset_password(state: &AppState, token: &str, new_password: &str) -> Result<()> {
    rules::password(new_password).map_err(|m| Error::invalid("password", m))?;
    let user_id = spend_token(&state.db, token, "reset_password").await?;
    let hash = password::hash(new_password).await?;
    let now = time::to_db(time::now());
    // Receiving the link proves the address, so it also counts as verification.
    sqlx::query(
        "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL,
         email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2, updated_by = id WHERE id = $3",
    )
    .bind(&hash)
    .bind(&now)
    .bind(&user_id)
    .execute(state.db.pool())
    .await
    .map_err(Error::internal)?;
    session::revoke_all(&state.db, &user_id, None).await?;
    audit::record(state.db.pool(), &AuditActor::person(&user_id, None, ""), Entry { action: "user.password_reset", target_kind: "user", target_id: Some(&user_id), old: None, new: None }).await?;
    Ok(())
}

pub struct Login {
    pub email: String,
    pub password: String,
    pub totp: Option<String>,
    pub remember: bool,
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    id: String,
    password_hash: String,
    status: String,
    email_verified_at: Option<String>,
    totp_secret: Option<String>,
    totp_enabled_at: Option<String>,
    failed_logins: i64,
    locked_until: Option<String>,
    tenant_status: String,
}

async fn record_attempt(db: &Db, user_id: Option<&str>, email: &str, ip: &str, ua: &str, reason: Option<&str>) -> Result<()> {
    let now = time::to_db(time::now());
    sqlx::query(
        "INSERT INTO login_attempts (id, user_id, email, ip, user_agent, success, reason, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'system', $8, 'system')",
    )
    .bind(new_id())
    .bind(user_id)
    .bind(email)
    .bind(ip)
    .bind(ua)
    .bind(Flag(reason.is_none()))
    .bind(reason)
    .bind(now)
    .execute(db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(())
}

/// Counts a failure against the account and locks it after [`LOCK_AFTER`] in a row.
async fn count_failure(db: &Db, row: &LoginRow) -> Result<Error> {
    let failures = row.failed_logins + 1;
    let now = time::now();
    if failures >= LOCK_AFTER {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2")
            .bind(time::to_db(now + LOCK_FOR))
            .bind(&row.id)
            .execute(db.pool())
            .await
            .map_err(Error::internal)?;
        return Ok(locked_error(LOCK_FOR.num_seconds()));
    }
    sqlx::query("UPDATE users SET failed_logins = $1 WHERE id = $2").bind(failures).bind(&row.id).execute(db.pool()).await.map_err(Error::internal)?;
    Ok(Error::Unauthenticated("wrong e-mail address or password".into()))
}

fn locked_error(seconds: i64) -> Error {
    let minutes = (seconds + 59) / 60;
    Error::RateLimited {
        message: format!("this account is locked after too many failed sign-ins; try again in {minutes} minute{}", if minutes == 1 { "" } else { "s" }),
        retry_after_secs: seconds.max(1) as u64,
    }
}

/// Checks the credentials and opens a session. Every attempt is recorded in the login history.
pub async fn login(state: &AppState, input: Login, ip: &str, ua: &str) -> Result<(String, session::NewSession)> {
    let mut v = Validation::new();
    v.check(!input.email.trim().is_empty(), "email", "is required");
    v.check(!input.password.is_empty(), "password", "is required");
    v.finish()?;
    let email = input.email.trim().to_lowercase();
    let db = &state.db;
    let since = time::to_db(time::now() - IP_WINDOW);
    let (recent_failures,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND created_at > $2 AND success = 0 AND reason <> 'totp_required'",
    )
    .bind(ip)
    .bind(&since)
    .fetch_one(db.pool())
    .await
    .map_err(Error::internal)?;
    if recent_failures >= IP_LIMIT {
        return Err(Error::RateLimited {
            message: "too many failed sign-ins from your address; wait a few minutes and try again".into(),
            retry_after_secs: IP_WINDOW.num_seconds() as u64,
        });
    }
    let row: Option<LoginRow> = sqlx::query_as(
        "SELECT u.id, u.password_hash, u.status, u.email_verified_at, u.totp_secret, u.totp_enabled_at, u.failed_logins, u.locked_until,
                t.status AS tenant_status
         FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = $1",
    )
    .bind(&email)
    .fetch_optional(db.pool())
    .await
    .map_err(Error::internal)?;
    let Some(row) = row else {
        // Spend the time a real check takes, so timing does not reveal unknown addresses.
        password::verify(&input.password, password::DUMMY_HASH).await;
        record_attempt(db, None, &email, ip, ua, Some("unknown_email")).await?;
        return Err(Error::Unauthenticated("wrong e-mail address or password".into()));
    };
    let now = time::now();
    if let Some(until) = row.locked_until.as_deref().and_then(time::from_db).filter(|u| *u > now) {
        record_attempt(db, Some(&row.id), &email, ip, ua, Some("locked")).await?;
        return Err(locked_error((until - now).num_seconds()));
    }
    if !password::verify(&input.password, &row.password_hash).await {
        record_attempt(db, Some(&row.id), &email, ip, ua, Some("wrong_password")).await?;
        return Err(count_failure(db, &row).await?);
    }
    if row.status != "active" || row.tenant_status == "closed" {
        record_attempt(db, Some(&row.id), &email, ip, ua, Some("disabled")).await?;
        return Err(Error::Forbidden("this account is disabled; contact support".into()));
    }
    if row.email_verified_at.is_none() {
        record_attempt(db, Some(&row.id), &email, ip, ua, Some("email_not_verified")).await?;
        return Err(Error::Forbidden("verify your e-mail address first: open the link we sent you, or ask for a new one".into()));
    }
    if let (Some(secret), Some(_)) = (&row.totp_secret, &row.totp_enabled_at) {
        let Some(code) = input.totp.as_deref().map(str::trim).filter(|c| !c.is_empty()) else {
            record_attempt(db, Some(&row.id), &email, ip, ua, Some("totp_required")).await?;
            return Err(Error::SecondFactorRequired);
        };
        if !totp::accept_login_code(state, &row.id, &email, secret, code).await? {
            record_attempt(db, Some(&row.id), &email, ip, ua, Some("wrong_totp")).await?;
            return match count_failure(db, &row).await? {
                Error::Unauthenticated(_) => Err(Error::invalid("totp", "wrong or already used code")),
                locked => Err(locked),
            };
        }
    }
    let now_s = time::to_db(now);
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2")
        .bind(&now_s)
        .bind(&row.id)
        .execute(db.pool())
        .await
        .map_err(Error::internal)?;
    record_attempt(db, Some(&row.id), &email, ip, ua, None).await?;
    let session = session::create(db, &row.id, input.remember, ip, ua).await?;
    Ok((row.id, session))
}

pub async fn tenant_kind_of(db: &Db, tenant_id: &str) -> Result<TenantKind> {
    let (kind,): (String,) =
        sqlx::query_as("SELECT kind FROM tenants WHERE id = $1").bind(tenant_id).fetch_one(db.pool()).await.map_err(Error::internal)?;
    TenantKind::parse(&kind).ok_or_else(|| Error::internal("unknown tenant kind"))
}
