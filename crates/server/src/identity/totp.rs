//! Two-factor authentication with TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, one step of skew),
//! plus one-time recovery codes. The seed is stored encrypted; each code is accepted only once.

use didtron_core::{Error, Result, time};
use rand::Rng;
use rand::RngCore;
use totp_rs::{Builder, Secret, Totp};

use super::{password, security, store};
use crate::changes::audit::Entry;
use crate::changes::unit::UnitOfWork;
use crate::crypto::{constant_time_eq, token_hash};
use crate::http::caller::Actor;
use crate::state::AppState;

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
    Ok(store::claim_totp_step(&state.db, user_id, step as i64).await?)
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
    let row = store::two_factor(&state.db, user_id).await?;
    if row.totp_enabled_at.is_some() {
        return Err(Error::Conflict("two-factor authentication is already on; turn it off first to enrol a new device".into()));
    }
    let seed = {
        let mut seed = vec![0u8; 20];
        rand::rng().fill_bytes(&mut seed);
        seed
    };
    let totp = totp_for(seed, &row.email)?;
    let secret = totp.secret().to_base32();
    let sealed = state.secrets.seal(&secret)?;
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    store::set_totp_seed(work.conn(), user_id, &sealed, &time::to_db(time::now())).await?;
    work.audit(entry_2fa(actor, "user.2fa_setup")).await?;
    work.commit().await?;
    Ok(Enrolment { otpauth_url: totp.to_url().map_err(Error::internal)?, secret })
}

/// Finishes enrolment with a code from the app; returns the recovery codes (shown once).
pub async fn enable(state: &AppState, actor: &Actor, code: &str) -> Result<Vec<String>> {
    let user_id = actor.user_id.as_str();
    let row = store::two_factor(&state.db, user_id).await?;
    if row.totp_enabled_at.is_some() {
        return Err(Error::Conflict("two-factor authentication is already on".into()));
    }
    let Some(sealed) = row.totp_secret else { return Err(Error::Conflict("start the set-up first".into())) };
    let totp = totp_for(seed_of(state, &sealed)?, &row.email)?;
    let Some(step) = check(&totp, code) else { return Err(Error::invalid("code", "wrong code: check the time on your phone and try again")) };
    if !claim_step(state, user_id, step).await? {
        return Err(Error::invalid("code", "this code was used already; wait for the next one"));
    }
    let (codes, hashes) = new_recovery_codes();
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    store::enable_totp(work.conn(), user_id, &now).await?;
    store::replace_recovery_codes(work.conn(), user_id, &hashes, &now).await?;
    work.audit(entry_2fa(actor, "user.2fa_enable")).await?;
    work.commit().await?;
    security::notify(state, &row.email, security::Change::TwoFactorOn).await?;
    Ok(codes)
}

/// Turns 2FA off after checking the password and a current code (or a recovery code).
pub async fn disable(state: &AppState, actor: &Actor, plain_password: &str, code: &str) -> Result<()> {
    let user_id = actor.user_id.as_str();
    let row = store::two_factor(&state.db, user_id).await?;
    let (Some(sealed), Some(_)) = (row.totp_secret, row.totp_enabled_at) else { return Err(Error::Conflict("two-factor authentication is not on".into())) };
    if !password::check(&state.hashing, plain_password, &row.password_hash).await? {
        return Err(Error::invalid("password", "wrong password"));
    }
    if !accept_login_code(state, user_id, &row.email, &sealed, code).await? {
        return Err(Error::invalid("code", "wrong or already used code"));
    }
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    store::disable_totp(work.conn(), user_id, &time::to_db(time::now())).await?;
    work.audit(entry_2fa(actor, "user.2fa_disable")).await?;
    work.commit().await?;
    security::notify(state, &row.email, security::Change::TwoFactorOff).await
}

fn entry_2fa<'a>(actor: &'a Actor, action: &'a str) -> Entry<'a> {
    Entry { action, target_kind: "user", target_id: Some(&actor.user_id), old: None, new: None }
}

/// Replaces the recovery codes after checking a current code.
pub async fn regenerate_recovery_codes(state: &AppState, actor: &Actor, code: &str) -> Result<Vec<String>> {
    let user_id = actor.user_id.as_str();
    let row = store::two_factor(&state.db, user_id).await?;
    let (Some(sealed), Some(_)) = (row.totp_secret, row.totp_enabled_at) else { return Err(Error::Conflict("two-factor authentication is not on".into())) };
    let totp = totp_for(seed_of(state, &sealed)?, &row.email)?;
    match check(&totp, code) {
        Some(step) if claim_step(state, user_id, step).await? => {
            let (codes, hashes) = new_recovery_codes();
            let mut work = UnitOfWork::begin(&state.db, actor).await?;
            store::replace_recovery_codes(work.conn(), user_id, &hashes, &time::to_db(time::now())).await?;
            work.audit(entry_2fa(actor, "user.2fa_recovery_codes")).await?;
            work.commit().await?;
            security::notify(state, &row.email, security::Change::RecoveryCodesReplaced).await?;
            Ok(codes)
        }
        _ => Err(Error::invalid("code", "wrong or already used code")),
    }
}

/// Ten fresh recovery codes (`abcde-fghjk`) and their hashes.
fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let mut s: String = (0..10).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
            s.insert(5, '-');
            s
        })
        .collect();
    let hashes = codes.iter().map(|c| token_hash(c)).collect();
    (codes, hashes)
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
    let rows = store::unused_recovery_codes(&state.db, user_id).await?;
    let Some((id, _)) = rows.into_iter().find(|(_, h)| constant_time_eq(h, &wanted)) else { return Ok(false) };
    Ok(store::spend_recovery_code(&state.db, &id, &time::to_db(time::now())).await?)
}
