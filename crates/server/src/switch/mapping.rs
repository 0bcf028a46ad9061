//! Which switch objects each DIDtron record becomes, and their bodies. This is the one place that
//! knows the mapping (docs/docs/switch/mapping.md describes it for people).
//!
//! | DIDtron record | switch objects |
//! |---|---|
//! | carrier | `carrier` + one `carrier_ip` per SIP host |
//! | POP | `server` |
//! | route | `route` (to a carrier), or one `route` per member of its route group |
//! | customer rate card | `rate_card` (direction sell) |

use didtron_adapters::switch::{Object, objects};
use serde_json::Value;

/// The record kinds the switch is kept in step with.
pub const SYNCED: &[&str] = &["carrier", "pop", "route", "rate_card"];

pub fn synced(kind: &str) -> bool {
    SYNCED.contains(&kind)
}

/// The table of a synced kind (to read a record's version when a push of it is queued because a
/// record it is built from changed).
pub fn table_of(kind: &str) -> Option<&'static str> {
    match kind {
        "carrier" => Some("carriers"),
        "pop" => Some("pops"),
        "route" => Some("routes"),
        "rate_card" => Some("rate_cards"),
        _ => None,
    }
}

/// The synced kinds whose switch objects are built from records of `kind` as well as from their
/// own: a route's objects take its route group's members (one route per member, with its order
/// and share) and point at its carriers' switch ids. A change to a record of `kind` therefore
/// pushes every record built from it, and its preview shows those calls too.
pub fn built_from(kind: &str) -> &'static [&'static str] {
    match kind {
        "route_group" | "carrier" => &["route"],
        _ => &[],
    }
}

/// Whether `dependent` (fields of a record of `dependent_kind`) is built from record `id` of
/// `kind`; `groups` gives a route group's members.
pub fn uses(dependent_kind: &str, dependent: &Value, kind: &str, id: &str, groups: &dyn Fn(&str) -> Members) -> bool {
    let field = |name: &str| dependent.get(name).and_then(Value::as_str);
    match (dependent_kind, kind) {
        ("route", "route_group") => field("route_group_id") == Some(id),
        ("route", "carrier") => field("carrier_id") == Some(id) || field("route_group_id").is_some_and(|g| groups(g).iter().any(|(carrier, _, _)| carrier == id)),
        _ => false,
    }
}

/// The record a switch object belongs to, from the object's kind and local key (`record id` or
/// `record id/part`).
pub fn owner_of<'a>(object: &str, local_key: &'a str) -> Option<(&'static str, &'a str)> {
    let kind = match Object::parse(object)? {
        Object::Carrier | Object::CarrierIp => "carrier",
        Object::Server => "pop",
        Object::Route => "route",
        Object::RateCard => "rate_card",
        _ => return None,
    };
    Some((kind, local_key.split('/').next().unwrap_or(local_key)))
}

pub use crate::routing::route_groups::{Members, member_list};

/// A body field that holds another switch object's id, known only once that object is on the switch.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub field: &'static str,
    pub object: Object,
    pub local_key: String,
}

/// One switch object a record should have.
#[derive(Debug, Clone, PartialEq)]
pub struct Desired {
    pub object: Object,
    /// Unique among objects of this kind: the record id, or `record id/part`.
    pub local_key: String,
    /// The local key of the object this one lives under (a carrier's IP lives under the carrier).
    pub parent: Option<(Object, String)>,
    pub body: Value,
    pub links: Vec<Link>,
}

fn text<'a>(f: &'a Value, name: &str) -> &'a str {
    f.get(name).and_then(Value::as_str).unwrap_or("")
}

fn int(f: &Value, name: &str) -> i64 {
    f.get(name).and_then(Value::as_i64).unwrap_or(0)
}

fn host_and_port(entry: &str, default_port: i64) -> (String, i64) {
    match entry.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => (h.to_string(), p.parse().unwrap_or(default_port)),
        _ => (entry.to_string(), default_port),
    }
}

fn enabled(f: &Value) -> &'static str {
    objects::status(text(f, "status") == "active")
}

/// A wire body as the JSON the engine compares and stores.
fn body(object: impl serde::Serialize) -> Value {
    serde_json::to_value(object).unwrap_or(Value::Null)
}

/// The objects record `id` of `kind` with fields `f` should have on the switch, parents first.
/// `groups` gives a route group's members (carrier id, order, share) for routes that use one.
pub fn desired(kind: &str, id: &str, f: &Value, groups: &dyn Fn(&str) -> Members) -> Vec<Desired> {
    match kind {
        "carrier" => {
            let port = int(f, "port");
            let mut out = vec![Desired {
                object: Object::Carrier,
                local_key: id.into(),
                parent: None,
                body: body(objects::Carrier {
                    name: text(f, "name").into(),
                    protocol: text(f, "transport").into(),
                    port,
                    tech_prefix: text(f, "tech_prefix").into(),
                    channels: int(f, "channels"),
                    cps: int(f, "cps"),
                    status: enabled(f),
                }),
                links: vec![],
            }];
            for host in f.get("hosts").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                let (ip, port) = host_and_port(host, port);
                out.push(Desired {
                    object: Object::CarrierIp,
                    local_key: format!("{id}/{host}"),
                    parent: Some((Object::Carrier, id.into())),
                    body: body(objects::CarrierIp { ip, port }),
                    links: vec![],
                });
            }
            out
        }
        "pop" => {
            let hosts: Vec<String> = f.get("sip_hosts").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect();
            vec![Desired {
                object: Object::Server,
                local_key: id.into(),
                parent: None,
                body: body(objects::Server {
                    alias: text(f, "code").into(),
                    name: text(f, "name").into(),
                    region: text(f, "region").into(),
                    hosts,
                    port: int(f, "port"),
                    protocol: text(f, "transport").into(),
                    channels: int(f, "capacity_channels"),
                    status: enabled(f),
                }),
                links: vec![],
            }]
        }
        "route" => {
            // Route names need not be unique in DIDtron; the switch's name carries a piece of the id.
            let tag = &id[id.len().saturating_sub(8)..];
            let name = text(f, "name");
            let base = |carrier: &str, order: i64, share: i64, key: String, suffix: String| Desired {
                object: Object::Route,
                local_key: key,
                parent: None,
                body: body(objects::Route {
                    name: format!("{name} ({tag}{suffix})"),
                    prefix: text(f, "prefix").into(),
                    carrier_id: None,
                    priority: int(f, "priority"),
                    order,
                    weight: share,
                    failover: f.get("failover").and_then(Value::as_bool).unwrap_or(true),
                    status: enabled(f),
                }),
                links: vec![Link { field: "carrier_id", object: Object::Carrier, local_key: carrier.into() }],
            };
            match (f.get("carrier_id").and_then(Value::as_str), f.get("route_group_id").and_then(Value::as_str)) {
                (Some(c), _) => vec![base(c, 1, 100, id.into(), String::new())],
                (None, Some(g)) => groups(g)
                    .into_iter()
                    .enumerate()
                    .map(|(i, (carrier, order, share))| base(&carrier, order, share, format!("{id}/{carrier}"), format!("/{}", i + 1)))
                    .collect(),
                _ => vec![],
            }
        }
        "rate_card" => vec![Desired {
            object: Object::RateCard,
            local_key: id.into(),
            parent: None,
            body: body(objects::RateCard { name: text(f, "name").into(), direction: "sell", currency: text(f, "currency").into(), status: enabled(f) }),
            links: vec![],
        }],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_carrier_becomes_the_carrier_and_one_ip_per_host() {
        let f = json!({"name": "ACME", "transport": "udp", "port": 5060, "tech_prefix": "99#", "channels": 30, "cps": 5, "status": "active",
            "hosts": ["10.0.0.1", "sip.acme.example:5080"]});
        let d = desired("carrier", "c1", &f, &|_| vec![]);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].body["tech_prefix"], "99#");
        assert_eq!((d[2].local_key.as_str(), &d[2].body), ("c1/sip.acme.example:5080", &json!({"ip": "sip.acme.example", "port": 5080})));
        assert_eq!(d[1].parent, Some((Object::Carrier, "c1".into())));
    }

    #[test]
    fn a_route_to_a_group_becomes_one_route_per_member() {
        let f = json!({"name": "Egypt", "prefix": "20", "route_group_id": "g1", "priority": 5, "failover": false, "status": "active"});
        let d = desired("route", "0190-abcdef12", &f, &|_| vec![("c1".into(), 1, 70), ("c2".into(), 2, 100)]);
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].body["name"], "Egypt (abcdef12/2)");
        assert_eq!((d[1].body["order"].as_i64(), d[1].body["weight"].as_i64(), d[1].body["failover"].as_bool()), (Some(2), Some(100), Some(false)));
        assert_eq!(d[1].links[0].local_key, "c2");
        assert!(desired("plan", "x", &f, &|_| vec![]).is_empty());
    }

    #[test]
    fn a_route_is_built_from_its_group_and_its_carriers() {
        let members = |g: &str| if g == "g1" { vec![("c1".to_string(), 1, 100)] } else { vec![] };
        let via_group = json!({"route_group_id": "g1"});
        assert!(uses("route", &via_group, "route_group", "g1", &members));
        assert!(uses("route", &via_group, "carrier", "c1", &members), "a member carrier");
        assert!(!uses("route", &via_group, "carrier", "c2", &members));
        assert!(uses("route", &json!({"carrier_id": "c2"}), "carrier", "c2", &members));
        assert_eq!(built_from("route_group"), ["route"]);
        assert!(built_from("pop").is_empty());
        assert_eq!(owner_of("carrier_ip", "c1/10.0.0.1:5060"), Some(("carrier", "c1")));
        assert_eq!(owner_of("route", "r1/c2"), Some(("route", "r1")));
        assert_eq!(owner_of("did", "x"), None);
    }
}
