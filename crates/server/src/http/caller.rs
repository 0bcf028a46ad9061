//! Who is calling: the caller types every handler and service sees. The identity domain resolves
//! them once per request (session cookie or API key) and stores them in the request; handlers take
//! them with the extractors below. They live here, in the HTTP floor, so that no domain has to
//! import the identity domain to know who is acting.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::header;
use axum::http::request::Parts;
use didtron_core::access::{Permission, Role, TenantKind, allows};
use didtron_core::{Error, Result};

use super::ApiError;

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
