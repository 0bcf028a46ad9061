//! Least-cost routing: turning the routing table's candidates for a call into the order the switch
//! tries them, with each candidate's sell rate and margin.
//!
//! The steps, in order:
//! 1. **Sell rate.** From the customer's rate card: derived cards add a margin (percent or fixed per
//!    minute, the longest matching per-prefix override first, else the card's default) to each
//!    carrier's buy rate; uploaded cards give one sell rate for the number, the same for every
//!    carrier. Without a card there is no sell rate and no margin.
//! 2. **Margin guard.** A candidate whose margin is below the profile's minimum is left out (and
//!    reported), unless the profile allows routing below it; then it stays, marked.
//! 3. **Strategy.** Pure cost (cheapest buy rate first), priority (the carrier's priority number,
//!    lowest first, then cost) or quality-weighted (buy rate raised by how far the carrier's quality
//!    score falls short of 1, scaled by the profile's quality weight).
//! 4. **Route.** A matching route puts its carriers first, in their order (1 = primary, 2 = first
//!    backup…; carriers of equal order share the load by their percentages, the biggest share
//!    first). With failover the other carriers follow in strategy order; without it they are left out.
//!
//! Ties always break by carrier name, so the same inputs always give the same order.

use crate::prefix::Prefix;
use crate::routing::Candidate;

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

/// Where a customer's sell rate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SellCard {
    /// No rate card: no sell rate, no margin guard.
    None,
    /// Carrier rate plus a margin; per-prefix overrides win over the default (longest prefix).
    Derived { default: Margin, overrides: Vec<(Prefix, Margin)> },
    /// One uploaded sell rate for the dialled number (already looked up), or none if the card has
    /// no rate for it.
    Uploaded(Option<i64>),
}

impl SellCard {
    fn sell(&self, number: Prefix, buy: i64) -> Option<i64> {
        match self {
            SellCard::None => None,
            SellCard::Uploaded(rate) => *rate,
            SellCard::Derived { default, overrides } => {
                let margin = overrides.iter().filter(|(p, _)| p.matches(number)).max_by_key(|(p, _)| p.len()).map(|(_, m)| m).unwrap_or(default);
                Some(margin.sell(buy))
            }
        }
    }
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
    pub buy: i64,
    pub sell: Option<i64>,
    pub margin: Option<i64>,
    /// Load share within the route's order, when the carrier came from a route.
    pub share: Option<u32>,
    /// The route order (1 = primary…) when the carrier came from a route.
    pub route_order: Option<u32>,
    pub below_margin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exclusion {
    /// Margin below the profile's minimum.
    BelowMargin { margin: i64 },
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
/// `number`. `facts` is indexed by carrier index.
pub fn plan(number: Prefix, candidates: &[Candidate<'_>], facts: &[CarrierFacts], card: &SellCard, profile: &Profile, route: Option<&Route>) -> Plan {
    let mut kept = Vec::with_capacity(candidates.len());
    let mut excluded = Vec::new();
    for c in candidates {
        let sell = card.sell(number, c.rate);
        if matches!(card, SellCard::Uploaded(None)) {
            excluded.push((c.carrier_index, Exclusion::NoSellRate));
            continue;
        }
        let margin = sell.map(|s| s - c.rate);
        let below = margin.is_some_and(|m| m < profile.min_margin);
        if below && !profile.allow_below_margin {
            excluded.push((c.carrier_index, Exclusion::BelowMargin { margin: margin.unwrap_or_default() }));
            continue;
        }
        kept.push(Planned { carrier: c.carrier_index, prefix: c.prefix, buy: c.rate, sell, margin, share: None, route_order: None, below_margin: below });
    }
    let fact = |c: u32| facts.get(c as usize).copied().unwrap_or(CarrierFacts { rank: c, priority: 0, quality: None });
    match profile.strategy {
        Strategy::Cost => kept.sort_by_key(|p| (p.buy, fact(p.carrier).rank)),
        Strategy::Priority => kept.sort_by_key(|p| (fact(p.carrier).priority, p.buy, fact(p.carrier).rank)),
        Strategy::Quality { weight } => {
            let effective = |p: &Planned| {
                let q = fact(p.carrier).quality.unwrap_or(UNMEASURED_QUALITY).clamp(0.0, 1.0);
                p.buy as f64 * (1.0 + weight as f64 / 100.0 * (1.0 - q))
            };
            kept.sort_by(|a, b| effective(a).total_cmp(&effective(b)).then_with(|| fact(a.carrier).rank.cmp(&fact(b.carrier).rank)));
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
    use crate::rating::Increments;

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
        let card = SellCard::Uploaded(Some(25));
        let p = plan(number(), &[cand(0, 30), cand(1, 10)], &facts(), &card, &Profile::default(), None);
        assert_eq!(order(&p), [1]);
        assert_eq!(p.excluded, [(0, Exclusion::BelowMargin { margin: -5 })]);
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
}
