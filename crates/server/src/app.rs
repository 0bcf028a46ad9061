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

use didtron_adapters::mail::SmtpMailer;
use secrecy::ExposeSecret;

use crate::config::Settings;
use crate::crypto::SecretBox;
use crate::identity::actor::{authenticate, require_actor};
use crate::identity;
use crate::messaging::{self, Mailer};
use crate::http::spa;
use crate::ops;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub mailer: Mailer,
    pub secrets: SecretBox,
}

impl AppState {
    /// The state for `settings` over an open database: the secret key is loaded (or created) and the
    /// mailer chosen (SMTP when configured, else the outbox).
    pub fn new(db: Db, settings: Settings) -> anyhow::Result<AppState> {
        let secrets = SecretBox::load(settings.secret_key.as_ref().map(|k| k.expose_secret()), &settings.data_dir)?;
        let mailer = match &settings.smtp_url {
            Some(url) => Mailer::smtp(SmtpMailer::new(url, &settings.mail_from).map_err(|e| anyhow::anyhow!("{e}"))?),
            None => Mailer::outbox_only(),
        };
        Ok(AppState { db, settings: Arc::new(settings), mailer, secrets })
    }
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
        (name = "auth", description = "Sign-up, sign-in, verification, password reset"),
        (name = "me", description = "Your own profile, password, 2FA, sessions and sign-in history"),
        (name = "team", description = "Members and invitations of your account"),
        (name = "api-keys", description = "API keys of your account"),
        (name = "messaging", description = "E-mail outbox"),
    ),
    components(schemas(crate::http::Problem))
)]
struct ApiDoc;

/// Routes anyone may call. Adding a route here is a decision: everything else requires a caller.
fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ops::health::healthz)).merge(identity::routes::public_routes())
}

/// Routes that require an authenticated caller; each handler then checks the caller's permission.
fn private_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(identity::routes::private_routes()).merge(messaging::outbox::routes())
}

/// Every API route, with its OpenAPI description.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(public_routes())
        .merge(private_routes().route_layer(axum::middleware::from_fn(require_actor)))
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
        .layer(axum::middleware::from_fn_with_state(state.clone(), authenticate))
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
