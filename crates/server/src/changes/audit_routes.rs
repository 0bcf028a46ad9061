//! The audit log in the admin portal: search, CSV export and the retention policy.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use didtron_core::access::Permission;
use didtron_core::{Error, Result, time};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit::{AuditActor, Entry};
use super::store;
use super::unit::UnitOfWork;
use didtron_db::Json as JsonColumn;
use crate::state::AppState;
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};
use crate::http::caller::Actor;
use crate::http::csv as csv_cells;
use crate::jobs::JobError;

pub const RETENTION_KEY: &str = "audit.retention_days";
pub const DEFAULT_RETENTION_DAYS: i64 = 365;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search)).routes(routes!(export_csv)).routes(routes!(get_retention, set_retention))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: String,
    pub actor_id: String,
    /// user, api_key, system, automation or agent.
    pub actor_kind: String,
    /// The person's e-mail when the actor is a user.
    pub actor_email: Option<String>,
    pub tenant_id: Option<String>,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    pub old_values: Value,
    pub new_values: Value,
    pub ip: String,
    pub created_at: String,
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// An actor id or e-mail (exact).
    pub actor: Option<String>,
    /// An action, or its start (`category.` for every category action).
    pub action: Option<String>,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    /// From this time (RFC 3339 or a date, inclusive).
    pub from: Option<String>,
    /// Before this time (RFC 3339 or a date, exclusive).
    pub to: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

fn bound(raw: &Option<String>, field: &str) -> Result<String> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(String::new()),
        Some(s) if s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => Ok(format!("{s}T00:00:00.000000Z")),
        Some(s) => time::from_db(s).map(time::to_db).ok_or_else(|| Error::invalid(field, "must be a date (2026-11-25) or an RFC 3339 time")),
    }
}

async fn query(state: &AppState, f: &AuditFilter, limit: i64, offset: i64) -> Result<(Vec<AuditEntry>, i64)> {
    let actor = f.actor.clone().unwrap_or_default().trim().to_lowercase();
    let action = f.action.clone().unwrap_or_default().trim().to_string();
    let search = store::AuditQuery {
        actor: Some(actor.as_str()).filter(|a| !a.is_empty()),
        action: Some(action.as_str()).filter(|a| !a.is_empty()),
        target_kind: f.target_kind.as_deref().filter(|k| !k.is_empty()),
        target_id: f.target_id.as_deref().filter(|k| !k.is_empty()),
        from: Some(bound(&f.from, "from")?).filter(|b| !b.is_empty()),
        to: Some(bound(&f.to, "to")?).filter(|b| !b.is_empty()),
    };
    let (rows, total) = store::audit_entries(&state.db, &search, limit, offset).await?;
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            actor_id: r.actor_id,
            actor_kind: r.actor_kind,
            actor_email: r.actor_email,
            tenant_id: r.tenant_id,
            action: r.action,
            target_kind: r.target_kind,
            target_id: r.target_id,
            old_values: r.old_values.map(JsonColumn::into_inner).unwrap_or(Value::Null),
            new_values: r.new_values.map(JsonColumn::into_inner).unwrap_or(Value::Null),
            ip: r.ip,
            created_at: r.created_at,
        })
        .collect();
    Ok((items, total))
}

fn json_text(v: &Value) -> String {
    if v.is_null() { String::new() } else { v.to_string() }
}

/// Search the audit log, newest first.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "audit", params(AuditFilter),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn search(State(state): State<AppState>, actor: Actor, Query(f): Query<AuditFilter>) -> ApiResult<Json<Page<AuditEntry>>> {
    actor.require(Permission::AuditRead)?;
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let (items, total) = query(&state, &f, page.limit(), page.offset()).await?;
    Ok(Json(Page::new(items, total, page)))
}

/// The matching entries as CSV (at most 100,000 rows).
#[utoipa::path(get, path = "/api/v1/admin/audit/export.csv", tag = "audit", params(AuditFilter),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
async fn export_csv(State(state): State<AppState>, actor: Actor, Query(f): Query<AuditFilter>) -> ApiResult<Response> {
    actor.require(Permission::AuditRead)?;
    let (items, _) = query(&state, &f, 100_000, 0).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    csv_cells::write_record(&mut w, &["time", "actor", "actor_kind", "action", "target_kind", "target_id", "old_values", "new_values", "ip"]).map_err(Error::internal)?;
    for e in &items {
        let who = e.actor_email.clone().unwrap_or_else(|| e.actor_id.clone());
        let (old, new) = (json_text(&e.old_values), json_text(&e.new_values));
        let target = e.target_id.as_deref().unwrap_or("");
        csv_cells::write_record(&mut w, &[&e.created_at, &who, &e.actor_kind, &e.action, &e.target_kind, target, &old, &new, &e.ip]).map_err(Error::internal)?;
    }
    let body = w.into_inner().map_err(Error::internal)?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\"")],
        body,
    )
        .into_response())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Retention {
    /// Entries older than this many days are deleted by the nightly job (30–3650).
    pub days: i64,
}

pub async fn retention_days(state: &AppState) -> Result<i64> {
    Ok(store::setting(&state.db, RETENTION_KEY).await?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_RETENTION_DAYS))
}

/// How long audit entries are kept.
#[utoipa::path(get, path = "/api/v1/admin/audit/retention", tag = "audit", responses((status = 200, body = Retention)))]
async fn get_retention(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Retention>> {
    actor.require(Permission::AuditRead)?;
    Ok(Json(Retention { days: retention_days(&state).await? }))
}

/// Set how long audit entries are kept. Super admin only.
#[utoipa::path(put, path = "/api/v1/admin/audit/retention", tag = "audit", request_body = Retention,
    responses((status = 200, body = Retention), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn set_retention(State(state): State<AppState>, actor: Actor, Json(r): Json<Retention>) -> ApiResult<Json<Retention>> {
    actor.require(Permission::SystemManage)?;
    if !(30..=3650).contains(&r.days) {
        return Err(Error::invalid("days", "must be between 30 and 3650").into());
    }
    let old = retention_days(&state).await?;
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, &actor).await?;
    store::put_setting(work.tx(), RETENTION_KEY, &r.days.to_string(), &now, &actor.audit_name()).await?;
    let entry = Entry { action: "audit.retention.update", target_kind: "setting", target_id: Some(RETENTION_KEY), old: Some(json!({"days": old})), new: Some(json!({"days": r.days})) };
    work.audit(entry).await?;
    work.commit().await?;
    Ok(Json(r))
}

/// The nightly job: deletes entries older than the retention period, and says so in the log itself.
pub async fn apply_retention(state: AppState, _payload: Value) -> Result<(), JobError> {
    let days = retention_days(&state).await?;
    let cutoff = time::to_db(time::now() - chrono::Duration::days(days));
    let mut work = UnitOfWork::begin(&state.db, AuditActor::system()).await?;
    let deleted = store::delete_audit_before(work.tx(), &cutoff).await?;
    if deleted > 0 {
        let entry = Entry {
            action: "audit.retention.apply",
            target_kind: "audit_log",
            target_id: None,
            old: None,
            new: Some(json!({"deleted": deleted, "before": cutoff, "days": days})),
        };
        work.audit(entry).await?;
    }
    work.commit().await?;
    Ok(())
}
