//! The one assignment service over `core::scope`: where a customer sits (its placement), what
//! each kind of record offers a placement, the single setting that applies to it (rate card, LCR
//! profile, default auth method), and which customers a change affects. The customer's choices,
//! the move preview, impact analysis and the route lookup all ask here; none of them reads the
//! assignments or the customers' placement on its own.

use std::collections::HashMap;

use didtron_core::scope::{Assignment, Choice, Placement, reach, resolve};
use didtron_core::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

use super::kinds::KindSpec;
use super::store;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CustomerRef {
    pub id: String,
    pub name: String,
}

/// Where customer `id` sits; `NotFound("customer")` when there is no such customer.
pub async fn placement_of(state: &AppState, id: &str) -> Result<Placement> {
    Ok(placement_named(state, id).await?.1)
}

/// A customer's name and placement.
pub async fn placement_named(state: &AppState, id: &str) -> Result<(String, Placement)> {
    let (name, category, group) = store::customer_placement(&state.db, id).await?.ok_or(Error::NotFound("customer"))?;
    Ok((name, Placement { customer: id.into(), category, group }))
}

/// The placement of no customer in particular: only what is assigned to everyone reaches it.
pub fn anyone() -> Placement {
    Placement { customer: String::new(), category: None, group: None }
}

/// Every customer with where it sits, by name.
pub async fn placements(state: &AppState) -> Result<Vec<(CustomerRef, Placement)>> {
    Ok(store::customer_placements(&state.db)
        .await?
        .into_iter()
        .map(|(id, name, category, group)| (CustomerRef { id: id.clone(), name }, Placement { customer: id, category, group }))
        .collect())
}

/// The assignments of every record of one kind, with the kind's order of preference.
#[derive(Debug, Clone, Default)]
pub struct KindAssignments {
    /// Record ids in the kind's order (a record only named by assignments sorts last).
    pub order: Vec<String>,
    pub by_record: HashMap<String, Vec<Assignment>>,
}

impl KindAssignments {
    pub async fn load(state: &AppState, spec: &KindSpec) -> Result<KindAssignments> {
        let by_record = store::assignments_by_record(&state.db, spec.kind).await?;
        let mut order = store::record_ids(&state.db, spec.table, spec.order_by).await?;
        for id in by_record.keys() {
            if !order.contains(id) {
                order.push(id.clone());
            }
        }
        Ok(KindAssignments { order, by_record })
    }

    /// The assignments of one record (none when it has none).
    pub fn of(&self, id: &str) -> &[Assignment] {
        self.by_record.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The level at which record `id` reaches `p`, if it does.
    pub fn reaches(&self, id: &str, p: &Placement) -> Option<u8> {
        reach(self.of(id), p)
    }

    /// The records `p` gets, in the kind's order: all that reach it (`Choice::Many`), or the one
    /// assigned most specifically (`Choice::One`; of equals, the first in order).
    pub fn resolve(&self, choice: Choice, p: &Placement) -> Vec<String> {
        let records = self.order.iter().filter_map(|id| self.by_record.get(id).map(|a| (id.clone(), a.as_slice())));
        resolve(choice, records, p)
    }

    /// The single setting of this kind that applies to `p`, among `candidates` (ids in order of
    /// preference, e.g. only the active records).
    pub fn setting_among<'a>(&self, candidates: impl IntoIterator<Item = &'a str>, p: &Placement) -> Option<String> {
        let records = candidates.into_iter().map(|id| (id.to_string(), self.of(id)));
        resolve(Choice::One, records, p).into_iter().next()
    }

    /// The same set with record `id` given `assignments` (`None`: the record is gone).
    fn with(&self, id: &str, assignments: Option<&[Assignment]>) -> KindAssignments {
        let mut next = self.clone();
        match assignments {
            Some(a) => {
                next.by_record.insert(id.to_string(), a.to_vec());
                if !next.order.iter().any(|r| r == id) {
                    next.order.push(id.to_string());
                }
            }
            None => {
                next.by_record.remove(id);
            }
        }
        next
    }
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
            let current = KindAssignments::load(state, spec).await?;
            let (was, will) = (current.with(id, before), current.with(id, after));
            for (c, p) in customers {
                let (w0, w1) = (was.resolve(Choice::One, &p), will.resolve(Choice::One, &p));
                if w0 != w1 || (fields_changed && w1.first().map(String::as_str) == Some(id)) {
                    out.push(c);
                }
            }
        }
    }
    Ok(out)
}

/// Customers whose placement points at the record (`category_id = id`); `column` comes from a
/// kind's static spec.
pub async fn customers_by_column(state: &AppState, column: &str, id: &str) -> Result<Vec<CustomerRef>> {
    Ok(store::customers_with(&state.db, column, id).await?.into_iter().map(|(id, name)| CustomerRef { id, name }).collect())
}
