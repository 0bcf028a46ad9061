//! The bodies DIDtron sends for each kind of switch object: the wire format in one place. Field
//! names follow the ConnexCS control-panel API (see docs/docs/switch/connexcs-mapping.md for what
//! is verified); a link to another object (`carrier_id`, `customer_id`) holds that object's id on
//! the switch.

use serde::Serialize;

/// `active` or `inactive`.
pub fn status(active: bool) -> &'static str {
    if active { "active" } else { "inactive" }
}

/// `customer`: an account that places calls.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Customer {
    pub name: String,
    pub channels: i64,
    pub cps: i64,
    pub currency: String,
    pub status: &'static str,
}

/// `switch/user`: a SIP user of a customer.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SipUser {
    pub username: String,
    pub password: String,
    pub customer_id: String,
}

/// `switch/ip`: an address a customer's calls are accepted from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IpAuth {
    pub ip: String,
    pub customer_id: String,
}

/// `carrier`: a wholesale carrier calls are sent to.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Carrier {
    pub name: String,
    /// udp, tcp or tls.
    pub protocol: String,
    pub port: i64,
    pub tech_prefix: String,
    pub channels: i64,
    pub cps: i64,
    pub status: &'static str,
}

/// `carrier/{id}/ip`: one address of a carrier.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CarrierIp {
    pub ip: String,
    pub port: i64,
}

/// `server`: a switch server (a POP).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Server {
    /// The POP's code; unique, and how the server is found again.
    pub alias: String,
    pub name: String,
    pub region: String,
    pub hosts: Vec<String>,
    pub port: i64,
    pub protocol: String,
    pub channels: i64,
    pub status: &'static str,
}

/// `route`: calls to a prefix sent to a carrier.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Route {
    pub name: String,
    pub prefix: String,
    /// The carrier's id on the switch (filled in when the carrier is there).
    pub carrier_id: Option<String>,
    pub priority: i64,
    /// 1 = primary, 2 = first backup…
    pub order: i64,
    /// Load share among routes of the same order, percent.
    pub weight: i64,
    pub failover: bool,
    pub status: &'static str,
}

/// `card`: a rate card.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RateCard {
    pub name: String,
    /// buy (a carrier's) or sell (a customer's).
    pub direction: &'static str,
    pub currency: String,
    pub status: &'static str,
}

/// `did`: a phone number pointed at a customer.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Did {
    pub did: String,
    pub customer_id: String,
}
