//! Route groups: carriers bundled with an order (1 = primary, 2 = first backup, …) and, among
//! carriers of the same order, load-share percentages that add up to 100.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::{Error, Result};
use didtron_telecom::lcr::Member;
use serde_json::{Map, Value, json};

use crate::state::AppState;
use crate::changes::fields;
use crate::changes::kinds::{ColType, ConfigKind, KindSpec, col};

pub struct RouteGroups;

static ROUTE_GROUP: KindSpec = KindSpec {
    kind: "route_group",
    label: "Route group",
    table: "route_groups",
    columns: &[col("code", ColType::Text), col("name", ColType::Text), col("members", ColType::Json), col("status", ColType::Text)],
    search: &["name", "code"],
    order_by: "name, id",
    unique: &["code", "name"],
    choice: None,
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

/// A group's members: (carrier id, order, share).
pub type Members = Vec<(String, i64, i64)>;

/// The members of a stored group (its `members` column), in stored order.
pub fn member_list(raw: &Value) -> Members {
    raw.as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| Some((m.get("carrier_id")?.as_str()?.to_string(), m.get("order")?.as_i64()?, m.get("share")?.as_i64()?)))
        .collect()
}

/// The members of a stored group, with carrier ids mapped to routing-table indexes (members whose
/// carrier is not in the table, e.g. disabled, are skipped).
pub fn members_of(raw: &Value, index_of: impl Fn(&str) -> Option<u32>) -> Vec<Member> {
    member_list(raw)
        .into_iter()
        .filter_map(|(carrier, order, share)| Some(Member { carrier: index_of(&carrier)?, order: u32::try_from(order).ok()?, share: u32::try_from(share).ok()? }))
        .collect()
}

#[async_trait]
impl ConfigKind for RouteGroups {
    fn spec(&self) -> &'static KindSpec {
        &ROUTE_GROUP
    }

    async fn validate(&self, state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 80);
        let items = match f.get("members") {
            Some(Value::Array(items)) => items.clone(),
            None | Some(Value::Null) => Vec::new(),
            Some(_) => {
                v.add("members", "must be a list of {carrier_id, order, share}");
                Vec::new()
            }
        };
        if items.is_empty() {
            v.add("members", "add at least one carrier");
        }
        let mut clean = Vec::new();
        let mut by_order: std::collections::BTreeMap<i64, (i64, usize)> = Default::default();
        for (i, item) in items.iter().enumerate() {
            let mut m = item.as_object().cloned().unwrap_or_default();
            let at = |field: &str| format!("members[{i}].{field}");
            let mut inner = Validation::new();
            let carrier = fields::reference(&state.db, &mut inner, &mut m, "carrier_id", "carriers", "carrier", true).await;
            let order = fields::int(&mut inner, &mut m, "order", 1, 10, Some(1));
            let share = fields::int(&mut inner, &mut m, "share", 1, 100, Some(100));
            for (field, message) in inner.into_fields() {
                v.add(at(&field), message);
            }
            if let Some(c) = &carrier
                && clean.iter().any(|x: &Value| x["carrier_id"] == json!(c))
            {
                v.add(at("carrier_id"), "this carrier is in the group twice");
            }
            let e = by_order.entry(order).or_default();
            e.0 += share;
            e.1 += 1;
            clean.push(json!({"carrier_id": carrier, "order": order, "share": share}));
        }
        for (order, (total, _)) in &by_order {
            if *total != 100 {
                v.add("members", format!("the shares of the carriers at order {order} add up to {total} %, not 100 %"));
            }
        }
        f.insert("members".into(), Value::Array(clean));
        fields::one_of(&mut v, f, "status", &["active", "disabled"], Some("active"));
        v.finish()
    }

    async fn delete_blockers(&self, state: &AppState, id: &str) -> Result<Vec<String>> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM routes WHERE route_group_id = $1").bind(id).fetch_one(state.db.pool()).await.map_err(Error::internal)?;
        Ok(if n > 0 { vec![format!("{n} route(s) send calls to this group")] } else { vec![] })
    }
}
