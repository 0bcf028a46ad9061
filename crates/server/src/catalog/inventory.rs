//! DID providers' inventories: adding numbers to the local provider, listing them, and the sync
//! job that refreshes each provider's inventory and records the result.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::{Error, Result, id::new_id, time};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::changes::audit::{self, AuditActor, Entry};
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
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT adapter, countries FROM did_providers WHERE id = $1").bind(id).fetch_optional(state.db.pool()).await.map_err(Error::internal)?;
    let (adapter, countries) = row.ok_or(Error::NotFound("DID provider"))?;
    Ok((adapter, serde_json::from_str(&countries).unwrap_or_default()))
}

/// A provider's numbers.
#[utoipa::path(get, path = "/api/v1/did-providers/{id}/inventory", tag = "catalog", params(InventoryFilter),
    responses((status = 200, body = Page<InventoryNumber>), (status = 404, body = Problem)))]
async fn list_inventory(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Query(f): Query<InventoryFilter>) -> ApiResult<Json<Page<InventoryNumber>>> {
    actor.require(Permission::ConfigRead)?;
    provider(&state, &id).await?;
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let (country, status) = (f.country.unwrap_or_default().to_uppercase(), f.status.unwrap_or_default());
    let q = format!("%{}%", f.q.unwrap_or_default().trim());
    let filter = "WHERE provider_id = $1 AND ($2 = '' OR country = $2) AND ($3 = '' OR status = $3) AND number LIKE $4";
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM did_inventory {filter}")))
        .bind(&id)
        .bind(&country)
        .bind(&status)
        .bind(&q)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, number, country, area, status, created_at FROM did_inventory {filter} ORDER BY number LIMIT $5 OFFSET $6"
    )))
    .bind(&id)
    .bind(&country)
    .bind(&status)
    .bind(&q)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(Json(Page::new(items, total, page)))
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

fn e164(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    let d = digits.strip_prefix('+')?;
    (d.len() >= 8 && d.len() <= 15 && d.chars().all(|c| c.is_ascii_digit()) && !d.starts_with('0')).then(|| format!("+{d}"))
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
        match e164(n) {
            Some(e) if !clean.contains(&e) => clean.push(e),
            Some(e) => v.add(format!("numbers[{i}]"), format!("{e} is listed twice")),
            None => v.add(format!("numbers[{i}]"), format!("“{n}” is not an E.164 number such as +12025550100")),
        }
    }
    v.finish()?;
    let now = time::to_db(time::now());
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    for n in &clean {
        sqlx::query(
            "INSERT INTO did_inventory (id, provider_id, number, country, area, status, created_at, created_by, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, 'available', $6, $7, $6, $7)",
        )
        .bind(new_id())
        .bind(&id)
        .bind(n)
        .bind(&country)
        .bind(r.area.trim())
        .bind(&now)
        .bind(actor.audit_name())
        .execute(&mut *tx)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_unique_violation() => Error::Conflict(format!("{n} is already in an inventory; nothing was added")),
            other => Error::internal(other),
        })?;
    }
    let entry = Entry { action: "did_inventory.add", target_kind: "did_provider", target_id: Some(&id), old: None, new: Some(json!({"country": country, "numbers": clean})) };
    audit::record(&mut *tx, &AuditActor::from(&actor), entry).await?;
    tx.commit().await.map_err(Error::internal)?;
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
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    let job = enqueue(&mut *tx, NewJob::new("did_provider.sync", json!({"provider_id": id})), &actor.audit_name()).await?;
    let entry = Entry { action: "did_provider.sync", target_kind: "did_provider", target_id: Some(&id), old: None, new: Some(json!({"job": job})) };
    audit::record(&mut *tx, &AuditActor::from(&actor), entry).await?;
    tx.commit().await.map_err(Error::internal)?;
    Ok((StatusCode::ACCEPTED, Json(status(&state, &id).await?)))
}

async fn status(state: &AppState, id: &str) -> Result<SyncStatus> {
    sqlx::query_as("SELECT last_sync_at, last_sync_status, last_sync_result FROM did_providers WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.pool())
        .await
        .map_err(Error::internal)?
        .ok_or(Error::NotFound("DID provider"))
}

/// The result of the provider's last inventory sync.
#[utoipa::path(get, path = "/api/v1/did-providers/{id}/sync", tag = "catalog", responses((status = 200, body = SyncStatus), (status = 404, body = Problem)))]
async fn sync_status(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<SyncStatus>> {
    actor.require(Permission::ConfigRead)?;
    Ok(Json(status(&state, &id).await?))
}

async fn record_sync(state: &AppState, id: &str, ok: bool, result: &str) -> Result<()> {
    let now = time::to_db(time::now());
    sqlx::query("UPDATE did_providers SET last_sync_at = $1, last_sync_status = $2, last_sync_result = $3 WHERE id = $4")
        .bind(&now)
        .bind(if ok { "ok" } else { "failed" })
        .bind(result)
        .bind(id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(())
}

/// Job `did_provider.sync`: refreshes one provider's inventory through its adapter.
pub async fn sync_job(state: AppState, payload: Value) -> Result<(), JobError> {
    let id = payload["provider_id"].as_str().ok_or_else(|| JobError::permanent("payload without provider_id"))?.to_string();
    let (adapter, _) = provider(&state, &id).await.map_err(|e| JobError::permanent(e.to_string()))?;
    match adapter.as_str() {
        // The local provider's inventory is the table itself: the sync counts what is there.
        "local" => {
            let counts: Vec<(String, String, i64)> =
                sqlx::query_as("SELECT country, status, COUNT(*) FROM did_inventory WHERE provider_id = $1 GROUP BY country, status ORDER BY country, status")
                    .bind(&id)
                    .fetch_all(state.db.pool())
                    .await
                    .map_err(Error::internal)?;
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
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM did_providers WHERE status = 'active'").fetch_all(state.db.pool()).await.map_err(Error::internal)?;
    for id in ids {
        enqueue(state.db.pool(), NewJob::new("did_provider.sync", json!({"provider_id": id})), "schedule").await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::e164;

    #[test]
    fn numbers_are_e164() {
        assert_eq!(e164("+1 (202) 555-0100").as_deref(), Some("+12025550100"));
        assert_eq!(e164("12025550100"), None);
        assert_eq!(e164("+0123456789"), None);
        assert_eq!(e164("+12ab"), None);
    }
}
