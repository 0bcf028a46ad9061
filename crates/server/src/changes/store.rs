//! The change engine's own tables: versions of records and drafts. (Records of each kind are read
//! and written from their spec by `records`; the audit log by `audit`.)

use didtron_core::scope::Scope;
use didtron_core::id::new_id;
use didtron_db::{Bind, Db, Json, ListQuery, Result};
use serde_json::Value;
use sqlx::AssertSqlSafe;

use crate::http::PageQuery;

/// The highest stored version of a record (0 when it has none).
pub async fn last_version(db: &Db, kind: &str, id: &str) -> Result<i64> {
    let (v,): (Option<i64>,) = sqlx::query_as("SELECT MAX(version) FROM config_versions WHERE record_kind = $1 AND record_id = $2")
        .bind(kind)
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    Ok(v.unwrap_or(0))
}

/// Whether another record of `table` than `id` has `column` equal to `value`, ignoring case.
/// `table` and `column` come from a kind's static spec.
pub async fn value_taken(db: &Db, table: &str, column: &str, value: &str, id: &str) -> Result<bool> {
    let taken: Option<(String,)> = sqlx::query_as(AssertSqlSafe(format!("SELECT id FROM {table} WHERE LOWER({column}) = $1 AND id <> $2")))
        .bind(value.to_lowercase())
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(taken.is_some())
}

/// Whether the category, group or customer an assignment names exists (`ALL` always does).
pub async fn scope_exists(db: &Db, scope: &Scope) -> Result<bool> {
    let sql = match scope {
        Scope::All => return Ok(true),
        Scope::Category(_) => "SELECT id FROM categories WHERE id = $1",
        Scope::Group(_) => "SELECT id FROM customer_groups WHERE id = $1",
        Scope::Customer(_) | Scope::Private(_) => "SELECT id FROM tenants WHERE id = $1 AND kind = 'customer'",
    };
    let found: Option<(String,)> = sqlx::query_as(sql).bind(scope.id()).fetch_optional(db.pool()).await?;
    Ok(found.is_some())
}

/// One stored version, as written.
pub struct NewVersion<'a> {
    pub kind: &'a str,
    pub id: &'a str,
    pub version: i64,
    pub action: &'a str,
    pub snapshot: Option<&'a Value>,
    pub previous: Option<&'a Value>,
    pub note: &'a str,
    pub now: &'a str,
    pub actor: &'a str,
}

/// Stores a version in the change's transaction. Two writes that race for one version number
/// collide on the table's unique key and the second gets a conflict.
pub async fn insert_version(tx: &mut sqlx::Transaction<'_, sqlx::Any>, v: NewVersion<'_>) -> didtron_core::Result<()> {
    sqlx::query(
        "INSERT INTO config_versions (id, record_kind, record_id, version, action, snapshot, previous, note, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10)",
    )
    .bind(new_id())
    .bind(v.kind)
    .bind(v.id)
    .bind(v.version)
    .bind(v.action)
    .bind(v.snapshot.map(|s| Json(s.clone())))
    .bind(v.previous.map(|s| Json(s.clone())))
    .bind(v.note)
    .bind(v.now)
    .bind(v.actor)
    .execute(&mut **tx)
    .await
    .map_err(|e| match didtron_db::Error::from(e) {
        didtron_db::Error::Conflict(_) => didtron_core::Error::Conflict("this record was changed by someone else meanwhile; reload and try again".into()),
        other => other.into(),
    })?;
    Ok(())
}

/// A stored version as read back.
#[derive(Debug, sqlx::FromRow)]
pub struct StoredVersion {
    pub id: String,
    pub version: i64,
    pub action: String,
    pub snapshot: Option<Json<Value>>,
    pub previous: Option<Json<Value>>,
    pub note: String,
    pub created_at: String,
    pub created_by: Option<String>,
}

/// A page of a record's versions, newest first.
pub async fn versions(db: &Db, kind: &str, id: &str, page: PageQuery) -> Result<(Vec<StoredVersion>, i64)> {
    let q = ListQuery::new("id, version, action, snapshot, previous, note, created_at, created_by", "FROM config_versions")
        .filter("record_kind = ? AND record_id = ?", [Bind::from(kind), Bind::from(id)])
        .order_by("version DESC");
    didtron_db::paged(db, &q, page.limit(), page.offset()).await
}

/// The record as it was at `version`: `None` when there is no such version, `Some(None)` when the
/// record did not exist then (a delete).
pub async fn snapshot_at(db: &Db, kind: &str, id: &str, version: i64) -> Result<Option<Option<Value>>> {
    let row: Option<(Option<Json<Value>>,)> = sqlx::query_as("SELECT snapshot FROM config_versions WHERE record_kind = $1 AND record_id = $2 AND version = $3")
        .bind(kind)
        .bind(id)
        .bind(version)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(s,)| s.map(Json::into_inner)))
}

/// A draft as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct StoredDraft {
    pub id: String,
    pub record_kind: String,
    pub record_id: Option<String>,
    pub operation: String,
    pub status: String,
    pub note: String,
    pub base_version: Option<i64>,
    pub payload: String,
    pub pushed_at: Option<String>,
    pub created_at: String,
    pub created_by: Option<String>,
}

const DRAFT_COLUMNS: &str = "id, record_kind, record_id, operation, status, note, base_version, payload, pushed_at, created_at, created_by";

pub struct NewDraft<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub record_id: Option<&'a str>,
    pub operation: &'a str,
    pub payload: &'a str,
    pub base_version: Option<i64>,
    pub note: &'a str,
    pub now: &'a str,
    pub actor: &'a str,
}

pub async fn insert_draft(tx: &mut sqlx::Transaction<'_, sqlx::Any>, d: NewDraft<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO config_drafts (id, record_kind, record_id, operation, payload, base_version, status, note, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $8, $9)",
    )
    .bind(d.id)
    .bind(d.kind)
    .bind(d.record_id)
    .bind(d.operation)
    .bind(d.payload)
    .bind(d.base_version)
    .bind(d.note)
    .bind(d.now)
    .bind(d.actor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn draft(db: &Db, id: &str) -> Result<Option<StoredDraft>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!("SELECT {DRAFT_COLUMNS} FROM config_drafts WHERE id = $1")))
        .bind(id)
        .fetch_optional(db.pool())
        .await?)
}

pub async fn drafts(db: &Db, status: &str, page: PageQuery) -> Result<(Vec<StoredDraft>, i64)> {
    let q = ListQuery::new(DRAFT_COLUMNS, "FROM config_drafts").filter("status = ?", [Bind::from(status)]).order_by("created_at DESC, id DESC");
    didtron_db::paged(db, &q, page.limit(), page.offset()).await
}

/// Moves a draft from `draft` to `status` (pushed or discarded); false when it had left `draft`
/// already (another request got there first).
pub async fn close_draft(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, status: &str, now: &str, actor: &str) -> Result<bool> {
    let pushed_at = (status == "pushed").then_some(now);
    let done = sqlx::query("UPDATE config_drafts SET status = $1, pushed_at = $2, updated_at = $3, updated_by = $4 WHERE id = $5 AND status = 'draft'")
        .bind(status)
        .bind(pushed_at)
        .bind(now)
        .bind(actor)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A customer's name, category and group.
pub async fn customer_placement(db: &Db, id: &str) -> Result<Option<(String, Option<String>, Option<String>)>> {
    Ok(sqlx::query_as("SELECT name, category_id, group_id FROM tenants WHERE id = $1 AND kind = 'customer'")
        .bind(id)
        .fetch_optional(db.pool())
        .await?)
}

/// Every customer's id, name, category and group, by name.
pub async fn customer_placements(db: &Db) -> Result<Vec<(String, String, Option<String>, Option<String>)>> {
    Ok(sqlx::query_as("SELECT id, name, category_id, group_id FROM tenants WHERE kind = 'customer' ORDER BY name, id")
        .fetch_all(db.pool())
        .await?)
}

/// Customers whose `column` (a placement column named by a kind's static spec) equals `id`.
pub async fn customers_with(db: &Db, column: &str, id: &str) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!("SELECT id, name FROM tenants WHERE kind = 'customer' AND {column} = $1 ORDER BY name, id")))
        .bind(id)
        .fetch_all(db.pool())
        .await?)
}

/// Every assignment of every record of `kind`, by record id, in the order they were made.
pub async fn assignments_by_record(db: &Db, kind: &str) -> Result<std::collections::HashMap<String, Vec<didtron_core::scope::Assignment>>> {
    let rows: Vec<(String, String, Option<String>, didtron_db::Flag)> =
        sqlx::query_as("SELECT record_id, scope_kind, scope_id, exclude FROM assignments WHERE record_kind = $1 ORDER BY created_at, id")
            .bind(kind)
            .fetch_all(db.pool())
            .await?;
    let mut map: std::collections::HashMap<String, Vec<didtron_core::scope::Assignment>> = std::collections::HashMap::new();
    for (record, k, id, exclude) in rows {
        if let Some(scope) = Scope::from_parts(&k, id) {
            map.entry(record).or_default().push(didtron_core::scope::Assignment { scope, exclude: exclude.0 });
        }
    }
    Ok(map)
}

/// The ids of a kind's records in its order (`table` and `order_by` from the kind's static spec).
pub async fn record_ids(db: &Db, table: &str, order_by: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(AssertSqlSafe(format!("SELECT id FROM {table} ORDER BY {order_by}"))).fetch_all(db.pool()).await?)
}

/// An audit entry as stored, with the acting person's e-mail.
#[derive(Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub id: String,
    pub actor_id: String,
    pub actor_kind: String,
    pub actor_email: Option<String>,
    pub tenant_id: Option<String>,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    pub old_values: Option<Json<Value>>,
    pub new_values: Option<Json<Value>>,
    pub ip: String,
    pub created_at: String,
}

/// What to search the audit log for; absent parts match everything.
#[derive(Debug, Default)]
pub struct AuditQuery<'a> {
    /// An actor id or e-mail (lower case).
    pub actor: Option<&'a str>,
    /// An action, or its start when it ends with `.`.
    pub action: Option<&'a str>,
    pub target_kind: Option<&'a str>,
    pub target_id: Option<&'a str>,
    /// Stored times, inclusive from and exclusive to.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A page of audit entries, newest first.
pub async fn audit_entries(db: &Db, f: &AuditQuery<'_>, limit: i64, offset: i64) -> Result<(Vec<AuditRow>, i64)> {
    let mut q = ListQuery::new(
        "a.id, a.actor_id, a.actor_kind, u.email AS actor_email, a.tenant_id, a.action, a.target_kind, a.target_id, a.old_values, a.new_values, a.ip, a.created_at",
        "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id",
    );
    if let Some(actor) = f.actor {
        q = q.filter("a.actor_id = ? OR u.email = ?", [Bind::from(actor), Bind::from(actor)]);
    }
    if let Some(action) = f.action {
        q = q.filter("a.action = ? OR a.action LIKE ?", [Bind::from(action), Bind::Text(if action.ends_with('.') { format!("{action}%") } else { String::new() })]);
    }
    let q = q
        .filter_opt("a.target_kind = ?", f.target_kind)
        .filter_opt("a.target_id = ?", f.target_id)
        .filter_opt("a.created_at >= ?", f.from.clone())
        .filter_opt("a.created_at < ?", f.to.clone())
        .order_by("a.created_at DESC, a.id DESC");
    didtron_db::paged(db, &q, limit, offset).await
}

pub async fn delete_audit_before(tx: &mut sqlx::Transaction<'_, sqlx::Any>, cutoff: &str) -> Result<u64> {
    let done = sqlx::query("DELETE FROM audit_log WHERE created_at < $1").bind(cutoff).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

/// A platform setting's value.
pub async fn setting(db: &Db, key: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(db.pool()).await?)
}

/// Sets a platform setting, counting its versions.
pub async fn put_setting(tx: &mut sqlx::Transaction<'_, sqlx::Any>, key: &str, value: &str, now: &str, actor: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, version, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, 1, $3, $4, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = $2, version = settings.version + 1, updated_at = $3, updated_by = $4",
    )
    .bind(key)
    .bind(value)
    .bind(now)
    .bind(actor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How many rows of `table` have `column` equal to `id` (and, when given, meet `also`): the
/// records that still refer to one about to be deleted. `table`, `column` and `also` are the
/// caller's own constant SQL.
pub async fn count_referring(db: &Db, table: &str, column: &str, id: &str, also: Option<&str>) -> Result<i64> {
    let extra = also.map(|c| format!(" AND {c}")).unwrap_or_default();
    let (n,): (i64,) = sqlx::query_as(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1{extra}")))
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}
