//! POPs, voice tiers, codecs and auth methods: offerings assigned by scope.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::scope::Choice;

use crate::changes::fields::{Format, code, currency, int, list, lines, one_of, optional_int, status, text};
use crate::changes::kinds::{ConfigKind, KindSpec};

/// A host name or IPv4/IPv6 address, optionally with `:port` (kept here for the modules that
/// check hosts by this name).
pub use crate::changes::fields::sip_host;

/// Most SIP hosts a POP or carrier may list.
pub const MAX_HOSTS: usize = 20;

pub struct Pops;

static POP: KindSpec = KindSpec {
    kind: "pop",
    label: "POP",
    table: "pops",
    fields: &[
        code("code").about("Stays when the name changes."),
        text("name", 80).required(),
        text("region", 80).about("Where it is, for people choosing one (Europe, US East)."),
        list("sip_hosts", Format::SipHost, 253, MAX_HOSTS).required().about("Host names or IP addresses customers send SIP to."),
        int("port", 1, 65_535).default_int(5060).about("The SIP port."),
        one_of("transport", &["udp", "tcp", "tls"]).default_text("udp").about("The SIP transport."),
        int("capacity_channels", 0, 10_000_000).default_int(0).about("Concurrent channels it can carry (0 when not set)."),
        one_of("status", &["active", "maintenance", "disabled"]).default_text("active").about("Only active POPs are offered to customers."),
    ],
    search: &["name", "code", "region"],
    order_by: "region, name, id",
    unique: &["code"],
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

#[async_trait]
impl ConfigKind for Pops {
    fn spec(&self) -> &'static KindSpec {
        &POP
    }
}

pub struct VoiceTiers;

static TIER: KindSpec = KindSpec {
    kind: "voice_tier",
    label: "Voice tier",
    table: "voice_tiers",
    fields: &[
        code("code"),
        text("name", 80).required(),
        lines("description", 500),
        int("target_asr", 0, 100).about("Answer-seizure ratio the routes should reach, in percent."),
        int("target_pdd_ms", 0, 60_000).about("Post-dial delay the routes should keep under, in milliseconds."),
        // Micro-units per minute: 10_000 = 0.01 per minute.
        int("rate_per_minute", 0, 100_000_000).default_int(0).about("Price per minute in micro-units of the currency (10000 = 0.01)."),
        currency("currency"),
        status(),
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
}

pub struct Codecs;

static CODEC: KindSpec = KindSpec {
    kind: "codec",
    label: "Codec",
    table: "codecs",
    fields: &[
        code("code"),
        text("name", 40).required(),
        optional_int("payload_type", 0, 127).about("Static RTP payload type; null for dynamic codecs."),
        int("priority", 1, 1000).default_int(100).about("Lower is offered first."),
        status(),
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
}

pub struct AuthMethods;

static AUTH: KindSpec = KindSpec {
    kind: "auth_method",
    label: "Auth method",
    table: "auth_methods",
    fields: &[
        code("code"),
        text("name", 80).required(),
        one_of("method", &["userpass", "ip", "both"]).about("How SIP trunks with this method authenticate."),
        status(),
    ],
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
}
