//! A tenant's team: members with roles, invitations by e-mail, and the rule that the top role
//! (Owner, Super Admin) always keeps a holder.

use chrono::Duration;
use didtron_core::access::{Permission, Role, TenantKind, permissions_of};
use didtron_core::error::Validation;
use didtron_core::{Error, Result, id::new_id, time};
use didtron_db::Flag;
use serde::Serialize;
use utoipa::ToSchema;

use super::{mails, password, rules, store};
use crate::changes::audit::{AuditActor, Entry};
use crate::changes::unit::UnitOfWork;
use crate::crypto::{random_token, token_hash};
use crate::http::caller::Actor;
use crate::state::AppState;

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

/// A role as the role pickers show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleOption {
    pub code: String,
    pub label: String,
    /// One sentence on what the role is for.
    pub description: String,
    /// What the role allows, in words, in the order of the permission list.
    pub allows: Vec<String>,
    /// The permission codes (`team.manage`, …) behind `allows`.
    pub permissions: Vec<String>,
    /// Whether you may hand this role out (invite with it, give it to a member, or make a key
    /// with it): never a role that allows more than yours.
    pub grantable: bool,
}

impl RoleOption {
    pub fn of(kind: TenantKind, role: Role, holder: Role) -> RoleOption {
        let permissions = permissions_of(kind, role);
        RoleOption {
            code: role.as_str().into(),
            label: role.label().into(),
            description: role.description(kind).into(),
            allows: permissions.iter().map(|p| p.label().to_string()).collect(),
            permissions: permissions.iter().map(|p| p.as_str().to_string()).collect(),
            grantable: holder.may_grant(kind, role),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Team {
    pub members: Vec<Member>,
    /// Pending invitations (not accepted, revoked or expired).
    pub invitations: Vec<Invitation>,
    /// The roles of this kind of tenant, most powerful first.
    pub roles: Vec<RoleOption>,
}

/// The roles of the caller's kind of tenant, most powerful first, with what each allows.
pub fn roles(actor: &Actor) -> Vec<RoleOption> {
    actor.tenant_kind.roles().iter().map(|r| RoleOption::of(actor.tenant_kind, *r, actor.role)).collect()
}

pub async fn team(state: &AppState, actor: &Actor) -> Result<Team> {
    actor.require(Permission::TeamRead)?;
    let members = store::members(&state.db, &actor.tenant_id).await?;
    let invitations = store::pending_invitations(&state.db, &actor.tenant_id, &time::to_db(time::now())).await?;
    Ok(Team { members, invitations, roles: roles(actor) })
}

/// The role named `raw`, when the actor may hand it out (see [`Role::may_grant`]).
fn grantable_role(actor: &Actor, raw: &str) -> Result<Role> {
    let Some(role) = Role::parse_for(actor.tenant_kind, raw) else {
        let allowed: Vec<&str> = actor.tenant_kind.roles().iter().map(|r| r.as_str()).collect();
        return Err(Error::invalid("role", format!("must be one of {}", allowed.join(", "))));
    };
    if !actor.role.may_grant(actor.tenant_kind, role) {
        return Err(refuse_grant(actor, role));
    }
    Ok(role)
}

fn refuse_grant(actor: &Actor, role: Role) -> Error {
    if role == actor.tenant_kind.top_role() {
        Error::Forbidden(format!("only a {0} can grant or change the {0} role", role.label()))
    } else {
        Error::Forbidden(format!("the {} role allows more than your own role ({}) does", role.label(), actor.role.label()))
    }
}

/// Invites `email` with `role`. The answer is the same whether or not the address has an account
/// elsewhere (a person belongs to one account only): such an address is told by mail that it
/// cannot join, and the invitation stays pending, so the inviter learns nothing about it.
pub async fn invite(state: &AppState, actor: &Actor, email: &str, role: &str) -> Result<Invitation> {
    actor.require(Permission::TeamManage)?;
    let mut v = Validation::new();
    let email = rules::check(&mut v, "email", rules::email(email));
    v.finish()?;
    let email = email.unwrap_or_default();
    let role = grantable_role(actor, role)?;
    let existing = store::user_by_email(&state.db, &email).await?;
    if existing.as_ref().is_some_and(|(_, tenant)| *tenant == actor.tenant_id) {
        return Err(Error::Conflict("this person is a member of your team already".into()));
    }
    let now = time::now();
    if store::pending_invitations_for(&state.db, &actor.tenant_id, &email, &time::to_db(now)).await? > 0 {
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
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    store::insert_invitation(work.conn(), &actor.tenant_id, &invitation, &token_hash(&token), &actor.audit_name()).await?;
    let new = serde_json::json!({"email": invitation.email, "role": invitation.role});
    work.audit(Entry { action: "invitation.create", target_kind: "invitation", target_id: Some(&invitation.id), old: None, new: Some(new) }).await?;
    work.commit().await?;
    let team_name = store::tenant_name(&state.db, &actor.tenant_id).await?;
    let (subject, text) = match existing {
        None => mails::invitation(&team_name, role.label(), &format!("{}/accept-invite?token={token}", state.settings.public_url())),
        Some(_) => mails::invitation_to_member(&team_name, role.label()),
    };
    state.mailer.send(&state.db, "invitation", &email, &subject, &text).await?;
    Ok(invitation)
}

pub async fn revoke_invitation(state: &AppState, actor: &Actor, id: &str) -> Result<()> {
    actor.require(Permission::TeamManage)?;
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    if !store::revoke_invitation(work.conn(), &actor.tenant_id, id, &time::to_db(time::now()), &actor.audit_name()).await? {
        return Err(Error::NotFound("invitation"));
    }
    work.audit(Entry { action: "invitation.revoke", target_kind: "invitation", target_id: Some(id), old: None, new: None }).await?;
    work.commit().await
}

/// What the accept-invite page shows before the person chooses a password.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationPreview {
    /// The name of the account that invites.
    pub team: String,
    pub email: String,
    pub role: RoleOption,
    pub expires_at: String,
}

/// A pending invitation found by its link's token: `(row, role)`, or why it cannot be accepted.
async fn pending_invitation(state: &AppState, token: &str) -> Result<(store::InvitationRow, Role)> {
    let Some(row) = store::invitation_by_token(&state.db, &token_hash(token.trim())).await? else {
        return Err(Error::invalid("token", "this invitation link is not valid"));
    };
    if row.accepted_at.is_some() {
        return Err(Error::invalid("token", "this invitation has already been accepted; sign in instead"));
    }
    if row.revoked_at.is_some() {
        return Err(Error::invalid("token", "this invitation was withdrawn"));
    }
    if row.expires_at <= time::to_db(time::now()) {
        return Err(Error::invalid("token", "this invitation has expired; ask for a new one"));
    }
    let role = Role::parse(&row.role).ok_or_else(|| Error::internal("invitation with unknown role"))?;
    Ok((row, role))
}

/// Who invites, with which role: for the accept-invite page.
pub async fn preview_invitation(state: &AppState, token: &str) -> Result<InvitationPreview> {
    let (row, role) = pending_invitation(state, token).await?;
    let kind = TenantKind::parse(&store::tenant_kind(&state.db, &row.tenant_id).await?).ok_or_else(|| Error::internal("unknown tenant kind"))?;
    Ok(InvitationPreview { team: row.tenant_name, email: row.email, role: RoleOption::of(kind, role, role), expires_at: row.expires_at })
}

/// Accepts an invitation: creates the person's user in the inviting tenant, already verified (the
/// link arrived at the address).
pub async fn accept_invitation(state: &AppState, token: &str, name: &str, plain_password: &str, ip: &str) -> Result<String> {
    let mut v = Validation::new();
    let name = rules::check(&mut v, "name", rules::name(name));
    rules::check(&mut v, "password", rules::password(plain_password));
    v.finish()?;
    let (row, role) = pending_invitation(state, token).await?;
    let hash = password::hash(&state.hashing, plain_password).await?;
    let user_id = new_id();
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, AuditActor::person(&user_id, Some(&row.tenant_id), ip)).await?;
    if !store::claim_invitation(work.conn(), &row.id, &user_id, &now).await? {
        return Err(Error::invalid("token", "this invitation has already been accepted; sign in instead"));
    }
    let user = store::NewUser {
        id: &user_id,
        tenant_id: &row.tenant_id,
        email: &row.email,
        name: &name.unwrap_or_default(),
        password_hash: &hash,
        role: role.as_str(),
        verified_at: Some(&now),
        now: &now,
        actor: &user_id,
    };
    store::insert_user(work.conn(), user).await.map_err(|e| match e {
        didtron_db::Error::Conflict(_) => Error::Conflict("an account with this e-mail address already exists; sign in instead".into()),
        other => other.into(),
    })?;
    let new = serde_json::json!({"email": row.email, "role": role.as_str(), "tenant_id": row.tenant_id});
    work.audit(Entry { action: "invitation.accept", target_kind: "user", target_id: Some(&user_id), old: None, new: Some(new) }).await?;
    work.commit().await?;
    Ok(row.email)
}

async fn member_role(state: &AppState, actor: &Actor, user_id: &str) -> Result<Role> {
    let role = store::member_role(&state.db, &actor.tenant_id, user_id).await?.ok_or(Error::NotFound("member"))?;
    Role::parse(&role).ok_or_else(|| Error::internal("member with unknown role"))
}

async fn top_role_holders(state: &AppState, actor: &Actor) -> Result<i64> {
    Ok(store::role_holders(&state.db, &actor.tenant_id, actor.tenant_kind.top_role().as_str()).await?)
}

/// Gives a member another role. Both the member's role and the new one must be roles the actor may
/// hand out, so no one raises anyone (themselves included) above their own role.
pub async fn change_role(state: &AppState, actor: &Actor, user_id: &str, new_role: &str) -> Result<()> {
    actor.require(Permission::TeamManage)?;
    let current = member_role(state, actor, user_id).await?;
    let new_role = grantable_role(actor, new_role)?;
    if !actor.role.may_grant(actor.tenant_kind, current) {
        return Err(if current == actor.tenant_kind.top_role() {
            Error::Forbidden(format!("only a {0} can change a {0}'s role", current.label()))
        } else {
            refuse_grant(actor, current)
        });
    }
    let top = actor.tenant_kind.top_role();
    if current == top && new_role != top && top_role_holders(state, actor).await? <= 1 {
        return Err(Error::Conflict(format!("the last {} cannot be demoted; make someone else {} first", top.label(), top.label())));
    }
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    store::set_member_role(work.conn(), &actor.tenant_id, user_id, new_role.as_str(), &time::to_db(time::now()), &actor.audit_name()).await?;
    let (old, new) = (serde_json::json!({"role": current.as_str()}), serde_json::json!({"role": new_role.as_str()}));
    work.audit(Entry { action: "member.role_change", target_kind: "user", target_id: Some(user_id), old: Some(old), new: Some(new) }).await?;
    work.commit().await
}

/// Removes a member: their sessions end and the API keys they hold are revoked with them.
pub async fn remove_member(state: &AppState, actor: &Actor, user_id: &str) -> Result<()> {
    actor.require(Permission::TeamManage)?;
    let current = member_role(state, actor, user_id).await?;
    if !actor.role.may_grant(actor.tenant_kind, current) {
        return Err(if current == actor.tenant_kind.top_role() {
            Error::Forbidden(format!("only a {0} can remove a {0}", current.label()))
        } else {
            refuse_grant(actor, current)
        });
    }
    let top = actor.tenant_kind.top_role();
    if current == top && top_role_holders(state, actor).await? <= 1 {
        return Err(Error::Conflict(format!("the last {} cannot be removed", top.label())));
    }
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    let keys = store::remove_member(work.conn(), &actor.tenant_id, user_id, &time::to_db(time::now()), &actor.audit_name()).await?;
    let old = serde_json::json!({"role": current.as_str(), "revoked_api_keys": keys});
    work.audit(Entry { action: "member.remove", target_kind: "user", target_id: Some(user_id), old: Some(old), new: None }).await?;
    work.commit().await
}
