//! Sign-up, e-mail verification, sign-in with lockout and 2FA, password reset.
//!
//! Two rules run through this file. The answers never tell whether an address has an account
//! (sign-up, reset, resend and lockout answer alike for both), and the guards against guessing are
//! taken before the expensive check, so parallel requests cannot slip past them.

use chrono::Duration;
use didtron_core::access::{Role, TenantKind};
use didtron_core::error::Validation;
use didtron_core::{Error, Result, id::new_id, time};

use super::{mails, password, rules, security, session, store, totp};
use crate::changes::audit::{AuditActor, Entry};
use crate::changes::unit::UnitOfWork;
use crate::crypto::{random_token, token_hash};
use crate::state::AppState;

/// Failed sign-ins in a row at one address before it is locked, and for how long.
pub const LOCK_AFTER: i64 = 5;
pub const LOCK_FOR: Duration = Duration::minutes(15);
/// Failed sign-ins from one network address within [`IP_WINDOW`] before that address must wait.
pub const IP_LIMIT: i64 = 20;
pub const IP_WINDOW: Duration = Duration::minutes(15);
const VERIFY_VALID: Duration = Duration::hours(24);
const RESET_VALID: Duration = Duration::hours(1);
/// Mails of one kind to one address in an hour, at most: a form cannot be used to flood a mailbox.
pub const MAILS_PER_HOUR: i64 = 3;

pub struct Registration {
    pub email: String,
    pub password: String,
    pub name: String,
    pub company: Option<String>,
    pub category_id: String,
}

/// Creates a customer account with its owner, unverified, and sends the verification e-mail.
/// Returns the address as stored.
///
/// An address that has an account gets the same answer, after the same work (the password is
/// hashed all the same), and its owner a mail saying someone tried: the answer must not tell who
/// has an account.
pub async fn register(state: &AppState, input: Registration, ip: &str) -> Result<String> {
    let mut v = Validation::new();
    let email = rules::check(&mut v, "email", rules::email(&input.email));
    rules::check(&mut v, "password", rules::password(&input.password));
    let name = rules::check(&mut v, "name", rules::name(&input.name));
    let company = match input.company.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => rules::check(&mut v, "company", rules::name(c)),
        None => None,
    };
    let category = store::public_category_exists(&state.db, &input.category_id).await?;
    v.check(category, "category_id", "choose one of the offered categories");
    v.finish()?;
    let (email, name) = (email.unwrap_or_default(), name.unwrap_or_default());
    let hash = password::hash(&state.hashing, &input.password).await?;
    if store::user_by_email(&state.db, &email).await?.is_some() {
        tell_of_existing_account(state, &email).await?;
        return Ok(email);
    }
    let (tenant_id, user_id) = (new_id(), new_id());
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, AuditActor::person(&user_id, Some(&tenant_id), ip)).await?;
    let tenant = store::NewTenant { id: &tenant_id, kind: "customer", name: company.as_deref().unwrap_or(&name), category_id: Some(&input.category_id), now: &now, actor: &user_id };
    store::insert_tenant(work.conn(), tenant).await?;
    let user = store::NewUser {
        id: &user_id,
        tenant_id: &tenant_id,
        email: &email,
        name: &name,
        password_hash: &hash,
        role: Role::Owner.as_str(),
        verified_at: None,
        now: &now,
        actor: &user_id,
    };
    match store::insert_user(work.conn(), user).await {
        Ok(()) => {}
        // Signed up twice at once: the second is told the same as the first.
        Err(didtron_db::Error::Conflict(_)) => {
            drop(work);
            tell_of_existing_account(state, &email).await?;
            return Ok(email);
        }
        Err(e) => return Err(e.into()),
    }
    let new = serde_json::json!({"email": email, "name": name, "tenant_id": tenant_id, "category_id": input.category_id});
    work.audit(Entry { action: "user.register", target_kind: "user", target_id: Some(&user_id), old: None, new: Some(new) }).await?;
    work.commit().await?;
    send_verification(state, &user_id, &email).await?;
    Ok(email)
}

async fn tell_of_existing_account(state: &AppState, email: &str) -> Result<()> {
    let base = state.settings.public_url();
    let (subject, text) = mails::already_registered(&format!("{base}/login"), &format!("{base}/forgot-password"));
    state.mailer.send_at_most(&state.db, MAILS_PER_HOUR, "account_exists", email, &subject, &text).await?;
    Ok(())
}

/// Issues a one-time token for `purpose` and mails its link, at most [`MAILS_PER_HOUR`] an hour;
/// a token whose mail was not sent is deleted at once.
async fn mail_token(state: &AppState, user_id: &str, email: &str, purpose: &str, valid: Duration) -> Result<()> {
    let token = random_token(32);
    let (id, now) = (new_id(), time::now());
    store::insert_email_token(state.db.pool(), &id, user_id, purpose, &token_hash(&token), &time::to_db(now + valid), &time::to_db(now)).await?;
    let base = state.settings.public_url();
    let (subject, text) = match purpose {
        "verify_email" => mails::verify_email(&format!("{base}/verify-email?token={token}")),
        _ => mails::reset_password(&format!("{base}/reset-password?token={token}")),
    };
    if state.mailer.send_at_most(&state.db, MAILS_PER_HOUR, purpose, email, &subject, &text).await?.is_none() {
        store::delete_email_token(state.db.pool(), &id).await?;
    }
    Ok(())
}

async fn send_verification(state: &AppState, user_id: &str, email: &str) -> Result<()> {
    mail_token(state, user_id, email, "verify_email", VERIFY_VALID).await
}

/// Checks a one-time token for `purpose`: it must exist, be unexpired and unused. Returns its id
/// and user; spending it is the caller's, in the transaction of what it allows.
async fn check_token(state: &AppState, token: &str, purpose: &str) -> Result<(String, String)> {
    let Some((id, user_id, expires_at, used_at)) = store::email_token(&state.db, &token_hash(token.trim()), purpose).await? else {
        return Err(Error::invalid("token", "this link is not valid; request a new one"));
    };
    if used_at.is_some() {
        return Err(Error::invalid("token", "this link has already been used"));
    }
    if expires_at <= time::to_db(time::now()) {
        return Err(Error::invalid("token", "this link has expired; request a new one"));
    }
    Ok((id, user_id))
}

/// Spends a checked token in `work`; only one request may, even when two arrive together.
async fn spend_token(work: &mut UnitOfWork, id: &str, now: &str) -> Result<()> {
    if !store::spend_email_token(work.conn(), id, now).await? {
        return Err(Error::invalid("token", "this link has already been used"));
    }
    Ok(())
}

pub async fn verify_email(state: &AppState, token: &str, ip: &str) -> Result<()> {
    let (token_id, user_id) = check_token(state, token, "verify_email").await?;
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, AuditActor::person(&user_id, None, ip)).await?;
    spend_token(&mut work, &token_id, &now).await?;
    store::mark_verified(work.conn(), &user_id, &now).await?;
    let entry = Entry { action: "user.verify_email", target_kind: "user", target_id: Some(&user_id), old: None, new: Some(serde_json::json!({"email_verified": true})) };
    work.audit(entry).await?;
    work.commit().await
}

/// Sends a new verification link when the address belongs to an unverified account. Says nothing
/// either way, so the answer does not reveal which addresses have accounts.
pub async fn resend_verification(state: &AppState, email: &str) -> Result<()> {
    let email = rules::email(email).map_err(|m| Error::invalid("email", m))?;
    if let Some(id) = store::unverified_user_by_email(&state.db, &email).await? {
        send_verification(state, &id, &email).await?;
    }
    Ok(())
}

/// Mails a reset link when the address has an account (at most [`MAILS_PER_HOUR`] an hour). Says
/// nothing either way.
pub async fn forgot_password(state: &AppState, email: &str) -> Result<()> {
    let email = rules::email(email).map_err(|m| Error::invalid("email", m))?;
    if let Some((id, _)) = store::user_by_email(&state.db, &email).await? {
        mail_token(state, &id, &email, "reset_password", RESET_VALID).await?;
    }
    Ok(())
}

/// Sets a new password from a reset link: every other link mailed to the person stops working,
/// every session ends, a sign-in lock is lifted, and the person is told by mail.
pub async fn reset_password(state: &AppState, token: &str, new_password: &str, ip: &str) -> Result<()> {
    rules::password(new_password).map_err(|m| Error::invalid("password", m))?;
    let (token_id, user_id) = check_token(state, token, "reset_password").await?;
    let hash = password::hash(&state.hashing, new_password).await?;
    let email = store::user_email(&state.db, &user_id).await?.ok_or(Error::NotFound("user"))?;
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, AuditActor::person(&user_id, None, ip)).await?;
    spend_token(&mut work, &token_id, &now).await?;
    // Receiving the link proves the address, so it also counts as verification.
    store::set_password(work.conn(), &user_id, &hash, true, &now).await?;
    let voided = store::void_email_tokens(work.conn(), &user_id, &now).await?;
    let sessions = store::delete_sessions(work.conn(), &user_id, None).await?;
    store::lift_sign_in_lock(work.conn(), &email, &now).await?;
    let old = serde_json::json!({"sessions": sessions, "other_links": voided});
    work.audit(Entry { action: "user.password_reset", target_kind: "user", target_id: Some(&user_id), old: Some(old), new: None }).await?;
    work.commit().await?;
    security::notify(state, &email, security::Change::PasswordReset).await
}

pub struct Login {
    pub email: String,
    pub password: String,
    pub totp: Option<String>,
    pub remember: bool,
}

fn locked_error(seconds: i64) -> Error {
    let minutes = (seconds + 59) / 60;
    Error::RateLimited {
        message: format!("this account is locked after too many failed sign-ins; try again in {minutes} minute{}", if minutes == 1 { "" } else { "s" }),
        retry_after_secs: seconds.max(1) as u64,
    }
}

fn wrong_credentials() -> Error {
    Error::Unauthenticated("wrong e-mail address or password".into())
}

/// One sign-in attempt in progress: its row in the history, and the try it holds at its address.
struct Attempt<'a> {
    state: &'a AppState,
    id: String,
    email: String,
    /// The try's place at the address (1 to [`LOCK_AFTER`]).
    place: i64,
}

impl Attempt<'_> {
    fn now() -> String {
        time::to_db(time::now())
    }

    /// A check failed: it counts, and the try that reaches [`LOCK_AFTER`] locks the address.
    /// Returns the lock's error when it did.
    async fn failed(&self, user_id: Option<&str>, reason: &str) -> Result<Option<Error>> {
        let now = Self::now();
        store::finish_attempt(self.state.db.pool(), &self.id, user_id, Some(reason), &now).await?;
        if self.place < LOCK_AFTER {
            return Ok(None);
        }
        // The lock and, for a real account, its audit entry commit together.
        let mut work = UnitOfWork::begin(&self.state.db, AuditActor::system()).await?;
        store::lock_sign_in(work.conn(), &self.email, &time::to_db(time::now() + LOCK_FOR), &now).await?;
        if let Some(user_id) = user_id {
            let entry = Entry { action: "user.lock", target_kind: "user", target_id: Some(user_id), old: None, new: Some(serde_json::json!({"minutes": LOCK_FOR.num_minutes()})) };
            work.audit(entry).await?;
        }
        work.commit().await?;
        Ok(Some(locked_error(LOCK_FOR.num_seconds())))
    }

    /// The attempt ended before a check could fail (the server was busy, the password was right
    /// but something else is missing): its try is given back.
    async fn released(&self, user_id: Option<&str>, reason: &str) -> Result<()> {
        let now = Self::now();
        store::finish_attempt(self.state.db.pool(), &self.id, user_id, Some(reason), &now).await?;
        Ok(store::release_sign_in(&self.state.db, &self.email, &now).await?)
    }
}

/// Checks the credentials and opens a session. Every attempt is recorded in the login history,
/// each sign-in in the audit log.
///
/// Before the password is checked, the attempt takes its place: a row in the history that counts
/// against the network address's limit while it runs, and a try at the e-mail address, refused once
/// [`LOCK_AFTER`] tries are counted. So however many tries arrive at once, no more than the limits
/// are checked. Addresses without an account are counted and locked exactly like the others.
pub async fn login(state: &AppState, input: Login, ip: &str, ua: &str) -> Result<(String, session::NewSession)> {
    let mut v = Validation::new();
    v.check(!input.email.trim().is_empty(), "email", "is required");
    v.check(!input.password.is_empty(), "password", "is required");
    v.finish()?;
    let email = rules::email(&input.email).unwrap_or_else(|_| input.email.trim().to_lowercase());
    let db = &state.db;
    let attempt_id = new_id();
    let now = time::now();
    store::insert_pending_attempt(db, &attempt_id, &email, ip, ua, &time::to_db(now)).await?;
    if store::ip_failures(db, ip, &time::to_db(now - IP_WINDOW)).await? > IP_LIMIT {
        store::finish_attempt(db.pool(), &attempt_id, None, Some("ip_limited"), &Attempt::now()).await?;
        return Err(Error::RateLimited {
            message: "too many failed sign-ins from your address; wait a few minutes and try again".into(),
            retry_after_secs: IP_WINDOW.num_seconds() as u64,
        });
    }
    let row = store::sign_in_row(db, &email).await?;
    let user_id = row.as_ref().map(|r| r.id.clone());
    let user_id = user_id.as_deref();
    let Some(place) = store::reserve_sign_in(db, &email, LOCK_AFTER, &time::to_db(now)).await? else {
        store::finish_attempt(db.pool(), &attempt_id, user_id, Some("locked"), &Attempt::now()).await?;
        let until = store::lock_when_full(db, &email, LOCK_AFTER, &time::to_db(now + LOCK_FOR), &time::to_db(now)).await?;
        let left = until.as_deref().and_then(time::from_db).map(|u| (u - time::now()).num_seconds()).unwrap_or(LOCK_FOR.num_seconds());
        return Err(locked_error(left));
    };
    let attempt = Attempt { state, id: attempt_id, email: email.clone(), place };
    // The same work for an unknown address as for a wrong password, inside the same bound.
    let stored = row.as_ref().map(|r| r.password_hash.as_str()).unwrap_or(password::DUMMY_HASH);
    let right = match password::check(&state.hashing, &input.password, stored).await {
        Ok(right) => right,
        Err(busy) => {
            attempt.released(user_id, "busy").await?;
            return Err(busy);
        }
    };
    let Some(row) = row.filter(|_| right) else {
        let reason = if user_id.is_some() { "wrong_password" } else { "unknown_email" };
        return Err(attempt.failed(user_id, reason).await?.unwrap_or_else(wrong_credentials));
    };
    if row.status != "active" || row.tenant_status == "closed" {
        attempt.released(Some(&row.id), "disabled").await?;
        return Err(Error::Forbidden("this account is disabled; contact support".into()));
    }
    if row.email_verified_at.is_none() {
        attempt.released(Some(&row.id), "email_not_verified").await?;
        return Err(Error::Forbidden("verify your e-mail address first: open the link we sent you, or ask for a new one".into()));
    }
    if let (Some(secret), Some(_)) = (&row.totp_secret, &row.totp_enabled_at) {
        let Some(code) = input.totp.as_deref().map(str::trim).filter(|c| !c.is_empty()) else {
            attempt.released(Some(&row.id), "totp_required").await?;
            return Err(Error::SecondFactorRequired);
        };
        if !totp::accept_login_code(state, &row.id, &email, secret, code).await? {
            return Err(match attempt.failed(Some(&row.id), "wrong_totp").await? {
                Some(locked) => locked,
                None => Error::invalid("totp", "wrong or already used code"),
            });
        }
    }
    let now = Attempt::now();
    let mut work = UnitOfWork::begin(db, AuditActor::person(&row.id, Some(&row.tenant_id), ip)).await?;
    store::clear_sign_in_failures(work.conn(), &email, &now).await?;
    store::finish_attempt(work.conn(), &attempt.id, Some(&row.id), None, &now).await?;
    store::record_sign_in(work.conn(), &row.id, &now).await?;
    store::prune_sign_in_guards(work.conn(), &time::to_db(time::now() - Duration::days(1)), &now).await?;
    let session = session::create(work.conn(), &row.id, input.remember, ip, ua).await?;
    let new = serde_json::json!({"remember": input.remember, "user_agent": ua, "second_factor": row.totp_enabled_at.is_some()});
    work.audit(Entry { action: "user.sign_in", target_kind: "user", target_id: Some(&row.id), old: None, new: Some(new) }).await?;
    work.commit().await?;
    Ok((row.id, session))
}

/// A customer category offered on the registration form.
#[derive(Debug, serde::Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct PublicCategory {
    pub id: String,
    pub code: String,
    pub name: String,
    pub description: String,
}

pub async fn public_categories(state: &AppState) -> Result<Vec<PublicCategory>> {
    Ok(store::public_categories(&state.db).await?)
}

pub async fn tenant_kind_of(state: &AppState, tenant_id: &str) -> Result<TenantKind> {
    let kind = store::tenant_kind(&state.db, tenant_id).await?;
    TenantKind::parse(&kind).ok_or_else(|| Error::internal("unknown tenant kind"))
}
