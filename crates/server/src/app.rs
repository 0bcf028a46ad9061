//! The application: shared state and the router that every front door (SPA, public API) uses.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use didtron_db::Db;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::Settings;
use crate::http::spa;
use crate::ops;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "DIDtron API",
        description = "The API behind the DIDtron web app and the public REST API. Errors are JSON problem responses (`application/problem+json`) with `status`, `code`, `message` and, for invalid input, `fields`.",
        license(name = "AGPL-3.0-only"),
    ),
    tags(
        (name = "ops", description = "Health and system status"),
    ),
    components(schemas(crate::http::Problem))
)]
struct ApiDoc;

/// Every API route, with its OpenAPI description.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).routes(routes!(ops::health::healthz))
}

/// The OpenAPI document, generated from the handlers' annotations.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_routes().split_for_parts().1
}

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    let (api, doc) = api_routes().split_for_parts();
    let doc = Arc::new(doc);
    api.route("/api/openapi.json", get(move || std::future::ready(axum::Json(doc.as_ref().clone()))))
        .route("/api/docs", get(spa::api_docs))
        .fallback(spa::fallback)
        .with_state(state)
        .layer(
            tower::ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                    let id = req
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-")
                        .to_string();
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                }).on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
                .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone())),
        )
}
