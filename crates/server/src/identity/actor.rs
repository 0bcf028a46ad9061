//! Who is calling: resolved once per request from the session cookie or an API key, then checked by
//! every service against the permission matrix.
//!
//! Private by default: every route sits behind [`require_actor`] unless it is registered in the
//! public router on purpose.

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use didtron_core::{Error, Result};

use super::{api_keys, session};
use crate::state::AppState;
use crate::http::ApiError;
use crate::http::caller::{Actor, Credential, client_ip, user_agent};

/// Runs on every request: finds the actor, if any, and stores it in the request. Bad credentials are
/// refused at once; no credentials leave the request anonymous for the public routes.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let seen = Seen {
        ip: client_ip(req.extensions()),
        user_agent: user_agent(req.headers()),
        authorization: req.headers().get(header::AUTHORIZATION).map(|v| v.to_str().map(str::to_string).map_err(|_| ())),
        session_token: session::token_from(req.headers()),
        csrf_header: req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string),
        is_write: !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS),
    };
    match resolve(&state, seen).await {
        Ok(Some(actor)) => {
            req.extensions_mut().insert(actor);
        }
        Ok(None) => {}
        Err(e) => return ApiError(e).into_response(),
    }
    next.run(req).await
}

/// What authentication needs from a request, taken out before any await.
struct Seen {
    ip: String,
    user_agent: String,
    authorization: Option<std::result::Result<String, ()>>,
    session_token: Option<String>,
    csrf_header: Option<String>,
    is_write: bool,
}

async fn resolve(state: &AppState, seen: Seen) -> Result<Option<Actor>> {
    let Seen { ip, user_agent: ua, .. } = &seen;
    let (ip, ua) = (ip.clone(), ua.clone());
    if let Some(auth) = seen.authorization {
        let auth = auth.map_err(|_| Error::Unauthenticated("malformed Authorization header".into()))?;
        return api_keys::authenticate(state, &auth, &ip, &ua).await.map(Some);
    }
    let Some(token) = seen.session_token else { return Ok(None) };
    let Some(found) = session::lookup(state, &token).await? else { return Ok(None) };
    // Cookies ride along on cross-site requests; a write must also prove it came from our pages.
    if seen.is_write {
        let sent = seen.csrf_header.as_deref().unwrap_or("");
        if !crate::crypto::constant_time_eq(sent, &found.csrf_token) {
            return Err(Error::Forbidden("missing or wrong CSRF token (x-csrf-token header)".into()));
        }
    }
    Ok(Some(Actor {
        user_id: found.user_id,
        credential: Credential::Session(found.session_id),
        tenant_id: found.tenant_id,
        tenant_kind: found.tenant_kind,
        role: found.role,
        ip,
        user_agent: ua,
    }))
}

/// The gate of the private router: no actor, no entry.
pub async fn require_actor(req: Request, next: Next) -> Response {
    if req.extensions().get::<Actor>().is_none() {
        return ApiError(Error::Unauthenticated("sign in first".into())).into_response();
    }
    next.run(req).await
}

