//! The admin "jobs" screen's API: queued, running, failed and scheduled work, with retry and cancel.

use axum::extract::{Path, State};
use didtron_core::access::Permission;
use didtron_core::{Error, Result, time};
use didtron_db::Flag;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::changes::audit::{self, AuditActor, Entry};
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};
use crate::http::caller::Actor;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_jobs)).routes(routes!(job_counts)).routes(routes!(retry_job)).routes(routes!(cancel_job)).routes(routes!(list_schedules))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: String,
    /// queued, running, succeeded, dead (failed after its last attempt) or cancelled.
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: String,
    pub last_error: Option<String>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Jobs, newest first, filtered by status and kind.
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "jobs", params(JobFilter), responses((status = 200, body = Page<Job>), (status = 403, body = Problem)))]
async fn list_jobs(State(state): State<AppState>, actor: Actor, Query(f): Query<JobFilter>) -> ApiResult<Json<Page<Job>>> {
    actor.require(Permission::SystemManage)?;
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let (status, kind) = (f.status.unwrap_or_default(), f.kind.unwrap_or_default());
    let filter = "WHERE ($1 = '' OR status = $1) AND ($2 = '' OR kind = $2)";
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM jobs {filter}")))
        .bind(&status)
        .bind(&kind)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, kind, payload, status, attempts, max_attempts, run_at, last_error, started_at, finished_at, created_at FROM jobs {filter}
         ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
    )))
    .bind(&status)
    .bind(&kind)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(Json(Page::new(items, total, page)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobCount {
    pub status: String,
    pub count: i64,
}

/// How many jobs are in each status.
#[utoipa::path(get, path = "/api/v1/admin/jobs/counts", tag = "jobs", responses((status = 200, body = [JobCount])))]
async fn job_counts(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<JobCount>>> {
    actor.require(Permission::SystemManage)?;
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status").fetch_all(state.db.pool()).await.map_err(Error::internal)?;
    Ok(Json(rows.into_iter().map(|(status, count)| JobCount { status, count }).collect()))
}

async fn transition(state: &AppState, actor: &Actor, id: &str, from: &[&str], sql: &'static str, action: &str) -> Result<()> {
    actor.require(Permission::SystemManage)?;
    let row: Option<(String,)> =
        sqlx::query_as("SELECT status FROM jobs WHERE id = $1").bind(id).fetch_optional(state.db.pool()).await.map_err(Error::internal)?;
    let (status,) = row.ok_or(Error::NotFound("job"))?;
    if !from.contains(&status.as_str()) {
        return Err(Error::Conflict(format!("a {status} job cannot be {action}")));
    }
    let now = time::to_db(time::now());
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    let done = sqlx::query(sql).bind(&now).bind(id).bind(&status).execute(&mut *tx).await.map_err(Error::internal)?;
    if done.rows_affected() == 0 {
        return Err(Error::Conflict("the job changed meanwhile; reload".into()));
    }
    let entry = Entry { action: &format!("job.{action}"), target_kind: "job", target_id: Some(id), old: Some(json!({"status": status})), new: None };
    audit::record(&mut *tx, &AuditActor::from(actor), entry).await?;
    tx.commit().await.map_err(Error::internal)?;
    Ok(())
}

/// Run a dead, cancelled or succeeded job again, with fresh attempts.
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/retry", tag = "jobs", responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn retry_job(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<axum::http::StatusCode> {
    transition(
        &state,
        &actor,
        &id,
        &["dead", "cancelled", "succeeded"],
        "UPDATE jobs SET status = 'queued', attempts = 0, run_at = $1, finished_at = NULL, updated_at = $1 WHERE id = $2 AND status = $3",
        "retried",
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Cancel a queued job.
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/cancel", tag = "jobs", responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn cancel_job(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<axum::http::StatusCode> {
    transition(
        &state,
        &actor,
        &id,
        &["queued"],
        "UPDATE jobs SET status = 'cancelled', finished_at = $1, updated_at = $1 WHERE id = $2 AND status = $3",
        "cancelled",
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Schedule {
    pub id: String,
    pub name: String,
    pub cron: String,
    pub job_kind: String,
    #[sqlx(try_from = "Flag")]
    pub enabled: bool,
    pub next_run_at: String,
    pub last_run_at: Option<String>,
}

/// Recurring work.
#[utoipa::path(get, path = "/api/v1/admin/schedules", tag = "jobs", responses((status = 200, body = [Schedule])))]
async fn list_schedules(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<Schedule>>> {
    actor.require(Permission::SystemManage)?;
    Ok(Json(
        sqlx::query_as("SELECT id, name, cron, job_kind, enabled, next_run_at, last_run_at FROM schedules ORDER BY name")
            .fetch_all(state.db.pool())
            .await
            .map_err(Error::internal)?,
    ))
}
