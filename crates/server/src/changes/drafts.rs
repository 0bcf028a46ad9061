//! Drafts: a change staged for review, previewed against the current state, then pushed or
//! discarded. Pushing refuses when the record changed after the draft was made.

use didtron_core::{Error, Result, id::new_id, time};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::audit::{self, AuditActor, Entry};
use super::service::{self, Change, Operation, Preview};
use crate::app::AppState;
use crate::http::{Page, PageQuery};
use crate::identity::actor::Actor;

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Draft {
    pub id: String,
    pub record_kind: String,
    pub record_id: Option<String>,
    pub operation: String,
    /// draft, pushed or discarded.
    pub status: String,
    pub note: String,
    pub base_version: Option<i64>,
    #[sqlx(skip)]
    pub change: Option<Change>,
    pub pushed_at: Option<String>,
    pub created_at: String,
    pub created_by: Option<String>,
    #[serde(skip)]
    pub payload: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftWithPreview {
    pub draft: Draft,
    /// The change as it would apply now; absent when it no longer can (the error says why).
    pub preview: Option<Preview>,
    pub error: Option<String>,
}

const COLUMNS: &str = "id, record_kind, record_id, operation, status, note, base_version, payload, pushed_at, created_at, created_by";

pub async fn create(state: &AppState, actor: &Actor, kind: &str, change: Change, note: &str) -> Result<DraftWithPreview> {
    let k = state.kinds.get(kind)?;
    actor.require(k.spec().write)?;
    // A draft must at least be a valid change now; the preview proves it.
    let preview = service::preview(state, actor, kind, &change).await?;
    let base_version = match change.operation {
        Operation::Create => None,
        _ => service::get(state, actor, kind, change.id.as_deref().unwrap_or_default()).await?.get("version").and_then(Value::as_i64),
    };
    let id = new_id();
    let now = time::to_db(time::now());
    let op = serde_json::to_value(change.operation).map_err(Error::internal)?;
    sqlx::query(
        "INSERT INTO config_drafts (id, record_kind, record_id, operation, payload, base_version, status, note, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $8, $9)",
    )
    .bind(&id)
    .bind(kind)
    .bind(change.id.clone().or_else(|| (change.operation == Operation::Create).then(|| preview.id.clone())))
    .bind(op.as_str().unwrap_or("update"))
    .bind(serde_json::to_string(&change).map_err(Error::internal)?)
    .bind(base_version)
    .bind(note.trim())
    .bind(&now)
    .bind(actor.audit_name())
    .execute(state.db.pool())
    .await
    .map_err(Error::internal)?;
    let entry = Entry { action: "draft.create", target_kind: kind, target_id: Some(&id), old: None, new: serde_json::to_value(&change).ok() };
    audit::record(state.db.pool(), &AuditActor::from(actor), entry).await?;
    get(state, actor, &id).await
}

async fn load(state: &AppState, id: &str) -> Result<Draft> {
    let mut d: Draft = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM config_drafts WHERE id = $1")))
        .bind(id)
        .fetch_optional(state.db.pool())
        .await
        .map_err(Error::internal)?
        .ok_or(Error::NotFound("draft"))?;
    d.change = serde_json::from_str(&d.payload).ok();
    Ok(d)
}

/// The draft's change with the ids fixed (a create keeps the id it was previewed with).
fn change_of(d: &Draft) -> Result<Change> {
    let mut change = d.change.clone().ok_or_else(|| Error::internal("unreadable draft"))?;
    change.id = d.record_id.clone();
    change.expected_version = d.base_version;
    Ok(change)
}

pub async fn get(state: &AppState, actor: &Actor, id: &str) -> Result<DraftWithPreview> {
    let draft = load(state, id).await?;
    actor.require(state.kinds.get(&draft.record_kind)?.spec().read)?;
    let (preview, error) = if draft.status == "draft" {
        match service::preview(state, actor, &draft.record_kind, &change_of(&draft)?).await {
            Ok(p) => (Some(p), None),
            Err(e @ (Error::Internal(_) | Error::Forbidden(_))) => return Err(e),
            Err(e) => (None, Some(e.to_string())),
        }
    } else {
        (None, None)
    };
    Ok(DraftWithPreview { draft, preview, error })
}

pub async fn list(state: &AppState, actor: &Actor, status: Option<&str>, page: PageQuery) -> Result<Page<Draft>> {
    actor.require(didtron_core::access::Permission::ConfigRead)?;
    let status = status.unwrap_or("draft");
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM config_drafts WHERE status = $1")
        .bind(status)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let mut items: Vec<Draft> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM config_drafts WHERE status = $1 ORDER BY created_at DESC LIMIT $2 OFFSET $3")))
            .bind(status)
            .bind(page.limit())
            .bind(page.offset())
            .fetch_all(state.db.pool())
            .await
            .map_err(Error::internal)?;
    for d in &mut items {
        d.change = serde_json::from_str(&d.payload).ok();
    }
    Ok(Page::new(items, total, page))
}

/// Applies the draft. The record must still be at the version the draft was made against.
pub async fn push(state: &AppState, actor: &Actor, id: &str) -> Result<Option<Value>> {
    let draft = load(state, id).await?;
    if draft.status != "draft" {
        return Err(Error::Conflict(format!("this draft was {} already", draft.status)));
    }
    let record = service::apply(state, actor, &draft.record_kind, &change_of(&draft)?).await?;
    let now = time::to_db(time::now());
    sqlx::query("UPDATE config_drafts SET status = 'pushed', pushed_at = $1, updated_at = $1, updated_by = $2 WHERE id = $3 AND status = 'draft'")
        .bind(&now)
        .bind(actor.audit_name())
        .bind(id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(record)
}

pub async fn discard(state: &AppState, actor: &Actor, id: &str) -> Result<()> {
    let draft = load(state, id).await?;
    actor.require(state.kinds.get(&draft.record_kind)?.spec().write)?;
    if draft.status != "draft" {
        return Err(Error::Conflict(format!("this draft was {} already", draft.status)));
    }
    let now = time::to_db(time::now());
    sqlx::query("UPDATE config_drafts SET status = 'discarded', updated_at = $1, updated_by = $2 WHERE id = $3")
        .bind(&now)
        .bind(actor.audit_name())
        .bind(id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let entry = Entry { action: "draft.discard", target_kind: &draft.record_kind, target_id: Some(id), old: Some(Value::String("draft".into())), new: Some(Value::String("discarded".into())) };
    audit::record(state.db.pool(), &AuditActor::from(actor), entry).await?;
    Ok(())
}
