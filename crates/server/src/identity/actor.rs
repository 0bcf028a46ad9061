//! Who is calling: resolved once per request from the session cookie or an API key, then checked by
//! every service against the permission matrix.
//!
//! Private by default: every route sits behind [`require_actor`] unless it is registered in the
//! public router on purpose.

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use didtron_core::access::{Permission, Role, TenantKind, allows};
use didtron_core::{Error, Result};

use super::{api_keys, session};
use crate::app::AppState;
use crate::http::ApiError;

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A browser session; the id of the session row.
    Session(String),
    /// An API key; its id.
    ApiKey(String),
    /// An operator at the command line of the server (`didtron rates import`, …).
    Cli,
}

#[derive(Debug, Clone)]
pub struct Actor {
    /// The signed-in user; for an API key, the user who created it.
    pub user_id: String,
    pub credential: Credential,
    pub tenant_id: String,
    pub tenant_kind: TenantKind,
    pub role: Role,
    pub ip: String,
    pub user_agent: String,
}

impl Actor {
    pub fn can(&self, permission: Permission) -> bool {
        allows(self.tenant_kind, self.role, permission)
    }

    /// Refuses with 403 unless the role allows `permission`.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!("your role ({}) does not allow this", self.role.label())))
        }
    }

    /// Refuses API keys: for actions that only a person at a browser may take (password, 2FA…).
    pub fn require_person(&self) -> Result<&str> {
        match &self.credential {
            Credential::Session(id) => Ok(id),
            Credential::ApiKey(_) | Credential::Cli => Err(Error::Forbidden("this action needs a signed-in user".into())),
        }
    }

    /// The actor as recorded in audit fields: a user id, or `key:<id>` for an API key.
    pub fn audit_name(&self) -> String {
        match &self.credential {
            Credential::Session(_) => self.user_id.clone(),
            Credential::ApiKey(id) => format!("key:{id}"),
            Credential::Cli => "cli".into(),
        }
    }

    /// The operator at the server's command line: a super admin of the platform.
    pub fn cli(platform_tenant: &str) -> Actor {
        Actor {
            user_id: "cli".into(),
            credential: Credential::Cli,
            tenant_id: platform_tenant.into(),
            tenant_kind: TenantKind::Platform,
            role: Role::SuperAdmin,
            ip: String::new(),
            user_agent: "didtron cli".into(),
        }
    }
}

/// The caller's address: the socket peer (a reverse proxy's address when behind one).
pub fn client_ip(parts_ext: &axum::http::Extensions) -> String {
    parts_ext
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "127.0.0.1".to_string())
}

pub fn user_agent(headers: &HeaderMap) -> String {
    headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").chars().take(400).collect()
}

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

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Actor>().cloned().ok_or_else(|| ApiError(Error::Unauthenticated("sign in first".into())))
    }
}

/// The caller's address and browser, for public routes that record them (sign-in, sign-up).
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientInfo { ip: client_ip(&parts.extensions), user_agent: user_agent(&parts.headers) })
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Actor>().cloned())
    }
}
