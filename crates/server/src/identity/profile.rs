//! The signed-in person's own account: who they are, their password, sessions and sign-in history.

use didtron_core::access::permissions_of;
use didtron_core::{Error, Result, time};
use didtron_db::Flag;
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::caller::{Actor, Credential};
use super::{password, rules, session, totp};
use crate::state::AppState;
use crate::changes::audit::{self, AuditActor, Entry};
use crate::http::{Page, PageQuery};

#[derive(Debug, Serialize, ToSchema)]
pub struct MeUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub email_verified: bool,
    pub two_factor: bool,
    /// Unused 2FA recovery codes left.
    pub recovery_codes_left: i64,
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
    let row: Option<(String, String, Flag, Flag, String)> = sqlx::query_as(
        "SELECT email, name, email_verified_at IS NOT NULL, totp_enabled_at IS NOT NULL, tenant_id FROM users WHERE id = $1",
    )
    .bind(&actor.user_id)
    .fetch_optional(state.db.pool())
    .await
    .map_err(Error::internal)?;
    let (email, name, email_verified, two_factor) = match row {
        Some((e, n, v, t, tenant)) if tenant == actor.tenant_id => (e, n, v.0, t.0),
        // An API key whose creator has left: the key still speaks for the tenant.
        _ => (String::new(), "API key".to_string(), false, false),
    };
    let (tenant_name,): (String,) =
        sqlx::query_as("SELECT name FROM tenants WHERE id = $1").bind(&actor.tenant_id).fetch_one(state.db.pool()).await.map_err(Error::internal)?;
    Ok(Me {
        user: MeUser {
            id: actor.user_id.clone(),
            email,
            name,
            email_verified,
            two_factor,
            recovery_codes_left: if two_factor { totp::recovery_codes_left(state, &actor.user_id).await? } else { 0 },
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
    let (old,): (String,) = sqlx::query_as("SELECT name FROM users WHERE id = $1").bind(&actor.user_id).fetch_one(state.db.pool()).await.map_err(Error::internal)?;
    audit::record(state.db.pool(), &AuditActor::from(actor), Entry { action: "user.update", target_kind: "user", target_id: Some(&actor.user_id), old: Some(serde_json::json!({"name": old})), new: Some(serde_json::json!({"name": name})) }).await?;
    sqlx::query("UPDATE users SET name = $1, updated_at = $2, updated_by = id WHERE id = $3")
        .bind(&name)
        .bind(time::to_db(time::now()))
        .bind(&actor.user_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(())
}

/// Changes the password after checking the current one; every other session ends.
pub async fn change_password(state: &AppState, actor: &Actor, current: &str, new: &str) -> Result<()> {
    let session_id = actor.require_person()?;
    rules::password(new).map_err(|m| Error::invalid("new_password", m))?;
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(&actor.user_id)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    if !password::verify(current, &hash).await {
        return Err(Error::invalid("current_password", "wrong password"));
    }
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2, updated_by = id WHERE id = $3")
        .bind(password::hash(new).await?)
        .bind(time::to_db(time::now()))
        .bind(&actor.user_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    session::revoke_all(&state.db, &actor.user_id, Some(session_id)).await?;
    audit::record(state.db.pool(), &AuditActor::from(actor), Entry { action: "user.password_change", target_kind: "user", target_id: Some(&actor.user_id), old: None, new: None }).await?;
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
    let mut list: Vec<SessionInfo> = sqlx::query_as(
        "SELECT id, ip, user_agent, remember, created_at, last_seen_at, expires_at FROM sessions
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC",
    )
    .bind(&actor.user_id)
    .bind(time::to_db(time::now()))
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    for s in &mut list {
        s.current = s.id == current;
    }
    Ok(list)
}

pub async fn end_session(state: &AppState, actor: &Actor, id: &str) -> Result<()> {
    actor.require_person()?;
    if !session::revoke(&state.db, &actor.user_id, id).await? {
        return Err(Error::NotFound("session"));
    }
    audit::record(state.db.pool(), &AuditActor::from(actor), Entry { action: "session.revoke", target_kind: "session", target_id: Some(id), old: None, new: None }).await?;
    Ok(())
}

/// Log out all devices: every session of the person ends, this one included.
pub async fn end_all_sessions(state: &AppState, actor: &Actor) -> Result<()> {
    actor.require_person()?;
    let n = session::revoke_all(&state.db, &actor.user_id, None).await?;
    let entry = Entry { action: "session.revoke_all", target_kind: "user", target_id: Some(&actor.user_id), old: Some(serde_json::json!({"sessions": n})), new: None };
    audit::record(state.db.pool(), &AuditActor::from(actor), entry).await
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
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_attempts WHERE user_id = $1")
        .bind(&actor.user_id)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let items = sqlx::query_as(
        "SELECT id, ip, user_agent, success, reason, created_at FROM login_attempts WHERE user_id = $1
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(&actor.user_id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(Page::new(items, total, page))
}
