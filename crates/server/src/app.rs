//! The composition root: registers every kind of configuration record, job, event subscription
//! and route, and builds the shared state. Nothing below imports this module.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use didtron_db::Db;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::compression::CompressionLayer;
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
use crate::changes::kinds::Kinds;
use crate::messaging::{self, Mailer};
pub use crate::state::AppState;
use crate::{accounts, catalog, changes, jobs, routing, switch};
use crate::http::spa;
use crate::ops;

impl AppState {
    /// The state for `settings` over an open database: the secret key is loaded (or created) and the
    /// mailer chosen (SMTP when configured, else the outbox).
    pub fn new(db: Db, settings: Settings) -> anyhow::Result<AppState> {
        let secrets = SecretBox::load(settings.secret_key.as_ref().map(|k| k.expose_secret()), &settings.data_dir)?;
        let mailer = match &settings.smtp_url {
            Some(url) => Mailer::smtp(SmtpMailer::new(url, &settings.mail_from).map_err(|e| anyhow::anyhow!("{e}"))?),
            None => Mailer::outbox_only(),
        };
        let switch = switch::driver(&settings, &db)?;
        Ok(AppState {
            db,
            settings: Arc::new(settings),
            mailer,
            secrets,
            kinds: Arc::new(kinds()),
            jobs: Arc::new(job_registry()),
            routing: Default::default(),
            switch,
            switch_lock: Default::default(),
            readiness: Default::default(),
            hashing: crate::http::limits::WorkBound::per_core(identity::password::BUSY_WITH),
        })
    }
}

/// Every kind of configuration record.
fn kinds() -> Kinds {
    let mut k = Kinds::default();
    k.register(accounts::categories::Categories);
    k.register(accounts::categories::Groups);
    k.register(catalog::plans::Plans);
    k.register(catalog::offerings::Pops);
    k.register(catalog::offerings::VoiceTiers);
    k.register(catalog::offerings::Codecs);
    k.register(catalog::offerings::AuthMethods);
    k.register(catalog::dids::DidCountries);
    k.register(catalog::dids::DidProviders);
    k.register(routing::carriers::Carriers);
    k.register(routing::rate_cards::RateCards);
    k.register(routing::route_groups::RouteGroups);
    k.register(routing::routes::Routes);
    k.register(routing::lcr_profiles::LcrProfiles);
    k.subscribe(switch::sync::SwitchSync);
    k
}

/// Every job handler and event subscription.
pub fn job_registry() -> jobs::Registry {
    let mut r = jobs::Registry::default();
    r.handle("audit.retention", changes::audit_routes::apply_retention);
    r.handle("did_provider.sync", catalog::inventory::sync_job);
    r.handle("did_provider.sync_all", catalog::inventory::sync_all_job);
    r.handle("rate_deck.import", routing::import::import_job);
    r.handle("routing.reload", routing::table::reload_job);
    for event in ["rate_deck.activated", "carrier.created", "carrier.updated", "carrier.deleted"] {
        r.subscribe(event, "routing.reload");
    }
    r.handle("switch.push", switch::sync::push_job);
    r.handle("switch.reconcile", switch::reconcile::reconcile_job);
    r
}

/// The recurring work every installation has.
pub async fn ensure_schedules(state: &AppState) -> didtron_core::Result<()> {
    jobs::schedule::ensure(state, "Audit retention", "0 30 3 * * *", "audit.retention", serde_json::json!({})).await?;
    jobs::schedule::ensure(state, "DID inventory sync", "0 15 * * * *", "did_provider.sync_all", serde_json::json!({})).await?;
    jobs::schedule::ensure(state, "Switch reconciliation", "0 45 * * * *", "switch.reconcile", serde_json::json!({})).await
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
        (name = "config", description = "Configuration records of every kind: versions, drafts, preview, rollback"),
        (name = "customers", description = "Customers, their categories and groups"),
        (name = "audit", description = "The audit log of every write"),
        (name = "jobs", description = "Background jobs and schedules"),
        (name = "routing", description = "Carriers' rate decks and route lookup"),
        (name = "catalog", description = "POPs, tiers, codecs, auth methods, plans, DID countries and providers"),
    ),
    components(schemas(crate::http::Problem))
)]
struct ApiDoc;

/// Routes anyone may call. Adding a route here is a decision: everything else requires a caller.
fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ops::health::healthz))
        .routes(routes!(ops::readiness::readyz))
        .merge(identity::routes::public_routes())
        .merge(switch::http::public_routes())
}

/// Routes that require an authenticated caller; each handler then checks the caller's permission.
fn private_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(identity::routes::private_routes())
        .merge(messaging::outbox::routes())
        .merge(changes::routes::routes(&kinds()))
        .merge(changes::audit_routes::routes())
        .merge(accounts::http::routes())
        .merge(jobs::routes::routes())
        .merge(catalog::inventory::routes())
        .merge(catalog::choices::routes())
        .merge(routing::http::routes())
        .merge(switch::http::routes())
}

/// Every API route, with its OpenAPI description.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(public_routes())
        .merge(private_routes().route_layer(axum::middleware::from_fn(require_actor)))
}

/// The OpenAPI document, generated from the handlers' annotations.
pub fn openapi() -> utoipa::openapi::OpenApi {
    problems_as_problem_json(api_routes().split_for_parts().1)
}

/// Error responses are sent as `application/problem+json` (`http::error::problem`); the document
/// says so for every 4xx and 5xx response, instead of each annotation repeating it.
fn problems_as_problem_json(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    for item in doc.paths.paths.values_mut() {
        let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch, &mut item.head, &mut item.options, &mut item.trace];
        for op in ops.into_iter().flatten() {
            for (status, response) in op.responses.responses.iter_mut() {
                let is_error = status.starts_with('4') || status.starts_with('5');
                if let (true, utoipa::openapi::RefOr::T(r)) = (is_error, response)
                    && let Some(content) = r.content.shift_remove("application/json")
                {
                    r.content.insert("application/problem+json".into(), content);
                }
            }
        }
    }
    doc
}

async fn method_not_allowed() -> axum::response::Response {
    crate::http::error::problem(axum::http::StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this endpoint does not accept that method", Vec::new())
}

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    let (api, doc) = api_routes().split_for_parts();
    let doc = problems_as_problem_json(doc);
    let doc = Arc::new(doc);
    api.route("/api/openapi.json", get(move || std::future::ready(axum::Json(doc.as_ref().clone()))))
        .route("/api/docs", get(spa::api_docs))
        .fallback(spa::fallback)
        .method_not_allowed_fallback(method_not_allowed)
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
                // gzip or brotli, as the client accepts, for the web app's assets and JSON alike
                // (tower-http leaves small bodies, images and event streams uncompressed).
                .layer(CompressionLayer::new())
                .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone())),
        )
}
