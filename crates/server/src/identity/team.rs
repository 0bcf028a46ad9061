//! A tenant's team: members with roles, invitations by e-mail, and the rule that the top role
//! (Owner, Super Admin) always keeps a holder.

use chrono::Duration;
use didtron_core::access::{Permission, Role};
use didtron_core::error::Validation;
use didtron_core::{Error, Result, id::new_id, time};
use didtron_db::Flag;
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::caller::Actor;
use super::{auth, mails, password, rules, session};
use crate::state::AppState;
use crate::changes::audit::{self, AuditActor, Entry};
use crate::crypto::{random_token, token_hash};

const INVITE_VALID: Duration = Duration::days(7);

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Member {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    #[sqlx(try_from = "Flag")]
    pub email_verified: bool,
    #[sqlx(try_from = "Flag")]
    pub two_factor: bool,
    pub last_login_at: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Invitation {
    pub id: String,
    pub email: String,
    pub role: String,
    pub expires_at: String,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleOption {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Team {
    pub members: Vec<Member>,
    /// Pending invitations (not accepted, revoked or expired).
    pub invitations: Vec<Invitation>,
    /// The roles of this kind of tenant, most powerful first.
    pub roles: Vec<RoleOption>,
}

pub async fn team(state: &AppState, actor: &Actor) -> Result<Team> {
    actor.require(Permission::TeamRead)?;
    let members: Vec<Member> = sqlx::query_as(
        "SELECT id, email, name, role, email_verified_at IS NOT NULL AS email_verified, totp_enabled_at IS NOT NULL AS two_factor,
                last_login_at, created_at
         FROM users WHERE tenant_id = $1 ORDER BY created_at",
    )
    .bind(&actor.tenant_id)
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    let invitations: Vec<Invitation> = sqlx::query_as(
        "SELECT id, email, role, expires_at, created_at FROM invitations
         WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at",
    )
    .bind(&actor.tenant_id)
    .bind(time::to_db(time::now()))
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    let roles = actor.tenant_kind.roles().iter().map(|r| RoleOption { code: r.as_str().into(), label: r.label().into() }).collect();
    Ok(Team { members, invitations, roles })
}

fn role_for(actor: &Actor, raw: &str) -> Result<Role> {
    let Some(role) = Role::parse_for(actor.tenant_kind, raw) else {
        let allowed: Vec<&str> = actor.tenant_kind.roles().iter().map(|r| r.as_str()).collect();
        return Err(Error::invalid("role", format!("must be one of {}", allowed.join(", "))));
    };
    if !actor.role.may_manage(actor.tenant_kind, role) {
        return Err(Error::Forbidden(format!("only a {} can grant or change the {} role", role.label(), role.label())));
    }
    Ok(role)
}

pub async fn invite(state: &AppState, actor: &Actor, email: &str, role: &str) -> Result<Invitation> {
    actor.require(Permission::TeamManage)?;
    let mut v = Validation::new();
    let email = rules::check(&mut v, "email", rules::email(email));
    v.finish()?;
    let email = email.unwrap_or_default();
    let role = role_for(actor, role)?;
    if auth::user_id_by_email(&state.db, &email).await?.is_some() {
        return Err(Error::Conflict("this address already has a DIDtron account; a person belongs to one account only".into()));
    }
    let now = time::now();
    let (pending,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM invitations WHERE tenant_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3",
    )
    .bind(&actor.tenant_id)
    .bind(&email)
    .bind(time::to_db(now))
    .fetch_one(state.db.pool())
    .await
    .map_err(Error::internal)?;
    if pending > 0 {
        return Err(Error::Conflict("this address has a pending invitation already; revoke it to send a new one".into()));
    }
    let token = random_token(32);
    let invitation = Invitation {
        id: new_id(),
        email: email.clone(),
        role: role.as_str().into(),
        expires_at: time::to_db(now + INVITE_VALID),
        created_at: time::to_db(now),
    };
    sqlx::query(
        "INSERT INTO invitations (id, tenant_id, email, role, token_hash, expires_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)",
    )
    .bind(&invitation.id)
    .bind(&actor.tenant_id)
    .bind(&email)
    .bind(role.as_str())
    .bind(token_hash(&token))
    .bind(&invitation.expires_at)
    .bind(&invitation.created_at)
    .bind(actor.audit_name())
    .execute(state.db.pool())
    .await
    .map_err(Error::internal)?;
    let (team_name,): (String,) =
        sqlx::query_as("SELECT name FROM tenants WHERE id = $1").bind(&actor.tenant_id).fetch_one(state.db.pool()).await.map_err(Error::internal)?;
    let (subject, text) =
        mails::invitation(&team_name, role.label(), &format!("{}/accept-invite?token={token}", state.settings.public_url()));
    state.mailer.send(&state.db, "invitation", &email, &subject, &text).await?;
    audit::record(state.db.pool(), &AuditActor::from(actor), Entry { action: "invitation.create", target_kind: "invitation", target_id: Some(&invitation.id), old: None, new: Some(serde_json::json!({"email": invitation.email, "role": invitation.role})) }).await?;
    Ok(invitation)
}

pub async fn revoke_invitation(state: &AppState, actor: &Actor, id: &str) -> Result<()> {
    actor.require(Permission::TeamManage)?;
    let now = time::to_db(time::now());
    let done = sqlx::query(
        "UPDATE invitations SET revoked_at = $1, updated_at = $1, updated_by = $2 WHERE id = $3 AND tenant_id = $4 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(&now)
    .bind(actor.audit_name())
    .bind(id)
    .bind(&actor.tenant_id)
    .execute(state.db.pool())
    .await
    .map_err(Error::internal)?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("invitation"));
    }
    audit::record(state.db.pool(), &AuditActor::from(actor), Entry { action: "invitation.revoke", target_kind: "invitation", target_id: Some(id), old: None, new: None }).await?;
    Ok(())
}

/// Accepts an invitation: creates the person's user in the inviting tenant, already verified (the
/// link arrived at the address).
pub async fn accept_invitation(state: &AppState, token: &str, name: &str, plain_password: &str) -> Result<String> {
    let mut v = Validation::new();
    let name = rules::check(&mut v, "name", rules::name(name));
    rules::check(&mut v, "password", rules::password(plain_password));
    v.finish()?;
    let row: Option<(String, String, String, String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, tenant_id, email, role, expires_at, accepted_at, revoked_at FROM invitations WHERE token_hash = $1",
    )
    .bind(token_hash(token.trim()))
    .fetch_optional(state.db.pool())
    .await
    .map_err(Error::internal)?;
    let Some((id, tenant_id, email, role, expires_at, accepted, revoked)) = row else {
        return Err(Error::invalid("token", "this invitation link is not valid"));
    };
    let now = time::to_db(time::now());
    if accepted.is_some() {
        return Err(Error::invalid("token", "this invitation has already been accepted; sign in instead"));
    }
    if revoked.is_some() {
        return Err(Error::invalid("token", "this invitation was withdrawn"));
    }
    if expires_at <= now {
        return Err(Error::invalid("token", "this invitation has expired; ask for a new one"));
    }
    let role = Role::parse(&role).ok_or_else(|| Error::internal("invitation with unknown role"))?;
    let hash = password::hash(plain_password).await?;
    let user_id = new_id();
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    let claimed = sqlx::query("UPDATE invitations SET accepted_at = $1, updated_at = $1, updated_by = $2 WHERE id = $3 AND accepted_at IS NULL")
        .bind(&now)
        .bind(&user_id)
        .bind(&id)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
    if claimed.rows_affected() == 0 {
        return Err(Error::invalid("token", "this invitation has already been accepted; sign in instead"));
    }
    auth::insert_user(&mut tx, &user_id, &tenant_id, &email, &name.unwrap_or_default(), &hash, role, Some(&now), &now).await?;
    let entry = Entry { action: "invitation.accept", target_kind: "user", target_id: Some(&user_id), old: None, new: Some(serde_json::json!({"email": email, "role": role.as_str(), "tenant_id": tenant_id})) };
    audit::record(&mut *tx, &AuditActor::person(&user_id, Some(&tenant_id), ""), entry).await?;
    tx.commit().await.map_err(Error::internal)?;
    Ok(email)
}

async fn member_role(state: &AppState, actor: &Actor, user_id: &str) -> Result<Role> {
    let row: Option<(String,)> = sqlx::query_as("SELECT role FROM users WHERE id = $1 AND tenant_id = $2")
        .bind(user_id)
        .bind(&actor.tenant_id)
        .fetch_optional(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let (role,) = row.ok_or(Error::NotFound("member"))?;
    Role::parse(&role).ok_or_else(|| Error::internal("member with unknown role"))
}

async fn top_role_holders(state: &AppState, actor: &Actor) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND role = $2 AND status = 'active'")
        .bind(&actor.tenant_id)
        .bind(actor.tenant_kind.top_role().as_str())
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(n)
}

pub async fn change_role(state: &AppState, actor: &Actor, user_id: &str, new_role: &str) -> Result<()> {
    actor.require(Permission::TeamManage)?;
    let current = member_role(state, actor, user_id).await?;
    let new_role = role_for(actor, new_role)?;
    if !actor.role.may_manage(actor.tenant_kind, current) {
        return Err(Error::Forbidden(format!("only a {0} can change a {0}'s role", current.label())));
    }
    let top = actor.tenant_kind.top_role();
    if current == top && new_role != top && top_role_holders(state, actor).await? <= 1 {
        return Err(Error::Conflict(format!("the last {} cannot be demoted; make someone else {} first", top.label(), top.label())));
    }
    let now = time::to_db(time::now());
    sqlx::query("UPDATE users SET role = $1, updated_at = $2, updated_by = $3 WHERE id = $4 AND tenant_id = $5")
        .bind(new_role.as_str())
        .bind(&now)
        .bind(actor.audit_name())
        .bind(user_id)
        .bind(&actor.tenant_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    audit::record(state.db.pool(), &AuditActor::from(actor), Entry { action: "member.role_change", target_kind: "user", target_id: Some(user_id), old: Some(serde_json::json!({"role": current.as_str()})), new: Some(serde_json::json!({"role": new_role.as_str()})) }).await?;
    Ok(())
}

pub async fn remove_member(state: &AppState, actor: &Actor, user_id: &str) -> Result<()> {
    actor.require(Permission::TeamManage)?;
    let current = member_role(state, actor, user_id).await?;
    if !actor.role.may_manage(actor.tenant_kind, current) {
        return Err(Error::Forbidden(format!("only a {0} can remove a {0}", current.label())));
    }
    let top = actor.tenant_kind.top_role();
    if current == top && top_role_holders(state, actor).await? <= 1 {
        return Err(Error::Conflict(format!("the last {} cannot be removed", top.label())));
    }
    session::revoke_all(&state.db, user_id, None).await?;
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    for sql in [
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM email_tokens WHERE user_id = $1",
        "UPDATE login_attempts SET user_id = NULL WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *tx).await.map_err(Error::internal)?;
    }
    sqlx::query("DELETE FROM users WHERE id = $1 AND tenant_id = $2")
        .bind(user_id)
        .bind(&actor.tenant_id)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
    let entry = Entry { action: "member.remove", target_kind: "user", target_id: Some(user_id), old: Some(serde_json::json!({"role": current.as_str()})), new: None };
    audit::record(&mut *tx, &AuditActor::from(actor), entry).await?;
    tx.commit().await.map_err(Error::internal)?;
    Ok(())
}
