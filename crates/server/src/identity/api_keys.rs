//! API keys: a public key id and a secret shown once. Requests send
//! `Authorization: Bearer <key id>.<secret>` (or HTTP Basic with the id and the secret).

use base64::Engine;
use didtron_core::access::{Permission, Role, TenantKind, permissions_of};
use didtron_core::error::Validation;
use didtron_core::{Error, Result, time};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::caller::{Actor, Credential};
use crate::state::AppState;
use crate::changes::audit::{self, AuditActor, Entry};
use crate::crypto::{constant_time_eq, random_token, token_hash};

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

const COLUMNS: &str = "id, name, role, expires_at, revoked_at, last_used_at, last_used_ip, created_at, created_by";

pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<ApiKey>> {
    actor.require(Permission::ApiKeysManage)?;
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at DESC")))
        .bind(&actor.tenant_id)
        .fetch_all(state.db.pool())
        .await
        .map_err(Error::internal)
}

pub async fn create(state: &AppState, actor: &Actor, name: &str, role: &str, expires_at: Option<&str>) -> Result<CreatedApiKey> {
    actor.require(Permission::ApiKeysManage)?;
    let mut v = Validation::new();
    let name = name.trim();
    v.check(!name.is_empty() && name.chars().count() <= 100, "name", "is required (at most 100 characters)");
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
    let mine = permissions_of(actor.tenant_kind, actor.role);
    if !permissions_of(actor.tenant_kind, role).iter().all(|p| mine.contains(p)) {
        return Err(Error::Forbidden(format!("a key with the {} role could do more than your own role allows", role.label())));
    }
    let id = format!("dk_{}", random_token(12).replace(['-', '_'], "x"));
    let secret = random_token(32);
    let now = time::to_db(time::now());
    let key = ApiKey {
        id: id.clone(),
        name: name.to_string(),
        role: role.as_str().into(),
        expires_at: expires.map(time::to_db),
        revoked_at: None,
        last_used_at: None,
        last_used_ip: None,
        created_at: now.clone(),
        created_by: Some(actor.audit_name()),
    };
    sqlx::query(
        "INSERT INTO api_keys (id, tenant_id, name, role, secret_hash, expires_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)",
    )
    .bind(&id)
    .bind(&actor.tenant_id)
    .bind(&key.name)
    .bind(&key.role)
    .bind(token_hash(&secret))
    .bind(&key.expires_at)
    .bind(&now)
    .bind(actor.audit_name())
    .execute(state.db.pool())
    .await
    .map_err(Error::internal)?;
    audit::record(state.db.pool(), &AuditActor::from(actor), Entry { action: "api_key.create", target_kind: "api_key", target_id: Some(&id), old: None, new: Some(serde_json::json!({"name": key.name, "role": key.role, "expires_at": key.expires_at})) }).await?;
    Ok(CreatedApiKey { token: format!("{id}.{secret}"), secret, key })
}

pub async fn revoke(state: &AppState, actor: &Actor, id: &str) -> Result<()> {
    actor.require(Permission::ApiKeysManage)?;
    let now = time::to_db(time::now());
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1), updated_at = $1, updated_by = $2 WHERE id = $3 AND tenant_id = $4",
    )
    .bind(&now)
    .bind(actor.audit_name())
    .bind(id)
    .bind(&actor.tenant_id)
    .execute(state.db.pool())
    .await
    .map_err(Error::internal)?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("API key"));
    }
    audit::record(state.db.pool(), &AuditActor::from(actor), Entry { action: "api_key.revoke", target_kind: "api_key", target_id: Some(id), old: None, new: None }).await?;
    Ok(())
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

#[derive(sqlx::FromRow)]
struct KeyRow {
    tenant_id: String,
    role: String,
    secret_hash: String,
    expires_at: Option<String>,
    revoked_at: Option<String>,
    created_by: Option<String>,
    kind: String,
    tenant_status: String,
}

/// Resolves an `Authorization` header to the key's actor, recording the use.
pub async fn authenticate(state: &AppState, header: &str, ip: &str, ua: &str) -> Result<Actor> {
    let refuse = |why: &str| Error::Unauthenticated(format!("API key refused: {why}"));
    let (id, secret) = parse(header).ok_or_else(|| refuse("expected `Authorization: Bearer <key id>.<secret>`"))?;
    let row: Option<KeyRow> = sqlx::query_as(
        "SELECT k.tenant_id, k.role, k.secret_hash, k.expires_at, k.revoked_at, k.created_by, t.kind, t.status AS tenant_status
         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.id = $1",
    )
    .bind(&id)
    .fetch_optional(state.db.pool())
    .await
    .map_err(Error::internal)?;
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
    sqlx::query("UPDATE api_keys SET last_used_at = $1, last_used_ip = $2 WHERE id = $3")
        .bind(&now)
        .bind(ip)
        .bind(&id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(Actor {
        user_id: row.created_by.unwrap_or_default(),
        credential: Credential::ApiKey(id),
        tenant_id: row.tenant_id,
        tenant_kind,
        role,
        ip: ip.to_string(),
        user_agent: ua.to_string(),
    })
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
