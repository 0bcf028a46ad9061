//! The mail outbox, readable by a super admin: thin handlers over [`super::service`].

use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service;
use super::store::OutboxMail;
use crate::http::caller::Actor;
use crate::http::{ApiResult, Json, Page, PageQuery, Query};
use crate::state::AppState;

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

/// The mail outbox, newest first, with links hidden. Super admin only.
#[utoipa::path(get, path = "/api/v1/admin/mail-outbox", tag = "messaging", params(OutboxFilter),
    responses((status = 200, body = Page<OutboxMail>), (status = 403, body = crate::http::Problem)))]
async fn list_outbox(State(state): State<AppState>, actor: Actor, Query(f): Query<OutboxFilter>) -> ApiResult<Json<Page<OutboxMail>>> {
    let page = PageQuery { limit: f.limit, offset: f.offset };
    Ok(Json(service::list(&state, &actor, f.q.as_deref(), page).await?))
}

/// One message of the outbox, links included while it has them. Super admin only; each opening is
/// recorded in the audit log.
#[utoipa::path(get, path = "/api/v1/admin/mail-outbox/{id}", tag = "messaging",
    responses((status = 200, body = OutboxMail), (status = 404, body = crate::http::Problem)))]
async fn get_outbox_mail(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<OutboxMail>> {
    Ok(Json(service::open(&state, &actor, &id).await?))
}
