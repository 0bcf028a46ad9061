//! Routes: calls to a destination prefix go to a carrier or a route group first. Assigned by scope,
//! so a route assigned to one customer is that customer's custom route ("customer XYZ reaches Egypt
//! only through ACME" is a route for prefix 20 to ACME, without failover, assigned to XYZ).
//!
//! For a call, the routes that reach the customer and match the number compete: the longest prefix
//! wins, then the most specific assignment (customer over group over category over all), then the
//! lower priority number.

use async_trait::async_trait;
use didtron_core::Result;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::scope::Choice;
use serde_json::{Map, Value};

use crate::changes::fields::{flag, int, prefix, reference, status, text};
use crate::changes::kinds::{ConfigKind, KindSpec};
use crate::state::AppState;

pub struct Routes;

static ROUTE: KindSpec = KindSpec {
    kind: "route",
    label: "Route",
    table: "routes",
    fields: &[
        text("name", 80).required(),
        prefix("prefix").about("Numbers starting with these digits; the longest matching prefix wins."),
        reference("carrier_id", "carrier").about("Send the calls to this carrier, or…"),
        reference("route_group_id", "route_group").about("…to this route group (one of the two)."),
        reference("tier_id", "voice_tier").about("Only for calls of this tier; null for every tier."),
        int("priority", 0, 1_000_000).default_int(100).about("Lower wins when two routes match equally well."),
        flag("failover", true).about("When the route's carriers fail, try the customer's other carriers."),
        status(),
    ],
    search: &["name", "prefix"],
    order_by: "prefix, priority, name, id",
    unique: &[],
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

#[async_trait]
impl ConfigKind for Routes {
    fn spec(&self) -> &'static KindSpec {
        &ROUTE
    }

    /// A route sends calls to a carrier or to a route group: exactly one of the two.
    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        let given = |name: &str| f.get(name).and_then(Value::as_str).is_some();
        match (given("carrier_id"), given("route_group_id")) {
            (false, false) => v.add("carrier_id", "choose a carrier or a route group"),
            (true, true) => v.add("route_group_id", "choose a carrier or a route group, not both"),
            _ => {}
        }
        v.finish()
    }
}
