//! HTTP for the switch: the sync dashboard (overview, pushes, calls, reconciliation), sync status
//! per record, what needs an operator, "test connection", and the inbound webhook (public,
//! shared-secret authenticated). Thin: each handler parses, calls one service function, answers.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, Call, ConnectionTest, NeedsAttention, Overview, PushFilter, Received};
use super::store::{Push, Reconciliation, RecordSyncStatus, Webhook};
use crate::http::caller::{Actor, ClientInfo};
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(test_connection))
        .routes(routes!(list_pushes))
        .routes(routes!(retry_push))
        .routes(routes!(push_record))
        .routes(routes!(list_calls))
        .routes(routes!(record_sync_status))
        .routes(routes!(needs_attention))
        .routes(routes!(list_reconciliations, start_reconciliation))
        .routes(routes!(list_webhooks))
}

pub fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(receive_webhook)).layer(DefaultBodyLimit::max(256 * 1024))
}

/// The sync engine at a glance.
#[utoipa::path(get, path = "/api/v1/switch", tag = "switch", responses((status = 200, body = Overview)))]
async fn overview(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Overview>> {
    Ok(Json(service::overview(&state, &actor).await?))
}

/// Tests the switch connection with the configured credentials (the call is logged).
#[utoipa::path(post, path = "/api/v1/switch/test", tag = "switch", responses((status = 200, body = ConnectionTest)))]
async fn test_connection(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<ConnectionTest>> {
    Ok(Json(service::test_connection(&state, &actor).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PushQuery {
    /// pending, running, synced or failed.
    pub status: Option<String>,
    pub kind: Option<String>,
    /// One record's pushes.
    pub record_id: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Pushes to the switch, newest first.
#[utoipa::path(get, path = "/api/v1/switch/pushes", tag = "switch", params(PushQuery), responses((status = 200, body = Page<Push>)))]
async fn list_pushes(State(state): State<AppState>, actor: Actor, Query(f): Query<PushQuery>) -> ApiResult<Json<Page<Push>>> {
    let filter = PushFilter { status: f.status.as_deref(), kind: f.kind.as_deref(), record_id: f.record_id.as_deref() };
    Ok(Json(service::pushes(&state, &actor, filter, PageQuery { limit: f.limit, offset: f.offset }).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Queued {
    pub push_id: String,
}

/// Pushes a failed push's record again, as it is now.
#[utoipa::path(post, path = "/api/v1/switch/pushes/{id}/retry", tag = "switch",
    responses((status = 202, body = Queued), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn retry_push(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<(StatusCode, Json<Queued>)> {
    let push_id = service::retry_push(&state, &actor, &id).await?;
    Ok((StatusCode::ACCEPTED, Json(Queued { push_id })))
}

/// Pushes one record to the switch again, as it is now (to repair drift).
#[utoipa::path(post, path = "/api/v1/switch/records/{kind}/{id}/push", tag = "switch",
    params(("kind" = String, Path), ("id" = String, Path)),
    responses((status = 202, body = Queued), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn push_record(State(state): State<AppState>, actor: Actor, Path((kind, id)): Path<(String, String)>) -> ApiResult<(StatusCode, Json<Queued>)> {
    let push_id = service::push_record(&state, &actor, &kind, &id).await?;
    Ok((StatusCode::ACCEPTED, Json(Queued { push_id })))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallFilter {
    pub push_id: Option<String>,
    /// Only calls that failed.
    #[serde(default)]
    pub failed: bool,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Calls made to the switch with their request and response, newest first.
#[utoipa::path(get, path = "/api/v1/switch/calls", tag = "switch", params(CallFilter), responses((status = 200, body = Page<Call>)))]
async fn list_calls(State(state): State<AppState>, actor: Actor, Query(f): Query<CallFilter>) -> ApiResult<Json<Page<Call>>> {
    Ok(Json(service::calls(&state, &actor, f.push_id.as_deref(), f.failed, PageQuery { limit: f.limit, offset: f.offset }).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// The kind of record (carrier, pop, route, rate_card).
    pub kind: String,
    /// Comma-separated record ids; all of the kind when absent.
    pub ids: Option<String>,
}

/// The sync status of the records of a kind (records never pushed are absent).
#[utoipa::path(get, path = "/api/v1/switch/status", tag = "switch", params(StatusQuery), responses((status = 200, body = [RecordSyncStatus])))]
async fn record_sync_status(State(state): State<AppState>, actor: Actor, Query(q): Query<StatusQuery>) -> ApiResult<Json<Vec<RecordSyncStatus>>> {
    Ok(Json(service::record_statuses(&state, &actor, &q.kind, q.ids.as_deref()).await?))
}

/// Records whose switch objects need an operator: pushes that failed for good (after their
/// retries) and records the last reconciliation found drifting. Longest waiting first.
#[utoipa::path(get, path = "/api/v1/switch/attention", tag = "switch", params(PageQuery), responses((status = 200, body = Page<NeedsAttention>)))]
async fn needs_attention(State(state): State<AppState>, actor: Actor, Query(page): Query<PageQuery>) -> ApiResult<Json<Page<NeedsAttention>>> {
    Ok(Json(service::attention(&state, &actor, page).await?))
}

/// Reconciliation reports, newest first.
#[utoipa::path(get, path = "/api/v1/switch/reconciliations", tag = "switch", params(PageQuery), responses((status = 200, body = Page<Reconciliation>)))]
async fn list_reconciliations(State(state): State<AppState>, actor: Actor, Query(page): Query<PageQuery>) -> ApiResult<Json<Page<Reconciliation>>> {
    Ok(Json(service::reconciliations(&state, &actor, page).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobQueued {
    pub job_id: String,
}

/// Starts a reconciliation in the background (its report appears in the list).
#[utoipa::path(post, path = "/api/v1/switch/reconciliations", tag = "switch", responses((status = 202, body = JobQueued)))]
async fn start_reconciliation(State(state): State<AppState>, actor: Actor) -> ApiResult<(StatusCode, Json<JobQueued>)> {
    let job_id = service::start_reconciliation(&state, &actor).await?;
    Ok((StatusCode::ACCEPTED, Json(JobQueued { job_id })))
}

/// Webhooks received from the switch, newest first.
#[utoipa::path(get, path = "/api/v1/switch/webhooks", tag = "switch", params(PageQuery), responses((status = 200, body = Page<Webhook>)))]
async fn list_webhooks(State(state): State<AppState>, actor: Actor, Query(page): Query<PageQuery>) -> ApiResult<Json<Page<Webhook>>> {
    Ok(Json(service::webhooks(&state, &actor, page).await?))
}

/// Inbound webhook from the switch (for example registration or balance events). Public, but the
/// request must carry the configured shared secret in `X-Webhook-Secret`. The body is JSON with
/// the event's name in `event` (or `type`); it is stored and published as the domain event
/// `switch.<event>`.
#[utoipa::path(post, path = "/api/v1/switch/webhooks/inbound", tag = "switch",
    request_body = Object,
    responses((status = 202, body = Received), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn receive_webhook(State(state): State<AppState>, client: ClientInfo, headers: HeaderMap, body: Bytes) -> ApiResult<(StatusCode, Json<Received>)> {
    let given = headers.get("x-webhook-secret").map(|v| v.as_bytes()).unwrap_or_default();
    Ok((StatusCode::ACCEPTED, Json(service::receive_webhook(&state, &client.ip, given, &body).await?)))
}
