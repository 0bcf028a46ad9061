//! HTTP for routing: route lookup, rate deck import and history, rate search.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use didtron_core::access::Permission;
use didtron_core::{Error, Result};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::deck::{self, Mapping};
use super::import::{self, ImportReport};
use super::lookup::{self, RouteCandidate, RoutePlan};
use super::store::{self, RatesOf};
use crate::state::AppState;
use crate::changes::audit::AuditActor;
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};
use crate::http::caller::Actor;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lookup))
        .routes(routes!(explain))
        .routes(routes!(list_sell_rates, upload_sell_rates))
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
    /// A voice tier (id or code): routes for that tier apply, besides routes for every tier.
    pub tier: Option<String>,
    /// The moment to route at (RFC 3339); now by default.
    pub at: Option<String>,
}

/// Route lookup: the candidates for a number in routing order, with buy rate, sell rate and margin.
/// Without a customer (and no profile assigned to everyone) the order is cheapest first.
#[utoipa::path(get, path = "/api/v1/routing/lookup", tag = "routing", params(LookupQuery),
    responses((status = 200, body = [RouteCandidate]), (status = 422, body = Problem)))]
async fn lookup(State(state): State<AppState>, _ready: crate::ops::readiness::Ready, actor: Actor, Query(q): Query<LookupQuery>) -> ApiResult<Json<Vec<RouteCandidate>>> {
    actor.require(Permission::ConfigRead)?;
    Ok(Json(lookup::plan(&state, &q.number, q.customer.as_deref(), q.tier.as_deref(), q.at.as_deref()).await?.candidates))
}

/// The route list with what decided it: the LCR profile, rate card and route used, and the
/// carriers left out with the reason.
#[utoipa::path(get, path = "/api/v1/routing/explain", tag = "routing", params(LookupQuery),
    responses((status = 200, body = RoutePlan), (status = 422, body = Problem)))]
async fn explain(State(state): State<AppState>, _ready: crate::ops::readiness::Ready, actor: Actor, Query(q): Query<LookupQuery>) -> ApiResult<Json<RoutePlan>> {
    actor.require(Permission::ConfigRead)?;
    Ok(Json(lookup::plan(&state, &q.number, q.customer.as_deref(), q.tier.as_deref(), q.at.as_deref()).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RateDeck {
    pub id: String,
    pub carrier_id: String,
    pub source: String,
    /// active (in force), superseded, rejected, queued or importing.
    pub status: String,
    pub row_count: i64,
    pub processed: i64,
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
    pub created_at: String,
    pub created_by: Option<String>,
}

impl From<store::StoredDeck> for RateDeck {
    fn from(d: store::StoredDeck) -> RateDeck {
        RateDeck {
            id: d.id,
            carrier_id: d.carrier_id,
            source: d.source,
            status: d.status,
            row_count: d.row_count,
            processed: d.processed,
            report: d.report.map(didtron_db::Json::into_inner).unwrap_or_default(),
            created_at: d.created_at,
            created_by: d.created_by,
        }
    }
}

/// A carrier's rate decks, newest first.
#[utoipa::path(get, path = "/api/v1/carriers/{id}/rate-decks", tag = "routing", params(PageQuery),
    responses((status = 200, body = Page<RateDeck>), (status = 404, body = Problem)))]
async fn list_decks(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Query(page): Query<PageQuery>) -> ApiResult<Json<Page<RateDeck>>> {
    actor.require(Permission::ConfigRead)?;
    carrier_exists(&state, &id).await?;
    let (items, total) = store::decks(&state.db, &id, page).await?;
    Ok(Json(Page::new(items.into_iter().map(RateDeck::from).collect(), total, page)))
}

async fn carrier_exists(state: &AppState, id: &str) -> Result<()> {
    if store::carrier_exists(&state.db, id).await? { Ok(()) } else { Err(Error::NotFound("carrier")) }
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
    /// Import through the job queue and answer at once (202) with the queued deck, whose status
    /// and phase show the progress; for large files.
    #[serde(default)]
    pub background: bool,
    /// The sheet of a workbook to read (by name); by default the first with a recognisable header.
    pub sheet: Option<String>,
    /// Import although columns that look important (a currency, a date, a fee) are not imported.
    #[serde(default)]
    pub accept_warnings: bool,
}

impl UploadQuery {
    /// The column mapping given with the upload, if any.
    fn mapping(&self) -> Result<Option<Mapping>> {
        self.mapping.as_deref().map(|m| serde_json::from_str(m).map_err(|_| Error::invalid("mapping", "must be a JSON object of column → header"))).transpose()
    }
}

/// Import a rate deck (the request body is the file). Bad rows reject it whole, with a report;
/// otherwise it replaces the carrier's deck in force.
#[utoipa::path(post, path = "/api/v1/carriers/{id}/rate-decks", tag = "routing", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = ImportReport), (status = 202, body = ImportReport), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn upload_deck(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Query(q): Query<UploadQuery>, body: Bytes) -> ApiResult<(StatusCode, Json<ImportReport>)> {
    actor.require(Permission::ConfigManage)?;
    carrier_exists(&state, &id).await?;
    let options = deck::ReadOptions { mapping: q.mapping()?, sheet: q.sheet.clone(), accept_warnings: q.accept_warnings };
    if q.background && !q.dry_run {
        let deck_id = import::enqueue(&state, &AuditActor::from(&actor), &id, &q.filename, &options, &body).await?;
        return Ok((StatusCode::ACCEPTED, Json(ImportReport::queued(deck_id, id, options.mapping.unwrap_or_default()))));
    }
    let parsed = deck::read_off_thread(q.filename.clone(), body, options).await?;
    if q.dry_run {
        return Ok((StatusCode::OK, Json(ImportReport::checked(id, &parsed))));
    }
    let report = import::store(&state, &AuditActor::from(&actor), &id, &q.filename, parsed, None).await?;
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

#[derive(Debug, Serialize, ToSchema)]
pub struct Rate {
    pub prefix: String,
    pub destination: String,
    /// Per minute, a decimal string.
    #[schema(value_type = String, example = "0.0125")]
    pub rate: didtron_core::money::Rate,
    /// The same in micro-units (exact).
    pub rate_micro: i64,
    /// Per call, a decimal string.
    #[schema(value_type = String, example = "0")]
    pub connection_fee: didtron_core::money::Money,
    pub connection_fee_micro: i64,
    pub initial_increment: i64,
    pub subsequent_increment: i64,
    pub effective_from: String,
}

impl From<store::StoredRate> for Rate {
    fn from(r: store::StoredRate) -> Rate {
        Rate {
            prefix: r.prefix,
            destination: r.destination,
            rate: didtron_core::money::Rate::from_micros(r.rate),
            rate_micro: r.rate,
            connection_fee: didtron_core::money::Money::from_micros(r.connection_fee),
            connection_fee_micro: r.connection_fee,
            initial_increment: r.initial_increment,
            subsequent_increment: r.subsequent_increment,
            effective_from: r.effective_from,
        }
    }
}

/// The rates of the carrier's deck in force.
#[utoipa::path(get, path = "/api/v1/carriers/{id}/rates", tag = "routing", params(RateFilter),
    responses((status = 200, body = Page<Rate>), (status = 404, body = Problem)))]
async fn list_rates(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Query(f): Query<RateFilter>) -> ApiResult<Json<Page<Rate>>> {
    actor.require(Permission::ConfigRead)?;
    carrier_exists(&state, &id).await?;
    Ok(Json(search_rates(&state, RatesOf::CarrierInForce(&id), f).await?))
}

async fn search_rates(state: &AppState, of: RatesOf<'_>, f: RateFilter) -> Result<Page<Rate>> {
    let page = PageQuery { limit: f.limit, offset: f.offset };
    let (items, total) = store::rates(&state.db, of, f.q.as_deref(), page).await?;
    Ok(Page::new(items.into_iter().map(Rate::from).collect(), total, page))
}

async fn rate_card_source(state: &AppState, id: &str) -> Result<String> {
    store::rate_card_source(&state.db, id).await?.ok_or(Error::NotFound("rate card"))
}

/// The rates of an uploaded customer rate card.
#[utoipa::path(get, path = "/api/v1/rate-cards/{id}/rates", tag = "routing", params(RateFilter),
    responses((status = 200, body = Page<Rate>), (status = 404, body = Problem)))]
async fn list_sell_rates(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Query(f): Query<RateFilter>) -> ApiResult<Json<Page<Rate>>> {
    actor.require(Permission::ConfigRead)?;
    rate_card_source(&state, &id).await?;
    Ok(Json(search_rates(&state, RatesOf::SellCard(&id), f).await?))
}

/// Upload the rates of a customer rate card whose source is `uploaded` (the body is the file, in
/// the same formats and columns as a carrier deck). Bad rows reject it whole; otherwise the file's
/// rates replace the card's.
#[utoipa::path(post, path = "/api/v1/rate-cards/{id}/rates", tag = "routing", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = ImportReport), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn upload_sell_rates(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Query(q): Query<UploadQuery>, body: Bytes) -> ApiResult<(StatusCode, Json<ImportReport>)> {
    actor.require(Permission::ConfigManage)?;
    if rate_card_source(&state, &id).await? != "uploaded" {
        return Err(Error::invalid("source", "this card is derived from carrier rates; set its source to uploaded to upload rates").into());
    }
    let options = deck::ReadOptions { mapping: q.mapping()?, sheet: q.sheet.clone(), accept_warnings: q.accept_warnings };
    let started = std::time::Instant::now();
    let parsed = deck::read_off_thread(q.filename.clone(), body, options).await?;
    let checked = parsed.error_count == 0 && !parsed.rows.is_empty();
    let mut report = ImportReport::checked(String::new(), &parsed);
    report.status = if checked { "checked".into() } else { "rejected".into() };
    if parsed.rows.is_empty() && parsed.error_count == 0 {
        report.error_count = 1;
        report.errors.push(deck::RowError { line: 1, column: "file".into(), message: "the file has no rates".into() });
    }
    if !checked {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(report)));
    }
    if q.dry_run {
        return Ok((StatusCode::OK, Json(report)));
    }
    super::rate_cards::replace_rates(&state, &AuditActor::from(&actor), &id, &q.filename, &parsed.rows).await?;
    report.status = "active".into();
    report.millis = started.elapsed().as_millis();
    Ok((StatusCode::CREATED, Json(report)))
}
