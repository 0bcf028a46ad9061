//! Two-factor authentication with TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, one step of skew),
//! plus one-time recovery codes. The seed is stored encrypted; each code is accepted only once.

use didtron_core::{Error, Result, id::new_id, time};
use rand::Rng;
use rand::RngCore;
use totp_rs::{Builder, Secret, Totp};

use super::password;
use crate::state::AppState;
use crate::changes::audit::{self, AuditActor, Entry};
use crate::http::caller::Actor;
use crate::crypto::{constant_time_eq, token_hash};

const ISSUER: &str = "DIDtron";
pub const RECOVERY_CODES: usize = 10;

fn totp_for(seed: Vec<u8>, account: &str) -> Result<Totp> {
    Builder::new()
        .with_secret(Secret::from(seed))
        .with_issuer(Some(ISSUER))
        .with_account_name(account.replace(':', ""))
        .build()
        .map_err(Error::internal)
}

fn seed_of(state: &AppState, sealed: &str) -> Result<Vec<u8>> {
    let base32 = state.secrets.open(sealed)?;
    Secret::try_from_base32(&base32).map(|s| s.as_bytes().to_vec()).map_err(Error::internal)
}

/// The step a current code belongs to, if `code` is one.
fn check(totp: &Totp, code: &str) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    totp.check_current(&code)
}

/// Accepts the step once: a code seen before (or an older one) is refused.
async fn claim_step(state: &AppState, user_id: &str, step: u64) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
        .bind(step as i64)
        .bind(user_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(done.rows_affected() == 1)
}

pub struct Enrolment {
    /// The seed in base32, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://totp/…`, for the QR code.
    pub otpauth_url: String,
}

/// Starts enrolment: a new seed, stored encrypted, not yet active.
pub async fn setup(state: &AppState, actor: &Actor) -> Result<Enrolment> {
    let user_id = actor.user_id.as_str();
    let (email, enabled): (String, Option<String>) = sqlx::query_as("SELECT email, totp_enabled_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    if enabled.is_some() {
        return Err(Error::Conflict("two-factor authentication is already on; turn it off first to enrol a new device".into()));
    }
    let seed = {
        let mut seed = vec![0u8; 20];
        rand::rng().fill_bytes(&mut seed);
        seed
    };
    let totp = totp_for(seed, &email)?;
    let secret = totp.secret().to_base32();
    let now = time::to_db(time::now());
    sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = NULL, updated_at = $2, updated_by = id WHERE id = $3")
        .bind(state.secrets.seal(&secret)?)
        .bind(&now)
        .bind(user_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    audit_2fa(state, actor, "user.2fa_setup").await?;
    Ok(Enrolment { otpauth_url: totp.to_url().map_err(Error::internal)?, secret })
}

/// Finishes enrolment with a code from the app; returns the recovery codes (shown once).
pub async fn enable(state: &AppState, actor: &Actor, code: &str) -> Result<Vec<String>> {
    let user_id = actor.user_id.as_str();
    let (email, sealed, enabled): (String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT email, totp_secret, totp_enabled_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(state.db.pool())
            .await
            .map_err(Error::internal)?;
    if enabled.is_some() {
        return Err(Error::Conflict("two-factor authentication is already on".into()));
    }
    let Some(sealed) = sealed else { return Err(Error::Conflict("start the set-up first".into())) };
    let totp = totp_for(seed_of(state, &sealed)?, &email)?;
    let Some(step) = check(&totp, code) else { return Err(Error::invalid("code", "wrong code: check the time on your phone and try again")) };
    if !claim_step(state, user_id, step).await? {
        return Err(Error::invalid("code", "this code was used already; wait for the next one"));
    }
    let now = time::to_db(time::now());
    sqlx::query("UPDATE users SET totp_enabled_at = $1, updated_at = $1, updated_by = id WHERE id = $2")
        .bind(&now)
        .bind(user_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    audit_2fa(state, actor, "user.2fa_enable").await?;
    new_recovery_codes(state, user_id).await
}

/// Turns 2FA off after checking the password and a current code (or a recovery code).
pub async fn disable(state: &AppState, actor: &Actor, plain_password: &str, code: &str) -> Result<()> {
    let user_id = actor.user_id.as_str();
    let (email, hash, sealed, enabled): (String, String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT email, password_hash, totp_secret, totp_enabled_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(state.db.pool())
            .await
            .map_err(Error::internal)?;
    let (Some(sealed), Some(_)) = (sealed, enabled) else { return Err(Error::Conflict("two-factor authentication is not on".into())) };
    if !password::verify(plain_password, &hash).await {
        return Err(Error::invalid("password", "wrong password"));
    }
    if !accept_login_code(state, user_id, &email, &sealed, code).await? {
        return Err(Error::invalid("code", "wrong or already used code"));
    }
    let now = time::to_db(time::now());
    sqlx::query("UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = $1, updated_by = id WHERE id = $2")
        .bind(&now)
        .bind(user_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(state.db.pool()).await.map_err(Error::internal)?;
    audit_2fa(state, actor, "user.2fa_disable").await
}

async fn audit_2fa(state: &AppState, actor: &Actor, action: &str) -> Result<()> {
    let entry = Entry { action, target_kind: "user", target_id: Some(&actor.user_id), old: None, new: None };
    audit::record(state.db.pool(), &AuditActor::from(actor), entry).await
}

/// Replaces the recovery codes after checking a current code.
pub async fn regenerate_recovery_codes(state: &AppState, actor: &Actor, code: &str) -> Result<Vec<String>> {
    let user_id = actor.user_id.as_str();
    let (email, sealed, enabled): (String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT email, totp_secret, totp_enabled_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(state.db.pool())
            .await
            .map_err(Error::internal)?;
    let (Some(sealed), Some(_)) = (sealed, enabled) else { return Err(Error::Conflict("two-factor authentication is not on".into())) };
    let totp = totp_for(seed_of(state, &sealed)?, &email)?;
    match check(&totp, code) {
        Some(step) if claim_step(state, user_id, step).await? => {
            audit_2fa(state, actor, "user.2fa_recovery_codes").await?;
            new_recovery_codes(state, user_id).await
        }
        _ => Err(Error::invalid("code", "wrong or already used code")),
    }
}

async fn new_recovery_codes(state: &AppState, user_id: &str) -> Result<Vec<String>> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let codes: Vec<String> = {
        let mut rng = rand::rng();
        (0..RECOVERY_CODES)
            .map(|_| {
                let mut s: String = (0..10).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
                s.insert(5, '-');
                s
            })
            .collect()
    };
    let now = time::to_db(time::now());
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *tx).await.map_err(Error::internal)?;
    for code in &codes {
        sqlx::query(
            "INSERT INTO recovery_codes (id, user_id, code_hash, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $2, $4, $2)",
        )
        .bind(new_id())
        .bind(user_id)
        .bind(token_hash(code))
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
    }
    tx.commit().await.map_err(Error::internal)?;
    Ok(codes)
}

/// Whether `code` is a current, unused TOTP code or an unused recovery code of the user; spends it.
pub async fn accept_login_code(state: &AppState, user_id: &str, email: &str, sealed: &str, code: &str) -> Result<bool> {
    let totp = totp_for(seed_of(state, sealed)?, email)?;
    if let Some(step) = check(&totp, code) {
        return claim_step(state, user_id, step).await;
    }
    let normalized = code.trim().to_lowercase();
    if normalized.len() != 11 {
        return Ok(false);
    }
    let wanted = token_hash(&normalized);
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_all(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let Some((id, _)) = rows.into_iter().find(|(_, h)| constant_time_eq(h, &wanted)) else { return Ok(false) };
    let now = time::to_db(time::now());
    let spent = sqlx::query("UPDATE recovery_codes SET used_at = $1, updated_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(&now)
        .bind(&id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(spent.rows_affected() == 1)
}

/// How many unused recovery codes the user has left.
pub async fn recovery_codes_left(state: &AppState, user_id: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(n)
}
