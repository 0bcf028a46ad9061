//! Readiness, apart from liveness. `/healthz` says the process and its database answer;
//! `/readyz` says this instance can serve what requests need: every start-up step is done (stale
//! work freed, schedules in place, the routing table loaded). A load balancer sends traffic only
//! to ready instances, and the requests that need a start-up step's result take the [`Ready`]
//! extractor, which answers 503 with `Retry-After` until then (route lookups must never answer
//! "no route" from a table that is still loading).

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// The start-up steps `didtron serve` waits for.
pub mod steps {
    /// Leases and running jobs of instances that stopped are freed.
    pub const STALE_WORK: &str = "free stale work";
    /// Recurring work is scheduled.
    pub const SCHEDULES: &str = "schedules";
    /// Pushes waiting from before the start have a job to carry them out.
    pub const SWITCH_PUSHES: &str = "switch pushes";
    /// The routing table is built from the rate decks in force.
    pub const ROUTING_TABLE: &str = "routing table";
    /// Every step, in the order `serve` runs them.
    pub const ALL: [&str; 4] = [STALE_WORK, SCHEDULES, SWITCH_PUSHES, ROUTING_TABLE];
}

pub use crate::state::Readiness;

#[derive(Debug, Serialize, ToSchema)]
pub struct ReadyReport {
    /// `ready`, or `starting` while start-up steps run, or `degraded` when the database does not
    /// answer.
    #[schema(example = "ready")]
    pub status: String,
    /// `ok` or `unreachable`.
    #[schema(example = "ok")]
    pub database: String,
    /// The start-up steps still running.
    pub waiting_for: Vec<String>,
}

/// Readiness: whether this instance can take traffic (every start-up step done, the database
/// answering). Liveness is `/healthz`.
#[utoipa::path(get, path = "/readyz", tag = "ops",
    responses(
        (status = 200, description = "Ready for traffic", body = ReadyReport),
        (status = 503, description = "Still starting, or the database does not answer", body = ReadyReport),
    ))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    let waiting = state.readiness.waiting();
    let database_ok = state.db.ping().await;
    let status = match (waiting.is_empty(), database_ok) {
        (_, false) => "degraded",
        (false, true) => "starting",
        (true, true) => "ready",
    };
    let report = ReadyReport {
        status: status.into(),
        database: if database_ok { "ok" } else { "unreachable" }.into(),
        waiting_for: waiting.iter().map(|s| s.to_string()).collect(),
    };
    let mut response = Json(report).into_response();
    if status != "ready" {
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    }
    response
}

/// Take this in a handler that needs every start-up step done (route lookups need the routing
/// table): until then the request is answered 503 with `Retry-After`, never from half-loaded
/// state.
#[derive(Debug, Clone, Copy)]
pub struct Ready;

impl FromRequestParts<AppState> for Ready {
    type Rejection = Response;

    async fn from_request_parts(_parts: &mut Parts, state: &AppState) -> Result<Ready, Response> {
        if state.readiness.is_ready() {
            return Ok(Ready);
        }
        let waiting = state.readiness.waiting().join(", ");
        let mut response = crate::http::error::problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            &format!("this server is still starting (waiting for: {waiting}); try again in a moment"),
            Vec::new(),
        );
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        Err(response)
    }
}

/// Waits until the routing table has been loaded once (the routing domain swaps a new table in;
/// the one in place at start is the empty default).
pub async fn first_routing_table(state: &AppState) {
    let empty = state.routing.current();
    while Arc::ptr_eq(&empty, &state.routing.current()) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
