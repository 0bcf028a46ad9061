//! Customers: the list, moving one between categories and groups (with the preview of what it gains
//! and loses), and the category dashboard.

use std::collections::HashSet;

use axum::extract::{Path, State};
use didtron_core::access::Permission;
use didtron_core::scope::Placement;
use didtron_core::{Error, Result, time};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::changes::audit::{self, AuditActor, Entry};
use crate::changes::assignments::{self, KindAssignments};
use crate::changes::records;
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};
use crate::http::caller::Actor;
use crate::jobs::events;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_customers)).routes(routes!(get_customer)).routes(routes!(preview_move)).routes(routes!(move_customer)).routes(routes!(dashboard))
}

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

/// Customers with their category and group.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(CustomerFilter),
    responses((status = 200, body = Page<Customer>), (status = 403, body = Problem)))]
async fn list_customers(State(state): State<AppState>, actor: Actor, Query(f): Query<CustomerFilter>) -> ApiResult<Json<Page<Customer>>> {
    actor.require(Permission::CustomersRead)?;
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let q = format!("%{}%", f.q.unwrap_or_default().trim().to_lowercase());
    let (cat, grp) = (f.category_id.unwrap_or_default(), f.group_id.unwrap_or_default());
    let filter = "WHERE t.kind = 'customer' AND LOWER(t.name) LIKE $1 AND ($2 = '' OR t.category_id = $2) AND ($3 = '' OR t.group_id = $3)";
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM tenants t {filter}")))
        .bind(&q)
        .bind(&cat)
        .bind(&grp)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT t.id, t.name, t.status, t.category_id, c.name AS category_name, t.group_id, g.name AS group_name,
                (SELECT COUNT(*) FROM users u WHERE u.tenant_id = t.id) AS users, t.created_at
         FROM tenants t LEFT JOIN categories c ON c.id = t.category_id LEFT JOIN customer_groups g ON g.id = t.group_id
         {filter} ORDER BY t.created_at DESC, t.id DESC LIMIT $4 OFFSET $5"
    )))
    .bind(&q)
    .bind(&cat)
    .bind(&grp)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(Json(Page::new(items, total, page)))
}

/// One customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers",
    responses((status = 200, body = Customer), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_customer(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<Customer>> {
    actor.require(Permission::CustomersRead)?;
    let found: Option<Customer> = sqlx::query_as(
        "SELECT t.id, t.name, t.status, t.category_id, c.name AS category_name, t.group_id, g.name AS group_name,
                (SELECT COUNT(*) FROM users u WHERE u.tenant_id = t.id) AS users, t.created_at
         FROM tenants t LEFT JOIN categories c ON c.id = t.category_id LEFT JOIN customer_groups g ON g.id = t.group_id
         WHERE t.kind = 'customer' AND t.id = $1",
    )
    .bind(&id)
    .fetch_optional(state.db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(Json(found.ok_or(Error::NotFound("customer"))?))
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

async fn target(state: &AppState, id: &str, r: &MoveRequest) -> Result<Placement> {
    let cat: Option<(String,)> =
        sqlx::query_as("SELECT id FROM categories WHERE id = $1").bind(&r.category_id).fetch_optional(state.db.pool()).await.map_err(Error::internal)?;
    if cat.is_none() {
        return Err(Error::invalid("category_id", "no such category"));
    }
    let group = r.group_id.clone().filter(|g| !g.is_empty());
    if let Some(g) = &group {
        let found: Option<(String,)> = sqlx::query_as("SELECT id FROM customer_groups WHERE id = $1 AND category_id = $2")
            .bind(g)
            .bind(&r.category_id)
            .fetch_optional(state.db.pool())
            .await
            .map_err(Error::internal)?;
        if found.is_none() {
            return Err(Error::invalid("group_id", "is not a group of that category"));
        }
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
    let one = |sql: &'static str, id: Option<String>| async move {
        match id {
            None => Ok(None),
            Some(id) => sqlx::query_scalar::<_, String>(sql).bind(id).fetch_optional(state.db.pool()).await.map_err(Error::internal),
        }
    };
    Ok((
        one("SELECT name FROM categories WHERE id = $1", p.category.clone()).await?,
        one("SELECT name FROM customer_groups WHERE id = $1", p.group.clone()).await?,
    ))
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

/// Preview a move: what the customer gains and loses.
#[utoipa::path(post, path = "/api/v1/customers/{id}/move/preview", tag = "customers", request_body = MoveRequest,
    responses((status = 200, body = MovePreview), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn preview_move(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Json(r): Json<MoveRequest>) -> ApiResult<Json<MovePreview>> {
    Ok(Json(move_preview(&state, &actor, &id, &r).await?))
}

/// Move a customer to another category or group.
#[utoipa::path(post, path = "/api/v1/customers/{id}/move", tag = "customers", request_body = MoveRequest,
    responses((status = 200, body = MovePreview), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn move_customer(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Json(r): Json<MoveRequest>) -> ApiResult<Json<MovePreview>> {
    actor.require(Permission::CustomersManage)?;
    let preview = move_preview(&state, &actor, &id, &r).await?;
    let p0 = assignments::placement_of(&state, &id).await?;
    let p1 = target(&state, &id, &r).await?;
    let now = time::to_db(time::now());
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    sqlx::query("UPDATE tenants SET category_id = $1, group_id = $2, updated_at = $3, updated_by = $4 WHERE id = $5")
        .bind(&p1.category)
        .bind(&p1.group)
        .bind(&now)
        .bind(actor.audit_name())
        .bind(&id)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
    let old = json!({"category_id": p0.category, "group_id": p0.group});
    let new = json!({"category_id": p1.category, "group_id": p1.group});
    let entry = Entry { action: "customer.move", target_kind: "customer", target_id: Some(&id), old: Some(old.clone()), new: Some(new.clone()) };
    audit::record(&mut *tx, &AuditActor::from(&actor), entry).await?;
    events::emit(&mut *tx, "customer.moved", Some(&id), Some(&id), &json!({"from": old, "to": new})).await?;
    tx.commit().await.map_err(Error::internal)?;
    Ok(Json(preview))
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
#[utoipa::path(get, path = "/api/v1/categories/dashboard", tag = "customers", responses((status = 200, body = Dashboard), (status = 403, body = Problem)))]
async fn dashboard(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Dashboard>> {
    actor.require(Permission::CustomersRead)?;
    let pool = state.db.pool();
    let cats: Vec<(String, String, String, didtron_db::Flag)> =
        sqlx::query_as("SELECT id, code, name, is_public FROM categories ORDER BY sort_order, name").fetch_all(pool).await.map_err(Error::internal)?;
    let counts: Vec<(Option<String>, Option<String>, i64)> =
        sqlx::query_as("SELECT category_id, group_id, COUNT(*) FROM tenants WHERE kind = 'customer' GROUP BY category_id, group_id")
            .fetch_all(pool)
            .await
            .map_err(Error::internal)?;
    let groups: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, category_id, name FROM customer_groups ORDER BY sort_order, name").fetch_all(pool).await.map_err(Error::internal)?;
    let since = time::now() - chrono::Duration::days(29);
    let since_day = since.format("%Y-%m-%d").to_string();
    let signups: Vec<(Option<String>, String, i64)> = sqlx::query_as(
        "SELECT category_id, SUBSTR(created_at, 1, 10) AS day, COUNT(*) FROM tenants
         WHERE kind = 'customer' AND created_at >= $1 GROUP BY category_id, SUBSTR(created_at, 1, 10)",
    )
    .bind(format!("{since_day}T00:00:00.000000Z"))
    .fetch_all(pool)
    .await
    .map_err(Error::internal)?;
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
    Ok(Json(Dashboard { categories, total_customers, uncategorized }))
}
