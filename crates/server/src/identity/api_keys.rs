//! API keys: a public key id and a secret shown once. Requests send
//! `Authorization: Bearer <key id>.<secret>` (or HTTP Basic with the id and the secret).

use base64::Engine;
use didtron_core::access::{Permission, Role, TenantKind};
use didtron_core::error::Validation;
use didtron_core::{Error, Result, time};
use serde::Serialize;
use utoipa::ToSchema;

use super::{rules, security, store};
use crate::changes::audit::Entry;
use crate::changes::unit::UnitOfWork;
use crate::crypto::{constant_time_eq, random_token, token_hash};
use crate::http::caller::{Actor, Credential};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct ApiKey {
    /// The public key id (`dk_…`).
    pub id: String,
    pub name: String,
    pub role: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
    pub last_used_ip: Option<String>,
    pub created_at: String,
    pub created_by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKey,
    /// The secret: shown this once, stored only as a hash.
    pub secret: String,
    /// `<id>.<secret>`, ready for `Authorization: Bearer …`.
    pub token: String,
}

pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<ApiKey>> {
    actor.require(Permission::ApiKeysManage)?;
    Ok(store::api_keys(&state.db, &actor.tenant_id).await?)
}

/// Creates a key for the actor. The key's role must be one the actor may hand out
/// ([`Role::may_grant`]), and a key may create keys only when its role explicitly allows it
/// (`api_keys.by_key`): a leaked key must not be able to mint its own replacements. The person
/// behind the key holds the new one too, and is told by mail.
pub async fn create(state: &AppState, actor: &Actor, name: &str, role: &str, expires_at: Option<&str>) -> Result<CreatedApiKey> {
    actor.require(Permission::ApiKeysManage)?;
    if matches!(actor.credential, Credential::ApiKey(_)) && !actor.can(Permission::ApiKeysByKey) {
        return Err(Error::Forbidden("an API key cannot create API keys unless its role allows it; sign in to create one".into()));
    }
    let mut v = Validation::new();
    let name = rules::check(&mut v, "name", rules::name(name));
    let role = Role::parse_for(actor.tenant_kind, role);
    v.check(role.is_some(), "role", "is not a role of this account");
    let expires = match expires_at {
        Some(raw) => match time::from_db(raw) {
            Some(t) if t > time::now() => Some(t),
            Some(_) => {
                v.add("expires_at", "must be in the future");
                None
            }
            None => {
                v.add("expires_at", "must be a date-time such as 2027-01-31T00:00:00Z");
                None
            }
        },
        None => None,
    };
    v.finish()?;
    let role = role.expect("validated");
    // A key may do no more than the person who creates it.
    if !actor.role.may_grant(actor.tenant_kind, role) {
        return Err(Error::Forbidden(format!("a key with the {} role could do more than your own role allows", role.label())));
    }
    let id = format!("dk_{}", random_token(12).replace(['-', '_'], "x"));
    let secret = random_token(32);
    let now = time::to_db(time::now());
    let key = ApiKey {
        id: id.clone(),
        name: name.unwrap_or_default(),
        role: role.as_str().into(),
        expires_at: expires.map(time::to_db),
        revoked_at: None,
        last_used_at: None,
        last_used_ip: None,
        created_at: now,
        created_by: Some(actor.audit_name()),
    };
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    store::insert_api_key(work.conn(), &actor.tenant_id, &key, &actor.user_id, &token_hash(&secret)).await?;
    let new = serde_json::json!({"name": key.name, "role": key.role, "expires_at": key.expires_at, "holder": actor.user_id});
    work.audit(Entry { action: "api_key.create", target_kind: "api_key", target_id: Some(&id), old: None, new: Some(new) }).await?;
    work.commit().await?;
    if let Some(email) = store::user_email(&state.db, &actor.user_id).await? {
        security::notify(state, &email, security::Change::ApiKeyCreated { name: &key.name, role: role.label() }).await?;
    }
    Ok(CreatedApiKey { token: format!("{id}.{secret}"), secret, key })
}

pub async fn revoke(state: &AppState, actor: &Actor, id: &str) -> Result<()> {
    actor.require(Permission::ApiKeysManage)?;
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    if !store::revoke_api_key(work.conn(), &actor.tenant_id, id, &time::to_db(time::now()), &actor.audit_name()).await? {
        return Err(Error::NotFound("API key"));
    }
    work.audit(Entry { action: "api_key.revoke", target_kind: "api_key", target_id: Some(id), old: None, new: None }).await?;
    work.commit().await
}

/// Revokes every key the signed-in person holds: after a password reset, a lost laptop, or
/// "log out all devices". Returns how many were live.
pub async fn revoke_mine(state: &AppState, actor: &Actor) -> Result<u64> {
    actor.require_person()?;
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    let ids = store::revoke_keys_of(work.conn(), &actor.tenant_id, &actor.user_id, &time::to_db(time::now()), &actor.audit_name()).await?;
    let old = serde_json::json!({"api_keys": ids});
    work.audit(Entry { action: "api_key.revoke_all", target_kind: "user", target_id: Some(&actor.user_id), old: Some(old), new: None }).await?;
    work.commit().await?;
    Ok(ids.len() as u64)
}

/// Splits `Bearer id.secret` or `Basic base64(id:secret)`.
fn parse(header: &str) -> Option<(String, String)> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    let pair = match scheme.to_ascii_lowercase().as_str() {
        "bearer" => rest.trim().to_string(),
        "basic" => {
            let raw = base64::engine::general_purpose::STANDARD.decode(rest.trim()).ok()?;
            String::from_utf8(raw).ok()?.replacen(':', ".", 1)
        }
        _ => return None,
    };
    let (id, secret) = pair.split_once('.')?;
    Some((id.to_string(), secret.to_string()))
}

/// Resolves an `Authorization` header to the key's actor, recording the use. A key speaks for the
/// person who holds it and never does more than they may now: it stops working when they leave
/// the account, are disabled, or lose a role that would let them make such a key.
pub async fn authenticate(state: &AppState, header: &str, ip: &str, ua: &str) -> Result<Actor> {
    let refuse = |why: &str| Error::Unauthenticated(format!("API key refused: {why}"));
    let (id, secret) = parse(header).ok_or_else(|| refuse("expected `Authorization: Bearer <key id>.<secret>`"))?;
    let row = store::key_for_authentication(&state.db, &id).await?;
    let Some(row) = row.filter(|r| constant_time_eq(&r.secret_hash, &token_hash(&secret))) else {
        return Err(refuse("unknown key or wrong secret"));
    };
    let now = time::to_db(time::now());
    if row.revoked_at.is_some() {
        return Err(refuse("the key was revoked"));
    }
    if row.expires_at.as_deref().is_some_and(|e| e <= now.as_str()) {
        return Err(refuse("the key has expired"));
    }
    if row.tenant_status == "closed" {
        return Err(refuse("the account is closed"));
    }
    let (Some(tenant_kind), Some(role)) = (TenantKind::parse(&row.kind), Role::parse(&row.role)) else {
        return Err(Error::internal("API key with unknown role"));
    };
    let (Some(owner_id), Some(owner_role)) = (row.owner_id, row.owner_role.as_deref().and_then(Role::parse)) else {
        return Err(refuse("the person who holds this key is no longer a member of the account"));
    };
    if row.owner_status.as_deref() != Some("active") {
        return Err(refuse("the person who holds this key is disabled"));
    }
    if !owner_role.may_grant(tenant_kind, role) {
        return Err(refuse(&format!("its role ({}) is more than its holder's role ({}) allows now", role.label(), owner_role.label())));
    }
    store::touch_api_key(&state.db, &id, &now, ip).await?;
    Ok(Actor { user_id: owner_id, credential: Credential::ApiKey(id), tenant_id: row.tenant_id, tenant_kind, role, ip: ip.to_string(), user_agent: ua.to_string() })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn both_header_forms_parse() {
        assert_eq!(parse("Bearer dk_abc.s3cret"), Some(("dk_abc".into(), "s3cret".into())));
        let basic = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "dk_abc:s3cret");
        assert_eq!(parse(&format!("Basic {basic}")), Some(("dk_abc".into(), "s3cret".into())));
        assert_eq!(parse("Bearer nodot"), None);
        assert_eq!(parse("Digest x"), None);
    }
}
