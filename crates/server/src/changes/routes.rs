//! HTTP for every configuration kind: `/api/v1/config/{kind}` with versions, rollback, preview,
//! and drafts. Screens for a new kind reuse these routes.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::describe::{self, KindRules};
use super::drafts::{self, Draft, DraftWithPreview};
use super::kinds::Kinds;
use super::service::{self, Change, Operation, Preview, Version};
use crate::state::AppState;
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};
use crate::http::caller::Actor;

/// The routes, documented with a typed entry per kind of `kinds` (`/api/v1/config/pop`, …) beside
/// the generic ones that serve them.
pub fn routes(kinds: &Kinds) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(describe::openapi(&kinds.specs()))
        .routes(routes!(list_kinds))
        .routes(routes!(list_kind_rules))
        .routes(routes!(list_drafts, create_draft))
        .routes(routes!(get_draft))
        .routes(routes!(push_draft))
        .routes(routes!(discard_draft))
        .routes(routes!(list_records, create_record))
        .routes(routes!(preview_change))
        .routes(routes!(get_record, update_record, delete_record))
        .routes(routes!(record_versions))
        .routes(routes!(rollback_record))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KindInfo {
    pub kind: String,
    pub label: String,
    pub columns: Vec<String>,
    /// `many` or `one` when assigned by scope; absent otherwise.
    pub choice: Option<String>,
    pub read_permission: String,
    pub write_permission: String,
}

/// The kinds of configuration record, with their fields.
#[utoipa::path(get, path = "/api/v1/config", tag = "config", responses((status = 200, body = [KindInfo])))]
async fn list_kinds(State(state): State<AppState>, _actor: Actor) -> ApiResult<Json<Vec<KindInfo>>> {
    Ok(Json(
        state
            .kinds
            .all()
            .iter()
            .map(|k| {
                let s = k.spec();
                KindInfo {
                    kind: s.kind.into(),
                    label: s.label.into(),
                    columns: s.fields.iter().map(|f| f.name.to_string()).collect(),
                    choice: s.choice.map(|c| format!("{c:?}").to_lowercase()),
                    read_permission: s.read.as_str().into(),
                    write_permission: s.write.as_str().into(),
                }
            })
            .collect(),
    ))
}

/// Every kind of configuration record you may read, with each field's rule: type, bounds,
/// choices, default, whether it is required, what it refers to. The web's forms check these
/// before the server does; the server checks them again on every write.
#[utoipa::path(get, path = "/api/v1/config/kinds", tag = "config", responses((status = 200, body = [KindRules])))]
async fn list_kind_rules(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<KindRules>>> {
    Ok(Json(state.kinds.all().iter().map(|k| k.spec()).filter(|s| actor.can(s.read)).map(describe::kind_rules).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordFilter {
    /// Search in the kind's name and code columns.
    pub q: Option<String>,
    /// Filter on one column, e.g. `filter=category_id:019…`.
    pub filter: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// List records of a kind.
#[utoipa::path(get, path = "/api/v1/config/{kind}", tag = "config", params(("kind" = String, Path), RecordFilter),
    responses((status = 200, body = Page<Object>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_records(State(state): State<AppState>, actor: Actor, Path(kind): Path<String>, Query(f): Query<RecordFilter>) -> ApiResult<Json<Page<Value>>> {
    let filter = match f.filter.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(raw.split_once(':').ok_or_else(|| didtron_core::Error::invalid("filter", "must be column:value, e.g. category_id:019…"))?),
    };
    let page = PageQuery { limit: f.limit, offset: f.offset };
    Ok(Json(service::list(&state, &actor, &kind, f.q.as_deref(), filter, page).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RecordInput {
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
    /// The complete assignment set, e.g. `[{"scope": {"kind": "all"}}, {"scope": {"kind": "category", "id": "…"}, "exclude": true}]`.
    #[schema(value_type = Option<Vec<Object>>)]
    pub assignments: Option<Vec<didtron_core::scope::Assignment>>,
    /// For updates: the version you edited; a newer stored version answers 409.
    pub expected_version: Option<i64>,
}

/// Create a record (version 1).
#[utoipa::path(post, path = "/api/v1/config/{kind}", tag = "config", params(("kind" = String, Path)), request_body = RecordInput,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_record(State(state): State<AppState>, actor: Actor, Path(kind): Path<String>, Json(r): Json<RecordInput>) -> ApiResult<(StatusCode, Json<Value>)> {
    let change = Change { operation: Operation::Create, id: None, fields: Some(r.fields), assignments: r.assignments, expected_version: None };
    let record = service::apply(&state, &actor, &kind, &change).await?.unwrap_or(Value::Null);
    Ok((StatusCode::CREATED, Json(record)))
}

/// One record with its assignments.
#[utoipa::path(get, path = "/api/v1/config/{kind}/{id}", tag = "config", params(("kind" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn get_record(State(state): State<AppState>, actor: Actor, Path((kind, id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    Ok(Json(service::get(&state, &actor, &kind, &id).await?))
}

/// Change a record (only the fields given); a new version.
#[utoipa::path(patch, path = "/api/v1/config/{kind}/{id}", tag = "config", params(("kind" = String, Path), ("id" = String, Path)), request_body = RecordInput,
    responses((status = 200, body = Object), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update_record(State(state): State<AppState>, actor: Actor, Path((kind, id)): Path<(String, String)>, Json(r): Json<RecordInput>) -> ApiResult<Json<Value>> {
    let change = Change { operation: Operation::Update, id: Some(id), fields: Some(r.fields), assignments: r.assignments, expected_version: r.expected_version };
    Ok(Json(service::apply(&state, &actor, &kind, &change).await?.unwrap_or(Value::Null)))
}

/// Delete a record; refused with 409 while other records depend on it.
#[utoipa::path(delete, path = "/api/v1/config/{kind}/{id}", tag = "config", params(("kind" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_record(State(state): State<AppState>, actor: Actor, Path((kind, id)): Path<(String, String)>) -> ApiResult<StatusCode> {
    let change = Change { operation: Operation::Delete, id: Some(id), fields: None, assignments: None, expected_version: None };
    service::apply(&state, &actor, &kind, &change).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Preview a change without making it: the diff, the customers affected and any blockers.
#[utoipa::path(post, path = "/api/v1/config/{kind}/preview", tag = "config", params(("kind" = String, Path)), request_body = Change,
    responses((status = 200, body = Preview), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn preview_change(State(state): State<AppState>, actor: Actor, Path(kind): Path<String>, Json(change): Json<Change>) -> ApiResult<Json<Preview>> {
    Ok(Json(service::preview(&state, &actor, &kind, &change).await?))
}

/// The versions of a record, newest first, with diffs.
#[utoipa::path(get, path = "/api/v1/config/{kind}/{id}/versions", tag = "config", params(("kind" = String, Path), ("id" = String, Path), PageQuery),
    responses((status = 200, body = Page<Version>), (status = 404, body = Problem)))]
async fn record_versions(State(state): State<AppState>, actor: Actor, Path((kind, id)): Path<(String, String)>, Query(page): Query<PageQuery>) -> ApiResult<Json<Page<Version>>> {
    Ok(Json(service::history(&state, &actor, &kind, &id, page).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RollbackRequest {
    pub version: i64,
}

/// Restore a record to an earlier version; recorded as a new version.
#[utoipa::path(post, path = "/api/v1/config/{kind}/{id}/rollback", tag = "config", params(("kind" = String, Path), ("id" = String, Path)), request_body = RollbackRequest,
    responses((status = 200, body = Object), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn rollback_record(State(state): State<AppState>, actor: Actor, Path((kind, id)): Path<(String, String)>, Json(r): Json<RollbackRequest>) -> ApiResult<Json<Value>> {
    Ok(Json(service::rollback(&state, &actor, &kind, &id, r.version).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DraftFilter {
    /// draft (default), pushed or discarded.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Staged changes.
#[utoipa::path(get, path = "/api/v1/config/drafts", tag = "config", params(DraftFilter), responses((status = 200, body = Page<Draft>)))]
async fn list_drafts(State(state): State<AppState>, actor: Actor, Query(f): Query<DraftFilter>) -> ApiResult<Json<Page<Draft>>> {
    Ok(Json(drafts::list(&state, &actor, f.status.as_deref(), PageQuery { limit: f.limit, offset: f.offset }).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftInput {
    pub kind: String,
    pub change: Change,
    #[serde(default)]
    pub note: String,
}

/// Stage a change as a draft; answers with its preview.
#[utoipa::path(post, path = "/api/v1/config/drafts", tag = "config", request_body = DraftInput,
    responses((status = 201, body = DraftWithPreview), (status = 422, body = Problem)))]
async fn create_draft(State(state): State<AppState>, actor: Actor, Json(r): Json<DraftInput>) -> ApiResult<(StatusCode, Json<DraftWithPreview>)> {
    Ok((StatusCode::CREATED, Json(drafts::create(&state, &actor, &r.kind, r.change, &r.note).await?)))
}

/// A draft with its preview against the current state.
#[utoipa::path(get, path = "/api/v1/config/drafts/{id}", tag = "config", responses((status = 200, body = DraftWithPreview), (status = 404, body = Problem)))]
async fn get_draft(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<DraftWithPreview>> {
    Ok(Json(drafts::get(&state, &actor, &id).await?))
}

/// Push a draft: apply it as a new version.
#[utoipa::path(post, path = "/api/v1/config/drafts/{id}/push", tag = "config",
    responses((status = 200, body = Object), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn push_draft(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    Ok(Json(drafts::push(&state, &actor, &id).await?.unwrap_or(Value::Null)))
}

/// Discard a draft.
#[utoipa::path(post, path = "/api/v1/config/drafts/{id}/discard", tag = "config", responses((status = 204), (status = 409, body = Problem)))]
async fn discard_draft(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<StatusCode> {
    drafts::discard(&state, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
