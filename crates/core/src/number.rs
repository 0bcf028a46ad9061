//! Phone numbers in E.164: a `+`, a country code and the national number, 15 digits at most.
//! People write them with spaces, dots, dashes and brackets, and with `00` for the `+`; those are
//! read and dropped. Anything else (letters, a second `+`, too many digits) is refused.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A number as digits with its leading `+` (`+442079460000`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct E164(String);

impl E164 {
    /// A number in international form: `+` or `00` first, then 8–15 digits not starting with 0.
    /// `+44 (20) 7946-0000`, `0044.20.7946.0000` and `+442079460000` are the same number.
    pub fn parse(raw: &str) -> Result<E164, String> {
        let digits = Self::digits(raw)?;
        if !digits.1 {
            return Err(format!("“{}” is not an E.164 number such as +12025550100: it needs its country code with a leading + or 00", raw.trim()));
        }
        Self::check(raw, digits.0, 8)
    }

    /// A dialled number: as [`E164::parse`], but the `+` may be left out (`442079460000`) and
    /// short numbers (1–15 digits) are allowed, as route lookups and prefixes need.
    pub fn dialled(raw: &str) -> Result<E164, String> {
        let (digits, _) = Self::digits(raw)?;
        Self::check(raw, digits, 1)
    }

    /// Separators dropped and `00` read as `+`; the digits and whether the number was written in
    /// international form.
    fn digits(raw: &str) -> Result<(String, bool), String> {
        let t = raw.trim();
        let mut out = String::with_capacity(t.len());
        let mut plus = false;
        for (i, c) in t.chars().enumerate() {
            match c {
                '+' if i == 0 => plus = true,
                '0'..='9' => out.push(c),
                ' ' | '.' | '-' | '(' | ')' | '/' | '\u{a0}' => {}
                _ => return Err(format!("“{t}” is not an E.164 number such as +12025550100: only digits, spaces, dots, dashes, brackets and a leading + may appear")),
            }
        }
        if !plus && let Some(rest) = out.strip_prefix("00") {
            return Ok((rest.to_string(), true));
        }
        Ok((out, plus))
    }

    fn check(raw: &str, digits: String, min: usize) -> Result<E164, String> {
        if digits.len() < min || digits.len() > 15 {
            return Err(format!("“{}” is not an E.164 number such as +12025550100: it must have between {min} and 15 digits", raw.trim()));
        }
        if digits.starts_with('0') {
            return Err(format!("“{}” is not an E.164 number such as +12025550100: no country code starts with 0", raw.trim()));
        }
        Ok(E164(format!("+{digits}")))
    }

    /// The digits without the `+`.
    pub fn digits_only(&self) -> &str {
        &self.0[1..]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for E164 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for E164 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<E164, D::Error> {
        E164::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_write_numbers_many_ways() {
        for raw in ["+44 (20) 7946-0000", "+44.20.7946.0000", "0044 20 7946 0000", " +442079460000 "] {
            assert_eq!(E164::parse(raw).unwrap().as_str(), "+442079460000", "{raw}");
        }
        assert_eq!(E164::parse("+1 (202) 555-0100").unwrap().to_string(), "+12025550100");
    }

    #[test]
    fn international_form_is_required_unless_dialled() {
        assert!(E164::parse("12025550100").is_err());
        assert_eq!(E164::dialled("12025550100").unwrap().digits_only(), "12025550100");
        assert_eq!(E164::dialled("+44").unwrap().digits_only(), "44");
    }

    #[test]
    fn the_rest_is_refused() {
        for bad in ["+0123456789", "+12ab5550100", "+1234567890123456", "+44+20", "", "+"] {
            assert!(E164::parse(bad).is_err(), "{bad}");
        }
        assert!(E164::dialled("").is_err());
    }
}
