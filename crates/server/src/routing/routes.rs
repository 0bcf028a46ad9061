//! HTTP for routing: route lookup, rate deck import and history, rate search.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use didtron_core::access::Permission;
use didtron_core::scope::{Placement, reach};
use didtron_core::{Error, Result, time};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::deck::{self, Mapping};
use super::import::{self, ImportReport};
use crate::app::AppState;
use crate::changes::audit::AuditActor;
use crate::changes::records;
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};
use crate::identity::actor::Actor;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lookup))
        .routes(routes!(list_decks, upload_deck))
        .routes(routes!(list_rates))
        .layer(DefaultBodyLimit::max(256 * 1024 * 1024))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    /// The dialled number, digits with an optional leading +.
    pub number: String,
    /// A customer id: only carriers assigned to that customer are considered.
    pub customer: Option<String>,
    /// The moment to route at (RFC 3339); now by default.
    pub at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RouteCandidate {
    pub carrier: String,
    pub carrier_id: String,
    /// The carrier's longest prefix that matches the number.
    pub prefix: String,
    pub destination: String,
    /// The buy rate per minute.
    pub rate: f64,
    /// The same in micro-units (exact).
    pub rate_micro: i64,
    pub connection_fee: f64,
    /// Billing increments, e.g. "60/60".
    pub increments: String,
    pub effective_from: String,
}

fn decimal(micro: i64) -> f64 {
    // Six decimals exactly representable in the shortest float form (0.0123 prints as 0.0123).
    let s = rust_decimal::Decimal::new(micro, 6).normalize().to_string();
    s.parse().unwrap_or(0.0)
}

/// The ordered route list for a number: every carrier's longest matching prefix, cheapest first.
pub async fn route(state: &AppState, number: &str, customer: Option<&str>, at: Option<&str>) -> Result<Vec<RouteCandidate>> {
    let at = match at {
        Some(raw) => time::from_db(raw).ok_or_else(|| Error::invalid("at", "must be an RFC 3339 time"))?,
        None => time::now(),
    };
    let loaded = state.routing.current();
    let candidates = loaded.table.lookup(number, at.timestamp()).ok_or_else(|| Error::invalid("number", "must be 1–15 digits, optionally with a leading +"))?;
    let allowed: Option<Vec<bool>> = match customer {
        None => None,
        Some(id) => {
            let row: Option<(Option<String>, Option<String>)> = sqlx::query_as("SELECT category_id, group_id FROM tenants WHERE id = $1 AND kind = 'customer'")
                .bind(id)
                .fetch_optional(state.db.pool())
                .await
                .map_err(Error::internal)?;
            let (category, group) = row.ok_or_else(|| Error::invalid("customer", "no such customer"))?;
            let p = Placement { customer: id.into(), category, group };
            let assigned = records::all_assignments(&state.db, "carrier").await?;
            Some(loaded.carrier_ids.iter().map(|cid| assigned.get(cid).is_some_and(|a| reach(a, &p).is_some())).collect())
        }
    };
    Ok(candidates
        .into_iter()
        .filter(|c| allowed.as_ref().is_none_or(|a| a[c.carrier_index as usize]))
        .map(|c| RouteCandidate {
            carrier: c.carrier.to_string(),
            carrier_id: loaded.carrier_ids[c.carrier_index as usize].clone(),
            prefix: c.prefix.to_string(),
            destination: c.destination.to_string(),
            rate: decimal(c.rate),
            rate_micro: c.rate,
            connection_fee: decimal(c.connection_fee),
            increments: format!("{}/{}", c.increments.initial, c.increments.subsequent),
            effective_from: chrono::DateTime::from_timestamp(c.effective_from, 0).map(time::to_db).unwrap_or_default(),
        })
        .collect())
}

/// Route lookup: the candidates for a number in routing order.
#[utoipa::path(get, path = "/api/v1/routing/lookup", tag = "routing", params(LookupQuery),
    responses((status = 200, body = [RouteCandidate]), (status = 422, body = Problem)))]
async fn lookup(State(state): State<AppState>, actor: Actor, Query(q): Query<LookupQuery>) -> ApiResult<Json<Vec<RouteCandidate>>> {
    actor.require(Permission::ConfigRead)?;
    Ok(Json(route(&state, &q.number, q.customer.as_deref(), q.at.as_deref()).await?))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct RateDeck {
    pub id: String,
    pub carrier_id: String,
    pub source: String,
    /// active (in force), superseded, rejected, queued or importing.
    pub status: String,
    pub row_count: i64,
    pub processed: i64,
    #[sqlx(skip)]
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
    pub created_at: String,
    pub created_by: Option<String>,
    #[serde(skip)]
    #[sqlx(rename = "report")]
    pub report_text: Option<String>,
}

/// A carrier's rate decks, newest first.
#[utoipa::path(get, path = "/api/v1/carriers/{id}/rate-decks", tag = "routing", params(PageQuery),
    responses((status = 200, body = Page<RateDeck>), (status = 404, body = Problem)))]
async fn list_decks(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Query(page): Query<PageQuery>) -> ApiResult<Json<Page<RateDeck>>> {
    actor.require(Permission::ConfigRead)?;
    carrier_exists(&state, &id).await?;
    let (total,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM rate_decks WHERE carrier_id = $1").bind(&id).fetch_one(state.db.pool()).await.map_err(Error::internal)?;
    let mut items: Vec<RateDeck> = sqlx::query_as(
        "SELECT id, carrier_id, source, status, row_count, processed, report, created_at, created_by FROM rate_decks
         WHERE carrier_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(&id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    for d in &mut items {
        d.report = d.report_text.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
    }
    Ok(Json(Page::new(items, total, page)))
}

async fn carrier_exists(state: &AppState, id: &str) -> Result<()> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT id FROM carriers WHERE id = $1").bind(id).fetch_optional(state.db.pool()).await.map_err(Error::internal)?;
    found.map(|_| ()).ok_or(Error::NotFound("carrier"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name; `.csv`, `.xlsx`, `.xls` or `.ods` decides how it is read.
    pub filename: String,
    /// Column mapping as JSON, e.g. `{"prefix":"Dial Code","rate":"Price"}`; detected when absent.
    pub mapping: Option<String>,
    /// Check and report only; store nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Import a rate deck (the request body is the file). Bad rows reject it whole, with a report;
/// otherwise it replaces the carrier's deck in force.
#[utoipa::path(post, path = "/api/v1/carriers/{id}/rate-decks", tag = "routing", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = ImportReport), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn upload_deck(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Query(q): Query<UploadQuery>, body: Bytes) -> ApiResult<(StatusCode, Json<ImportReport>)> {
    actor.require(Permission::ConfigManage)?;
    carrier_exists(&state, &id).await?;
    let mapping: Option<Mapping> = match &q.mapping {
        Some(m) => Some(serde_json::from_str(m).map_err(|_| Error::invalid("mapping", "must be a JSON object of column → header"))?),
        None => None,
    };
    let name = q.filename.clone();
    let parsed = tokio::task::spawn_blocking(move || deck::read(&name, &body, mapping)).await.map_err(Error::internal)??;
    if q.dry_run {
        let error_count = parsed.error_count;
        return Ok((
            StatusCode::OK,
            Json(ImportReport {
                deck_id: String::new(),
                carrier_id: id,
                status: if error_count == 0 { "checked".into() } else { "rejected".into() },
                rows: parsed.total,
                error_count,
                errors: parsed.errors,
                headers: parsed.headers,
                mapping: parsed.mapping,
                millis: 0,
            }),
        ));
    }
    let report = import::store(&state, &AuditActor::from(&actor), &id, &q.filename, parsed).await?;
    if report.status == "active" {
        state.routing.reload(&state.db).await?;
    }
    let status = if report.status == "active" { StatusCode::CREATED } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RateFilter {
    /// A prefix start or part of the destination name.
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Rate {
    pub prefix: String,
    pub destination: String,
    pub rate: i64,
    pub connection_fee: i64,
    pub initial_increment: i64,
    pub subsequent_increment: i64,
    pub effective_from: String,
}

/// The rates of the carrier's deck in force (rates in micro-units per minute).
#[utoipa::path(get, path = "/api/v1/carriers/{id}/rates", tag = "routing", params(RateFilter),
    responses((status = 200, body = Page<Rate>), (status = 404, body = Problem)))]
async fn list_rates(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Query(f): Query<RateFilter>) -> ApiResult<Json<Page<Rate>>> {
    actor.require(Permission::ConfigRead)?;
    carrier_exists(&state, &id).await?;
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let q = f.q.unwrap_or_default().trim().to_string();
    let (starts, contains) = (format!("{q}%"), format!("%{}%", q.to_lowercase()));
    let filter = "FROM rates r JOIN rate_decks d ON d.id = r.deck_id WHERE r.carrier_id = $1 AND d.status = 'active' AND (r.prefix LIKE $2 OR LOWER(r.destination) LIKE $3)";
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {filter}")))
        .bind(&id)
        .bind(&starts)
        .bind(&contains)
        .fetch_one(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT r.prefix, r.destination, r.rate, r.connection_fee, r.initial_increment, r.subsequent_increment, r.effective_from {filter}
         ORDER BY r.prefix, r.effective_from LIMIT $4 OFFSET $5"
    )))
    .bind(&id)
    .bind(&starts)
    .bind(&contains)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(Json(Page::new(items, total, page)))
}
