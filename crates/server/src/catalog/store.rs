//! The catalog's own SQL: DID providers' inventories and their sync results. (POPs, tiers,
//! codecs, auth methods, plans, DID countries and providers are config records.)

use didtron_core::id::new_id;
use didtron_db::{Bind, Db, Json, ListQuery, Result};

use super::inventory::{InventoryNumber, SyncStatus};
use crate::http::PageQuery;

/// A provider's adapter and the countries it serves.
pub async fn provider(db: &Db, id: &str) -> Result<Option<(String, Vec<String>)>> {
    let row: Option<(String, Option<Json<Vec<String>>>)> =
        sqlx::query_as("SELECT adapter, countries FROM did_providers WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    Ok(row.map(|(adapter, countries)| (adapter, countries.map(Json::into_inner).unwrap_or_default())))
}

pub struct NumberQuery<'a> {
    pub country: Option<&'a str>,
    pub status: Option<&'a str>,
    pub digits: Option<&'a str>,
}

/// A provider's numbers in number order.
pub async fn numbers(db: &Db, provider: &str, f: NumberQuery<'_>, page: PageQuery) -> Result<(Vec<InventoryNumber>, i64)> {
    let q = ListQuery::new("id, number, country, area, status, created_at", "FROM did_inventory")
        .filter("provider_id = ?", [Bind::from(provider)])
        .filter_opt("country = ?", f.country.filter(|c| !c.is_empty()).map(str::to_uppercase))
        .filter_opt("status = ?", f.status.filter(|s| !s.is_empty()))
        .filter_opt("number LIKE ?", f.digits.map(str::trim).filter(|d| !d.is_empty()).map(|d| format!("%{d}%")))
        .order_by("number");
    didtron_db::paged(db, &q, page.limit(), page.offset()).await
}

/// Adds one available number, in the caller's transaction; a number already in any inventory is a
/// conflict.
pub async fn add_number(tx: &mut sqlx::Transaction<'_, sqlx::Any>, provider: &str, number: &str, country: &str, area: &str, now: &str, actor: &str) -> didtron_db::Result<()> {
    sqlx::query(
        "INSERT INTO did_inventory (id, provider_id, number, country, area, status, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, 'available', $6, $7, $6, $7)",
    )
    .bind(new_id())
    .bind(provider)
    .bind(number)
    .bind(country)
    .bind(area)
    .bind(now)
    .bind(actor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn sync_status(db: &Db, id: &str) -> Result<Option<SyncStatus>> {
    Ok(sqlx::query_as("SELECT last_sync_at, last_sync_status, last_sync_result FROM did_providers WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?)
}

pub async fn record_sync(db: &Db, id: &str, ok: bool, result: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE did_providers SET last_sync_at = $1, last_sync_status = $2, last_sync_result = $3 WHERE id = $4")
        .bind(now)
        .bind(if ok { "ok" } else { "failed" })
        .bind(result)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// (country, status, count) of a provider's numbers.
pub async fn number_counts(db: &Db, provider: &str) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as("SELECT country, status, COUNT(*) FROM did_inventory WHERE provider_id = $1 GROUP BY country, status ORDER BY country, status")
        .bind(provider)
        .fetch_all(db.pool())
        .await?)
}

pub async fn active_provider_ids(db: &Db) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT id FROM did_providers WHERE status = 'active'").fetch_all(db.pool()).await?)
}
