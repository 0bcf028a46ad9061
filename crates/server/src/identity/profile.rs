//! The signed-in person's own account: who they are, their password, sessions and sign-in history.

use didtron_core::access::permissions_of;
use didtron_core::{Error, Result, time};
use didtron_db::Flag;
use serde::Serialize;
use utoipa::ToSchema;

use super::{password, rules, security, store};
use crate::changes::audit::Entry;
use crate::changes::unit::UnitOfWork;
use crate::http::caller::{Actor, Credential};
use crate::http::{Page, PageQuery};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct MeUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub email_verified: bool,
    pub two_factor: bool,
    /// Unused 2FA recovery codes left.
    pub recovery_codes_left: i64,
    /// Live API keys you hold that were made before your password was last changed or reset:
    /// after a reset, the web app offers to revoke them.
    pub api_keys_to_review: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeTenant {
    pub id: String,
    /// `platform`, `customer` or `carrier`.
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: MeUser,
    pub tenant: MeTenant,
    /// The role code, e.g. `owner`, `super_admin`.
    pub role: String,
    pub role_label: String,
    /// What the role allows, e.g. `team.manage`; the web app shows only what is allowed.
    pub permissions: Vec<String>,
    /// `session` or `api_key`.
    pub credential: String,
}

pub async fn me(state: &AppState, actor: &Actor) -> Result<Me> {
    let profile = store::profile(&state.db, &actor.user_id).await?.filter(|p| p.tenant_id == actor.tenant_id);
    let keys_to_review = match profile.as_ref().and_then(|p| p.password_changed_at.as_deref()) {
        Some(changed) if matches!(actor.credential, Credential::Session(_)) => {
            store::keys_made_before(&state.db, &actor.tenant_id, &actor.user_id, changed, &time::to_db(time::now())).await?
        }
        _ => 0,
    };
    let (email, name, email_verified, two_factor) = match profile {
        Some(p) => (p.email, p.name, p.email_verified, p.two_factor),
        // An API key whose holder has left: the key still speaks for the tenant.
        None => (String::new(), "API key".to_string(), false, false),
    };
    let tenant_name = store::tenant_name(&state.db, &actor.tenant_id).await?;
    Ok(Me {
        user: MeUser {
            id: actor.user_id.clone(),
            email,
            name,
            email_verified,
            two_factor,
            recovery_codes_left: if two_factor { store::recovery_codes_left(&state.db, &actor.user_id).await? } else { 0 },
            api_keys_to_review: keys_to_review,
        },
        tenant: MeTenant { id: actor.tenant_id.clone(), kind: actor.tenant_kind.as_str().into(), name: tenant_name },
        role: actor.role.as_str().into(),
        role_label: actor.role.label().into(),
        permissions: permissions_of(actor.tenant_kind, actor.role).into_iter().map(|p| p.as_str().to_string()).collect(),
        credential: match actor.credential {
            Credential::Session(_) => "session",
            Credential::ApiKey(_) => "api_key",
            Credential::Cli => "cli",
        }
        .into(),
    })
}

pub async fn rename(state: &AppState, actor: &Actor, name: &str) -> Result<()> {
    actor.require_person()?;
    let name = rules::name(name).map_err(|m| Error::invalid("name", m))?;
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    let old = store::user_name(work.conn(), &actor.user_id).await?;
    store::rename_user(work.conn(), &actor.user_id, &name, &time::to_db(time::now())).await?;
    let entry = Entry { action: "user.update", target_kind: "user", target_id: Some(&actor.user_id), old: Some(serde_json::json!({"name": old})), new: Some(serde_json::json!({"name": name})) };
    work.audit(entry).await?;
    work.commit().await
}

/// Changes the password after checking the current one: every other session ends, every link
/// mailed to the person stops working, and they are told by mail.
pub async fn change_password(state: &AppState, actor: &Actor, current: &str, new: &str) -> Result<()> {
    let session_id = actor.require_person()?;
    rules::password(new).map_err(|m| Error::invalid("new_password", m))?;
    let stored = store::password_hash(&state.db, &actor.user_id).await?;
    if !password::check(&state.hashing, current, &stored).await? {
        return Err(Error::invalid("current_password", "wrong password"));
    }
    let hash = password::hash(&state.hashing, new).await?;
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    store::set_password(work.conn(), &actor.user_id, &hash, false, &now).await?;
    let voided = store::void_email_tokens(work.conn(), &actor.user_id, &now).await?;
    let sessions = store::delete_sessions(work.conn(), &actor.user_id, Some(session_id)).await?;
    let old = serde_json::json!({"other_sessions": sessions, "mailed_links": voided});
    work.audit(Entry { action: "user.password_change", target_kind: "user", target_id: Some(&actor.user_id), old: Some(old), new: None }).await?;
    work.commit().await?;
    if let Some(email) = store::user_email(&state.db, &actor.user_id).await? {
        security::notify(state, &email, security::Change::PasswordChanged).await?;
    }
    Ok(())
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct SessionInfo {
    pub id: String,
    pub ip: String,
    pub user_agent: String,
    #[sqlx(try_from = "Flag")]
    pub remember: bool,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    /// The session of this request.
    #[sqlx(default)]
    pub current: bool,
}

pub async fn sessions(state: &AppState, actor: &Actor) -> Result<Vec<SessionInfo>> {
    let current = actor.require_person()?;
    let mut list = store::sessions(&state.db, &actor.user_id, &time::to_db(time::now())).await?;
    for s in &mut list {
        s.current = s.id == current;
    }
    Ok(list)
}

pub async fn end_session(state: &AppState, actor: &Actor, id: &str) -> Result<()> {
    actor.require_person()?;
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    if !store::delete_session(work.conn(), &actor.user_id, id).await? {
        return Err(Error::NotFound("session"));
    }
    work.audit(Entry { action: "session.revoke", target_kind: "session", target_id: Some(id), old: None, new: None }).await?;
    work.commit().await
}

/// Sign out: this session ends (nothing to do without one).
pub async fn sign_out(state: &AppState, actor: Option<&Actor>) -> Result<()> {
    let Some(actor @ Actor { credential: Credential::Session(id), .. }) = actor else { return Ok(()) };
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    if store::delete_session(work.conn(), &actor.user_id, id).await? {
        work.audit(Entry { action: "user.sign_out", target_kind: "session", target_id: Some(id), old: None, new: None }).await?;
    }
    work.commit().await
}

/// Log out all devices: every session of the person ends, this one included.
pub async fn end_all_sessions(state: &AppState, actor: &Actor) -> Result<()> {
    actor.require_person()?;
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    let n = store::delete_sessions(work.conn(), &actor.user_id, None).await?;
    let entry = Entry { action: "session.revoke_all", target_kind: "user", target_id: Some(&actor.user_id), old: Some(serde_json::json!({"sessions": n})), new: None };
    work.audit(entry).await?;
    work.commit().await
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct LoginAttempt {
    pub id: String,
    pub ip: String,
    pub user_agent: String,
    #[sqlx(try_from = "Flag")]
    pub success: bool,
    /// Why it failed: wrong_password, wrong_totp, totp_required, locked, email_not_verified, disabled.
    pub reason: Option<String>,
    pub created_at: String,
}

pub async fn login_history(state: &AppState, actor: &Actor, page: PageQuery) -> Result<Page<LoginAttempt>> {
    actor.require_person()?;
    let (items, total) = store::login_history(&state.db, &actor.user_id, page.limit(), page.offset()).await?;
    Ok(Page::new(items, total, page))
}
