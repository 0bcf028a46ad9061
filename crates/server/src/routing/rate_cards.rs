//! Customer (sell) rate cards: carrier rates plus a margin (percent or fixed per minute, globally or
//! per destination prefix), or rates uploaded as a file. Assigned by scope: the most specific card
//! that reaches a customer prices their calls.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::scope::Choice;
use didtron_core::{Error, Result};
use didtron_telecom::lcr::Margin;
use didtron_telecom::prefix::Prefix;
use serde_json::{Value, json};

use super::deck::DeckRow;
use crate::changes::audit::{self, AuditActor, Entry};
use crate::changes::fields::{Range, Ranges, Rows, code, currency, int_by, one_of, prefix, rows, status, text};
use crate::changes::kinds::{ConfigKind, KindSpec};
use crate::state::AppState;

pub struct RateCards;

static RATE_CARD: KindSpec = KindSpec {
    kind: "rate_card",
    label: "Rate card",
    table: "rate_cards",
    fields: &[
        code("code"),
        text("name", 80).required(),
        one_of("source", &["derived", "uploaded"])
            .default_text("derived")
            .about("derived: each carrier's buy rate plus the margin; uploaded: one sell rate per prefix, from a file."),
        currency("currency"),
        one_of("margin_type", MARGIN_TYPES).default_text("percent").about("percent of the buy rate, or a fixed amount per minute."),
        int_by("margin", PERCENT_RANGE.0, PERCENT_RANGE.1, &MARGIN)
            .default_int(0)
            .about("Added to every buy rate: millionths of a percent (20 % = 20000000) or micro-units per minute."),
        rows("overrides", &OVERRIDES).about("A different margin for numbers starting with a prefix; the longest matching prefix wins."),
        status(),
    ],
    search: &["name", "code"],
    order_by: "name, id",
    unique: &["code", "name"],
    choice: Some(Choice::One),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

/// Margins are bounded so a typo cannot price calls at a thousand times cost: percent from −100 %
/// to +1,000 % (millionths of a percent), fixed up to 100 units per minute (micro-units).
const PERCENT_RANGE: (i64, i64) = (-100_000_000, 1_000_000_000);
const FIXED_RANGE: (i64, i64) = (-100_000_000, 100_000_000);
const MARGIN_TYPES: &[&str] = &["percent", "fixed"];

/// A margin's bounds follow its type (the field beside it: the card's, or the override's).
static MARGIN: Ranges = Ranges {
    by: "margin_type",
    ranges: &[
        Range { when: "percent", min: PERCENT_RANGE.0, max: PERCENT_RANGE.1, message: "a percent margin must be between -100 % and 1000 %" },
        Range { when: "fixed", min: FIXED_RANGE.0, max: FIXED_RANGE.1, message: "a fixed margin must be between -100 and 100 per minute" },
    ],
};

/// Per-prefix margins; a card may have this many.
static OVERRIDES: Rows = Rows {
    fields: &[
        prefix("prefix"),
        one_of("margin_type", MARGIN_TYPES).default_text("percent"),
        int_by("margin", PERCENT_RANGE.0, PERCENT_RANGE.1, &MARGIN),
    ],
    max_items: 500,
    noun: "override",
    unique: Some(("prefix", "{} is listed twice")),
    empty: "add at least one override",
    table: None,
};

/// The margin a `margin_type` / `margin` pair stands for.
pub fn margin_of(kind: &str, value: i64) -> Margin {
    if kind == "fixed" { Margin::Fixed(value) } else { Margin::Percent(value) }
}

/// The per-prefix overrides of a stored card.
pub fn overrides_of(raw: &Value) -> Vec<(Prefix, Margin)> {
    raw.as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| {
            let prefix = Prefix::parse(o.get("prefix")?.as_str()?)?;
            Some((prefix, margin_of(o.get("margin_type")?.as_str()?, o.get("margin")?.as_i64()?)))
        })
        .collect()
}

#[async_trait]
impl ConfigKind for RateCards {
    fn spec(&self) -> &'static KindSpec {
        &RATE_CARD
    }
}

/// Replaces an uploaded card's rates with `rows`, in one transaction, with an audit entry.
pub async fn replace_rates(state: &AppState, actor: &AuditActor, card_id: &str, source: &str, rows: &[DeckRow]) -> Result<()> {
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sell_rates WHERE card_id = $1").bind(card_id).fetch_one(&mut *tx).await.map_err(Error::internal)?;
    sqlx::query("DELETE FROM sell_rates WHERE card_id = $1").bind(card_id).execute(&mut *tx).await.map_err(Error::internal)?;
    // 8 values a row; 500 rows keep a statement under both engines' parameter limits.
    for chunk in rows.chunks(500) {
        let sql = state.db.backend().multi_row_insert(
            "sell_rates (card_id, prefix, destination, rate, connection_fee, initial_increment, subsequent_increment, effective_from)",
            8,
            chunk.len(),
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q
                .bind(card_id)
                .bind(&r.prefix)
                .bind(&r.destination)
                .bind(r.rate)
                .bind(r.connection_fee)
                .bind(r.initial_increment)
                .bind(r.subsequent_increment)
                .bind(&r.effective_from);
        }
        q.execute(&mut *tx).await.map_err(Error::internal)?;
    }
    let entry = Entry {
        action: "rate_card.upload",
        target_kind: "rate_card",
        target_id: Some(card_id),
        old: Some(json!({"rows": before})),
        new: Some(json!({"rows": rows.len(), "source": source})),
    };
    audit::record(&mut *tx, actor, entry).await?;
    tx.commit().await.map_err(Error::internal)?;
    Ok(())
}
