//! Route groups: carriers bundled with an order (1 = primary, 2 = first backup, …) and, among
//! carriers of the same order, load-share percentages that add up to 100.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::Result;
use didtron_telecom::lcr::Member;
use serde_json::{Map, Value};

use crate::changes::fields::{Rows, code, int, reference, rows, status, text};
use crate::changes::kinds::{ConfigKind, KindSpec};
use crate::changes::records;
use crate::changes::unit::Tx;
use crate::state::AppState;

pub struct RouteGroups;

/// Most carriers one group may hold.
pub const MAX_MEMBERS: usize = 50;

/// The carriers of a group, kept in the `route_group_members` table (one row per carrier).
static MEMBERS: Rows = Rows {
    fields: &[
        reference("carrier_id", "carrier").required(),
        int("order", 1, 10).default_int(1).about("1 = primary, 2 = first backup, … up to 10."),
        int("share", 1, 100).default_int(100).about("Percent of the calls of its order; the shares of one order add up to 100."),
    ],
    max_items: MAX_MEMBERS,
    noun: "carrier",
    unique: Some(("carrier_id", "this carrier is in the group twice")),
    empty: "add at least one carrier",
    table: Some("route_group_members"),
};

static ROUTE_GROUP: KindSpec = KindSpec {
    kind: "route_group",
    label: "Route group",
    table: "route_groups",
    fields: &[
        code("code"),
        text("name", 80).required(),
        rows("members", &MEMBERS)
            .required()
            .about("Calls go to the carriers of order 1 first, split by their shares; the later orders are tried in turn when they fail."),
        status(),
    ],
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

/// The members of a stored group (its `members` field, as records and versions hold it), in
/// stored order.
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

/// The members of group `id` as stored (for [`members_of`]) when it is active; null when it is
/// disabled or gone, so routes to it reach no carrier of it.
pub async fn active_members(state: &AppState, id: &str) -> Result<Value> {
    Ok(match records::load(state.db.pool(), &ROUTE_GROUP, id).await? {
        Some(group) if group.get("status").and_then(Value::as_str) == Some("active") => group.get("members").cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    })
}

/// The names of the groups carrier `id` is a member of, by name.
pub async fn groups_with_carrier(state: &AppState, id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT g.name FROM route_group_members m JOIN route_groups g ON g.id = m.record_id WHERE m.carrier_id = $1 ORDER BY g.name",
    )
    .bind(id)
    .fetch_all(state.db.pool())
    .await
    .map_err(didtron_db::Error::from)?)
}

#[async_trait]
impl ConfigKind for RouteGroups {
    fn spec(&self) -> &'static KindSpec {
        &ROUTE_GROUP
    }

    /// The shares of the carriers of each order make 100 %.
    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        let mut by_order: std::collections::BTreeMap<i64, i64> = Default::default();
        for (_, order, share) in member_list(f.get("members").unwrap_or(&Value::Null)) {
            *by_order.entry(order).or_default() += share;
        }
        for (order, total) in by_order {
            if total != 100 {
                v.add("members", format!("the shares of the carriers at order {order} add up to {total} %, not 100 %"));
            }
        }
        v.finish()
    }

    /// Keeps the old `route_groups.members` JSON column in step with the members table, for the
    /// route lookup, which still reads it. Goes (with the column) once it reads
    /// [`active_members`] instead.
    async fn written(&self, tx: &mut Tx, id: &str, after: Option<&Map<String, Value>>) -> Result<()> {
        let Some(after) = after else { return Ok(()) };
        let members = after.get("members").cloned().unwrap_or_else(|| Value::Array(Vec::new()));
        sqlx::query("UPDATE route_groups SET members = $1 WHERE id = $2")
            .bind(members.to_string())
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(didtron_db::Error::from)?;
        Ok(())
    }

    async fn delete_blockers(&self, state: &AppState, id: &str) -> Result<Vec<String>> {
        let n = crate::changes::store::count_referring(&state.db, "routes", "route_group_id", id, None).await?;
        Ok(if n > 0 { vec![format!("{n} route(s) send calls to this group")] } else { vec![] })
    }
}
