//! Customer (sell) rate cards: carrier rates plus a margin (percent or fixed per minute, globally or
//! per destination prefix), or rates uploaded as a file. Assigned by scope: the most specific card
//! that reaches a customer prices their calls.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::{Error, Result};
use didtron_core::error::Validation;
use didtron_core::scope::Choice;
use didtron_telecom::lcr::Margin;
use didtron_telecom::prefix::Prefix;
use serde_json::{Map, Value, json};

use super::deck::DeckRow;
use crate::state::AppState;
use crate::changes::audit::{self, AuditActor, Entry};
use crate::changes::fields;
use crate::changes::kinds::{ColType, ConfigKind, KindSpec, col};

pub struct RateCards;

static RATE_CARD: KindSpec = KindSpec {
    kind: "rate_card",
    label: "Rate card",
    table: "rate_cards",
    columns: &[
        col("code", ColType::Text),
        col("name", ColType::Text),
        col("source", ColType::Text),
        col("currency", ColType::Text),
        col("margin_type", ColType::Text),
        col("margin", ColType::Int),
        col("overrides", ColType::Json),
        col("status", ColType::Text),
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

fn check_margin(kind: &str, value: i64) -> std::result::Result<(), String> {
    let (lo, hi) = if kind == "percent" { PERCENT_RANGE } else { FIXED_RANGE };
    if value < lo || value > hi {
        return Err(if kind == "percent" { "a percent margin must be between -100 % and 1000 %".into() } else { "a fixed margin must be between -100 and 100 per minute".into() });
    }
    Ok(())
}

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

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 80);
        fields::one_of(&mut v, f, "source", &["derived", "uploaded"], Some("derived"));
        fields::currency(&mut v, f, "currency");
        let kind = fields::one_of(&mut v, f, "margin_type", &["percent", "fixed"], Some("percent"));
        let margin = fields::int(&mut v, f, "margin", i64::MIN, i64::MAX, Some(0));
        if let Err(m) = check_margin(&kind, margin) {
            v.add("margin", m);
        }
        let mut clean = Vec::new();
        let mut seen = std::collections::HashSet::new();
        match f.get("overrides") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let at = format!("overrides[{i}]");
                    let prefix = item.get("prefix").and_then(Value::as_str).map(|p| p.trim().trim_start_matches('+').to_string()).unwrap_or_default();
                    let kind = item.get("margin_type").and_then(Value::as_str).unwrap_or("percent");
                    let margin = item.get("margin").and_then(Value::as_i64);
                    if Prefix::parse(&prefix).is_none() {
                        v.add(format!("{at}.prefix"), "must be 1–15 digits");
                    } else if !seen.insert(prefix.clone()) {
                        v.add(format!("{at}.prefix"), format!("{prefix} is listed twice"));
                    }
                    if kind != "percent" && kind != "fixed" {
                        v.add(format!("{at}.margin_type"), "must be one of: percent, fixed");
                    }
                    match margin {
                        None => v.add(format!("{at}.margin"), "must be a whole number"),
                        Some(m) => {
                            if let Err(message) = check_margin(kind, m) {
                                v.add(format!("{at}.margin"), message);
                            }
                        }
                    }
                    clean.push(json!({"prefix": prefix, "margin_type": kind, "margin": margin.unwrap_or(0)}));
                }
            }
            Some(_) => v.add("overrides", "must be a list of {prefix, margin_type, margin}"),
        }
        f.insert("overrides".into(), Value::Array(clean));
        fields::one_of(&mut v, f, "status", &["active", "disabled"], Some("active"));
        v.finish()
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
