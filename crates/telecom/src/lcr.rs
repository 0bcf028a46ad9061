//! Least-cost routing: turning the routing table's candidates for a call into the order the switch
//! tries them, with each candidate's sell rate and margin.
//!
//! The steps, in order:
//! 1. **Sell rate.** From the customer's rate card: derived cards add a margin (percent or fixed per
//!    minute, the longest matching per-prefix override first, else the card's default) to each
//!    carrier's buy rate; uploaded cards give one sell rate for the number, the same for every
//!    carrier. Without a card there is no sell rate and no margin.
//! 2. **Real cost.** A per-minute rate alone hides what a call costs: a connection fee, a long
//!    initial increment or a minimum duration make a short call dear. So each candidate is priced
//!    as whole calls at the reference durations (`REFERENCE_DURATIONS`: a short and a typical call),
//!    with its fee, increments, grace and minimum (`rating`), and so is the customer's sell price.
//!    Amounts are exact: 60 × micro-units, so no rounding decides an order.
//! 3. **Margin guard.** A candidate whose margin on any reference call is below the profile's
//!    minimum (a margin per minute, so `min_margin × duration / 60` for the call) is left out (and
//!    reported), unless the profile allows routing below it; then it stays, marked.
//! 4. **Strategy.** Pure cost (the cost of the reference calls, cheapest first), priority (the
//!    carrier's priority number, lowest first, then cost) or quality-weighted (cost raised by how far
//!    the carrier's quality score falls short of 1, scaled by the profile's quality weight).
//! 5. **Route.** A matching route puts its carriers first, in their order (1 = primary, 2 = first
//!    backup…; carriers of equal order share the load by their percentages, the biggest share
//!    first). With failover the other carriers follow in strategy order; without it they are left out.
//!
//! Ties: equal costs go by the carrier's priority (lower first), then by name without regard to case
//! (the table's `rank`), so the same inputs always give the same order.

use crate::prefix::Prefix;
use crate::rating::Increments;
use crate::routing::Candidate;

/// The call durations, in seconds, at which candidates are priced for ordering and the margin
/// guard: a short call (where fees and initial increments weigh most) and a typical one.
pub const REFERENCE_DURATIONS: [u32; 2] = [60, 180];

/// A margin added to a buy rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Margin {
    /// Millionths of a percent: 15_000_000 is 15 %.
    Percent(i64),
    /// Micro-units per minute.
    Fixed(i64),
}

impl Margin {
    /// The sell rate for a buy rate, in micro-units per minute (percent rounded half up to the
    /// micro-unit).
    pub fn sell(&self, buy: i64) -> i64 {
        match *self {
            Margin::Fixed(add) => buy.saturating_add(add),
            Margin::Percent(p) => {
                let scale: i128 = 100_000_000; // 100 % in millionths of a percent
                let num = buy as i128 * (scale + p as i128);
                let rounded = if num >= 0 { (num + scale / 2) / scale } else { (num - scale / 2) / scale };
                rounded.clamp(i64::MIN as i128, i64::MAX as i128) as i64
            }
        }
    }
}

/// An uploaded sell rate: per minute, per call, and its own increments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SellRate {
    /// Micro-units per minute.
    pub rate: i64,
    /// Micro-units per call.
    pub connection_fee: i64,
    pub increments: Increments,
}

impl SellRate {
    /// A sell rate per minute, with no fee, billed 60/60.
    pub fn per_minute(rate: i64) -> SellRate {
        SellRate { rate, connection_fee: 0, increments: Increments { initial: 60, subsequent: 60, grace: 0, minimum: 0 } }
    }
}

/// Where a customer's sell rate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SellCard {
    /// No rate card: no sell rate, no margin guard.
    None,
    /// Carrier rate plus a margin; per-prefix overrides win over the default (longest prefix).
    /// The customer is billed with the carrier's increments, and no connection fee.
    Derived { default: Margin, overrides: Vec<(Prefix, Margin)> },
    /// One uploaded sell rate for the dialled number (already looked up), the same for every
    /// carrier, or none if the card has no rate for it.
    Uploaded(Option<SellRate>),
}

impl SellCard {
    /// The sell rate per minute and how a call is sold, for a carrier's buy rate.
    fn sell(&self, number: Prefix, c: &Candidate<'_>) -> Option<SellRate> {
        match self {
            SellCard::None => None,
            SellCard::Uploaded(rate) => *rate,
            SellCard::Derived { default, overrides } => {
                let margin = overrides.iter().filter(|(p, _)| p.matches(number)).max_by_key(|(p, _)| p.len()).map(|(_, m)| m).unwrap_or(default);
                Some(SellRate { rate: margin.sell(c.rate), connection_fee: 0, increments: c.increments })
            }
        }
    }
}

/// A call priced exactly, in sixtieths of a micro-unit: 60 × fee + rate per minute × billed
/// seconds. Nothing when the call is not billed (within the grace period).
fn call_sixtieths(rate: i64, connection_fee: i64, increments: &Increments, duration: u32) -> i128 {
    let billed = increments.billable(duration);
    if billed == 0 {
        return 0;
    }
    60 * i128::from(connection_fee) + i128::from(rate) * i128::from(billed)
}

/// Sixtieths of a micro-unit to micro-units, half away from zero (for showing only; orders and
/// the guard compare the exact sixtieths).
fn micro_of(sixtieths: i128) -> i64 {
    let rounded = if sixtieths >= 0 { (sixtieths + 30) / 60 } else { (sixtieths - 30) / 60 };
    rounded.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// What one call of a reference duration costs and sells for, in micro-units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallCost {
    pub duration: u32,
    pub cost: i64,
    pub sell: Option<i64>,
    pub margin: Option<i64>,
}

/// The candidate's calls at `durations`: cost, sell price and margin of each.
pub fn call_costs(number: Prefix, c: &Candidate<'_>, card: &SellCard, durations: &[u32]) -> Vec<CallCost> {
    let sell = card.sell(number, c);
    durations
        .iter()
        .map(|&d| {
            let cost = call_sixtieths(c.rate, c.connection_fee, &c.increments, d);
            let sold = sell.map(|s| call_sixtieths(s.rate, s.connection_fee, &s.increments, d));
            CallCost { duration: d, cost: micro_of(cost), sell: sold.map(micro_of), margin: sold.map(|s| micro_of(s - cost)) }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Cost,
    /// By each carrier's priority number (lower first), then cost.
    Priority,
    /// Buy rate × (1 + weight × (1 − quality)); `weight` in percent (100 doubles the rate of a
    /// carrier with quality 0).
    Quality { weight: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub strategy: Strategy,
    /// Smallest acceptable margin in micro-units per minute (0: never at a loss).
    pub min_margin: i64,
    /// Keep candidates below the minimum margin (marked) instead of leaving them out.
    pub allow_below_margin: bool,
}

impl Default for Profile {
    /// Cheapest first, never at a loss.
    fn default() -> Self {
        Profile { strategy: Strategy::Cost, min_margin: 0, allow_below_margin: false }
    }
}

/// A carrier of a route, by table index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub carrier: u32,
    /// 1 = primary, 2 = first backup, …
    pub order: u32,
    /// Load share among members of the same order, percent.
    pub share: u32,
}

/// A route that matched the number: its carriers go first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub members: Vec<Member>,
    /// Whether the other carriers follow when the route's carriers fail.
    pub failover: bool,
}

/// What the ordering needs to know about each carrier, by table index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CarrierFacts {
    /// Position in name order (ties).
    pub rank: u32,
    pub priority: i64,
    /// 0..=1 from monitoring (answer-seizure ratio, call duration, post-dial delay), or `None`
    /// when no calls were measured yet; unmeasured carriers count as 0.5.
    pub quality: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub carrier: u32,
    pub prefix: Prefix,
    /// Per minute, as are `sell` and `margin`.
    pub buy: i64,
    pub sell: Option<i64>,
    pub margin: Option<i64>,
    /// What the order went by: the cost of the reference calls together, in sixtieths of a
    /// micro-unit.
    pub cost: i128,
    /// Load share within the route's order, when the carrier came from a route.
    pub share: Option<u32>,
    /// The route order (1 = primary…) when the carrier came from a route.
    pub route_order: Option<u32>,
    pub below_margin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exclusion {
    /// Margin below the profile's minimum: `margin` per minute, and `call`, the reference call
    /// that fell furthest short.
    BelowMargin { margin: i64, call: Option<CallCost> },
    /// The customer's uploaded card has no rate for the number.
    NoSellRate,
    /// A route without failover uses only its own carriers.
    NotInRoute,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub candidates: Vec<Planned>,
    pub excluded: Vec<(u32, Exclusion)>,
}

const UNMEASURED_QUALITY: f64 = 0.5;

/// A carrier's quality score in 0..=1 from monitoring: 60 % answer-seizure ratio, 20 % average call
/// duration (full marks from 180 s), 20 % post-dial delay (full marks at 0, none from 8 s).
pub fn quality_score(asr_permille: i64, acd_seconds: i64, pdd_ms: i64) -> f64 {
    let asr = (asr_permille as f64 / 1000.0).clamp(0.0, 1.0);
    let acd = (acd_seconds as f64 / 180.0).clamp(0.0, 1.0);
    let pdd = 1.0 - (pdd_ms as f64 / 8000.0).clamp(0.0, 1.0);
    0.6 * asr + 0.2 * acd + 0.2 * pdd
}

/// Orders `candidates` (one per carrier, as the routing table returns them) for the dialled
/// `number`, priced at the `REFERENCE_DURATIONS`. `facts` is indexed by carrier index.
pub fn plan(number: Prefix, candidates: &[Candidate<'_>], facts: &[CarrierFacts], card: &SellCard, profile: &Profile, route: Option<&Route>) -> Plan {
    plan_at(number, candidates, facts, card, profile, route, &REFERENCE_DURATIONS)
}

/// `plan`, pricing calls of the given `durations` (seconds). With none, the per-minute rates alone
/// decide.
pub fn plan_at(number: Prefix, candidates: &[Candidate<'_>], facts: &[CarrierFacts], card: &SellCard, profile: &Profile, route: Option<&Route>, durations: &[u32]) -> Plan {
    let mut kept = Vec::with_capacity(candidates.len());
    let mut excluded = Vec::new();
    for c in candidates {
        if matches!(card, SellCard::Uploaded(None)) {
            excluded.push((c.carrier_index, Exclusion::NoSellRate));
            continue;
        }
        let sell = card.sell(number, c);
        let margin = sell.map(|s| s.rate - c.rate);
        let mut cost: i128 = 0;
        // The reference call with the least margin over what the profile asks of it.
        let mut worst: Option<(i128, u32, i128, i128)> = None;
        for &d in durations {
            let bought = call_sixtieths(c.rate, c.connection_fee, &c.increments, d);
            cost += bought;
            if let Some(s) = sell {
                let sold = call_sixtieths(s.rate, s.connection_fee, &s.increments, d);
                let short = (sold - bought) - i128::from(profile.min_margin) * i128::from(d);
                if worst.is_none_or(|w| short < w.0) {
                    worst = Some((short, d, bought, sold));
                }
            }
        }
        if durations.is_empty() {
            cost = i128::from(c.rate);
        }
        let below = match worst {
            Some((short, ..)) => short < 0,
            None => margin.is_some_and(|m| m < profile.min_margin),
        };
        if below && !profile.allow_below_margin {
            let call = worst.map(|(_, duration, bought, sold)| CallCost { duration, cost: micro_of(bought), sell: Some(micro_of(sold)), margin: Some(micro_of(sold - bought)) });
            excluded.push((c.carrier_index, Exclusion::BelowMargin { margin: margin.unwrap_or_default(), call }));
            continue;
        }
        kept.push(Planned {
            carrier: c.carrier_index,
            prefix: c.prefix,
            buy: c.rate,
            sell: sell.map(|s| s.rate),
            margin,
            cost,
            share: None,
            route_order: None,
            below_margin: below,
        });
    }
    let fact = |c: u32| facts.get(c as usize).copied().unwrap_or(CarrierFacts { rank: c, priority: 0, quality: None });
    match profile.strategy {
        Strategy::Cost => kept.sort_by_key(|p| (p.cost, fact(p.carrier).priority, fact(p.carrier).rank)),
        Strategy::Priority => kept.sort_by_key(|p| (fact(p.carrier).priority, p.cost, fact(p.carrier).rank)),
        Strategy::Quality { weight } => {
            let effective = |p: &Planned| {
                let q = fact(p.carrier).quality.unwrap_or(UNMEASURED_QUALITY).clamp(0.0, 1.0);
                p.cost as f64 * (1.0 + weight as f64 / 100.0 * (1.0 - q))
            };
            kept.sort_by(|a, b| {
                effective(a)
                    .total_cmp(&effective(b))
                    .then_with(|| (fact(a.carrier).priority, fact(a.carrier).rank).cmp(&(fact(b.carrier).priority, fact(b.carrier).rank)))
            });
        }
    }
    if let Some(route) = route {
        let mut members = route.members.clone();
        members.sort_by_key(|m| (m.order, std::cmp::Reverse(m.share), fact(m.carrier).rank));
        let mut first = Vec::new();
        for m in &members {
            if let Some(at) = kept.iter().position(|p| p.carrier == m.carrier) {
                let mut p = kept.remove(at);
                p.share = Some(m.share);
                p.route_order = Some(m.order);
                first.push(p);
            }
        }
        if route.failover {
            first.append(&mut kept);
        } else {
            excluded.extend(kept.drain(..).map(|p| (p.carrier, Exclusion::NotInRoute)));
        }
        kept = first;
    }
    Plan { candidates: kept, excluded }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(carrier: u32, rate: i64) -> Candidate<'static> {
        Candidate {
            carrier: ["acme", "beta", "core", "dial"][carrier as usize],
            carrier_index: carrier,
            prefix: Prefix::parse("20").unwrap(),
            destination: "Egypt",
            rate,
            connection_fee: 0,
            increments: Increments::new(60, 60).unwrap(),
            effective_from: 0,
        }
    }

    fn facts() -> Vec<CarrierFacts> {
        vec![
            CarrierFacts { rank: 0, priority: 30, quality: Some(0.2) },
            CarrierFacts { rank: 1, priority: 10, quality: Some(0.9) },
            CarrierFacts { rank: 2, priority: 20, quality: None },
            CarrierFacts { rank: 3, priority: 10, quality: Some(1.0) },
        ]
    }

    fn number() -> Prefix {
        Prefix::parse("20123456").unwrap()
    }

    fn order(p: &Plan) -> Vec<u32> {
        p.candidates.iter().map(|c| c.carrier).collect()
    }

    #[test]
    fn quality_scores_weigh_asr_acd_and_pdd() {
        assert_eq!(quality_score(1000, 180, 0), 1.0);
        assert_eq!(quality_score(0, 0, 8000), 0.0);
        assert!((quality_score(500, 90, 4000) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn percent_margins_round_half_up_to_the_micro_unit() {
        assert_eq!(Margin::Percent(15_000_000).sell(10_000), 11_500);
        assert_eq!(Margin::Percent(10_000_000).sell(5), 6); // 5.5 → 6
        assert_eq!(Margin::Percent(0).sell(7), 7);
        assert_eq!(Margin::Fixed(2_000).sell(10_000), 12_000);
        assert_eq!(Margin::Percent(-10_000_000).sell(5), 5); // 4.5 → 5 (half away from zero)
    }

    #[test]
    fn cost_orders_cheapest_first_with_sell_and_margin() {
        let card = SellCard::Derived { default: Margin::Percent(20_000_000), overrides: vec![] };
        let p = plan(number(), &[cand(0, 30), cand(1, 10), cand(2, 20)], &facts(), &card, &Profile::default(), None);
        assert_eq!(order(&p), [1, 2, 0]);
        assert_eq!((p.candidates[0].sell, p.candidates[0].margin), (Some(12), Some(2)));
    }

    #[test]
    fn the_longest_override_wins_over_the_default_margin() {
        let card = SellCard::Derived {
            default: Margin::Fixed(1_000),
            overrides: vec![(Prefix::parse("2").unwrap(), Margin::Fixed(5_000)), (Prefix::parse("2012").unwrap(), Margin::Fixed(9_000))],
        };
        let p = plan(number(), &[cand(0, 10_000)], &facts(), &card, &Profile::default(), None);
        assert_eq!(p.candidates[0].sell, Some(19_000));
        let other = plan(Prefix::parse("2099").unwrap(), &[cand(0, 10_000)], &facts(), &card, &Profile::default(), None);
        assert_eq!(other.candidates[0].sell, Some(15_000));
    }

    #[test]
    fn the_margin_guard_leaves_out_losses_unless_the_profile_allows_them() {
        // Uploaded sell rate 25: carrier 0 (buy 30) would lose 5.
        let card = SellCard::Uploaded(Some(SellRate::per_minute(25)));
        let p = plan(number(), &[cand(0, 30), cand(1, 10)], &facts(), &card, &Profile::default(), None);
        assert_eq!(order(&p), [1]);
        let call = CallCost { duration: 180, cost: 90, sell: Some(75), margin: Some(-15) };
        assert_eq!(p.excluded, [(0, Exclusion::BelowMargin { margin: -5, call: Some(call) })]);
        let strict = Profile { min_margin: 16, ..Profile::default() };
        assert!(plan(number(), &[cand(0, 30), cand(1, 10)], &facts(), &card, &strict, None).candidates.is_empty());
        let lenient = Profile { allow_below_margin: true, ..Profile::default() };
        let p = plan(number(), &[cand(0, 30), cand(1, 10)], &facts(), &card, &lenient, None);
        assert_eq!(order(&p), [1, 0]);
        assert!(p.candidates[1].below_margin && !p.candidates[0].below_margin);
    }

    #[test]
    fn an_uploaded_card_without_the_destination_routes_nothing() {
        let p = plan(number(), &[cand(0, 30)], &facts(), &SellCard::Uploaded(None), &Profile::default(), None);
        assert!(p.candidates.is_empty());
        assert_eq!(p.excluded, [(0, Exclusion::NoSellRate)]);
    }

    #[test]
    fn priority_orders_by_carrier_priority_then_cost() {
        let profile = Profile { strategy: Strategy::Priority, ..Profile::default() };
        let p = plan(number(), &[cand(0, 1), cand(1, 30), cand(2, 5), cand(3, 20)], &facts(), &SellCard::None, &profile, None);
        assert_eq!(order(&p), [3, 1, 2, 0]);
    }

    #[test]
    fn quality_weighting_can_beat_a_cheaper_poor_carrier() {
        // acme: 10 × (1 + 1 × 0.8) = 18; beta: 12 × (1 + 0.1) = 13.2; core (unmeasured): 11 × 1.5 = 16.5
        let profile = Profile { strategy: Strategy::Quality { weight: 100 }, ..Profile::default() };
        let p = plan(number(), &[cand(0, 10), cand(1, 12), cand(2, 11)], &facts(), &SellCard::None, &profile, None);
        assert_eq!(order(&p), [1, 2, 0]);
        let none = Profile { strategy: Strategy::Quality { weight: 0 }, ..Profile::default() };
        assert_eq!(order(&plan(number(), &[cand(0, 10), cand(1, 12), cand(2, 11)], &facts(), &SellCard::None, &none, None)), [0, 2, 1]);
    }

    #[test]
    fn a_route_puts_its_carriers_first_primary_then_backup_by_share() {
        let route = Route {
            members: vec![
                Member { carrier: 0, order: 2, share: 100 },
                Member { carrier: 2, order: 1, share: 30 },
                Member { carrier: 3, order: 1, share: 70 },
            ],
            failover: true,
        };
        let cands = [cand(0, 30), cand(1, 10), cand(2, 20), cand(3, 25)];
        let p = plan(number(), &cands, &facts(), &SellCard::None, &Profile::default(), Some(&route));
        assert_eq!(order(&p), [3, 2, 0, 1]);
        assert_eq!(p.candidates[0].share, Some(70));
        assert_eq!(p.candidates[2].route_order, Some(2));
        assert_eq!(p.candidates[3].route_order, None);
    }

    #[test]
    fn a_route_without_failover_uses_only_its_carriers() {
        let route = Route { members: vec![Member { carrier: 0, order: 1, share: 100 }], failover: false };
        let p = plan(number(), &[cand(0, 30), cand(1, 10)], &facts(), &SellCard::None, &Profile::default(), Some(&route));
        assert_eq!(order(&p), [0]);
        assert_eq!(p.excluded, [(1, Exclusion::NotInRoute)]);
        // A route carrier with no rate for the number simply is not there.
        let missing = Route { members: vec![Member { carrier: 3, order: 1, share: 100 }], failover: false };
        assert!(plan(number(), &[cand(0, 30)], &facts(), &SellCard::None, &Profile::default(), Some(&missing)).candidates.is_empty());
    }

    fn with_fee(carrier: u32, rate: i64, fee: i64) -> Candidate<'static> {
        Candidate { connection_fee: fee, ..cand(carrier, rate) }
    }

    #[test]
    fn a_connection_fee_counts_in_the_order_and_the_margin_guard() {
        // FeeCo (acme): 0.0100/min + 0.20 a call; FlatCo (beta): 0.0120/min. A card at +20 %.
        let card = SellCard::Derived { default: Margin::Percent(20_000_000), overrides: vec![] };
        let cands = [with_fee(0, 10_000, 200_000), cand(1, 12_000)];
        let p = plan(number(), &cands, &facts(), &card, &Profile::default(), None);
        assert_eq!(order(&p), [1], "FlatCo only: FeeCo loses money on every reference call");
        let call = CallCost { duration: 60, cost: 210_000, sell: Some(12_000), margin: Some(-198_000) };
        assert_eq!(p.excluded, [(0, Exclusion::BelowMargin { margin: 2_000, call: Some(call) })]);
        // Allowed below the margin, FeeCo stays, marked and last.
        let lenient = Profile { allow_below_margin: true, ..Profile::default() };
        let p = plan(number(), &cands, &facts(), &card, &lenient, None);
        assert_eq!(order(&p), [1, 0]);
        assert!(p.candidates[1].below_margin && !p.candidates[0].below_margin);
        // Without a card, the cheaper per-minute rate still comes second: 0.21 + 0.23 against 0.048.
        assert_eq!(order(&plan(number(), &cands, &facts(), &SellCard::None, &Profile::default(), None)), [1, 0]);
        // Priced per minute alone (no reference calls), FeeCo would have been first.
        assert_eq!(order(&plan_at(number(), &cands, &facts(), &SellCard::None, &Profile::default(), None, &[])), [0, 1]);
    }

    #[test]
    fn increments_and_minimums_count_in_the_cost() {
        // The same rate per minute: 60/60 bills a 90 s call as 120 s, 1/1 as 90 s.
        let per_second = Candidate { increments: Increments::new(1, 1).unwrap(), ..cand(0, 60_000) };
        let per_minute = cand(1, 60_000);
        assert_eq!(order(&plan_at(number(), &[per_minute.clone(), per_second.clone()], &facts(), &SellCard::None, &Profile::default(), None, &[90])), [0, 1]);
        // A 5-minute minimum makes a cheaper rate dear on short calls.
        let minimum = Candidate { increments: Increments { initial: 1, subsequent: 1, grace: 0, minimum: 300 }, ..cand(2, 20_000) };
        assert_eq!(order(&plan(number(), &[minimum, cand(3, 40_000)], &facts(), &SellCard::None, &Profile::default(), None)), [3, 2]);
    }

    #[test]
    fn an_uploaded_card_sells_with_its_own_fee_and_increments() {
        let card = SellCard::Uploaded(Some(SellRate { rate: 12_000, connection_fee: 50_000, increments: Increments::new(60, 60).unwrap() }));
        let costs = call_costs(number(), &with_fee(0, 10_000, 0), &card, &REFERENCE_DURATIONS);
        assert_eq!(
            costs,
            [
                CallCost { duration: 60, cost: 10_000, sell: Some(62_000), margin: Some(52_000) },
                CallCost { duration: 180, cost: 30_000, sell: Some(86_000), margin: Some(56_000) }
            ]
        );
        // The fee pays for a per-minute loss: 0.011 bought, 0.010 sold + 0.05 a call.
        let card = SellCard::Uploaded(Some(SellRate { rate: 10_000, connection_fee: 50_000, increments: Increments::new(60, 60).unwrap() }));
        let p = plan(number(), &[cand(0, 11_000)], &facts(), &card, &Profile::default(), None);
        assert_eq!((order(&p), p.candidates[0].margin), (vec![0], Some(-1_000)));
        assert!(!p.candidates[0].below_margin);
    }

    #[test]
    fn the_minimum_margin_is_per_minute_of_each_reference_call() {
        // Margin 0.002/min on 60/60 calls: 0.002 on a 60 s call, 0.006 on a 180 s one.
        let card = SellCard::Derived { default: Margin::Fixed(2_000), overrides: vec![] };
        let at = |min_margin| plan(number(), &[cand(0, 10_000)], &facts(), &card, &Profile { min_margin, ..Profile::default() }, None);
        assert_eq!(order(&at(2_000)), [0]);
        assert!(order(&at(2_001)).is_empty());
    }

    #[test]
    fn equal_costs_go_by_priority_then_name() {
        // beta and dial share priority 10; acme has 30, core 20. All cost the same.
        let cands = [cand(0, 10), cand(1, 10), cand(2, 10), cand(3, 10)];
        assert_eq!(order(&plan(number(), &cands, &facts(), &SellCard::None, &Profile::default(), None)), [1, 3, 2, 0]);
        let quality = Profile { strategy: Strategy::Quality { weight: 0 }, ..Profile::default() };
        assert_eq!(order(&plan(number(), &cands, &facts(), &SellCard::None, &quality, None)), [1, 3, 2, 0]);
    }
}
