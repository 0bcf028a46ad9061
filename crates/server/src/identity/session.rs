//! Browser sessions: a random token in an HttpOnly cookie, only its hash in the database, and a
//! CSRF token the web app echoes in `x-csrf-token` on every write.

use axum::http::{HeaderMap, HeaderValue, header};
use chrono::Duration;
use cookie::{Cookie, SameSite};
use didtron_core::access::{Role, TenantKind};
use didtron_core::{Error, Result, id::new_id, time};
use didtron_db::{Db, Flag};

use crate::state::AppState;
use crate::crypto::{random_token, token_hash};

pub const SESSION_COOKIE: &str = "didtron_session";
pub const CSRF_COOKIE: &str = "didtron_csrf";
/// A session without "remember me" ends after this much inactivity.
const IDLE: Duration = Duration::hours(12);
/// "Remember me" keeps the session for this long.
const REMEMBERED: Duration = Duration::days(30);

pub fn token_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v.to_string()).filter_map(|c| c.ok()))
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_string())
}

/// A live session as the request sees it.
#[derive(Debug)]
pub struct Found {
    pub session_id: String,
    pub user_id: String,
    pub csrf_token: String,
    pub tenant_id: String,
    pub tenant_kind: TenantKind,
    pub role: Role,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    user_id: String,
    csrf_token: String,
    #[sqlx(try_from = "Flag")]
    remember: bool,
    last_seen_at: String,
    tenant_id: String,
    kind: String,
    role: String,
}

pub async fn lookup(state: &AppState, token: &str) -> Result<Option<Found>> {
    let now = time::now();
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.id, s.user_id, s.csrf_token, s.remember, s.last_seen_at, u.tenant_id, t.kind, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = u.tenant_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.status = 'active' AND t.status <> 'closed'",
    )
    .bind(token_hash(token))
    .bind(time::to_db(now))
    .fetch_optional(state.db.pool())
    .await
    .map_err(Error::internal)?;
    let Some(row) = row else { return Ok(None) };
    let (Some(tenant_kind), Some(role)) = (TenantKind::parse(&row.kind), Role::parse(&row.role)) else {
        return Err(Error::internal(format!("user {} has an unknown role or tenant kind", row.user_id)));
    };
    // Touch at most once a minute, so reads stay reads; an idle session slides forward.
    if time::from_db(&row.last_seen_at).is_none_or(|seen| now - seen > Duration::minutes(1)) {
        let expires = now + if row.remember { REMEMBERED } else { IDLE };
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2, updated_at = $1 WHERE id = $3")
            .bind(time::to_db(now))
            .bind(time::to_db(expires))
            .bind(&row.id)
            .execute(state.db.pool())
            .await
            .map_err(Error::internal)?;
    }
    Ok(Some(Found { session_id: row.id, user_id: row.user_id, csrf_token: row.csrf_token, tenant_id: row.tenant_id, tenant_kind, role }))
}

/// A session just created; the token exists only here and in the cookie.
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub remember: bool,
}

pub async fn create(db: &Db, user_id: &str, remember: bool, ip: &str, user_agent: &str) -> Result<NewSession> {
    let token = random_token(32);
    let csrf_token = random_token(24);
    let now = time::now();
    let expires = now + if remember { REMEMBERED } else { IDLE };
    let now_s = time::to_db(now);
    sqlx::query(
        "INSERT INTO sessions (id, token_hash, csrf_token, user_id, remember, ip, user_agent, expires_at, last_seen_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $4, $9, $4)",
    )
    .bind(new_id())
    .bind(token_hash(&token))
    .bind(&csrf_token)
    .bind(user_id)
    .bind(Flag(remember))
    .bind(ip)
    .bind(user_agent)
    .bind(time::to_db(expires))
    .bind(&now_s)
    .execute(db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(NewSession { token, csrf_token, remember })
}

fn secure(state: &AppState) -> bool {
    state.settings.public_url().starts_with("https://")
}

/// `Set-Cookie` values for a new session: the HttpOnly session cookie and the readable CSRF cookie.
/// Without "remember me" both are browser-session cookies.
pub fn set_cookies(state: &AppState, s: &NewSession) -> Vec<HeaderValue> {
    let max_age = s.remember.then(|| cookie::time::Duration::seconds(REMEMBERED.num_seconds()));
    [(SESSION_COOKIE, s.token.as_str(), true), (CSRF_COOKIE, s.csrf_token.as_str(), false)]
        .into_iter()
        .map(|(name, value, http_only)| {
            let mut c = Cookie::build((name, value)).path("/").http_only(http_only).secure(secure(state)).same_site(SameSite::Lax);
            if let Some(age) = max_age {
                c = c.max_age(age);
            }
            HeaderValue::from_str(&c.build().to_string()).expect("cookie values are ASCII")
        })
        .collect()
}

/// `Set-Cookie` values that remove both cookies.
pub fn clear_cookies(state: &AppState) -> Vec<HeaderValue> {
    [SESSION_COOKIE, CSRF_COOKIE]
        .into_iter()
        .map(|name| {
            let c = Cookie::build((name, "")).path("/").secure(secure(state)).same_site(SameSite::Lax).max_age(cookie::time::Duration::ZERO);
            HeaderValue::from_str(&c.build().to_string()).expect("cookie values are ASCII")
        })
        .collect()
}

pub async fn revoke(db: &Db, user_id: &str, session_id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
        .bind(session_id)
        .bind(user_id)
        .execute(db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(done.rows_affected() > 0)
}

/// Ends every session of the user, except `keep` when given.
pub async fn revoke_all(db: &Db, user_id: &str, keep: Option<&str>) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(done.rows_affected())
}
