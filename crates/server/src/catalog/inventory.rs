//! DID providers' inventories: adding numbers to the local provider, listing them, and the sync
//! job that refreshes each provider's inventory and records the result.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::number::E164;
use didtron_core::{Error, Result, time};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use super::store;
use crate::changes::audit::Entry;
use crate::changes::unit::UnitOfWork;
use crate::changes::fields;
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};
use crate::http::caller::Actor;
use crate::jobs::{JobError, NewJob, enqueue};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_inventory, add_numbers)).routes(routes!(sync_now)).routes(routes!(sync_status))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct InventoryNumber {
    pub id: String,
    pub number: String,
    pub country: String,
    pub area: String,
    pub status: String,
    pub created_at: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InventoryFilter {
    pub country: Option<String>,
    pub status: Option<String>,
    /// Digits the number contains.
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

async fn provider(state: &AppState, id: &str) -> Result<(String, Vec<String>)> {
    store::provider(&state.db, id).await?.ok_or(Error::NotFound("DID provider"))
}

/// A provider's numbers.
#[utoipa::path(get, path = "/api/v1/did-providers/{id}/inventory", tag = "catalog", params(InventoryFilter),
    responses((status = 200, body = Page<InventoryNumber>), (status = 404, body = Problem)))]
async fn list_inventory(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Query(f): Query<InventoryFilter>) -> ApiResult<Json<Page<InventoryNumber>>> {
    actor.require(Permission::ConfigRead)?;
    provider(&state, &id).await?;
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let query = store::NumberQuery { country: f.country.as_deref(), status: f.status.as_deref(), digits: f.q.as_deref() };
    let (rows, total) = store::numbers(&state.db, &id, query, page).await?;
    Ok(Json(Page::new(rows, total, page)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddNumbers {
    /// ISO country code, one the provider serves.
    pub country: String,
    /// City or area name.
    #[serde(default)]
    pub area: String,
    /// E.164 numbers such as +12025550100 (at most 10,000 at once).
    pub numbers: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Added {
    pub added: usize,
}

/// Add numbers to a local provider's inventory. All or nothing: one bad number refuses the batch.
#[utoipa::path(post, path = "/api/v1/did-providers/{id}/inventory", tag = "catalog", request_body = AddNumbers,
    responses((status = 201, body = Added), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_numbers(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Json(r): Json<AddNumbers>) -> ApiResult<(StatusCode, Json<Added>)> {
    actor.require(Permission::ConfigManage)?;
    let (adapter, countries) = provider(&state, &id).await?;
    if adapter != "local" {
        return Err(Error::Conflict("numbers of this provider come from its own inventory; use “sync now”".into()).into());
    }
    let mut v = Validation::new();
    let country = match fields::country(&r.country) {
        Ok((iso, _)) if countries.contains(&iso) => iso,
        Ok((iso, _)) => {
            v.add("country", format!("this provider does not serve {iso}"));
            iso
        }
        Err(m) => {
            v.add("country", m);
            String::new()
        }
    };
    v.check(!r.numbers.is_empty() && r.numbers.len() <= 10_000, "numbers", "give between 1 and 10,000 numbers");
    let mut clean = Vec::new();
    for (i, n) in r.numbers.iter().enumerate() {
        match E164::parse(n) {
            Ok(e) if !clean.contains(&e.to_string()) => clean.push(e.to_string()),
            Ok(e) => v.add(format!("numbers[{i}]"), format!("{e} is listed twice")),
            Err(message) => v.add(format!("numbers[{i}]"), message),
        }
    }
    v.finish()?;
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, &actor).await?;
    for n in &clean {
        store::add_number(work.tx(), &id, n, &country, r.area.trim(), &now, &actor.audit_name()).await.map_err(|e| match e {
            didtron_db::Error::Conflict(_) => Error::Conflict(format!("{n} is already in an inventory; nothing was added")),
            other => other.into(),
        })?;
    }
    work.audit(Entry { action: "did_inventory.add", target_kind: "did_provider", target_id: Some(&id), old: None, new: Some(json!({"country": country, "numbers": clean})) }).await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(Added { added: clean.len() })))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct SyncStatus {
    pub last_sync_at: Option<String>,
    /// ok or failed.
    pub last_sync_status: Option<String>,
    /// What the last sync found, or why it failed.
    pub last_sync_result: Option<String>,
}

/// Queue an inventory sync of the provider now.
#[utoipa::path(post, path = "/api/v1/did-providers/{id}/sync", tag = "catalog", responses((status = 202, body = SyncStatus), (status = 404, body = Problem)))]
async fn sync_now(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<(StatusCode, Json<SyncStatus>)> {
    actor.require(Permission::ConfigManage)?;
    provider(&state, &id).await?;
    let mut work = UnitOfWork::begin(&state.db, &actor).await?;
    let job = enqueue(work.conn(), NewJob::new("did_provider.sync", json!({"provider_id": id})), &actor.audit_name()).await?;
    work.audit(Entry { action: "did_provider.sync", target_kind: "did_provider", target_id: Some(&id), old: None, new: Some(json!({"job": job})) }).await?;
    work.commit().await?;
    Ok((StatusCode::ACCEPTED, Json(status(&state, &id).await?)))
}

async fn status(state: &AppState, id: &str) -> Result<SyncStatus> {
    store::sync_status(&state.db, id).await?.ok_or(Error::NotFound("DID provider"))
}

/// The result of the provider's last inventory sync.
#[utoipa::path(get, path = "/api/v1/did-providers/{id}/sync", tag = "catalog", responses((status = 200, body = SyncStatus), (status = 404, body = Problem)))]
async fn sync_status(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<SyncStatus>> {
    actor.require(Permission::ConfigRead)?;
    Ok(Json(status(&state, &id).await?))
}

async fn record_sync(state: &AppState, id: &str, ok: bool, result: &str) -> Result<()> {
    Ok(store::record_sync(&state.db, id, ok, result, &time::to_db(time::now())).await?)
}

/// Job `did_provider.sync`: refreshes one provider's inventory through its adapter.
pub async fn sync_job(state: AppState, payload: Value) -> Result<(), JobError> {
    let id = payload["provider_id"].as_str().ok_or_else(|| JobError::permanent("payload without provider_id"))?.to_string();
    let (adapter, _) = provider(&state, &id).await.map_err(|e| JobError::permanent(e.to_string()))?;
    match adapter.as_str() {
        // The local provider's inventory is the table itself: the sync counts what is there.
        "local" => {
            let counts = store::number_counts(&state.db, &id).await?;
            let available: i64 = counts.iter().filter(|c| c.1 == "available").map(|c| c.2).sum();
            let by_country: Vec<String> = counts.iter().filter(|c| c.1 == "available").map(|c| format!("{} {}", c.0, c.2)).collect();
            let summary = if by_country.is_empty() { "no numbers available".to_string() } else { format!("{available} available ({})", by_country.join(", ")) };
            record_sync(&state, &id, true, &summary).await?;
            Ok(())
        }
        other => {
            let message = format!("no adapter for “{other}”");
            record_sync(&state, &id, false, &message).await?;
            Err(JobError::permanent(message))
        }
    }
}

/// Job `did_provider.sync_all` (hourly): queues a sync of every active provider.
pub async fn sync_all_job(state: AppState, _payload: Value) -> Result<(), JobError> {
    let ids = store::active_provider_ids(&state.db).await?;
    for id in ids {
        enqueue(state.db.pool(), NewJob::new("did_provider.sync", json!({"provider_id": id})), "schedule").await?;
    }
    Ok(())
}
