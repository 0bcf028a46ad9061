//! The routing engine: for a dialled number at a moment in time, every carrier's longest matching
//! prefix whose rate is in force, ordered cheapest first.
//!
//! Built once from the carriers' decks and then only read, so one table is shared by every request
//! with no locks (swap in a new table when rates change). All prefixes live in one hash map keyed
//! by the packed prefix; a lookup probes the number's prefixes longest first (at most 15 probes)
//! and keeps, per carrier, the first prefix that has a rate in force.

use foldhash::HashMap as FastMap;

use crate::prefix::Prefix;
use crate::rating::Increments;

/// One row of a carrier's deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateRow {
    /// Index into the table's carriers.
    pub carrier: u32,
    pub prefix: Prefix,
    pub destination: String,
    /// Per minute, in micro-units of the currency (6 decimals).
    pub rate: i64,
    pub connection_fee: i64,
    pub increments: Increments,
    /// Unix seconds from which the row is in force. A later row of the same carrier and prefix
    /// replaces an earlier one from its own date on.
    pub effective_from: i64,
}

/// One route a call could take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub carrier: &'a str,
    pub carrier_index: u32,
    pub prefix: Prefix,
    pub destination: &'a str,
    pub rate: i64,
    pub connection_fee: i64,
    pub increments: Increments,
    pub effective_from: i64,
}

#[derive(Debug, Clone)]
struct Version {
    effective_from: i64,
    rate: i64,
    connection_fee: i64,
    increments: Increments,
    destination: u32,
}

/// One carrier's rate for one prefix. The earliest version is kept inline: almost every entry has
/// just one, and a lookup then touches no other memory (a separate allocation per entry cost a cache
/// miss per carrier per lookup).
#[derive(Debug)]
struct Entry {
    carrier: u32,
    first: Version,
    /// Later versions (future-dated changes), sorted by `effective_from`; usually empty.
    later: Vec<Version>,
}

impl Entry {
    /// The latest version in force at `at`.
    fn at(&self, at: i64) -> Option<&Version> {
        self.later.iter().rev().find(|v| v.effective_from <= at).or((self.first.effective_from <= at).then_some(&self.first))
    }
}

#[derive(Debug, Default)]
pub struct RoutingTable {
    carriers: Vec<String>,
    /// Each carrier's place in name order (without regard to case), so ties compare integers, not
    /// strings.
    rank: Vec<u32>,
    destinations: Vec<String>,
    map: FastMap<Prefix, Vec<Entry>>,
    /// Bit n set when some prefix has n digits: a lookup skips lengths no deck uses (a number of
    /// 11 digits against prefixes of 1–7 digits probes 7 lengths, not 11).
    lengths: u32,
    rows: usize,
}

impl RoutingTable {
    pub fn build(carriers: Vec<String>, rows: Vec<RateRow>) -> RoutingTable {
        let mut interned: FastMap<String, u32> = FastMap::default();
        let mut destinations = Vec::new();
        let mut map: FastMap<Prefix, Vec<Entry>> = FastMap::default();
        let count = rows.len();
        let mut lengths = 0u32;
        for row in rows {
            lengths |= 1 << row.prefix.len();
            let destination = *interned.entry(row.destination.clone()).or_insert_with(|| {
                destinations.push(row.destination);
                destinations.len() as u32 - 1
            });
            let version = Version { effective_from: row.effective_from, rate: row.rate, connection_fee: row.connection_fee, increments: row.increments, destination };
            let entries = map.entry(row.prefix).or_default();
            match entries.iter_mut().find(|e| e.carrier == row.carrier) {
                Some(e) => e.later.push(version),
                None => entries.push(Entry { carrier: row.carrier, first: version, later: Vec::new() }),
            }
        }
        for entries in map.values_mut() {
            for e in entries.iter_mut() {
                if !e.later.is_empty() {
                    e.later.push(e.first.clone());
                    e.later.sort_by_key(|v| v.effective_from);
                    e.first = e.later.remove(0);
                    e.later.shrink_to_fit();
                }
            }
            entries.shrink_to_fit();
        }
        map.shrink_to_fit();
        let mut by_name: Vec<usize> = (0..carriers.len()).collect();
        // Name order without regard to case ("beta" before "Gamma"), then as written.
        by_name.sort_by_cached_key(|i| (carriers[*i].to_lowercase(), carriers[*i].clone()));
        let mut rank = vec![0u32; carriers.len()];
        for (place, i) in by_name.into_iter().enumerate() {
            rank[i] = place as u32;
        }
        RoutingTable { carriers, rank, destinations, map, lengths, rows: count }
    }

    pub fn carriers(&self) -> &[String] {
        &self.carriers
    }

    /// The carrier's place in name order (for deterministic ties).
    pub fn rank(&self, carrier: u32) -> u32 {
        self.rank.get(carrier as usize).copied().unwrap_or(u32::MAX)
    }

    /// Rows the table was built from.
    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The candidates for `number` at `at` (unix seconds), cheapest first (ties by carrier name).
    /// `None` when the number is not 1–15 digits.
    pub fn lookup(&self, number: &str, at: i64) -> Option<Vec<Candidate<'_>>> {
        let mut out: Vec<Candidate<'_>> = Vec::with_capacity(self.carriers.len());
        // Carriers already routed: a bit each for the first 256, a scan beyond.
        let mut seen = [0u64; 4];
        let done = |seen: &[u64; 4], out: &[Candidate<'_>], c: u32| match seen.get(c as usize / 64) {
            Some(word) => word & (1 << (c % 64)) != 0,
            None => out.iter().any(|x| x.carrier_index == c),
        };
        for prefix in Prefix::parse(number)?.with_shorter() {
            if self.lengths & (1 << prefix.len()) == 0 {
                continue;
            }
            let Some(entries) = self.map.get(&prefix) else { continue };
            for e in entries {
                if done(&seen, &out, e.carrier) {
                    continue;
                }
                // The latest version already in force; a carrier whose longest prefix is only
                // future-dated still routes by its shorter prefix until that date.
                let Some(v) = e.at(at) else { continue };
                if let Some(word) = seen.get_mut(e.carrier as usize / 64) {
                    *word |= 1 << (e.carrier % 64);
                }
                out.push(Candidate {
                    carrier: &self.carriers[e.carrier as usize],
                    carrier_index: e.carrier,
                    prefix,
                    destination: &self.destinations[v.destination as usize],
                    rate: v.rate,
                    connection_fee: v.connection_fee,
                    increments: v.increments,
                    effective_from: v.effective_from,
                });
            }
            // Every carrier has its route: shorter prefixes cannot add one.
            if out.len() == self.carriers.len() {
                break;
            }
        }
        out.sort_unstable_by_key(|c| (c.rate, self.rank[c.carrier_index as usize]));
        Some(out)
    }

    /// Approximate heap bytes held by the table (for the benchmark's memory figure).
    pub fn heap_bytes(&self) -> usize {
        let entries: usize = self.map.values().map(|v| v.capacity() * std::mem::size_of::<Entry>() + v.iter().map(|e| e.later.capacity() * std::mem::size_of::<Version>()).sum::<usize>()).sum();
        let map = self.map.capacity() * (std::mem::size_of::<Prefix>() + std::mem::size_of::<Vec<Entry>>() + 1);
        let strings: usize = self.destinations.iter().chain(&self.carriers).map(|s| s.capacity() + std::mem::size_of::<String>()).sum();
        entries + map + strings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row(carrier: u32, prefix: &str, rate: i64, from: i64) -> RateRow {
        RateRow {
            carrier,
            prefix: Prefix::parse(prefix).unwrap(),
            destination: format!("dest {prefix}"),
            rate,
            connection_fee: 0,
            increments: Increments::new(60, 60).unwrap(),
            effective_from: from,
        }
    }

    fn table(rows: Vec<RateRow>) -> RoutingTable {
        RoutingTable::build(vec!["acme".into(), "beta".into(), "core".into()], rows)
    }

    #[test]
    fn each_carrier_routes_by_its_longest_prefix_cheapest_first() {
        let t = table(vec![row(0, "44", 10_000, 0), row(0, "447", 30_000, 0), row(1, "44", 20_000, 0), row(2, "1", 5_000, 0)]);
        let c = t.lookup("+447700900123", 100).unwrap();
        let got: Vec<(&str, String, i64)> = c.iter().map(|c| (c.carrier, c.prefix.to_string(), c.rate)).collect();
        assert_eq!(got, [("beta", "44".into(), 20_000), ("acme", "447".into(), 30_000)]);
        assert!(t.lookup("33123", 100).unwrap().is_empty());
        assert!(t.lookup("not a number", 100).is_none());
    }

    #[test]
    fn future_dated_rates_take_effect_on_their_date() {
        let t = table(vec![row(0, "20", 10_000, 0), row(0, "20", 15_000, 1000), row(0, "2010", 1_000, 2000)]);
        assert_eq!(t.lookup("201012345", 999).unwrap()[0].rate, 10_000);
        assert_eq!(t.lookup("201012345", 1000).unwrap()[0].rate, 15_000);
        let later = t.lookup("201012345", 2000).unwrap();
        assert_eq!((later[0].prefix.to_string(), later[0].rate), ("2010".into(), 1_000));
    }

    #[test]
    fn carrier_names_rank_without_regard_to_case() {
        let t = RoutingTable::build(vec!["Zulu".into(), "alpha".into(), "Bravo".into(), "alpha".into()], vec![]);
        assert_eq!([0, 1, 2, 3].map(|c| t.rank(c)), [3, 0, 2, 1]);
    }

    #[test]
    fn equal_rates_order_by_carrier_name() {
        let t = table(vec![row(2, "1", 5, 0), row(0, "1", 5, 0), row(1, "1", 5, 0)]);
        let names: Vec<&str> = t.lookup("1555", 0).unwrap().iter().map(|c| c.carrier).collect();
        assert_eq!(names, ["acme", "beta", "core"]);
    }

    /// The obvious, slow answer: scan every row.
    fn reference(rows: &[RateRow], carriers: &[String], number: &str, at: i64) -> Vec<(String, String, i64)> {
        let n = Prefix::parse(number).unwrap();
        let mut best: Vec<Option<&RateRow>> = vec![None; carriers.len()];
        for r in rows.iter().filter(|r| r.prefix.matches(n) && r.effective_from <= at) {
            let slot = &mut best[r.carrier as usize];
            let better = match slot {
                None => true,
                Some(b) => r.prefix.len() > b.prefix.len() || (r.prefix.len() == b.prefix.len() && r.effective_from >= b.effective_from),
            };
            if better {
                *slot = Some(r);
            }
        }
        let mut out: Vec<(String, String, i64)> =
            best.into_iter().flatten().map(|r| (carriers[r.carrier as usize].clone(), r.prefix.to_string(), r.rate)).collect();
        out.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
        out
    }

    fn arb_row() -> impl Strategy<Value = RateRow> {
        (0u32..4, "[1-3]{1,4}", 1i64..50, prop_oneof![Just(0i64), 0i64..100]).prop_map(|(c, p, rate, from)| row(c, &p, rate * 1000, from))
    }

    /// A rough speed check on a big table: `cargo test -p didtron-telecom --release -- --ignored`.
    #[test]
    #[ignore]
    fn speed_on_two_million_rows() {
        let mut rows = Vec::new();
        let mut x: u64 = 2026;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let pool: Vec<String> = (0..100_000).map(|_| format!("{}", 100 + next() % 9_999_900)).collect();
        for c in 0..20u32 {
            for p in &pool {
                rows.push(RateRow { carrier: c, prefix: Prefix::parse(p).unwrap(), destination: "d".into(), rate: (next() % 100_000) as i64, connection_fee: 0, increments: Increments::new(60, 60).unwrap(), effective_from: 0 });
            }
        }
        let carriers = (0..20).map(|i| format!("c{i:02}")).collect();
        let t = RoutingTable::build(carriers, rows);
        let numbers: Vec<String> = (0..200_000).map(|i| format!("{}{:04}", pool[(next() % pool.len() as u64) as usize], i % 10_000)).collect();
        let start = std::time::Instant::now();
        let mut n = 0;
        for num in &numbers {
            n += t.lookup(num, 1).unwrap().len();
        }
        let secs = start.elapsed().as_secs_f64();
        eprintln!("{:.0} lookups/s, {} candidates", numbers.len() as f64 / secs, n);
    }

    proptest! {
        #[test]
        fn the_engine_agrees_with_brute_force(rows in prop::collection::vec(arb_row(), 0..60), number in "[1-3]{1,7}", at in 0i64..120) {
            // One row per (carrier, prefix, date), as a deck import guarantees.
            let mut rows = rows;
            rows.sort_by_key(|r| (r.carrier, r.prefix, r.effective_from));
            rows.dedup_by_key(|r| (r.carrier, r.prefix, r.effective_from));
            let carriers: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
            let t = RoutingTable::build(carriers.clone(), rows.clone());
            let got: Vec<(String, String, i64)> = t.lookup(&number, at).unwrap().iter().map(|c| (c.carrier.to_string(), c.prefix.to_string(), c.rate)).collect();
            prop_assert_eq!(got, reference(&rows, &carriers, &number, at));
        }
    }
}
