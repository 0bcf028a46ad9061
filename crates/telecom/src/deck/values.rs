//! One cell's value: amounts as exact micro-units, billing increments, effective dates, and numbers
//! from spreadsheet cells as Excel shows them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use rust_decimal::Decimal;

/// The largest amount accepted: 1,000,000 per minute (or per call), in micro-units.
const MAX_MICRO: i128 = 1_000_000_000_000;

/// A decimal amount as micro-units (at most 6 decimals, not negative).
///
/// Read as a person would: surrounding spaces and a currency sign are ignored; the decimal mark
/// may be a point or a comma (`0,0861` from a semicolon-separated deck); with both, the last one is
/// the decimal mark and the other groups thousands (`1.234,5` and `1,234.5`); spaces inside the
/// number group thousands too; Excel's scientific form (`1.5E-02`) is accepted. Exact: no float
/// is involved.
pub fn micro(raw: &str) -> Result<i64, String> {
    if let Some(v) = plain_micro(raw.trim()) {
        return Ok(v);
    }
    let not_a_number = || format!("“{}” is not a number", shown(raw));
    let mut s: String = raw
        .trim()
        .trim_matches(|c: char| matches!(c, '$' | '€' | '£' | '¥') || c.is_whitespace())
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '_'))
        .collect();
    if let Some(rest) = s.strip_prefix('-') {
        // "-0" and "-0.00" are zero written oddly, not a negative amount.
        return match micro(rest) {
            Ok(0) => Ok(0),
            Ok(_) => Err("must not be negative".into()),
            Err(e) => Err(e),
        };
    }
    if let Some(rest) = s.strip_prefix('+') {
        s = rest.to_string();
    }
    if s.contains(['e', 'E']) {
        let d = Decimal::from_scientific(&s.replace(',', ".")).map_err(|_| not_a_number())?;
        return micro(&d.normalize().to_string());
    }
    let (commas, points) = (s.matches(',').count(), s.matches('.').count());
    let normal = match (commas, points) {
        (0, 0 | 1) => s,
        (1, 0) => s.replace(',', "."),
        (_, 0) => s.replace(',', ""), // 1,000,000
        (0, _) => s.replace('.', ""), // 1.000.000
        _ => {
            let last = s.rfind([',', '.']).unwrap_or(0);
            let (whole, frac) = s.split_at(last);
            format!("{}.{}", whole.replace([',', '.'], ""), &frac[1..])
        }
    };
    let (whole, frac) = normal.split_once('.').unwrap_or((&normal, ""));
    if whole.is_empty() && frac.is_empty() || !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(not_a_number());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > 6 {
        return Err("has more than 6 decimals".into());
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 13 {
        return Err("is too large".into());
    }
    let whole: i128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| not_a_number())? };
    let frac_value: i128 = if frac.is_empty() { 0 } else { frac.parse::<i128>().map_err(|_| not_a_number())? * 10i128.pow(6 - frac.len() as u32) };
    let value = whole * 1_000_000 + frac_value;
    if value > MAX_MICRO {
        return Err("is too large".into());
    }
    Ok(value as i64)
}

/// The common case without allocating: digits, at most one point, at most 6 decimals.
fn plain_micro(s: &str) -> Option<i64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.len() > 7 || frac.len() > 6 || whole.is_empty() && frac.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for b in whole.bytes() {
        value = value * 10 + i64::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
    }
    for b in frac.bytes() {
        value = value * 10 + i64::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
    }
    Some(value * 10i64.pow(6 - frac.len() as u32)).filter(|v| i128::from(*v) <= MAX_MICRO)
}

/// A cell's text as quoted in a message: trimmed, and cut short when long.
pub(crate) fn shown(raw: &str) -> String {
    let s = raw.trim();
    if s.chars().count() <= 40 { s.to_string() } else { format!("{}…", s.chars().take(40).collect::<String>()) }
}

/// A number as Excel displays it in a General cell: 15 significant digits (so the double
/// 0.011000000000000001 is 0.011 and 4420.0 is 4420), without trailing zeros or an exponent.
pub fn excel_number(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f == f.trunc() && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    match Decimal::from_scientific(&format!("{f:.14e}")) {
        Ok(d) => d.normalize().to_string(),
        Err(_) => format!("{f}"),
    }
}

/// Billing increments from a cell: `60/60` (initial/subsequent) in one cell, or one number of
/// seconds (`60`, `60s`, `60 sec`).
pub(crate) enum Increment {
    Both(i64, i64),
    One(i64),
}

fn seconds(raw: &str) -> Option<i64> {
    let s = raw.trim().to_lowercase();
    let s = ["seconds", "second", "secs", "sec", "s"].iter().find_map(|u| s.strip_suffix(u)).unwrap_or(&s).trim().to_string();
    // An Excel number cell reads "60"; a CSV exported from one may read "60.0".
    let s = s.strip_suffix(".0").unwrap_or(&s);
    s.parse::<i64>().ok().filter(|v| (1..=3600).contains(v))
}

pub(crate) fn increment(raw: &str) -> Result<Increment, String> {
    if let Some((a, b)) = raw.split_once(['/', '+']) {
        return match (seconds(a), seconds(b)) {
            (Some(a), Some(b)) => Ok(Increment::Both(a, b)),
            _ => Err(format!("“{}” is not increments such as 60/60", shown(raw))),
        };
    }
    seconds(raw).map(Increment::One).ok_or_else(|| format!("“{}” is not 1–3600 seconds", shown(raw)))
}

/// The stored form of a UTC time (`2026-11-01T08:00:00.000000Z`), as `didtron_core::time` writes
/// it.
pub(crate) fn stored(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// An effective date (UTC; the time of day kept when given) in stored form.
///
/// Accepted: ISO dates with an optional time (`2026-11-01`, `2026-11-01 08:00`,
/// `2026-11-01T08:00:00Z`, with an offset), `2026/11/01`, `20261101`, `01.11.2026`, `01-Nov-2026`,
/// and day/month/year with slashes when the order is clear (`25/11/2026`, `11/25/2026`); `01/03/2026`
/// could be either and is refused rather than guessed.
pub fn parse_date(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    // The common case, fast: 2026-11-01.
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *s.as_bytes() {
        let n = |digits: &[u8]| digits.iter().try_fold(0u32, |acc, b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')));
        if let (Some(y), Some(m), Some(d)) = (n(&[y1, y2, y3, y4]), n(&[m1, m2]), n(&[d1, d2]))
            && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
        {
            return Ok(stored(date.and_time(NaiveTime::MIN)));
        }
    }
    let bad = || format!("“{}” is not a date such as 2026-12-01", shown(s));
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(stored(t.with_timezone(&Utc).naive_utc()));
    }
    for f in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%:z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Ok(stored(t.with_timezone(&Utc).naive_utc()));
        }
    }
    let s_no_z = s.strip_suffix(['Z', 'z']).unwrap_or(s).trim();
    let (date_part, time_part) = match s_no_z.split_once(['T', ' ']) {
        Some((d, t)) => (d.trim(), Some(t.trim())),
        None => (s_no_z, None),
    };
    let time = match time_part {
        None | Some("") => NaiveTime::MIN,
        Some(t) => ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"].iter().find_map(|f| NaiveTime::parse_from_str(t, f).ok()).ok_or_else(bad)?,
    };
    let date = day(date_part).ok_or_else(bad)??;
    Ok(stored(date.and_time(time)))
}

/// The date of a date text: `None` when it is not one; `Some(Err)` when it is ambiguous.
fn day(s: &str) -> Option<Result<NaiveDate, String>> {
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y", "%d-%b-%Y", "%d %b %Y", "%d-%B-%Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(Ok(d));
        }
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok().map(Ok);
    }
    let parts: Vec<&str> = s.split(['/', '-']).collect();
    if let [a, b, y] = parts[..] {
        let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
        if y < 1000 {
            return None;
        }
        let dm = NaiveDate::from_ymd_opt(y, b, a);
        let md = NaiveDate::from_ymd_opt(y, a, b);
        return match (dm, md) {
            (Some(d), None) | (None, Some(d)) => Some(Ok(d)),
            (Some(d), Some(_)) if a == b => Some(Ok(d)),
            (Some(_), Some(_)) => Some(Err(format!("“{s}” could be day/month or month/day; write it as {y}-{b:02}-{a:02} or {y}-{a:02}-{b:02}"))),
            (None, None) => None,
        };
    }
    None
}

/// A spreadsheet date-time as stored text, to the second (Excel keeps milliseconds as a fraction
/// of a day, so 08:00 may come back as 07:59:59.9996).
pub(crate) fn excel_datetime(t: NaiveDateTime) -> String {
    let millis = t.and_utc().timestamp_millis();
    let secs = (millis + 500).div_euclid(1000);
    DateTime::from_timestamp(secs, 0).map(|t| stored(t.naive_utc())).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_become_micro_units_exactly() {
        assert_eq!(micro("0.012345"), Ok(12_345));
        assert_eq!(micro("1"), Ok(1_000_000));
        assert_eq!(micro("0.0100000"), Ok(10_000));
        assert_eq!(micro(" $0.05 "), Ok(50_000));
        assert_eq!(micro("€ 0,05"), Ok(50_000));
        assert!(micro("0.0000001").is_err());
        assert_eq!(micro("-1"), Err("must not be negative".into()));
        assert_eq!(micro("-0.00"), Ok(0));
        assert!(micro("abc").is_err());
        assert!(micro("").is_err());
        assert!(micro(".").is_err());
        assert!(micro("1.2.3x").is_err());
        assert_eq!(micro("1000000"), Ok(1_000_000_000_000));
        assert_eq!(micro("1000000.000001"), Err("is too large".into()));
        assert_eq!(micro("99999999999999999999999"), Err("is too large".into()));
    }

    #[test]
    fn decimal_commas_and_thousands_are_read_as_a_person_would() {
        assert_eq!(micro("0,0861"), Ok(86_100));
        assert_eq!(micro("0,187"), Ok(187_000));
        assert_eq!(micro("1.234,5"), Ok(1_234_500_000));
        assert_eq!(micro("1,234.5"), Ok(1_234_500_000));
        assert_eq!(micro("1 234,5"), Ok(1_234_500_000));
        assert_eq!(micro("1,000,000"), Ok(1_000_000_000_000));
        assert_eq!(micro(",5"), Ok(500_000));
        assert_eq!(micro("1.5E-02"), Ok(15_000));
        assert_eq!(micro("1,5E-02"), Ok(15_000));
    }

    #[test]
    fn excel_numbers_read_as_excel_shows_them() {
        assert_eq!(excel_number(0.011000000000000001), "0.011");
        assert_eq!(excel_number(4420.0), "4420");
        assert_eq!(excel_number(0.1 + 0.2), "0.3");
        assert_eq!(excel_number(0.0125), "0.0125");
        assert_eq!(excel_number(447700900123.0), "447700900123");
        assert_eq!(excel_number(1.0 / 3.0), "0.333333333333333");
        assert_eq!(micro(&excel_number(0.011000000000000001)), Ok(11_000));
        // 15 significant digits, then the 6-decimal rule of every amount.
        assert!(micro(&excel_number(1.0 / 3.0)).is_err());
        assert_eq!(excel_number(f64::NAN), "");
    }

    #[test]
    fn increments_in_one_cell_or_as_seconds() {
        assert!(matches!(increment("60/60"), Ok(Increment::Both(60, 60))));
        assert!(matches!(increment(" 30 / 6 "), Ok(Increment::Both(30, 6))));
        assert!(matches!(increment("1+1"), Ok(Increment::Both(1, 1))));
        assert!(matches!(increment("60"), Ok(Increment::One(60))));
        assert!(matches!(increment("60s"), Ok(Increment::One(60))));
        assert!(matches!(increment("6 sec"), Ok(Increment::One(6))));
        assert!(matches!(increment("60.0"), Ok(Increment::One(60))));
        assert!(increment("0/5").is_err());
        assert!(increment("0").is_err());
        assert!(increment("3601").is_err());
        assert!(increment("sixty").is_err());
    }

    #[test]
    fn dates_keep_their_time_and_refuse_to_guess() {
        assert_eq!(parse_date("2026-11-01"), Ok("2026-11-01T00:00:00.000000Z".into()));
        assert_eq!(parse_date("2026-11-01 08:00"), Ok("2026-11-01T08:00:00.000000Z".into()));
        assert_eq!(parse_date("2026-11-01T08:00:00"), Ok("2026-11-01T08:00:00.000000Z".into()));
        assert_eq!(parse_date("2026-11-01T08:00:00Z"), Ok("2026-11-01T08:00:00.000000Z".into()));
        assert_eq!(parse_date("2026-11-01T10:00:00+02:00"), Ok("2026-11-01T08:00:00.000000Z".into()));
        assert_eq!(parse_date("2026-11-01 08:00:00.500"), Ok("2026-11-01T08:00:00.500000Z".into()));
        assert_eq!(parse_date("2026/11/01"), Ok("2026-11-01T00:00:00.000000Z".into()));
        assert_eq!(parse_date("20261101"), Ok("2026-11-01T00:00:00.000000Z".into()));
        assert_eq!(parse_date("01.11.2026 08:00"), Ok("2026-11-01T08:00:00.000000Z".into()));
        assert_eq!(parse_date("01-Nov-2026"), Ok("2026-11-01T00:00:00.000000Z".into()));
        assert_eq!(parse_date("25/11/2026"), Ok("2026-11-25T00:00:00.000000Z".into()));
        assert_eq!(parse_date("11/25/2026"), Ok("2026-11-25T00:00:00.000000Z".into()));
        assert_eq!(parse_date("05/05/2026"), Ok("2026-05-05T00:00:00.000000Z".into()));
        let ambiguous = parse_date("01/03/2026").unwrap_err();
        assert!(ambiguous.contains("day/month or month/day"), "{ambiguous}");
        assert!(parse_date("tomorrow").is_err());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("2026-11-01 25:00").is_err());
    }

    #[test]
    fn excel_date_times_round_to_the_second() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap().and_hms_milli_opt(7, 59, 59, 999).unwrap();
        assert_eq!(excel_datetime(t), "2026-11-01T08:00:00.000000Z");
    }
}
