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

use crate::state::AppState;
use crate::changes::fields;
use crate::changes::kinds::{ColType, ConfigKind, KindSpec, col};

pub struct Routes;

static ROUTE: KindSpec = KindSpec {
    kind: "route",
    label: "Route",
    table: "routes",
    columns: &[
        col("name", ColType::Text),
        col("prefix", ColType::Text),
        col("carrier_id", ColType::OptText),
        col("route_group_id", ColType::OptText),
        col("tier_id", ColType::OptText),
        col("priority", ColType::Int),
        col("failover", ColType::Flag),
        col("status", ColType::Text),
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

    async fn validate(&self, state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::text(&mut v, f, "name", true, 80);
        fields::prefix(&mut v, f, "prefix");
        let carrier = fields::reference(&state.db, &mut v, f, "carrier_id", "carriers", "carrier", false).await;
        let group = fields::reference(&state.db, &mut v, f, "route_group_id", "route_groups", "route group", false).await;
        match (&carrier, &group) {
            (None, None) => v.add("carrier_id", "choose a carrier or a route group"),
            (Some(_), Some(_)) => v.add("route_group_id", "choose a carrier or a route group, not both"),
            _ => {}
        }
        fields::reference(&state.db, &mut v, f, "tier_id", "voice_tiers", "voice tier", false).await;
        fields::int(&mut v, f, "priority", 0, 1_000_000, Some(100));
        fields::flag(&mut v, f, "failover", true);
        fields::one_of(&mut v, f, "status", &["active", "disabled"], Some("active"));
        v.finish()
    }
}
