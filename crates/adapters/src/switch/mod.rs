//! The softswitch DIDtron configures. [`Switch`] is what DIDtron needs from it: create, update,
//! delete, find and list the objects it manages, plus a few read-only queries (account, balances,
//! CDRs, live calls). Drivers: [`connexcs::ConnexCs`] (the ConnexCS REST API) here, and `local`
//! (switch state kept in DIDtron's own database) in the server.
//!
//! Every call a driver makes is written to a [`Journal`] with its request and response, so the sync
//! dashboard can show exactly what was sent.

pub mod connexcs;
pub mod objects;

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The kinds of switch object DIDtron manages, with their ConnexCS collection paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Object {
    /// A customer account (balance, credit limit, channels, CPS).
    Customer,
    /// A SIP user (username/password registration) of a customer.
    SipUser,
    /// An IP address a customer's calls are accepted from.
    IpAuth,
    /// A wholesale carrier (provider) calls are sent to.
    Carrier,
    /// One more IP address of a carrier (calls from it are accepted as that carrier's).
    CarrierIp,
    /// A rate card (buy or sell).
    RateCard,
    /// A routing entry: a prefix sent to a carrier.
    Route,
    /// A phone number (DID) pointed at a customer.
    Did,
    /// A switch server (DIDtron's POP).
    Server,
}

impl Object {
    pub const ALL: [Object; 9] =
        [Object::Customer, Object::SipUser, Object::IpAuth, Object::Carrier, Object::CarrierIp, Object::RateCard, Object::Route, Object::Did, Object::Server];

    pub fn code(self) -> &'static str {
        match self {
            Object::Customer => "customer",
            Object::SipUser => "sip_user",
            Object::IpAuth => "ip_auth",
            Object::Carrier => "carrier",
            Object::CarrierIp => "carrier_ip",
            Object::RateCard => "rate_card",
            Object::Route => "route",
            Object::Did => "did",
            Object::Server => "server",
        }
    }

    pub fn parse(code: &str) -> Option<Object> {
        Object::ALL.into_iter().find(|o| o.code() == code)
    }

    /// The ConnexCS collection path (relative to `…/api/cp/`), given the parent object's id for
    /// objects that live under another one.
    pub fn path(self, parent: Option<&str>) -> String {
        match (self, parent) {
            (Object::Customer, _) => "customer".into(),
            (Object::SipUser, _) => "switch/user".into(),
            (Object::IpAuth, _) => "switch/ip".into(),
            (Object::Carrier, _) => "carrier".into(),
            (Object::CarrierIp, Some(p)) => format!("carrier/{p}/ip"),
            (Object::CarrierIp, None) => "carrier/ip".into(),
            (Object::RateCard, _) => "card".into(),
            (Object::Route, _) => "route".into(),
            (Object::Did, _) => "did".into(),
            (Object::Server, _) => "server".into(),
        }
    }

    /// The field that names an object uniquely on the switch, used to find an object a timed-out
    /// create may have made, so a retry adopts it instead of creating a duplicate.
    pub fn natural_key(self) -> &'static str {
        match self {
            Object::SipUser => "username",
            Object::IpAuth | Object::CarrierIp => "ip",
            Object::Route => "name",
            Object::Did => "did",
            Object::Server => "alias",
            _ => "name",
        }
    }
}

/// Why a switch call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// No answer in time.
    Timeout,
    /// The connection could not be made or broke.
    Network,
    /// 5xx: the switch had a problem.
    Unavailable,
    /// 429: too many calls; wait as told.
    RateLimited,
    /// 401/403: the credentials are wrong or lack permission.
    Unauthorized,
    /// Another 4xx: the switch refused the request as it is.
    Rejected,
    /// A 2xx whose body was not what the API documents.
    Protocol,
    /// The driver is not configured (e.g. no credentials).
    NotConfigured,
}

#[derive(Debug, Clone, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct SwitchError {
    pub kind: FailureKind,
    pub status: Option<u16>,
    pub message: String,
    #[serde(skip)]
    pub retry_after: Option<Duration>,
}

impl SwitchError {
    pub fn new(kind: FailureKind, status: Option<u16>, message: impl Into<String>) -> SwitchError {
        SwitchError { kind, status, message: message.into(), retry_after: None }
    }

    /// Worth another attempt: timeouts, broken connections, 5xx and 429. Never a 4xx.
    pub fn retryable(&self) -> bool {
        matches!(self.kind, FailureKind::Timeout | FailureKind::Network | FailureKind::Unavailable | FailureKind::RateLimited)
    }
}

/// One HTTP exchange (or, for the local driver, the equivalent operation), as logged.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub request: Option<Value>,
    pub status: Option<u16>,
    pub response: Option<Value>,
    pub millis: u64,
    /// 1 for the first attempt, 2 for the first retry…
    pub attempt: u32,
    pub error: Option<String>,
}

/// The exchanges made on behalf of one piece of work.
pub type Journal = Vec<Exchange>;

/// A CDR query: calls between two times, optionally for one customer, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CdrQuery {
    /// RFC 3339 or `YYYY-MM-DD HH:MM:SS` (UTC).
    pub from: String,
    pub to: String,
    /// The customer's id on the switch.
    pub customer: Option<String>,
    pub limit: u32,
}

#[async_trait]
pub trait Switch: Send + Sync {
    /// `connexcs` or `local`.
    fn driver(&self) -> &'static str;

    /// The account the credentials belong to (the "test connection" check).
    async fn account(&self, log: &mut Journal) -> Result<String, SwitchError>;

    /// The id of the object whose natural key field equals `value`, if the switch has one.
    async fn find(&self, object: Object, parent: Option<&str>, value: &str, log: &mut Journal) -> Result<Option<String>, SwitchError>;

    /// Creates an object and returns the id the switch gave it.
    async fn create(&self, object: Object, parent: Option<&str>, body: &Value, log: &mut Journal) -> Result<String, SwitchError>;

    async fn update(&self, object: Object, parent: Option<&str>, id: &str, body: &Value, log: &mut Journal) -> Result<(), SwitchError>;

    /// Deletes an object; an object already gone counts as deleted.
    async fn delete(&self, object: Object, parent: Option<&str>, id: &str, log: &mut Journal) -> Result<(), SwitchError>;

    /// Every object of a kind, as (id, fields).
    async fn list(&self, object: Object, parent: Option<&str>, log: &mut Journal) -> Result<Vec<(String, Value)>, SwitchError>;

    /// A customer's balance record.
    async fn balance(&self, customer: &str, log: &mut Journal) -> Result<Value, SwitchError>;

    async fn cdrs(&self, query: &CdrQuery, log: &mut Journal) -> Result<Vec<Value>, SwitchError>;

    async fn live_calls(&self, log: &mut Journal) -> Result<Vec<Value>, SwitchError>;
}
