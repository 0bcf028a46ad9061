//! Customers over HTTP: thin handlers over `customers`.

use axum::extract::{Path, State};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::customers::{self, Customer, CustomerFilter, Dashboard, MovePreview, MoveRequest};
use crate::http::caller::Actor;
use crate::http::{ApiResult, Json, Page, Problem, Query};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_customers)).routes(routes!(get_customer)).routes(routes!(preview_move)).routes(routes!(move_customer)).routes(routes!(dashboard))
}

/// Customers with their category and group.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(CustomerFilter),
    responses((status = 200, body = Page<Customer>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list_customers(State(state): State<AppState>, actor: Actor, Query(f): Query<CustomerFilter>) -> ApiResult<Json<Page<Customer>>> {
    Ok(Json(customers::list(&state, &actor, &f).await?))
}

/// One customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers",
    responses((status = 200, body = Customer), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_customer(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<Customer>> {
    Ok(Json(customers::get(&state, &actor, &id).await?))
}

/// Preview a move: what the customer gains and loses.
#[utoipa::path(post, path = "/api/v1/customers/{id}/move/preview", tag = "customers", request_body = MoveRequest,
    responses((status = 200, body = MovePreview), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn preview_move(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Json(r): Json<MoveRequest>) -> ApiResult<Json<MovePreview>> {
    Ok(Json(customers::move_preview(&state, &actor, &id, &r).await?))
}

/// Move a customer to another category or group.
#[utoipa::path(post, path = "/api/v1/customers/{id}/move", tag = "customers", request_body = MoveRequest,
    responses((status = 200, body = MovePreview), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn move_customer(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Json(r): Json<MoveRequest>) -> ApiResult<Json<MovePreview>> {
    Ok(Json(customers::move_customer(&state, &actor, &id, &r).await?))
}

/// Customers per category and group, and sign-ups over the last 30 days.
#[utoipa::path(get, path = "/api/v1/categories/dashboard", tag = "customers", responses((status = 200, body = Dashboard), (status = 403, body = Problem)))]
async fn dashboard(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Dashboard>> {
    Ok(Json(customers::dashboard(&state, &actor).await?))
}
