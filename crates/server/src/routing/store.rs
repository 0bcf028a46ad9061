//! The routing domain's own SQL for the HTTP API's reads: decks, rates in force, uploaded sell
//! rates. (Config records of routing kinds go through the change engine; deck imports through
//! `import`; the routing table through `table`.)

use didtron_db::{Bind, Db, Json, ListQuery, Result};
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
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM carriers WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    Ok(found.is_some())
}

/// A carrier's decks, newest first.
pub async fn decks(db: &Db, carrier_id: &str, page: PageQuery) -> Result<(Vec<StoredDeck>, i64)> {
    let q = ListQuery::new("id, carrier_id, source, status, row_count, processed, report, created_at, created_by", "FROM rate_decks")
        .filter("carrier_id = ?", [Bind::from(carrier_id)])
        .order_by("created_at DESC, id DESC");
    didtron_db::paged(db, &q, page.limit(), page.offset()).await
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
    didtron_db::paged(db, &query, page.limit(), page.offset()).await
}

/// An uploaded or derived rate card's source, when the card exists.
pub async fn rate_card_source(db: &Db, id: &str) -> Result<Option<String>> {
    let found: Option<(String,)> = sqlx::query_as("SELECT source FROM rate_cards WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    Ok(found.map(|f| f.0))
}

/// A voice tier's id from its id or code.
pub async fn voice_tier_id(db: &Db, id_or_code: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT id FROM voice_tiers WHERE id = $1 OR code = $2")
        .bind(id_or_code)
        .bind(id_or_code.to_lowercase())
        .fetch_optional(db.pool())
        .await?)
}

/// Every carrier's priority, by id.
pub async fn carrier_priorities(db: &Db) -> Result<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT id, priority FROM carriers").fetch_all(db.pool()).await?;
    Ok(rows.into_iter().collect())
}

/// Each measured carrier's ASR (per mille), ACD (s) and PDD (ms), by id.
pub async fn carrier_quality(db: &Db) -> Result<std::collections::HashMap<String, (i64, i64, i64)>> {
    let rows: Vec<(String, i64, i64, i64)> =
        sqlx::query_as("SELECT carrier_id, asr_permille, acd_seconds, pdd_ms FROM carrier_quality").fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(|(id, a, c, p)| (id, (a, c, p))).collect())
}

/// An uploaded card's rate for `digits` at `at`: the longest matching prefix, latest in force —
/// (rate, connection fee, initial and subsequent increment).
pub async fn uploaded_sell_rate(db: &Db, card: &str, digits: &str, at: &str) -> Result<Option<(i64, i64, i64, i64)>> {
    let prefixes: Vec<String> = (1..=digits.len()).map(|n| digits[..n].to_string()).collect();
    let marks = (0..prefixes.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT rate, connection_fee, initial_increment, subsequent_increment FROM sell_rates WHERE card_id = $1 AND effective_from <= $2 AND prefix IN ({marks})
         ORDER BY LENGTH(prefix) DESC, effective_from DESC LIMIT 1"
    );
    let mut q = sqlx::query_as::<_, (i64, i64, i64, i64)>(sqlx::AssertSqlSafe(sql)).bind(card).bind(at);
    for p in &prefixes {
        q = q.bind(p);
    }
    Ok(q.fetch_optional(db.pool()).await?)
}
