//! Impact analysis: which customers a change of a configuration record touches.

use std::collections::HashMap;

use didtron_core::scope::{Assignment, Choice, Placement, reach, resolve};
use didtron_core::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

use super::kinds::KindSpec;
use super::records;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CustomerRef {
    pub id: String,
    pub name: String,
}

/// Every customer with where it sits.
pub async fn placements(state: &AppState) -> Result<Vec<(CustomerRef, Placement)>> {
    let rows: Vec<(String, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT id, name, category_id, group_id FROM tenants WHERE kind = 'customer' ORDER BY name, id")
            .fetch_all(state.db.pool())
            .await
            .map_err(Error::internal)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, category, group)| (CustomerRef { id: id.clone(), name }, Placement { customer: id, category, group }))
        .collect())
}

/// The customers affected when record `id` of an assigned kind goes from `before` to `after`
/// (`None` = the record does not exist on that side). `fields_changed` says whether anything but
/// the assignments changed: then everyone who has the record is affected.
pub async fn affected_by_assignment(
    state: &AppState,
    spec: &KindSpec,
    choice: Choice,
    id: &str,
    before: Option<&[Assignment]>,
    after: Option<&[Assignment]>,
    fields_changed: bool,
) -> Result<Vec<CustomerRef>> {
    let customers = placements(state).await?;
    let mut out = Vec::new();
    match choice {
        Choice::Many => {
            for (c, p) in customers {
                let had = before.is_some_and(|a| reach(a, &p).is_some());
                let has = after.is_some_and(|a| reach(a, &p).is_some());
                if had != has || (fields_changed && (had || has)) {
                    out.push(c);
                }
            }
        }
        Choice::One => {
            let mut all = records::all_assignments(&state.db, spec.kind).await?;
            let mut order = record_order(state, spec).await?;
            if !order.iter().any(|r| r == id) {
                order.push(id.to_string());
            }
            let winner = |map: &HashMap<String, Vec<Assignment>>, p: &Placement| -> Option<String> {
                let records = order.iter().filter_map(|rid| map.get(rid).map(|a| (rid.clone(), a.as_slice())));
                resolve(Choice::One, records, p).into_iter().next()
            };
            let mut before_map = all.clone();
            match before {
                Some(a) => before_map.insert(id.to_string(), a.to_vec()),
                None => before_map.remove(id),
            };
            match after {
                Some(a) => all.insert(id.to_string(), a.to_vec()),
                None => all.remove(id),
            };
            for (c, p) in customers {
                let (w0, w1) = (winner(&before_map, &p), winner(&all, &p));
                if w0 != w1 || (fields_changed && w1.as_deref() == Some(id)) {
                    out.push(c);
                }
            }
        }
    }
    Ok(out)
}

/// The ids of a kind's records in its order of preference (a new record, not yet stored, sorts last).
pub async fn record_order(state: &AppState, spec: &KindSpec) -> Result<Vec<String>> {
    let mut ids: Vec<String> =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id FROM {} ORDER BY {}", spec.table, spec.order_by)))
            .fetch_all(state.db.pool())
            .await
            .map_err(Error::internal)?;
    // Assignments may name a record being created; keep them resolvable.
    let extra: Vec<String> = sqlx::query_scalar("SELECT DISTINCT record_id FROM assignments WHERE record_kind = $1")
        .bind(spec.kind)
        .fetch_all(state.db.pool())
        .await
        .map_err(Error::internal)?;
    for e in extra {
        if !ids.contains(&e) {
            ids.push(e);
        }
    }
    Ok(ids)
}

/// Customers whose tenant row points at the record (`category_id = id`).
pub async fn customers_by_column(state: &AppState, column: &str, id: &str) -> Result<Vec<CustomerRef>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT id, name FROM tenants WHERE kind = 'customer' AND {column} = $1 ORDER BY name, id")))
        .bind(id)
        .fetch_all(state.db.pool())
        .await
        .map_err(Error::internal)
}
