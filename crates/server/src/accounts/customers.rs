//! Customers: the list, moving one between categories and groups (with the preview of what it
//! gains and loses), and the category dashboard. Handlers are in `http.rs`, SQL in `store.rs`.

use std::collections::HashSet;

use didtron_core::access::Permission;
use didtron_core::scope::Placement;
use didtron_core::{Error, Result, time};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::store::{self, CustomerQuery};
use crate::changes::assignments::{self, KindAssignments};
use crate::changes::audit::Entry;
use crate::changes::records;
use crate::changes::unit::UnitOfWork;
use crate::http::caller::Actor;
use crate::http::{Page, PageQuery};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub status: String,
    pub category_id: Option<String>,
    pub category_name: Option<String>,
    pub group_id: Option<String>,
    pub group_name: Option<String>,
    pub users: i64,
    pub created_at: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerFilter {
    /// Matches the name.
    pub q: Option<String>,
    pub category_id: Option<String>,
    pub group_id: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Customers with their category and group, newest first.
pub async fn list(state: &AppState, actor: &Actor, f: &CustomerFilter) -> Result<Page<Customer>> {
    actor.require(Permission::CustomersRead)?;
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let query = CustomerQuery { name_contains: f.q.as_deref(), category_id: f.category_id.as_deref(), group_id: f.group_id.as_deref() };
    let (rows, total) = store::customers(&state.db, query, page).await?;
    Ok(Page::new(rows, total, page))
}

pub async fn get(state: &AppState, actor: &Actor, id: &str) -> Result<Customer> {
    actor.require(Permission::CustomersRead)?;
    store::customer(&state.db, id).await?.ok_or(Error::NotFound("customer"))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveRequest {
    pub category_id: String,
    /// A group of that category, or none.
    pub group_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Offering {
    pub kind: String,
    pub kind_label: String,
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovePreview {
    pub customer: String,
    pub from_category: Option<String>,
    pub from_group: Option<String>,
    pub to_category: String,
    pub to_group: Option<String>,
    /// What the customer gets after the move and not before.
    pub gains: Vec<Offering>,
    /// What the customer has before the move and loses.
    pub losses: Vec<Offering>,
}

/// The placement a move asks for, checked: the category exists and the group is one of its own.
async fn target(state: &AppState, id: &str, r: &MoveRequest) -> Result<Placement> {
    if store::category_name(&state.db, &r.category_id).await?.is_none() {
        return Err(Error::invalid("category_id", "no such category"));
    }
    let group = r.group_id.clone().filter(|g| !g.is_empty());
    if let Some(g) = &group
        && store::group_name(&state.db, g, Some(&r.category_id)).await?.is_none()
    {
        return Err(Error::invalid("group_id", "is not a group of that category"));
    }
    Ok(Placement { customer: id.into(), category: Some(r.category_id.clone()), group })
}

/// What a customer gains and loses between two placements: every assigned kind resolved at both.
async fn resolved(state: &AppState, p0: &Placement, p1: &Placement) -> Result<(Vec<Offering>, Vec<Offering>)> {
    let (mut gains, mut losses) = (Vec::new(), Vec::new());
    for kind in state.kinds.all() {
        let spec = kind.spec();
        let Some(choice) = spec.choice else { continue };
        let assigned = KindAssignments::load(state, spec).await?;
        let before: HashSet<String> = assigned.resolve(choice, p0).into_iter().collect();
        let after: HashSet<String> = assigned.resolve(choice, p1).into_iter().collect();
        for id in &assigned.order {
            let (had, has) = (before.contains(id), after.contains(id));
            if had == has {
                continue;
            }
            let fields = records::load(state.db.pool(), spec, id).await?.unwrap_or_default();
            let offering = Offering { kind: spec.kind.into(), kind_label: spec.label.into(), id: id.clone(), name: kind.title(&fields) };
            if has { gains.push(offering) } else { losses.push(offering) }
        }
    }
    Ok((gains, losses))
}

async fn names(state: &AppState, p: &Placement) -> Result<(Option<String>, Option<String>)> {
    let category = match &p.category {
        Some(id) => store::category_name(&state.db, id).await?,
        None => None,
    };
    let group = match &p.group {
        Some(id) => store::group_name(&state.db, id, None).await?,
        None => None,
    };
    Ok((category, group))
}

pub async fn move_preview(state: &AppState, actor: &Actor, id: &str, r: &MoveRequest) -> Result<MovePreview> {
    actor.require(Permission::CustomersRead)?;
    let (name, p0) = assignments::placement_named(state, id).await?;
    let p1 = target(state, id, r).await?;
    let (gains, losses) = resolved(state, &p0, &p1).await?;
    let (from_category, from_group) = names(state, &p0).await?;
    let (to_category, to_group) = names(state, &p1).await?;
    Ok(MovePreview { customer: name, from_category, from_group, to_category: to_category.unwrap_or_default(), to_group, gains, losses })
}

/// Moves the customer: its placement, an audit entry and a `customer.moved` event, in one unit of
/// work. Answers with the preview of what it gained and lost.
pub async fn move_customer(state: &AppState, actor: &Actor, id: &str, r: &MoveRequest) -> Result<MovePreview> {
    actor.require(Permission::CustomersManage)?;
    let preview = move_preview(state, actor, id, r).await?;
    let p0 = assignments::placement_of(state, id).await?;
    let p1 = target(state, id, r).await?;
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    store::set_placement(work.tx(), id, p1.category.as_deref(), p1.group.as_deref(), &now, &actor.audit_name()).await?;
    let old = json!({"category_id": p0.category, "group_id": p0.group});
    let new = json!({"category_id": p1.category, "group_id": p1.group});
    work.audit(Entry { action: "customer.move", target_kind: "customer", target_id: Some(id), old: Some(old.clone()), new: Some(new.clone()) }).await?;
    work.emit("customer.moved", Some(id), Some(id), &json!({"from": old, "to": new})).await?;
    work.commit().await?;
    Ok(preview)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupStat {
    pub id: String,
    pub name: String,
    pub customers: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryStat {
    pub id: String,
    pub code: String,
    pub name: String,
    pub is_public: bool,
    pub customers: i64,
    /// Customers of the category in no group.
    pub ungrouped: i64,
    pub groups: Vec<GroupStat>,
    /// Sign-ups per day over the last 30 days, oldest first.
    pub signups: Vec<DayCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayCount {
    pub day: String,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub categories: Vec<CategoryStat>,
    pub total_customers: i64,
    pub uncategorized: i64,
}

/// Customers per category and group, and sign-ups over the last 30 days.
pub async fn dashboard(state: &AppState, actor: &Actor) -> Result<Dashboard> {
    actor.require(Permission::CustomersRead)?;
    let since = time::now() - chrono::Duration::days(29);
    let since_day = since.format("%Y-%m-%d").to_string();
    let rows = store::dashboard(&state.db, &format!("{since_day}T00:00:00.000000Z")).await?;
    let (cats, counts, groups, signups) = (rows.categories, rows.counts, rows.groups, rows.signups);
    let days: Vec<String> = (0..30).map(|i| (since + chrono::Duration::days(i)).format("%Y-%m-%d").to_string()).collect();
    let total_customers = counts.iter().map(|c| c.2).sum();
    let uncategorized = counts.iter().filter(|c| c.0.is_none()).map(|c| c.2).sum();
    let categories = cats
        .into_iter()
        .map(|(id, code, name, public)| {
            let in_cat = |g: Option<&str>| counts.iter().filter(|c| c.0.as_deref() == Some(&id) && c.1.as_deref() == g).map(|c| c.2).sum::<i64>();
            CategoryStat {
                customers: counts.iter().filter(|c| c.0.as_deref() == Some(&id)).map(|c| c.2).sum(),
                ungrouped: in_cat(None),
                groups: groups.iter().filter(|g| g.1 == id).map(|g| GroupStat { id: g.0.clone(), name: g.2.clone(), customers: in_cat(Some(&g.0)) }).collect(),
                signups: days
                    .iter()
                    .map(|d| DayCount { day: d.clone(), count: signups.iter().filter(|s| s.0.as_deref() == Some(&id) && &s.1 == d).map(|s| s.2).sum() })
                    .collect(),
                id,
                code,
                name,
                is_public: public.0,
            }
        })
        .collect();
    Ok(Dashboard { categories, total_customers, uncategorized })
}
