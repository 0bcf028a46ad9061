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

use super::audit::{self, AuditActor, Entry};
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

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
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
    #[sqlx(skip)]
    pub old_values: Value,
    #[sqlx(skip)]
    pub new_values: Value,
    pub ip: String,
    pub created_at: String,
    #[serde(skip)]
    #[sqlx(rename = "old_values")]
    pub old_text: Option<String>,
    #[serde(skip)]
    #[sqlx(rename = "new_values")]
    pub new_text: Option<String>,
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

const SELECT: &str = "SELECT a.id, a.actor_id, a.actor_kind, u.email AS actor_email, a.tenant_id, a.action, a.target_kind, a.target_id,
    a.old_values, a.new_values, a.ip, a.created_at FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id";
const WHERE: &str = "WHERE ($1 = '' OR a.actor_id = $1 OR u.email = $1) AND ($2 = '' OR a.action = $2 OR a.action LIKE $3)
    AND ($4 = '' OR a.target_kind = $4) AND ($5 = '' OR a.target_id = $5) AND ($6 = '' OR a.created_at >= $6) AND ($7 = '' OR a.created_at < $7)";

async fn query(state: &AppState, f: &AuditFilter, limit: i64, offset: i64) -> Result<(Vec<AuditEntry>, i64)> {
    let actor = f.actor.clone().unwrap_or_default().trim().to_lowercase();
    let action = f.action.clone().unwrap_or_default().trim().to_string();
    let prefix = if action.ends_with('.') { format!("{action}%") } else { String::new() };
    let (from, to) = (bound(&f.from, "from")?, bound(&f.to, "to")?);
    let (kind, target) = (f.target_kind.clone().unwrap_or_default(), f.target_id.clone().unwrap_or_default());
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id {WHERE}")))
        .bind(&actor)
        .bind(&action)
        .bind(&prefix)
        .bind(&kind)
        .bind(&target)
        .bind(&from)
        .bind(&to)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let mut items: Vec<AuditEntry> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} {WHERE} ORDER BY a.created_at DESC, a.id DESC LIMIT $8 OFFSET $9")))
        .bind(&actor)
        .bind(&action)
        .bind(&prefix)
        .bind(&kind)
        .bind(&target)
        .bind(&from)
        .bind(&to)
        .bind(limit)
        .bind(offset)
        .fetch_all(state.db.pool())
        .await
        .map_err(Error::internal)?;
    for e in &mut items {
        e.old_values = e.old_text.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or(Value::Null);
        e.new_values = e.new_text.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or(Value::Null);
    }
    Ok((items, total))
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
        let (old, new) = (e.old_text.clone().unwrap_or_default(), e.new_text.clone().unwrap_or_default());
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
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM settings WHERE key = $1").bind(RETENTION_KEY).fetch_optional(state.db.pool()).await.map_err(Error::internal)?;
    Ok(row.and_then(|(v,)| v.parse().ok()).unwrap_or(DEFAULT_RETENTION_DAYS))
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
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    sqlx::query(
        "INSERT INTO settings (key, value, version, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, 1, $3, $4, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = $2, version = settings.version + 1, updated_at = $3, updated_by = $4",
    )
    .bind(RETENTION_KEY)
    .bind(r.days.to_string())
    .bind(&now)
    .bind(actor.audit_name())
    .execute(&mut *tx)
    .await
    .map_err(Error::internal)?;
    let entry = Entry { action: "audit.retention.update", target_kind: "setting", target_id: Some(RETENTION_KEY), old: Some(json!({"days": old})), new: Some(json!({"days": r.days})) };
    audit::record(&mut *tx, &AuditActor::from(&actor), entry).await?;
    tx.commit().await.map_err(Error::internal)?;
    Ok(Json(r))
}

/// The nightly job: deletes entries older than the retention period, and says so in the log itself.
pub async fn apply_retention(state: AppState, _payload: Value) -> Result<(), JobError> {
    let days = retention_days(&state).await?;
    let cutoff = time::to_db(time::now() - chrono::Duration::days(days));
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    let deleted = sqlx::query("DELETE FROM audit_log WHERE created_at < $1").bind(&cutoff).execute(&mut *tx).await.map_err(Error::internal)?;
    if deleted.rows_affected() > 0 {
        let entry = Entry {
            action: "audit.retention.apply",
            target_kind: "audit_log",
            target_id: None,
            old: None,
            new: Some(json!({"deleted": deleted.rows_affected(), "before": cutoff, "days": days})),
        };
        audit::record(&mut *tx, &AuditActor::system(), entry).await?;
    }
    tx.commit().await.map_err(Error::internal)?;
    Ok(())
}
