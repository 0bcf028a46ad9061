//! The mail outbox, readable by a super admin.

use axum::extract::{Path, State};
use didtron_core::access::Permission;
use didtron_core::{Error, Result};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::http::{ApiResult, Json, Page, PageQuery, Query};
use crate::http::caller::Actor;

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct OutboxMail {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    /// Which message this is (verify_email, reset_password, invitation…).
    pub template: String,
    /// `outbox` (kept here, no provider configured) or `smtp`.
    pub transport: String,
    /// `stored`, `sent` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxFilter {
    /// Matches the recipient or the subject.
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_outbox)).routes(routes!(get_outbox_mail))
}

const COLUMNS: &str = "id, to_address, subject, body_text, template, transport, status, attempts, last_error, sent_at, created_at";

/// The mail outbox, newest first. Super admin only.
#[utoipa::path(get, path = "/api/v1/admin/mail-outbox", tag = "messaging", params(OutboxFilter),
    responses((status = 200, body = Page<OutboxMail>), (status = 403, body = crate::http::Problem)))]
async fn list_outbox(State(state): State<AppState>, actor: Actor, Query(f): Query<OutboxFilter>) -> ApiResult<Json<Page<OutboxMail>>> {
    actor.require(Permission::SystemManage)?;
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let pattern = format!("%{}%", f.q.unwrap_or_default().trim().to_lowercase());
    let filter = "WHERE LOWER(to_address) LIKE $1 OR LOWER(subject) LIKE $1";
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM mail_outbox {filter}")))
        .bind(&pattern)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let items: Vec<OutboxMail> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM mail_outbox {filter} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    )))
    .bind(&pattern)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(Json(Page::new(items, total, page)))
}

/// One message of the outbox. Super admin only.
#[utoipa::path(get, path = "/api/v1/admin/mail-outbox/{id}", tag = "messaging",
    responses((status = 200, body = OutboxMail), (status = 404, body = crate::http::Problem)))]
async fn get_outbox_mail(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<OutboxMail>> {
    actor.require(Permission::SystemManage)?;
    Ok(Json(find(&state, &id).await?))
}

async fn find(state: &AppState, id: &str) -> Result<OutboxMail> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM mail_outbox WHERE id = $1")))
        .bind(id)
        .fetch_optional(state.db.pool())
        .await
        .map_err(Error::internal)?
        .ok_or(Error::NotFound("message"))
}
