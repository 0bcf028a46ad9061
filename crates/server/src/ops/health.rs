use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when every dependency answers, `degraded` otherwise.
    #[schema(example = "ok")]
    pub status: String,
    /// `ok` or `unreachable`.
    #[schema(example = "ok")]
    pub database: String,
    /// The version of the running binary.
    #[schema(example = "0.1.0")]
    pub version: String,
}

/// Liveness: whether the service and its database answer. Whether it can take traffic yet is
/// `/readyz`.
#[utoipa::path(get, path = "/healthz", tag = "ops",
    responses(
        (status = 200, description = "Healthy", body = Health),
        (status = 503, description = "A dependency does not answer", body = Health),
    ))]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database_ok = state.db.ping().await;
    let status = if database_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (
        status,
        Json(Health {
            status: if database_ok { "ok" } else { "degraded" }.into(),
            database: if database_ok { "ok" } else { "unreachable" }.into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }),
    )
}
