//! The route list for a call: the routing table's candidates for the number, narrowed to the
//! carriers the customer may use, then ordered by the engine (`telecom::lcr`) with the customer's
//! rate card, LCR profile and the route that matches. Configuration is read per lookup (it is
//! small); the rates come from the in-memory table.

use std::collections::HashMap;

use didtron_core::money::{Money, Rate};
use didtron_core::number::E164;
use didtron_core::{Error, Result, time};
use didtron_telecom::lcr::{self, CarrierFacts, Exclusion, Member, SellCard, SellRate};
use didtron_telecom::prefix::Prefix;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::lcr_profiles::profile_of;
use super::rate_cards::{margin_of, overrides_of};
use super::route_groups::members_of;
use super::store;
use crate::state::AppState;
use crate::changes::assignments::{self, KindAssignments};
use crate::changes::records;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RouteCandidate {
    pub carrier: String,
    pub carrier_id: String,
    /// The carrier's longest prefix that matches the number.
    pub prefix: String,
    pub destination: String,
    /// The buy rate per minute, a decimal string.
    #[schema(value_type = String, example = "0.0125")]
    pub rate: Rate,
    /// The same in micro-units (exact).
    pub rate_micro: i64,
    /// Per call, a decimal string.
    #[schema(value_type = String, example = "0")]
    pub connection_fee: Money,
    /// Billing increments, e.g. "60/60".
    pub increments: String,
    pub effective_from: String,
    /// What the customer pays per minute (with a rate card), a decimal string.
    #[schema(value_type = Option<String>, example = "0.015")]
    pub sell_rate: Option<Rate>,
    pub sell_rate_micro: Option<i64>,
    /// Sell minus buy per minute, a decimal string.
    #[schema(value_type = Option<String>, example = "0.0025")]
    pub margin: Option<Rate>,
    pub margin_micro: Option<i64>,
    /// 1 = primary, 2 = first backup, … when the carrier comes from the matching route.
    pub route_order: Option<u32>,
    /// Load-share percent among the route's carriers of the same order.
    pub share: Option<u32>,
    /// Kept although its margin is below the profile's minimum (the profile allows it).
    pub below_margin: bool,
    /// A call at each reference duration (a short and a typical one), with the connection fee,
    /// increments and minimum applied: what the order and the margin guard went by.
    pub calls: Vec<CallQuote>,
}

/// One call of a reference duration: what it costs, sells for and earns (decimal strings).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CallQuote {
    /// Seconds.
    pub duration: u32,
    #[schema(value_type = String, example = "0.21")]
    pub cost: Money,
    #[schema(value_type = Option<String>)]
    pub sell: Option<Money>,
    #[schema(value_type = Option<String>)]
    pub margin: Option<Money>,
}

impl From<lcr::CallCost> for CallQuote {
    fn from(c: lcr::CallCost) -> CallQuote {
        CallQuote { duration: c.duration, cost: Money::from_micros(c.cost), sell: c.sell.map(Money::from_micros), margin: c.margin.map(Money::from_micros) }
    }
}

/// A carrier with a rate that was left out, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Excluded {
    pub carrier: String,
    pub carrier_id: String,
    pub reason: String,
}

/// A record that shaped the plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Used {
    pub id: String,
    pub name: String,
}

/// The route list with what decided it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoutePlan {
    pub number: String,
    pub at: String,
    pub candidates: Vec<RouteCandidate>,
    pub excluded: Vec<Excluded>,
    pub profile: Option<Used>,
    pub rate_card: Option<Used>,
    pub route: Option<Used>,
}


struct Stored {
    id: String,
    name: String,
    fields: serde_json::Map<String, Value>,
}

/// Every active record of a kind, in its list order (rate cards and profiles by name).
async fn active(state: &AppState, kind: &str) -> Result<Vec<Stored>> {
    let spec = state.kinds.get(kind)?.spec();
    Ok(records::all(&state.db, spec, Some(("status", "active")))
        .await?
        .into_iter()
        .map(|fields| {
            let text = |k: &str| fields.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            Stored { id: text("id"), name: text("name"), fields }
        })
        .collect())
}

/// The assignments of every record of a kind, from the one assignment service.
async fn assigned_of(state: &AppState, kind: &str) -> Result<KindAssignments> {
    KindAssignments::load(state, state.kinds.get(kind)?.spec()).await
}

/// The ordered route list for (customer, number, tier, time).
pub async fn plan(state: &AppState, number: &str, customer: Option<&str>, tier: Option<&str>, at: Option<&str>) -> Result<RoutePlan> {
    let at = match at {
        Some(raw) if !raw.trim().is_empty() => time::from_db(raw.trim()).ok_or_else(|| Error::invalid("at", "must be an RFC 3339 time"))?,
        _ => time::now(),
    };
    // People write numbers with spaces, dots, dashes, brackets and 00 for +.
    let number = E164::dialled(number).map_err(|m| Error::invalid("number", m))?;
    let number = number.digits_only();
    let dialled = Prefix::parse(number).ok_or_else(|| Error::invalid("number", "must be 1–15 digits, optionally with a leading +"))?;
    let loaded = state.routing.current();
    let table = &loaded.table;
    let candidates = table.lookup(number, at.timestamp()).unwrap_or_default();
    let index: HashMap<&str, u32> = loaded.carrier_ids.iter().enumerate().map(|(i, id)| (id.as_str(), i as u32)).collect();

    // Who is calling. Without a customer, only records assigned to everyone apply.
    let placement = match customer {
        None => assignments::anyone(),
        Some(id) => assignments::placement_of(state, id).await.map_err(|e| match e {
            Error::NotFound(_) => Error::invalid("customer", "no such customer"),
            other => other,
        })?,
    };
    let tier_id = match tier.map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => {
            Some(store::voice_tier_id(&state.db, t).await?.ok_or_else(|| Error::invalid("tier", "no such voice tier"))?)
        }
    };

    // The route that matches: longest prefix, then most specific assignment, then lowest priority.
    let routes = active(state, "route").await?;
    let route_assignments = assigned_of(state, "route").await?;
    let route = routes
        .iter()
        .filter(|r| r.fields.get("prefix").and_then(Value::as_str).and_then(Prefix::parse).is_some_and(|p| p.matches(dialled)))
        .filter(|r| match r.fields.get("tier_id").and_then(Value::as_str) {
            None => true,
            Some(t) => tier_id.as_deref() == Some(t),
        })
        .filter_map(|r| route_assignments.reaches(&r.id, &placement).map(|level| (r, level)))
        .max_by_key(|(r, level)| {
            let len = r.fields.get("prefix").and_then(Value::as_str).map(str::len).unwrap_or(0);
            let priority = r.fields.get("priority").and_then(Value::as_i64).unwrap_or(0);
            (len, *level, std::cmp::Reverse(priority), std::cmp::Reverse(r.id.clone()))
        })
        .map(|(r, _)| r);
    let engine_route = match route {
        None => None,
        Some(r) => {
            let members: Vec<Member> = match (r.fields.get("carrier_id").and_then(Value::as_str), r.fields.get("route_group_id").and_then(Value::as_str)) {
                (Some(c), _) => index.get(c).map(|&i| Member { carrier: i, order: 1, share: 100 }).into_iter().collect(),
                (None, Some(g)) => {
                    let value = super::route_groups::active_members(state, g).await?;
                    members_of(&value, |id| index.get(id).copied())
                }
                (None, None) => Vec::new(),
            };
            let failover = r.fields.get("failover").and_then(Value::as_bool).unwrap_or(true);
            Some(lcr::Route { members, failover })
        }
    };

    // Carriers the customer may use: those assigned to them, plus the matching route's own.
    let candidates = if customer.is_some() {
        let carrier_assignments = assigned_of(state, "carrier").await?;
        let in_route = |c: u32| engine_route.as_ref().is_some_and(|r| r.members.iter().any(|m| m.carrier == c));
        candidates
            .into_iter()
            .filter(|c| in_route(c.carrier_index) || carrier_assignments.reaches(&loaded.carrier_ids[c.carrier_index as usize], &placement).is_some())
            .collect()
    } else {
        candidates
    };

    // The profile and the rate card that reach the customer most specifically; of two at the same
    // level, the first by name.
    let profiles = active(state, "lcr_profile").await?;
    let profile_id = assigned_of(state, "lcr_profile").await?.setting_among(profiles.iter().map(|p| p.id.as_str()), &placement);
    let profile = profiles.iter().find(|p| Some(&p.id) == profile_id.as_ref());
    let engine_profile = profile.map(|p| profile_of(&p.fields)).unwrap_or_default();
    let cards = active(state, "rate_card").await?;
    let card_id = assigned_of(state, "rate_card").await?.setting_among(cards.iter().map(|c| c.id.as_str()), &placement);
    let card = cards.iter().find(|c| Some(&c.id) == card_id.as_ref());
    let sell = match card {
        None => SellCard::None,
        Some(c) if c.fields.get("source").and_then(Value::as_str) == Some("uploaded") => SellCard::Uploaded(uploaded_rate(state, &c.id, dialled, &time::to_db(at)).await?),
        Some(c) => SellCard::Derived {
            default: margin_of(c.fields.get("margin_type").and_then(Value::as_str).unwrap_or("percent"), c.fields.get("margin").and_then(Value::as_i64).unwrap_or(0)),
            overrides: overrides_of(c.fields.get("overrides").unwrap_or(&Value::Null)),
        },
    };

    // What the ordering needs about each carrier.
    let priorities = store::carrier_priorities(&state.db).await?;
    let quality = store::carrier_quality(&state.db).await?;
    let facts: Vec<CarrierFacts> = loaded
        .carrier_ids
        .iter()
        .enumerate()
        .map(|(i, id)| CarrierFacts {
            rank: table.rank(i as u32),
            priority: priorities.get(id).copied().unwrap_or(100),
            quality: quality.get(id).map(|&(a, c, p)| lcr::quality_score(a, c, p)),
        })
        .collect();

    let planned = lcr::plan(dialled, &candidates, &facts, &sell, &engine_profile, engine_route.as_ref());
    let by_carrier: HashMap<u32, &didtron_telecom::routing::Candidate<'_>> = candidates.iter().map(|c| (c.carrier_index, c)).collect();
    let out = planned
        .candidates
        .iter()
        .filter_map(|p| {
            let c = by_carrier.get(&p.carrier)?;
            Some(RouteCandidate {
                carrier: c.carrier.to_string(),
                carrier_id: loaded.carrier_ids[c.carrier_index as usize].clone(),
                prefix: c.prefix.to_string(),
                destination: c.destination.to_string(),
                rate: Rate::from_micros(c.rate),
                rate_micro: c.rate,
                connection_fee: Money::from_micros(c.connection_fee),
                increments: format!("{}/{}", c.increments.initial, c.increments.subsequent),
                effective_from: chrono::DateTime::from_timestamp(c.effective_from, 0).map(time::to_db).unwrap_or_default(),
                sell_rate: p.sell.map(Rate::from_micros),
                sell_rate_micro: p.sell,
                margin: p.margin.map(Rate::from_micros),
                margin_micro: p.margin,
                route_order: p.route_order,
                share: p.share,
                below_margin: p.below_margin,
                calls: lcr::call_costs(dialled, c, &sell, &lcr::REFERENCE_DURATIONS).into_iter().map(CallQuote::from).collect(),
            })
        })
        .collect();
    let excluded = planned
        .excluded
        .iter()
        .map(|(c, why)| Excluded {
            carrier: table.carriers()[*c as usize].clone(),
            carrier_id: loaded.carrier_ids[*c as usize].clone(),
            reason: match why {
                Exclusion::BelowMargin { call: Some(call), .. } => format!(
                    "a {} s call costs {} and sells for {}: its margin {} is below the profile's minimum",
                    call.duration,
                    Money::from_micros(call.cost),
                    Money::from_micros(call.sell.unwrap_or_default()),
                    Money::from_micros(call.margin.unwrap_or_default())
                ),
                Exclusion::BelowMargin { margin, call: None } => format!("margin {} per minute is below the profile's minimum", Rate::from_micros(*margin)),
                Exclusion::NoSellRate => "the customer's rate card has no rate for this number".into(),
                Exclusion::NotInRoute => "the matching route has no failover to other carriers".into(),
            },
        })
        .collect();
    Ok(RoutePlan {
        number: dialled.to_string(),
        at: time::to_db(at),
        candidates: out,
        excluded,
        profile: profile.map(|p| Used { id: p.id.clone(), name: p.name.clone() }),
        rate_card: card.map(|c| Used { id: c.id.clone(), name: c.name.clone() }),
        route: route.map(|r| Used { id: r.id.clone(), name: r.name.clone() }),
    })
}

/// An uploaded card's sell rate for the number at `at`: its longest prefix, latest in force, with
/// its connection fee and increments.
async fn uploaded_rate(state: &AppState, card: &str, number: Prefix, at: &str) -> Result<Option<SellRate>> {
    let found = store::uploaded_sell_rate(&state.db, card, &number.to_string(), at).await?;
    Ok(found.map(|(rate, connection_fee, initial, subsequent)| {
        let increments = didtron_telecom::rating::Increments::new(u32::try_from(initial).unwrap_or(60), u32::try_from(subsequent).unwrap_or(60));
        SellRate { rate, connection_fee, increments: increments.unwrap_or(SellRate::per_minute(rate).increments) }
    }))
}
