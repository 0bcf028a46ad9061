//! Browser sessions: a random token in an HttpOnly cookie, only its hash in the database, and a
//! CSRF token the web app echoes in `x-csrf-token` on every write.

use axum::http::{HeaderMap, HeaderValue, header};
use chrono::Duration;
use cookie::{Cookie, SameSite};
use didtron_core::access::{Role, TenantKind};
use didtron_core::{Error, Result, id::new_id, time};

use super::store;
use crate::crypto::{random_token, token_hash};
use crate::state::AppState;

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

pub async fn lookup(state: &AppState, token: &str) -> Result<Option<Found>> {
    let now = time::now();
    let Some(row) = store::live_session(&state.db, &token_hash(token), &time::to_db(now)).await? else { return Ok(None) };
    let (Some(tenant_kind), Some(role)) = (TenantKind::parse(&row.kind), Role::parse(&row.role)) else {
        return Err(Error::internal(format!("user {} has an unknown role or tenant kind", row.user_id)));
    };
    // Touch at most once a minute, so reads stay reads; an idle session slides forward.
    if time::from_db(&row.last_seen_at).is_none_or(|seen| now - seen > Duration::minutes(1)) {
        let expires = now + if row.remember { REMEMBERED } else { IDLE };
        store::touch_session(&state.db, &row.id, &time::to_db(now), &time::to_db(expires)).await?;
    }
    Ok(Some(Found { session_id: row.id, user_id: row.user_id, csrf_token: row.csrf_token, tenant_id: row.tenant_id, tenant_kind, role }))
}

/// A session just created; the token exists only here and in the cookie.
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub remember: bool,
}

/// Creates a session in the caller's unit of work (sign-in audits it with the rest).
pub async fn create(conn: &mut sqlx::AnyConnection, user_id: &str, remember: bool, ip: &str, user_agent: &str) -> Result<NewSession> {
    let token = random_token(32);
    let csrf_token = random_token(24);
    let now = time::now();
    let expires = time::to_db(now + if remember { REMEMBERED } else { IDLE });
    let (id, hash, now) = (new_id(), token_hash(&token), time::to_db(now));
    let row = store::NewSession { id: &id, token_hash: &hash, csrf_token: &csrf_token, user_id, remember, ip, user_agent, expires_at: &expires, now: &now };
    store::insert_session(conn, row).await?;
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
