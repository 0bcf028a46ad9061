//! POPs, voice tiers, codecs and auth methods: offerings assigned by scope.

use async_trait::async_trait;
use didtron_core::Result;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::scope::Choice;
use serde_json::{Map, Value};

use crate::state::AppState;
use crate::changes::fields;
use crate::changes::kinds::{ColType, ConfigKind, KindSpec, col};

const STATUSES: &[&str] = &["active", "disabled"];

pub struct Pops;

static POP: KindSpec = KindSpec {
    kind: "pop",
    label: "POP",
    table: "pops",
    columns: &[
        col("code", ColType::Text),
        col("name", ColType::Text),
        col("region", ColType::Text),
        col("sip_hosts", ColType::Json),
        col("port", ColType::Int),
        col("transport", ColType::Text),
        col("capacity_channels", ColType::Int),
        col("status", ColType::Text),
    ],
    search: &["name", "code", "region"],
    order_by: "region, name, id",
    unique: &["code"],
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

/// A host name or IPv4/IPv6 address, optionally with `:port`.
pub fn sip_host(s: &str) -> Result<String, String> {
    let bad = || format!("“{s}” is not a host name or IP address");
    if s.is_empty() || s.len() > 253 {
        return Err(bad());
    }
    if s.parse::<std::net::IpAddr>().is_ok() || s.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(s.to_lowercase());
    }
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    };
    if let Some(p) = port
        && !p.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(format!("“{p}” is not a port"));
    }
    let label_ok = |l: &str| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if host.split('.').all(label_ok) { Ok(s.to_lowercase()) } else { Err(bad()) }
}

#[async_trait]
impl ConfigKind for Pops {
    fn spec(&self) -> &'static KindSpec {
        &POP
    }

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 80);
        fields::text(&mut v, f, "region", false, 80);
        fields::list(&mut v, f, "sip_hosts", true, sip_host);
        fields::int(&mut v, f, "port", 1, 65_535, Some(5060));
        fields::one_of(&mut v, f, "transport", &["udp", "tcp", "tls"], Some("udp"));
        fields::int(&mut v, f, "capacity_channels", 0, 10_000_000, Some(0));
        fields::one_of(&mut v, f, "status", &["active", "maintenance", "disabled"], Some("active"));
        v.finish()
    }
}

pub struct VoiceTiers;

static TIER: KindSpec = KindSpec {
    kind: "voice_tier",
    label: "Voice tier",
    table: "voice_tiers",
    columns: &[
        col("code", ColType::Text),
        col("name", ColType::Text),
        col("description", ColType::Text),
        col("target_asr", ColType::Int),
        col("target_pdd_ms", ColType::Int),
        col("rate_per_minute", ColType::Int),
        col("currency", ColType::Text),
        col("status", ColType::Text),
    ],
    search: &["name", "code"],
    order_by: "target_asr DESC, name, id",
    unique: &["code"],
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

#[async_trait]
impl ConfigKind for VoiceTiers {
    fn spec(&self) -> &'static KindSpec {
        &TIER
    }

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 80);
        fields::text(&mut v, f, "description", false, 500);
        fields::int(&mut v, f, "target_asr", 0, 100, None);
        fields::int(&mut v, f, "target_pdd_ms", 0, 60_000, None);
        // Micro-units per minute: 10_000 = 0.01 per minute.
        fields::int(&mut v, f, "rate_per_minute", 0, 100_000_000, Some(0));
        fields::currency(&mut v, f, "currency");
        fields::one_of(&mut v, f, "status", STATUSES, Some("active"));
        v.finish()
    }
}

pub struct Codecs;

static CODEC: KindSpec = KindSpec {
    kind: "codec",
    label: "Codec",
    table: "codecs",
    columns: &[
        col("code", ColType::Text),
        col("name", ColType::Text),
        col("payload_type", ColType::OptInt),
        col("priority", ColType::Int),
        col("status", ColType::Text),
    ],
    search: &["name", "code"],
    order_by: "priority, name, id",
    unique: &["code"],
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

#[async_trait]
impl ConfigKind for Codecs {
    fn spec(&self) -> &'static KindSpec {
        &CODEC
    }

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 40);
        if !f.get("payload_type").is_none_or(Value::is_null) {
            fields::int(&mut v, f, "payload_type", 0, 127, None);
        }
        fields::int(&mut v, f, "priority", 1, 1000, Some(100));
        fields::one_of(&mut v, f, "status", STATUSES, Some("active"));
        v.finish()
    }
}

pub struct AuthMethods;

static AUTH: KindSpec = KindSpec {
    kind: "auth_method",
    label: "Auth method",
    table: "auth_methods",
    columns: &[col("code", ColType::Text), col("name", ColType::Text), col("method", ColType::Text), col("status", ColType::Text)],
    search: &["name", "code"],
    order_by: "name, id",
    unique: &["code"],
    // The methods a customer may use are every one that reaches them; their default is the one
    // assigned most specifically (see `choices`).
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

#[async_trait]
impl ConfigKind for AuthMethods {
    fn spec(&self) -> &'static KindSpec {
        &AUTH
    }

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 80);
        fields::one_of(&mut v, f, "method", &["userpass", "ip", "both"], None);
        fields::one_of(&mut v, f, "status", STATUSES, Some("active"));
        v.finish()
    }
}
