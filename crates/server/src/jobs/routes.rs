//! The admin "jobs" screen's API: queued, running, failed and scheduled work, with retry and cancel.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, Transition};
use super::store::{JobRow, ScheduleRow};
use crate::http::caller::Actor;
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_jobs)).routes(routes!(job_counts)).routes(routes!(retry_job)).routes(routes!(cancel_job)).routes(routes!(list_schedules))
}

#[derive(Debug, Serialize, ToSchema)]
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

impl From<JobRow> for Job {
    fn from(j: JobRow) -> Job {
        Job {
            id: j.id,
            kind: j.kind,
            payload: j.payload,
            status: j.status,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            run_at: j.run_at,
            last_error: j.last_error,
            started_at: j.started_at,
            finished_at: j.finished_at,
            created_at: j.created_at,
        }
    }
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
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let jobs = service::list(&state, &actor, f.status.as_deref(), f.kind.as_deref(), page).await?;
    Ok(Json(Page { items: jobs.items.into_iter().map(Job::from).collect(), total: jobs.total, limit: jobs.limit, offset: jobs.offset }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobCount {
    pub status: String,
    pub count: i64,
}

/// How many jobs are in each status.
#[utoipa::path(get, path = "/api/v1/admin/jobs/counts", tag = "jobs", responses((status = 200, body = [JobCount])))]
async fn job_counts(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<JobCount>>> {
    let rows = service::counts(&state, &actor).await?;
    Ok(Json(rows.into_iter().map(|(status, count)| JobCount { status, count }).collect()))
}

/// Run a dead, cancelled or succeeded job again, with fresh attempts.
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/retry", tag = "jobs", responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn retry_job(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<StatusCode> {
    service::transition(&state, &actor, &id, Transition::Retry).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cancel a queued job.
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/cancel", tag = "jobs", responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn cancel_job(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<StatusCode> {
    service::transition(&state, &actor, &id, Transition::Cancel).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Schedule {
    pub id: String,
    pub name: String,
    pub cron: String,
    pub job_kind: String,
    pub enabled: bool,
    pub next_run_at: String,
    pub last_run_at: Option<String>,
}

impl From<ScheduleRow> for Schedule {
    fn from(s: ScheduleRow) -> Schedule {
        Schedule { id: s.id, name: s.name, cron: s.cron, job_kind: s.job_kind, enabled: s.enabled, next_run_at: s.next_run_at, last_run_at: s.last_run_at }
    }
}

/// Recurring work.
#[utoipa::path(get, path = "/api/v1/admin/schedules", tag = "jobs", responses((status = 200, body = [Schedule])))]
async fn list_schedules(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<Schedule>>> {
    Ok(Json(service::schedules(&state, &actor).await?.into_iter().map(Schedule::from).collect()))
}
