//! Money and rates as exact decimals. DIDtron stores both as whole micro-units (millionths) and
//! shows them as decimal strings — `"0.0125"`, never the float `0.0125000000000000001` — so a
//! figure read back from the API is the figure stored.
//!
//! Rounding happens once, where a stored value is made from a finer one: half away from zero at
//! the sixth decimal (0.0000005 → 0.000001).

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Decimal places kept: micro-units.
pub const SCALE: u32 = 6;

macro_rules! decimal_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(i64);

        impl $name {
            pub const ZERO: $name = $name(0);

            /// From whole micro-units (as stored).
            pub const fn from_micros(micros: i64) -> $name {
                $name(micros)
            }

            /// The whole micro-units (as stored).
            pub const fn micros(self) -> i64 {
                self.0
            }

            /// From a decimal, rounded half away from zero at the sixth decimal; `None` when it
            /// does not fit.
            pub fn from_decimal(d: Decimal) -> Option<$name> {
                let scaled = d.round_dp_with_strategy(SCALE, RoundingStrategy::MidpointAwayFromZero) * Decimal::from(1_000_000);
                i64::try_from(scaled.trunc()).ok().map($name)
            }

            pub fn to_decimal(self) -> Decimal {
                Decimal::new(self.0, SCALE).normalize()
            }

            /// Reads `"0.0125"`, `"1,5"` is not accepted (use a dot); at most six decimals are kept
            /// (rounded), more digits than that are refused rather than silently dropped when
            /// `strict`.
            pub fn parse(raw: &str) -> Result<$name, String> {
                let t = raw.trim();
                let d = Decimal::from_str(t).map_err(|_| format!("“{t}” is not a decimal number such as 0.0125"))?;
                $name::from_decimal(d).ok_or_else(|| format!("“{t}” is too large"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.to_decimal())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                // A decimal string; a JSON number is read from its shortest text, so 0.1 is 0.1.
                #[derive(Deserialize)]
                #[serde(untagged)]
                enum Raw {
                    Text(String),
                    Int(i64),
                    Float(f64),
                }
                let text = match Raw::deserialize(d)? {
                    Raw::Text(s) => s,
                    Raw::Int(n) => n.to_string(),
                    Raw::Float(x) => x.to_string(),
                };
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

decimal_type!(
    /// An amount of money (a connection fee, a price, a cost, a margin), in the currency its
    /// context states.
    Money
);

decimal_type!(
    /// A price per minute.
    Rate
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_leave_as_decimal_strings_and_come_back_exact() {
        let r = Rate::from_micros(12_500);
        assert_eq!(serde_json::to_string(&r).unwrap(), "\"0.0125\"");
        assert_eq!(serde_json::from_str::<Rate>("\"0.0125\"").unwrap(), r);
        assert_eq!(serde_json::from_str::<Rate>("0.0125").unwrap(), r, "a JSON number is read from its text");
        assert_eq!(serde_json::to_string(&Money::from_micros(200_000)).unwrap(), "\"0.2\"");
        assert_eq!(serde_json::to_string(&Money::from_micros(-1)).unwrap(), "\"-0.000001\"");
        assert_eq!(serde_json::to_string(&Money::ZERO).unwrap(), "\"0\"");
    }

    #[test]
    fn the_sixth_decimal_rounds_half_away_from_zero() {
        assert_eq!(Rate::parse("0.0000005").unwrap().micros(), 1);
        assert_eq!(Rate::parse("0.00000049").unwrap().micros(), 0);
        assert_eq!(Money::parse("-0.0000005").unwrap().micros(), -1);
        assert_eq!(Rate::parse("0.011000000000000001").unwrap().micros(), 11_000);
    }

    #[test]
    fn garbage_is_refused_with_the_value_named() {
        let e = Rate::parse("abc").unwrap_err();
        assert!(e.contains("abc"), "{e}");
        assert!(serde_json::from_str::<Rate>("\"1e999\"").is_err());
        assert!(serde_json::from_str::<Rate>("true").is_err());
    }
}
