//! The switch domain's SQL: the objects DIDtron made on the switch, pushes and their calls, each
//! record's sync status, reconciliation reports, inbound webhooks, and the embedded local switch.

use didtron_core::id::new_id;
use didtron_db::{Bind, Db, Flag, Json, ListQuery, Result};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::changes::subscribers::PlannedCall;

// ---------------------------------------------------------------------------------------------
// Objects DIDtron made on the switch

/// A switch object as DIDtron last sent it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredObject {
    pub owner_kind: String,
    pub owner_id: String,
    pub object: String,
    pub local_key: String,
    pub remote_id: String,
    pub parent_key: Option<String>,
    pub body: Json<Value>,
}

const OBJECT_COLUMNS: &str = "owner_kind, owner_id, object, local_key, remote_id, parent_key, body";

/// The objects record `id` of `kind` owns, oldest first.
pub async fn objects_of(db: &Db, kind: &str, id: &str) -> Result<Vec<StoredObject>> {
    let sql = format!("SELECT {OBJECT_COLUMNS} FROM switch_objects WHERE owner_kind = $1 AND owner_id = $2 ORDER BY created_at, id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(kind).bind(id).fetch_all(db.pool()).await?)
}

/// Every object DIDtron made, grouped by owner.
pub async fn all_objects(db: &Db) -> Result<Vec<StoredObject>> {
    let sql = format!("SELECT {OBJECT_COLUMNS} FROM switch_objects ORDER BY owner_kind, owner_id, created_at");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db.pool()).await?)
}

/// The switch's id of an object, if DIDtron made it.
pub async fn remote_id(db: &Db, object: &str, local_key: &str) -> Result<Option<String>> {
    let found: Option<(String,)> = sqlx::query_as("SELECT remote_id FROM switch_objects WHERE object = $1 AND local_key = $2").bind(object).bind(local_key).fetch_optional(db.pool()).await?;
    Ok(found.map(|f| f.0))
}

/// Records (or updates) an object DIDtron made.
pub async fn remember(db: &Db, o: &StoredObject, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO switch_objects (id, owner_kind, owner_id, object, local_key, remote_id, parent_key, body, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'system', $9, 'system')
         ON CONFLICT (object, local_key) DO UPDATE SET remote_id = $6, parent_key = $7, body = $8, updated_at = $9",
    )
    .bind(new_id())
    .bind(&o.owner_kind)
    .bind(&o.owner_id)
    .bind(&o.object)
    .bind(&o.local_key)
    .bind(&o.remote_id)
    .bind(&o.parent_key)
    .bind(&o.body)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn forget(db: &Db, object: &str, local_key: &str) -> Result<()> {
    sqlx::query("DELETE FROM switch_objects WHERE object = $1 AND local_key = $2").bind(object).bind(local_key).execute(db.pool()).await?;
    Ok(())
}

/// The stored version of a synced record, read from its kind's table (named by `mapping`).
pub async fn record_version(tx: &mut sqlx::Transaction<'_, sqlx::Any>, table: &'static str, id: &str) -> Result<Option<i64>> {
    let sql = format!("SELECT version FROM {table} WHERE id = $1");
    let row: Option<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
    Ok(row.map(|r| r.0))
}

// ---------------------------------------------------------------------------------------------
// Pushes

/// A push as written when it is queued.
pub struct NewPush<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub record_id: &'a str,
    pub version: i64,
    pub planned: &'a [PlannedCall],
    pub forced: bool,
    pub now: &'a str,
    pub actor: &'a str,
}

pub async fn insert_push(tx: &mut sqlx::Transaction<'_, sqlx::Any>, p: NewPush<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO switch_pushes (id, record_kind, record_id, version, status, operations, forced, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $7, $8)",
    )
    .bind(p.id)
    .bind(p.kind)
    .bind(p.record_id)
    .bind(p.version)
    .bind(Json(p.planned))
    .bind(Flag(p.forced))
    .bind(p.now)
    .bind(p.actor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A push to the switch, as the sync dashboard lists it.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Push {
    pub id: String,
    pub record_kind: String,
    pub record_id: String,
    pub version: i64,
    /// pending, running, synced or failed.
    pub status: String,
    #[schema(value_type = Vec<PlannedCall>)]
    pub operations: Json<Vec<PlannedCall>>,
    pub error: Option<String>,
    /// For a failed push: whether the steps already applied were undone.
    #[sqlx(try_from = "Flag")]
    pub rolled_back: bool,
    pub attempts: i64,
    /// A push waiting to try again after the switch failed for a passing reason: not before then.
    pub retry_at: Option<String>,
    #[serde(skip)]
    #[sqlx(try_from = "Flag")]
    pub forced: bool,
    pub created_at: String,
    pub created_by: Option<String>,
    pub updated_at: String,
}

const PUSH_COLUMNS: &str = "id, record_kind, record_id, version, status, operations, error, rolled_back, attempts, retry_at, forced, created_at, created_by, updated_at";

/// A page of pushes, newest first.
pub async fn pushes(db: &Db, status: Option<&str>, kind: Option<&str>, record_id: Option<&str>, limit: i64, offset: i64) -> Result<(Vec<Push>, i64)> {
    let q = ListQuery::new(PUSH_COLUMNS, "FROM switch_pushes")
        .filter_opt("status = ?", status.filter(|s| !s.is_empty()))
        .filter_opt("record_kind = ?", kind.filter(|s| !s.is_empty()))
        .filter_opt("record_id = ?", record_id.filter(|s| !s.is_empty()))
        .order_by("created_at DESC, id DESC");
    didtron_db::paged(db, &q, limit, offset).await
}

pub async fn push(db: &Db, id: &str) -> Result<Option<Push>> {
    let sql = format!("SELECT {PUSH_COLUMNS} FROM switch_pushes WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(db.pool()).await?)
}

/// The oldest push not yet finished (pending, or running when its runner stopped).
pub async fn next_unfinished_push(db: &Db) -> Result<Option<Push>> {
    let sql = format!("SELECT {PUSH_COLUMNS} FROM switch_pushes WHERE status IN ('pending', 'running') ORDER BY created_at, id LIMIT 1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_optional(db.pool()).await?)
}

/// How many pushes of the record were queued after push `id`.
pub async fn pushes_after(db: &Db, kind: &str, record_id: &str, id: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM switch_pushes p WHERE p.record_kind = $1 AND p.record_id = $2 AND p.created_at > (SELECT created_at FROM switch_pushes WHERE id = $3)",
    )
    .bind(kind)
    .bind(record_id)
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

pub async fn start_push(db: &Db, id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE switch_pushes SET status = 'running', attempts = attempts + 1, retry_at = NULL, updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(db.pool()).await?;
    Ok(())
}

pub async fn set_operations(db: &Db, id: &str, planned: &[PlannedCall]) -> Result<()> {
    sqlx::query("UPDATE switch_pushes SET operations = $1 WHERE id = $2").bind(Json(planned)).bind(id).execute(db.pool()).await?;
    Ok(())
}

pub async fn push_synced(db: &Db, id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE switch_pushes SET status = 'synced', error = NULL, retry_at = NULL, updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(db.pool()).await?;
    Ok(())
}

pub async fn push_failed(db: &Db, id: &str, error: &str, rolled_back: bool, now: &str) -> Result<()> {
    sqlx::query("UPDATE switch_pushes SET status = 'failed', error = $1, rolled_back = $2, retry_at = NULL, updated_at = $3 WHERE id = $4")
        .bind(error)
        .bind(Flag(rolled_back))
        .bind(now)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Puts a push back to wait until `retry_at` (the switch failed for a passing reason).
pub async fn push_waits(db: &Db, id: &str, error: &str, rolled_back: bool, retry_at: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE switch_pushes SET status = 'pending', error = $1, rolled_back = $2, retry_at = $3, updated_at = $4 WHERE id = $5")
        .bind(error)
        .bind(Flag(rolled_back))
        .bind(retry_at)
        .bind(now)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Pushes by status.
pub async fn push_counts(db: &Db) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("SELECT status, COUNT(*) FROM switch_pushes GROUP BY status").fetch_all(db.pool()).await?)
}

// ---------------------------------------------------------------------------------------------
// Calls

/// One exchange with the switch, as written to the operations log.
pub struct NewCall<'a> {
    pub push_id: Option<&'a str>,
    pub purpose: &'a str,
    pub driver: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub request: Option<&'a Value>,
    pub status: Option<i64>,
    /// The answer as text (cut short when long, so not always valid JSON).
    pub response: Option<String>,
    pub error: Option<&'a str>,
    pub attempt: i64,
    pub millis: i64,
    pub at: &'a str,
}

pub async fn insert_call(db: &Db, c: NewCall<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO switch_calls (id, push_id, purpose, driver, method, path, request, status, response, error, attempt, millis, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'system', $13, 'system')",
    )
    .bind(new_id())
    .bind(c.push_id)
    .bind(c.purpose)
    .bind(c.driver)
    .bind(c.method)
    .bind(c.path)
    .bind(c.request.map(Json))
    .bind(c.status)
    .bind(c.response)
    .bind(c.error)
    .bind(c.attempt)
    .bind(c.millis)
    .bind(c.at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A call to the switch as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct CallRow {
    pub id: String,
    pub push_id: Option<String>,
    pub record_kind: Option<String>,
    pub record_id: Option<String>,
    pub purpose: String,
    pub driver: String,
    pub method: String,
    pub path: String,
    pub request: Option<Json<Value>>,
    pub status: Option<i64>,
    pub response: Option<String>,
    pub error: Option<String>,
    pub attempt: i64,
    pub millis: i64,
    pub created_at: String,
}

/// A page of calls, newest first: of one push, and/or only those that failed.
pub async fn calls(db: &Db, push_id: Option<&str>, failed_only: bool, limit: i64, offset: i64) -> Result<(Vec<CallRow>, i64)> {
    let mut q = ListQuery::new(
        "c.id, c.push_id, p.record_kind, p.record_id, c.purpose, c.driver, c.method, c.path, c.request, c.status, c.response, c.error, c.attempt, c.millis, c.created_at",
        "FROM switch_calls c LEFT JOIN switch_pushes p ON p.id = c.push_id",
    )
    .filter_opt("c.push_id = ?", push_id.filter(|s| !s.is_empty()))
    .order_by("c.created_at DESC, c.id DESC");
    if failed_only {
        q = q.filter("c.error IS NOT NULL", std::iter::empty::<Bind>());
    }
    didtron_db::paged(db, &q, limit, offset).await
}

// ---------------------------------------------------------------------------------------------
// Sync status of records

/// A record's sync status.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct RecordSyncStatus {
    pub record_kind: String,
    pub record_id: String,
    /// pending, synced, failed, or drift (pushed, but the switch holds something else since).
    pub status: String,
    /// The record version the status is about.
    pub version: i64,
    /// The last version that reached the switch.
    pub synced_version: Option<i64>,
    pub last_error: Option<String>,
    pub last_push_id: Option<String>,
    pub updated_at: String,
}

const STATUS_COLUMNS: &str = "record_kind, record_id, status, version, synced_version, last_error, last_push_id, updated_at";

/// The status a record gets.
pub struct NewStatus<'a> {
    pub kind: &'a str,
    pub id: &'a str,
    pub status: &'a str,
    pub version: i64,
    pub error: Option<&'a str>,
    pub push_id: Option<&'a str>,
    /// The version now on the switch; `None` leaves the one stored.
    pub synced: Option<i64>,
    pub now: &'a str,
}

/// Writes a record's sync status.
pub async fn set_status<'c, E>(conn: E, s: NewStatus<'_>) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO switch_sync_status (record_kind, record_id, status, version, last_error, last_push_id, synced_version, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'system', $8, 'system')
         ON CONFLICT (record_kind, record_id) DO UPDATE SET status = $3, version = $4, last_error = $5, last_push_id = COALESCE($6, switch_sync_status.last_push_id),
             synced_version = COALESCE($7, switch_sync_status.synced_version), updated_at = $8",
    )
    .bind(s.kind)
    .bind(s.id)
    .bind(s.status)
    .bind(s.version)
    .bind(s.error)
    .bind(s.push_id)
    .bind(s.synced)
    .bind(s.now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_status(db: &Db, kind: &str, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM switch_sync_status WHERE record_kind = $1 AND record_id = $2").bind(kind).bind(id).execute(db.pool()).await?;
    Ok(())
}

pub async fn status_of(db: &Db, kind: &str, id: &str) -> Result<Option<RecordSyncStatus>> {
    let sql = format!("SELECT {STATUS_COLUMNS} FROM switch_sync_status WHERE record_kind = $1 AND record_id = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(kind).bind(id).fetch_optional(db.pool()).await?)
}

/// The statuses of every record of a kind.
pub async fn statuses(db: &Db, kind: &str) -> Result<Vec<RecordSyncStatus>> {
    let sql = format!("SELECT {STATUS_COLUMNS} FROM switch_sync_status WHERE record_kind = $1 ORDER BY record_id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(kind).fetch_all(db.pool()).await?)
}

/// Records in `status`, oldest change first, and how many there are.
pub async fn statuses_in(db: &Db, status: &[&str], limit: i64, offset: i64) -> Result<(Vec<RecordSyncStatus>, i64)> {
    let marks = vec!["?"; status.len()].join(", ");
    let q = ListQuery::new(STATUS_COLUMNS, "FROM switch_sync_status")
        .filter(&format!("status IN ({marks})"), status.iter().map(|s| Bind::from(*s)))
        .order_by("updated_at, record_kind, record_id");
    didtron_db::paged(db, &q, limit, offset).await
}

/// Records by sync status.
pub async fn status_counts(db: &Db) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("SELECT status, COUNT(*) FROM switch_sync_status GROUP BY status").fetch_all(db.pool()).await?)
}

/// Marks a record as drifting, unless a push of it is on its way or failed (those say more).
pub async fn mark_drift(db: &Db, kind: &str, id: &str, version: i64, summary: &str, now: &str) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO switch_sync_status (record_kind, record_id, status, version, last_error, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, 'drift', $3, $4, $5, 'system', $5, 'system')
         ON CONFLICT (record_kind, record_id) DO UPDATE SET status = 'drift', last_error = $4, updated_at = $5
         WHERE switch_sync_status.status IN ('synced', 'drift')",
    )
    .bind(kind)
    .bind(id)
    .bind(version)
    .bind(summary)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts a drifting record back in step (the last reconciliation found nothing wrong with it).
pub async fn clear_drift(db: &Db, kind: &str, id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE switch_sync_status SET status = 'synced', last_error = NULL, updated_at = $1 WHERE record_kind = $2 AND record_id = $3 AND status = 'drift'")
        .bind(now)
        .bind(kind)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reconciliations

/// One difference a reconciliation found between DIDtron's records and the switch.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema, PartialEq)]
pub struct Drift {
    pub object: String,
    /// The DIDtron record that owns the object (absent for objects DIDtron did not make).
    pub record_kind: Option<String>,
    pub record_id: Option<String>,
    pub local_key: Option<String>,
    pub remote_id: Option<String>,
    /// not_pushed, missing_on_switch, different, left_behind or not_managed.
    pub problem: String,
    /// For `different`: the fields whose values differ, as {field, expected, actual}.
    #[schema(value_type = Vec<Object>)]
    pub fields: Vec<Value>,
}

/// A reconciliation report.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Reconciliation {
    pub id: String,
    /// running, done or failed.
    pub status: String,
    pub checked: i64,
    pub drift_count: i64,
    #[schema(value_type = Vec<Drift>)]
    pub drift: Json<Vec<Drift>>,
    pub error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub async fn reconciliations(db: &Db, limit: i64, offset: i64) -> Result<(Vec<Reconciliation>, i64)> {
    let q = ListQuery::new("id, status, checked, drift_count, drift, error, created_at, updated_at", "FROM switch_reconciliations").order_by("created_at DESC, id DESC");
    didtron_db::paged(db, &q, limit, offset).await
}

pub async fn start_reconciliation(db: &Db, id: &str, now: &str) -> Result<()> {
    sqlx::query("INSERT INTO switch_reconciliations (id, status, created_at, created_by, updated_at, updated_by) VALUES ($1, 'running', $2, 'system', $2, 'system')")
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn reconciliation_done(db: &Db, id: &str, checked: i64, drift: &[Drift], now: &str) -> Result<()> {
    sqlx::query("UPDATE switch_reconciliations SET status = 'done', checked = $1, drift_count = $2, drift = $3, updated_at = $4 WHERE id = $5")
        .bind(checked)
        .bind(drift.len() as i64)
        .bind(Json(drift))
        .bind(now)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn reconciliation_failed(db: &Db, id: &str, error: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE switch_reconciliations SET status = 'failed', error = $1, updated_at = $2 WHERE id = $3").bind(error).bind(now).bind(id).execute(db.pool()).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/// A webhook the switch sent.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Webhook {
    pub id: String,
    pub event: String,
    #[schema(value_type = Object)]
    pub payload: Json<Value>,
    pub ip: String,
    pub created_at: String,
}

pub async fn webhooks(db: &Db, limit: i64, offset: i64) -> Result<(Vec<Webhook>, i64)> {
    let q = ListQuery::new("id, event, payload, ip, created_at", "FROM switch_webhooks").order_by("created_at DESC, id DESC");
    didtron_db::paged(db, &q, limit, offset).await
}

pub async fn insert_webhook(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, event: &str, payload: &Value, ip: &str, now: &str) -> Result<()> {
    sqlx::query("INSERT INTO switch_webhooks (id, event, payload, ip, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, 'switch', $5, 'switch')")
        .bind(id)
        .bind(event)
        .bind(Json(payload))
        .bind(ip)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Who hears of switch failures

/// The e-mail addresses of the operator's active admins (super admins and admins of the platform
/// tenant), who are told of failed pushes and drift.
// The identity domain owns these tables; until it offers "who to notify" as a service, this one
// read names them here.
pub async fn operator_emails(db: &Db) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT u.email FROM users u JOIN tenants t ON t.id = u.tenant_id
         WHERE t.kind = 'platform' AND u.role IN ('super_admin', 'admin') AND u.status = 'active' ORDER BY u.email",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ---------------------------------------------------------------------------------------------
// The embedded local switch (driver `local`)

pub async fn local_count(db: &Db) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM switch_local").fetch_one(db.pool()).await?;
    Ok(n)
}

pub async fn local_insert(db: &Db, id: &str, object: &str, parent: Option<&str>, body: &Value, now: &str) -> Result<()> {
    sqlx::query("INSERT INTO switch_local (id, object, parent_id, body, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, 'switch', $5, 'switch')")
        .bind(id)
        .bind(object)
        .bind(parent)
        .bind(Json(body))
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Replaces an object's body; `false` when there is no such object.
pub async fn local_update(db: &Db, id: &str, object: &str, body: &Value, now: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE switch_local SET body = $1, updated_at = $2 WHERE id = $3 AND object = $4").bind(Json(body)).bind(now).bind(id).bind(object).execute(db.pool()).await?;
    Ok(done.rows_affected() > 0)
}

pub async fn local_delete(db: &Db, id: &str, object: &str) -> Result<()> {
    sqlx::query("DELETE FROM switch_local WHERE id = $1 AND object = $2").bind(id).bind(object).execute(db.pool()).await?;
    Ok(())
}

/// The objects of a kind (under `parent`, when given), as (id, body).
pub async fn local_list(db: &Db, object: &str, parent: Option<&str>) -> Result<Vec<(String, Json<Value>)>> {
    Ok(match parent {
        Some(p) => sqlx::query_as("SELECT id, body FROM switch_local WHERE object = $1 AND parent_id = $2 ORDER BY id").bind(object).bind(p).fetch_all(db.pool()).await?,
        None => sqlx::query_as("SELECT id, body FROM switch_local WHERE object = $1 ORDER BY id").bind(object).fetch_all(db.pool()).await?,
    })
}

pub async fn local_body(db: &Db, id: &str, object: &str) -> Result<Option<Value>> {
    let found: Option<(Json<Value>,)> = sqlx::query_as("SELECT body FROM switch_local WHERE id = $1 AND object = $2").bind(id).bind(object).fetch_optional(db.pool()).await?;
    Ok(found.map(|f| f.0.0))
}
