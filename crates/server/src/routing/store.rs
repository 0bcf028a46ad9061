//! The routing domain's own SQL for the HTTP API's reads: decks, rates in force, uploaded sell
//! rates. (Config records of routing kinds go through the change engine; deck imports through
//! `import`; the routing table through `table`.)

use didtron_core::Result;
use didtron_db::{Bind, Db, Json, ListQuery};
use serde_json::Value;

use crate::http::PageQuery;

/// A rate deck as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct StoredDeck {
    pub id: String,
    pub carrier_id: String,
    pub source: String,
    pub status: String,
    pub row_count: i64,
    pub processed: i64,
    pub report: Option<Json<Value>>,
    pub created_at: String,
    pub created_by: Option<String>,
}

pub async fn carrier_exists(db: &Db, id: &str) -> Result<bool> {
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM carriers WHERE id = $1").bind(id).fetch_optional(db.pool()).await.map_err(didtron_db::Error::from)?;
    Ok(found.is_some())
}

/// A carrier's decks, newest first.
pub async fn decks(db: &Db, carrier_id: &str, page: PageQuery) -> Result<(Vec<StoredDeck>, i64)> {
    let q = ListQuery::new("id, carrier_id, source, status, row_count, processed, report, created_at, created_by", "FROM rate_decks")
        .filter("carrier_id = ?", [Bind::from(carrier_id)])
        .order_by("created_at DESC, id DESC");
    Ok(didtron_db::paged(db, &q, page.limit(), page.offset()).await?)
}

/// A rate as listed (micro-units per minute and per call).
#[derive(Debug, sqlx::FromRow)]
pub struct StoredRate {
    pub prefix: String,
    pub destination: String,
    pub rate: i64,
    pub connection_fee: i64,
    pub initial_increment: i64,
    pub subsequent_increment: i64,
    pub effective_from: String,
}

/// Whose rates to list.
#[derive(Debug, Clone, Copy)]
pub enum RatesOf<'a> {
    /// The carrier's deck in force.
    CarrierInForce(&'a str),
    /// An uploaded customer rate card.
    SellCard(&'a str),
}

/// A page of rates, searched by prefix start or destination name, in prefix order.
pub async fn rates(db: &Db, of: RatesOf<'_>, q: Option<&str>, page: PageQuery) -> Result<(Vec<StoredRate>, i64)> {
    const COLUMNS: &str = "r.prefix, r.destination, r.rate, r.connection_fee, r.initial_increment, r.subsequent_increment, r.effective_from";
    let query = match of {
        RatesOf::CarrierInForce(carrier) => ListQuery::new(COLUMNS, "FROM rates r JOIN rate_decks d ON d.id = r.deck_id")
            .filter("r.carrier_id = ? AND d.status = 'active'", [Bind::from(carrier)]),
        RatesOf::SellCard(card) => ListQuery::new(COLUMNS, "FROM sell_rates r").filter("r.card_id = ?", [Bind::from(card)]),
    };
    let q = q.unwrap_or_default().trim();
    let query = query
        .filter("r.prefix LIKE ? OR LOWER(r.destination) LIKE ?", [Bind::Text(format!("{q}%")), Bind::Text(format!("%{}%", q.to_lowercase()))])
        .order_by("r.prefix, r.effective_from");
    Ok(didtron_db::paged(db, &query, page.limit(), page.offset()).await?)
}

/// An uploaded or derived rate card's source, when the card exists.
pub async fn rate_card_source(db: &Db, id: &str) -> Result<Option<String>> {
    let found: Option<(String,)> = sqlx::query_as("SELECT source FROM rate_cards WHERE id = $1").bind(id).fetch_optional(db.pool()).await.map_err(didtron_db::Error::from)?;
    Ok(found.map(|f| f.0))
}
