//! Drafts: a change staged for review, previewed against the current state, then pushed or
//! discarded. Pushing refuses when the record changed after the draft was made.

use didtron_core::{Error, Result, id::new_id, time};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::audit::Entry;
use super::store::{self, NewDraft, StoredDraft};
use super::unit::UnitOfWork;
use super::service::{self, Change, Operation, Preview};
use crate::state::AppState;
use crate::http::{Page, PageQuery};
use crate::http::caller::Actor;

#[derive(Debug, Serialize, ToSchema)]
pub struct Draft {
    pub id: String,
    pub record_kind: String,
    pub record_id: Option<String>,
    pub operation: String,
    /// draft, pushed or discarded.
    pub status: String,
    pub note: String,
    pub base_version: Option<i64>,
    pub change: Option<Change>,
    pub pushed_at: Option<String>,
    pub created_at: String,
    pub created_by: Option<String>,
}

impl From<StoredDraft> for Draft {
    fn from(d: StoredDraft) -> Draft {
        Draft {
            change: serde_json::from_str(&d.payload).ok(),
            id: d.id,
            record_kind: d.record_kind,
            record_id: d.record_id,
            operation: d.operation,
            status: d.status,
            note: d.note,
            base_version: d.base_version,
            pushed_at: d.pushed_at,
            created_at: d.created_at,
            created_by: d.created_by,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftWithPreview {
    pub draft: Draft,
    /// The change as it would apply now; absent when it no longer can (the error says why).
    pub preview: Option<Preview>,
    pub error: Option<String>,
}

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
    let record_id = change.id.clone().or_else(|| (change.operation == Operation::Create).then(|| preview.id.clone()));
    let payload = serde_json::to_string(&change).map_err(Error::internal)?;
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    let draft = NewDraft {
        id: &id,
        kind,
        record_id: record_id.as_deref(),
        operation: op.as_str().unwrap_or("update"),
        payload: &payload,
        base_version,
        note: note.trim(),
        now: &now,
        actor: &actor.audit_name(),
    };
    store::insert_draft(work.tx(), draft).await?;
    work.audit(Entry { action: "draft.create", target_kind: kind, target_id: Some(&id), old: None, new: serde_json::to_value(&change).ok() }).await?;
    work.commit().await?;
    get(state, actor, &id).await
}

async fn load(state: &AppState, id: &str) -> Result<Draft> {
    Ok(store::draft(&state.db, id).await?.ok_or(Error::NotFound("draft"))?.into())
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
    let (rows, total) = store::drafts(&state.db, status.unwrap_or("draft"), page).await?;
    Ok(Page::new(rows.into_iter().map(Draft::from).collect(), total, page))
}

/// Applies the draft and marks it pushed, in one transaction. The record must still be at the
/// version the draft was made against, and of two pushes of one draft only one lands.
pub async fn push(state: &AppState, actor: &Actor, id: &str) -> Result<Option<Value>> {
    let draft = load(state, id).await?;
    if draft.status != "draft" {
        return Err(Error::Conflict(format!("this draft was {} already", draft.status)));
    }
    let change = change_of(&draft)?;
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    if !store::close_draft(work.tx(), id, "pushed", &now, &actor.audit_name()).await? {
        return Err(Error::Conflict("this draft was pushed or discarded meanwhile".into()));
    }
    let record_id = service::apply_in(state, &mut work, actor, &draft.record_kind, &change).await?;
    work.commit().await?;
    if change.operation == Operation::Delete {
        return Ok(None);
    }
    Ok(Some(service::get(state, actor, &draft.record_kind, &record_id).await?))
}

pub async fn discard(state: &AppState, actor: &Actor, id: &str) -> Result<()> {
    let draft = load(state, id).await?;
    actor.require(state.kinds.get(&draft.record_kind)?.spec().write)?;
    if draft.status != "draft" {
        return Err(Error::Conflict(format!("this draft was {} already", draft.status)));
    }
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    if !store::close_draft(work.tx(), id, "discarded", &now, &actor.audit_name()).await? {
        return Err(Error::Conflict("this draft was pushed or discarded meanwhile".into()));
    }
    let entry = Entry { action: "draft.discard", target_kind: &draft.record_kind, target_id: Some(id), old: Some(Value::String("draft".into())), new: Some(Value::String("discarded".into())) };
    work.audit(entry).await?;
    work.commit().await
}
