//! Wholesale carriers: connection details and capacity, assigned by scope.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::{Error, Result};
use didtron_core::error::Validation;
use didtron_core::scope::Choice;
use serde_json::{Map, Value};

use crate::state::AppState;
use crate::catalog::offerings::sip_host;
use crate::changes::fields;
use crate::changes::kinds::{ColType, ConfigKind, KindSpec, col};

pub struct Carriers;

static CARRIER: KindSpec = KindSpec {
    kind: "carrier",
    label: "Carrier",
    table: "carriers",
    columns: &[
        col("code", ColType::Text),
        col("name", ColType::Text),
        col("hosts", ColType::Json),
        col("port", ColType::Int),
        col("transport", ColType::Text),
        col("tech_prefix", ColType::Text),
        col("auth", ColType::Text),
        col("channels", ColType::Int),
        col("cps", ColType::Int),
        col("priority", ColType::Int),
        col("status", ColType::Text),
    ],
    search: &["name", "code"],
    order_by: "name, id",
    unique: &["code", "name"],
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

#[async_trait]
impl ConfigKind for Carriers {
    fn spec(&self) -> &'static KindSpec {
        &CARRIER
    }

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 80);
        fields::list(&mut v, f, "hosts", false, sip_host);
        fields::int(&mut v, f, "port", 1, 65_535, Some(5060));
        fields::one_of(&mut v, f, "transport", &["udp", "tcp", "tls"], Some("udp"));
        let tech = fields::text(&mut v, f, "tech_prefix", false, 16);
        if !tech.chars().all(|c| c.is_ascii_digit() || c == '#' || c == '*') {
            v.add("tech_prefix", "may contain only digits, # and *");
        }
        fields::one_of(&mut v, f, "auth", &["ip", "userpass", "both"], Some("ip"));
        fields::int(&mut v, f, "channels", 0, 1_000_000, Some(0));
        fields::int(&mut v, f, "cps", 0, 100_000, Some(0));
        // Lower first, for LCR profiles that order by priority.
        fields::int(&mut v, f, "priority", 0, 1_000_000, Some(100));
        fields::one_of(&mut v, f, "status", &["active", "disabled"], Some("active"));
        v.finish()
    }

    /// A carrier that routes, route groups or rate history refer to cannot go: disable it instead.
    async fn delete_blockers(&self, state: &AppState, id: &str) -> Result<Vec<String>> {
        let count = |sql: &'static str| async move {
            let (n,): (i64,) = sqlx::query_as(sql).bind(id).fetch_one(state.db.pool()).await.map_err(Error::internal)?;
            Ok::<i64, Error>(n)
        };
        let mut out = Vec::new();
        let routes = count("SELECT COUNT(*) FROM routes WHERE carrier_id = $1").await?;
        if routes > 0 {
            out.push(format!("{routes} route(s) send calls to it"));
        }
        let groups: Vec<(String, String)> = sqlx::query_as("SELECT name, members FROM route_groups").fetch_all(state.db.pool()).await.map_err(Error::internal)?;
        let member_of: Vec<String> = groups
            .into_iter()
            .filter(|(_, m)| super::route_groups::member_list(&serde_json::from_str(m).unwrap_or_default()).iter().any(|(carrier, _, _)| carrier == id))
            .map(|(name, _)| name)
            .collect();
        if !member_of.is_empty() {
            out.push(format!("it is in the route group(s) {}", member_of.join(", ")));
        }
        let decks = count("SELECT COUNT(*) FROM rate_decks WHERE carrier_id = $1").await?;
        if decks > 0 {
            out.push(format!("its {decks} rate deck(s) are kept as rate history: disable the carrier instead"));
        }
        Ok(out)
    }
}
