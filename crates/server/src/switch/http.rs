//! HTTP for the switch: the sync dashboard (overview, pushes, calls, reconciliation), sync status
//! per record, "test connection", and the inbound webhook (public, shared-secret authenticated).

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use didtron_adapters::switch::Journal;
use didtron_core::access::Permission;
use didtron_core::{Error, Result, id::new_id, time};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reconcile::Drift;
use super::sync::{self, PlannedCall};
use crate::state::AppState;
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};
use crate::http::caller::{Actor, ClientInfo};
use crate::jobs::{self, NewJob, events};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(test_connection))
        .routes(routes!(list_pushes))
        .routes(routes!(retry_push))
        .routes(routes!(push_record))
        .routes(routes!(list_calls))
        .routes(routes!(record_sync_status))
        .routes(routes!(list_reconciliations, start_reconciliation))
        .routes(routes!(list_webhooks))
}

pub fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(receive_webhook)).layer(DefaultBodyLimit::max(256 * 1024))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Counts {
    pub pending: i64,
    pub running: i64,
    pub failed: i64,
    pub synced: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    /// local or connexcs.
    pub driver: String,
    /// The ConnexCS API address (with the connexcs driver).
    pub url: Option<String>,
    /// Whether the switch's webhooks are accepted (a shared secret is configured).
    pub webhooks_enabled: bool,
    /// The records of each synced kind by their sync status.
    pub records: Counts,
    /// Pushes by status.
    pub pushes: Counts,
    pub last_reconciliation: Option<Reconciliation>,
}

async fn counts(state: &AppState, sql: &'static str) -> Result<Counts> {
    let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(state.db.pool()).await.map_err(Error::internal)?;
    let get = |s: &str| rows.iter().find(|r| r.0 == s).map(|r| r.1).unwrap_or(0);
    Ok(Counts { pending: get("pending"), running: get("running"), failed: get("failed"), synced: get("synced") })
}

/// The sync engine at a glance.
#[utoipa::path(get, path = "/api/v1/switch", tag = "switch", responses((status = 200, body = Overview)))]
async fn overview(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Overview>> {
    actor.require(Permission::ConfigRead)?;
    let records = counts(&state, "SELECT status, COUNT(*) FROM switch_sync_status GROUP BY status").await?;
    let pushes = counts(&state, "SELECT status, COUNT(*) FROM switch_pushes GROUP BY status").await?;
    let last = reconciliations(&state, PageQuery { limit: Some(1), offset: None }).await?.items.into_iter().next();
    let s = &state.settings;
    Ok(Json(Overview {
        driver: state.switch.driver().into(),
        url: (state.switch.driver() == "connexcs").then(|| s.connexcs_url.clone()),
        webhooks_enabled: s.switch_webhook_secret.is_some(),
        records,
        pushes,
        last_reconciliation: last,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionTest {
    pub driver: String,
    pub ok: bool,
    /// The account name the switch answered with.
    pub account: Option<String>,
    pub message: String,
    pub millis: u64,
}

/// Tests the switch connection with the configured credentials (the call is logged).
#[utoipa::path(post, path = "/api/v1/switch/test", tag = "switch", responses((status = 200, body = ConnectionTest)))]
async fn test_connection(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<ConnectionTest>> {
    actor.require(Permission::ConfigManage)?;
    let started = std::time::Instant::now();
    let mut journal = Journal::new();
    let result = state.switch.account(&mut journal).await;
    sync::save_journal(&state, None, "test", &journal).await?;
    let millis = started.elapsed().as_millis() as u64;
    let driver = state.switch.driver().to_string();
    Ok(Json(match result {
        Ok(account) => ConnectionTest { driver, ok: true, message: format!("Connected as {account}"), account: Some(account), millis },
        Err(e) => ConnectionTest { driver, ok: false, account: None, message: e.message, millis },
    }))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Push {
    pub id: String,
    pub record_kind: String,
    pub record_id: String,
    pub version: i64,
    /// pending, running, synced or failed.
    pub status: String,
    #[sqlx(skip)]
    pub operations: Vec<PlannedCall>,
    #[serde(skip)]
    #[sqlx(rename = "operations")]
    pub operations_text: String,
    pub error: Option<String>,
    /// For a failed push: whether the steps already applied were undone.
    #[sqlx(skip)]
    pub rolled_back: bool,
    #[serde(skip)]
    #[sqlx(rename = "rolled_back")]
    pub rolled_back_flag: i64,
    pub attempts: i64,
    pub created_at: String,
    pub created_by: Option<String>,
    pub updated_at: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PushFilter {
    /// pending, running, synced or failed.
    pub status: Option<String>,
    pub kind: Option<String>,
    /// One record's pushes.
    pub record_id: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Pushes to the switch, newest first.
#[utoipa::path(get, path = "/api/v1/switch/pushes", tag = "switch", params(PushFilter), responses((status = 200, body = Page<Push>)))]
async fn list_pushes(State(state): State<AppState>, actor: Actor, Query(f): Query<PushFilter>) -> ApiResult<Json<Page<Push>>> {
    actor.require(Permission::ConfigRead)?;
    if let Some(s) = &f.status
        && !["pending", "running", "synced", "failed"].contains(&s.as_str())
    {
        return Err(Error::invalid("status", "must be one of: pending, running, synced, failed").into());
    }
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let filter = "FROM switch_pushes WHERE ($1 = '' OR status = $1) AND ($2 = '' OR record_kind = $2) AND ($3 = '' OR record_id = $3)";
    let (status, kind, record) = (f.status.unwrap_or_default(), f.kind.unwrap_or_default(), f.record_id.unwrap_or_default());
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {filter}")))
        .bind(&status)
        .bind(&kind)
        .bind(&record)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let mut items: Vec<Push> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, record_kind, record_id, version, status, operations, error, rolled_back, attempts, created_at, created_by, updated_at {filter}
         ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5"
    )))
    .bind(&status)
    .bind(&kind)
    .bind(&record)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    for p in &mut items {
        p.operations = serde_json::from_str(&p.operations_text).unwrap_or_default();
        p.rolled_back = p.rolled_back_flag != 0;
    }
    Ok(Json(Page::new(items, total, page)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Queued {
    pub push_id: String,
}

/// Pushes a failed push's record again, as it is now.
#[utoipa::path(post, path = "/api/v1/switch/pushes/{id}/retry", tag = "switch",
    responses((status = 202, body = Queued), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn retry_push(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<(StatusCode, Json<Queued>)> {
    actor.require(Permission::ConfigManage)?;
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT record_kind, record_id, status FROM switch_pushes WHERE id = $1").bind(&id).fetch_optional(state.db.pool()).await.map_err(Error::internal)?;
    let (kind, record, status) = row.ok_or(Error::NotFound("push"))?;
    if status != "failed" {
        return Err(Error::Conflict(format!("only a failed push can be retried; this one is {status}")).into());
    }
    let (newer,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM switch_pushes p WHERE p.record_kind = $1 AND p.record_id = $2 AND p.created_at > (SELECT created_at FROM switch_pushes WHERE id = $3)",
    )
    .bind(&kind)
    .bind(&record)
    .bind(&id)
    .fetch_one(state.db.pool())
    .await
    .map_err(Error::internal)?;
    if newer > 0 {
        return Err(Error::Conflict("this record has been pushed again since; see its latest push".into()).into());
    }
    let push_id = sync::push_again(&state, &kind, &record, &actor.user_id).await?;
    audit(&state, &actor, "switch.push_retry", &kind, &record).await?;
    Ok((StatusCode::ACCEPTED, Json(Queued { push_id })))
}

/// Pushes one record to the switch again, as it is now (to repair drift).
#[utoipa::path(post, path = "/api/v1/switch/records/{kind}/{id}/push", tag = "switch",
    params(("kind" = String, Path), ("id" = String, Path)),
    responses((status = 202, body = Queued), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn push_record(State(state): State<AppState>, actor: Actor, Path((kind, id)): Path<(String, String)>) -> ApiResult<(StatusCode, Json<Queued>)> {
    actor.require(Permission::ConfigManage)?;
    let push_id = sync::push_again(&state, &kind, &id, &actor.user_id).await?;
    audit(&state, &actor, "switch.push", &kind, &id).await?;
    Ok((StatusCode::ACCEPTED, Json(Queued { push_id })))
}

async fn audit(state: &AppState, actor: &Actor, action: &str, kind: &str, id: &str) -> Result<()> {
    let entry = crate::changes::audit::Entry { action, target_kind: kind, target_id: Some(id), old: None, new: None };
    crate::changes::audit::record(state.db.pool(), &crate::changes::audit::AuditActor::from(actor), entry).await
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Call {
    pub id: String,
    pub push_id: Option<String>,
    /// The record the push was for.
    pub record_kind: Option<String>,
    pub record_id: Option<String>,
    /// push, rollback, reconcile or test.
    pub purpose: String,
    pub driver: String,
    pub method: String,
    pub path: String,
    #[sqlx(skip)]
    #[schema(value_type = Option<Object>)]
    pub request: Option<Value>,
    #[serde(skip)]
    #[sqlx(rename = "request")]
    pub request_text: Option<String>,
    pub status: Option<i64>,
    #[sqlx(skip)]
    #[schema(value_type = Option<Object>)]
    pub response: Option<Value>,
    #[serde(skip)]
    #[sqlx(rename = "response")]
    pub response_text: Option<String>,
    pub error: Option<String>,
    pub attempt: i64,
    pub millis: i64,
    pub created_at: String,
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
    actor.require(Permission::ConfigRead)?;
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let push = f.push_id.unwrap_or_default();
    let failed = i64::from(f.failed);
    let filter = "FROM switch_calls c LEFT JOIN switch_pushes p ON p.id = c.push_id WHERE ($1 = '' OR c.push_id = $1) AND ($2 = 0 OR c.error IS NOT NULL)";
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {filter}")))
        .bind(&push)
        .bind(failed)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let mut items: Vec<Call> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT c.id, c.push_id, p.record_kind, p.record_id, c.purpose, c.driver, c.method, c.path, c.request, c.status, c.response, c.error, c.attempt, c.millis, c.created_at {filter}
         ORDER BY c.created_at DESC, c.id DESC LIMIT $3 OFFSET $4"
    )))
    .bind(&push)
    .bind(failed)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    for c in &mut items {
        c.request = c.request_text.as_deref().and_then(|s| serde_json::from_str(s).ok());
        c.response = c.response_text.as_deref().map(|s| serde_json::from_str(s).unwrap_or(Value::String(s.to_string())));
    }
    Ok(Json(Page::new(items, total, page)))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct RecordSyncStatus {
    pub record_kind: String,
    pub record_id: String,
    /// pending, synced or failed.
    pub status: String,
    /// The record version the status is about.
    pub version: i64,
    /// The last version that reached the switch.
    pub synced_version: Option<i64>,
    pub last_error: Option<String>,
    pub last_push_id: Option<String>,
    pub updated_at: String,
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
    actor.require(Permission::ConfigRead)?;
    let mut rows: Vec<RecordSyncStatus> = sqlx::query_as(
        "SELECT record_kind, record_id, status, version, synced_version, last_error, last_push_id, updated_at FROM switch_sync_status WHERE record_kind = $1 ORDER BY record_id",
    )
    .bind(&q.kind)
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    if let Some(ids) = q.ids.as_deref().filter(|s| !s.trim().is_empty()) {
        let wanted: Vec<&str> = ids.split(',').map(str::trim).collect();
        rows.retain(|r| wanted.contains(&r.record_id.as_str()));
    }
    Ok(Json(rows))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Reconciliation {
    pub id: String,
    /// running, done or failed.
    pub status: String,
    pub checked: i64,
    pub drift_count: i64,
    #[sqlx(skip)]
    pub drift: Vec<Drift>,
    #[serde(skip)]
    #[sqlx(rename = "drift")]
    pub drift_text: String,
    pub error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

async fn reconciliations(state: &AppState, page: PageQuery) -> Result<Page<Reconciliation>> {
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM switch_reconciliations").fetch_one(state.db.pool()).await.map_err(Error::internal)?;
    let mut items: Vec<Reconciliation> = sqlx::query_as(
        "SELECT id, status, checked, drift_count, drift, error, created_at, updated_at FROM switch_reconciliations ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2",
    )
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    for r in &mut items {
        r.drift = serde_json::from_str(&r.drift_text).unwrap_or_default();
    }
    Ok(Page::new(items, total, page))
}

/// Reconciliation reports, newest first.
#[utoipa::path(get, path = "/api/v1/switch/reconciliations", tag = "switch", params(PageQuery), responses((status = 200, body = Page<Reconciliation>)))]
async fn list_reconciliations(State(state): State<AppState>, actor: Actor, Query(page): Query<PageQuery>) -> ApiResult<Json<Page<Reconciliation>>> {
    actor.require(Permission::ConfigRead)?;
    Ok(Json(reconciliations(&state, page).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobQueued {
    pub job_id: String,
}

/// Starts a reconciliation in the background (its report appears in the list).
#[utoipa::path(post, path = "/api/v1/switch/reconciliations", tag = "switch", responses((status = 202, body = JobQueued)))]
async fn start_reconciliation(State(state): State<AppState>, actor: Actor) -> ApiResult<(StatusCode, Json<JobQueued>)> {
    actor.require(Permission::ConfigManage)?;
    let job_id = jobs::enqueue(state.db.pool(), NewJob::new("switch.reconcile", serde_json::json!({})), &actor.user_id).await?;
    Ok((StatusCode::ACCEPTED, Json(JobQueued { job_id })))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Webhook {
    pub id: String,
    pub event: String,
    #[sqlx(skip)]
    #[schema(value_type = Object)]
    pub payload: Value,
    #[serde(skip)]
    #[sqlx(rename = "payload")]
    pub payload_text: String,
    pub ip: String,
    pub created_at: String,
}

/// Webhooks received from the switch, newest first.
#[utoipa::path(get, path = "/api/v1/switch/webhooks", tag = "switch", params(PageQuery), responses((status = 200, body = Page<Webhook>)))]
async fn list_webhooks(State(state): State<AppState>, actor: Actor, Query(page): Query<PageQuery>) -> ApiResult<Json<Page<Webhook>>> {
    actor.require(Permission::ConfigRead)?;
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM switch_webhooks").fetch_one(state.db.pool()).await.map_err(Error::internal)?;
    let mut items: Vec<Webhook> = sqlx::query_as("SELECT id, event, payload, ip, created_at FROM switch_webhooks ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2")
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(state.db.pool())
        .await
        .map_err(Error::internal)?;
    for w in &mut items {
        w.payload = serde_json::from_str(&w.payload_text).unwrap_or(Value::Null);
    }
    Ok(Json(Page::new(items, total, page)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Received {
    pub id: String,
    /// The domain event it became, e.g. `switch.registration`.
    pub event: String,
}

/// Inbound webhook from the switch (for example registration or balance events). Public, but the
/// request must carry the configured shared secret in `X-Webhook-Secret`. The body is JSON with
/// the event's name in `event` (or `type`); it is stored and published as the domain event
/// `switch.<event>`.
#[utoipa::path(post, path = "/api/v1/switch/webhooks/inbound", tag = "switch",
    request_body = Object,
    responses((status = 202, body = Received), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn receive_webhook(State(state): State<AppState>, client: ClientInfo, headers: HeaderMap, body: Bytes) -> ApiResult<(StatusCode, Json<Received>)> {
    let Some(secret) = &state.settings.switch_webhook_secret else {
        return Err(Error::Forbidden("switch webhooks are turned off: set switch_webhook_secret".into()).into());
    };
    let given = headers.get("x-webhook-secret").map(|v| v.as_bytes()).unwrap_or_default();
    // Hashes compared in constant time: neither the length nor a prefix of the secret leaks.
    let (a, b) = (Sha256::digest(given), Sha256::digest(secrecy::ExposeSecret::expose_secret(secret).as_bytes()));
    if given.is_empty() || !bool::from(a.as_slice().ct_eq(b.as_slice())) {
        tracing::warn!(ip = %client.ip, "switch webhook with a wrong or missing secret");
        return Err(Error::Unauthenticated("the webhook secret is missing or wrong".into()).into());
    }
    let payload: Value = serde_json::from_slice(&body).map_err(|_| Error::invalid("body", "must be a JSON object"))?;
    let name = payload.get("event").or_else(|| payload.get("type")).and_then(Value::as_str).unwrap_or("").trim().to_lowercase();
    if name.is_empty() || name.len() > 64 || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-')) {
        return Err(Error::invalid("event", "name the event in `event` (letters, digits, _ . -)").into());
    }
    let id = new_id();
    let now = time::to_db(time::now());
    let event = format!("switch.{name}");
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    sqlx::query("INSERT INTO switch_webhooks (id, event, payload, ip, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, 'switch', $5, 'switch')")
        .bind(&id)
        .bind(&name)
        .bind(payload.to_string())
        .bind(&client.ip)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(Error::internal)?;
    events::emit(&mut *tx, &event, None, Some(&id), &payload).await?;
    tx.commit().await.map_err(Error::internal)?;
    Ok((StatusCode::ACCEPTED, Json(Received { id, event })))
}
