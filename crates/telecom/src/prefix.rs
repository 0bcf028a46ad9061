//! Dialled-number prefixes: digits only, 1 to 15 of them (E.164 allows 15 digits).

use std::fmt;

/// A prefix of 1–15 digits, packed into one integer so lookups hash a `u64`, not a string.
/// The packing keeps the length, so `1` and `01` stay different.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prefix(u64);

pub const MAX_DIGITS: usize = 15;

impl Prefix {
    /// Parses digits (a leading `+` is ignored). `None` for anything else.
    pub fn parse(s: &str) -> Option<Prefix> {
        let s = s.trim();
        let s = s.strip_prefix('+').unwrap_or(s);
        if s.is_empty() || s.len() > MAX_DIGITS || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Self::from_digits(s.as_bytes()))
    }

    fn from_digits(digits: &[u8]) -> Prefix {
        let value = digits.iter().fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
        Prefix(value << 4 | digits.len() as u64)
    }

    pub fn len(self) -> usize {
        (self.0 & 0xF) as usize
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    fn value(self) -> u64 {
        self.0 >> 4
    }

    /// Every prefix of a dialled number, longest first. `None` when the number is not digits.
    pub fn all_of(number: &str) -> Option<Vec<Prefix>> {
        let full = Prefix::parse(number)?;
        let (mut value, len) = (full.value(), full.len());
        let mut out = Vec::with_capacity(len);
        for l in (1..=len).rev() {
            out.push(Prefix(value << 4 | l as u64));
            value /= 10;
        }
        Some(out)
    }

    /// This prefix and every shorter one, longest first, without allocating.
    pub fn with_shorter(self) -> impl Iterator<Item = Prefix> {
        let (value, len) = (self.value(), self.len());
        (1..=len).rev().map(move |l| Prefix((value / 10u64.pow((len - l) as u32)) << 4 | l as u64))
    }

    /// Whether this prefix is a prefix of `number`'s digits.
    pub fn matches(self, number: Prefix) -> bool {
        let (l, n) = (self.len(), number.len());
        l <= n && number.value() / 10u64.pow((n - l) as u32) == self.value()
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:0width$}", self.value(), width = self.len())
    }
}

impl fmt::Debug for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Prefix({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_keep_leading_zeros_and_length() {
        let p = Prefix::parse("0044").unwrap();
        assert_eq!(p.to_string(), "0044");
        assert_ne!(Prefix::parse("1"), Prefix::parse("01"));
        assert_eq!(Prefix::parse("+4420"), Prefix::parse("4420"));
        assert!(Prefix::parse("12a").is_none());
        assert!(Prefix::parse("").is_none());
        assert!(Prefix::parse("1234567890123456").is_none());
    }

    #[test]
    fn a_number_yields_its_prefixes_longest_first() {
        let all: Vec<String> = Prefix::all_of("+4420").unwrap().iter().map(|p| p.to_string()).collect();
        assert_eq!(all, ["4420", "442", "44", "4"]);
        let lazy: Vec<String> = Prefix::parse("4420").unwrap().with_shorter().map(|p| p.to_string()).collect();
        assert_eq!(lazy, all);
        assert!(Prefix::parse("44").unwrap().matches(Prefix::parse("4420").unwrap()));
        assert!(!Prefix::parse("45").unwrap().matches(Prefix::parse("4420").unwrap()));
        assert!(!Prefix::parse("44201").unwrap().matches(Prefix::parse("4420").unwrap()));
    }
}
