//! Rating: what a call costs, from its duration and the rate's billing increments.
//!
//! A rate bills an *initial* increment and then *subsequent* increments (60/60, 1/1, 30/6…): a call
//! of `d` seconds is billed `initial` seconds if `d <= initial`, else `initial` plus `d - initial`
//! rounded up to whole `subsequent` increments. A call no longer than the *grace period* is free
//! (billed 0 s); any other call is billed at least the *minimum duration*. The price is the
//! connection fee plus the per-minute rate times billed seconds / 60, computed exactly in
//! decimals and rounded once, at the end, to 6 decimal places, half away from zero.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Increments {
    pub initial: u32,
    pub subsequent: u32,
    /// Calls this short or shorter are not billed.
    pub grace: u32,
    /// Billed seconds are never below this (for calls past the grace period).
    pub minimum: u32,
}

impl Increments {
    /// `initial/subsequent` with no grace period or minimum; both at least 1 second.
    pub fn new(initial: u32, subsequent: u32) -> Option<Increments> {
        (initial >= 1 && subsequent >= 1).then_some(Increments { initial, subsequent, grace: 0, minimum: 0 })
    }

    /// The seconds billed for a call of `duration` seconds.
    pub fn billable(&self, duration: u32) -> u32 {
        if duration == 0 || duration <= self.grace {
            return 0;
        }
        let billed = if duration <= self.initial {
            self.initial
        } else {
            let rest = duration - self.initial;
            self.initial + rest.div_ceil(self.subsequent) * self.subsequent
        };
        billed.max(self.minimum)
    }
}

/// The decimal places of rounded totals.
pub const TOTAL_SCALE: u32 = 6;

/// The price of a call: connection fee + rate per minute × billed seconds / 60. A call that is not
/// billed (0 s) costs nothing, not even the connection fee.
pub fn price(rate_per_minute: Decimal, connection_fee: Decimal, inc: &Increments, duration: u32) -> Decimal {
    let billed = inc.billable(duration);
    if billed == 0 {
        return Decimal::ZERO;
    }
    let exact = connection_fee + rate_per_minute * Decimal::from(billed) / Decimal::from(60);
    exact.round_dp_with_strategy(TOTAL_SCALE, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn boundary_durations_bill_exactly() {
        let sixty = Increments::new(60, 60).unwrap();
        assert_eq!([0, 1, 60, 61, 120, 121].map(|s| sixty.billable(s)), [0, 60, 60, 120, 120, 180]);
        let per_second = Increments::new(1, 1).unwrap();
        assert_eq!([0, 1, 2, 61].map(|s| per_second.billable(s)), [0, 1, 2, 61]);
        let thirty_six = Increments::new(30, 6).unwrap();
        assert_eq!([0, 1, 30, 31, 36, 37].map(|s| thirty_six.billable(s)), [0, 30, 30, 36, 36, 42]);
    }

    #[test]
    fn grace_and_minimum() {
        let inc = Increments { initial: 1, subsequent: 1, grace: 3, minimum: 10 };
        assert_eq!([0, 3, 4, 10, 11].map(|s| inc.billable(s)), [0, 0, 10, 10, 11]);
    }

    #[test]
    fn prices_are_exact_decimals() {
        let sixty = Increments::new(60, 60).unwrap();
        assert_eq!(price(d("0.012"), d("0"), &sixty, 61), d("0.024"));
        assert_eq!(price(d("0.012"), d("0.05"), &sixty, 0), d("0"));
        let per_second = Increments::new(1, 1).unwrap();
        // 0.01/min for 1 s = 0.000166666… → 0.000167 (rounded once, half away from zero).
        assert_eq!(price(d("0.01"), d("0"), &per_second, 1), d("0.000167"));
        assert_eq!(price(d("0.006"), d("0"), &per_second, 60), d("0.006"));
        assert_eq!(price(d("0.006"), d("0.001"), &per_second, 61), d("0.0071"));
    }
}
