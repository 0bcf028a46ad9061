//! Reading a rate deck from CSV or Excel: finding the columns (auto-detected from common header
//! names, or mapped by the user), checking every row, and reporting every bad row with its line.

use std::collections::HashMap;
use std::io::Read;
use std::str::FromStr;

use calamine::{Data, DataType, Reader};
use didtron_core::{Error, Result, time};
use didtron_telecom::prefix::Prefix;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The columns DIDtron understands.
pub const CANONICAL: [&str; 7] = ["prefix", "destination", "rate", "connection_fee", "initial_increment", "subsequent_increment", "effective_from"];

/// Header names people use for each column, normalised (lower case, `_` for anything else).
fn synonyms(canonical: &str) -> &'static [&'static str] {
    match canonical {
        "prefix" => &["prefix", "code", "dial_code", "dialcode", "dialing_code", "destination_code", "number_prefix", "country_code_prefix"],
        "destination" => &["destination", "description", "name", "dest", "country", "destination_name", "area"],
        "rate" => &["rate", "price", "cost", "rate_per_minute", "per_minute", "rate_min", "per_min", "usd_min"],
        "connection_fee" => &["connection_fee", "connection", "setup_fee", "conn_fee", "connect_fee", "connection_charge"],
        "initial_increment" => &["initial_increment", "initial", "first_increment", "min_duration", "minimum_time", "increment", "billing_increment", "billing"],
        "subsequent_increment" => &["subsequent_increment", "subsequent", "next_increment", "additional_increment"],
        "effective_from" => &["effective_from", "effective_date", "effective", "valid_from", "start_date", "date"],
        _ => &[],
    }
}

fn normalise(header: &str) -> String {
    let mut out = String::new();
    for c in header.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// Which file column feeds each canonical column (by header text).
pub type Mapping = HashMap<String, String>;

/// The mapping guessed from the headers.
pub fn detect(headers: &[String]) -> Mapping {
    let mut m = Mapping::new();
    for canonical in CANONICAL {
        for syn in synonyms(canonical) {
            if let Some(h) = headers.iter().find(|h| normalise(h) == *syn && !m.values().any(|v| v == *h)) {
                m.insert(canonical.to_string(), h.clone());
                break;
            }
        }
    }
    m
}

/// One good row, in stored units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckRow {
    pub prefix: String,
    pub destination: String,
    /// Micro-units per minute.
    pub rate: i64,
    pub connection_fee: i64,
    pub initial_increment: i64,
    pub subsequent_increment: i64,
    pub effective_from: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct RowError {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub column: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct ParsedDeck {
    pub headers: Vec<String>,
    pub mapping: Mapping,
    pub rows: Vec<DeckRow>,
    pub errors: Vec<RowError>,
    /// Rows read (good and bad).
    pub total: usize,
    /// Every error found, including those past the listed ones.
    pub error_count: usize,
}

impl ParsedDeck {
    /// Whether the columns could not be matched (nothing past the header was read).
    pub fn unmapped(&self) -> bool {
        self.errors.iter().any(|e| e.line == 1 && e.column.starts_with("mapping"))
    }
}

/// At most this many errors are listed; the count of the rest is still reported.
pub const MAX_LISTED_ERRORS: usize = 1000;

/// A decimal amount per minute as micro-units (at most 6 decimals, not negative).
pub fn micro(raw: &str) -> std::result::Result<i64, String> {
    let s = raw.trim().trim_start_matches('$');
    let d = Decimal::from_str(s).map_err(|_| format!("“{raw}” is not a number"))?;
    if d.is_sign_negative() {
        return Err("must not be negative".into());
    }
    if d.scale() > 6 && d.normalize().scale() > 6 {
        return Err("has more than 6 decimals".into());
    }
    let m = d * Decimal::from(1_000_000);
    i64::try_from(m.trunc()).ok().filter(|v| *v <= 1_000_000_000_000).ok_or_else(|| "is too large".into())
}

fn date(raw: &str) -> std::result::Result<String, String> {
    let s = raw.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(format!("{d}T00:00:00.000000Z"));
    }
    if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
        return Ok(time::to_db(d.and_utc()));
    }
    time::from_db(s).map(time::to_db).ok_or_else(|| format!("“{s}” is not a date such as 2026-12-01"))
}

struct Columns {
    idx: [Option<usize>; 7],
}

impl ParsedDeck {
    /// Matches the columns. When they cannot be matched, the deck carries the reason as an error on
    /// line 1 (with the headers and the mapping tried, so a person can map them by hand) and the
    /// rows are not read.
    fn start(headers: Vec<String>, mapping: Option<Mapping>) -> (ParsedDeck, Columns) {
        let mapping = mapping.unwrap_or_else(|| detect(&headers));
        let mut deck = ParsedDeck { headers, mapping, ..Default::default() };
        let mut idx = [None; 7];
        for (i, canonical) in CANONICAL.iter().enumerate() {
            if let Some(h) = deck.mapping.get(*canonical).cloned() {
                match deck.headers.iter().position(|x| *x == h) {
                    Some(p) => idx[i] = Some(p),
                    None => deck.error(1, &format!("mapping.{canonical}"), format!("the file has no column “{h}”")),
                }
            }
        }
        let missing: Vec<&str> = [(0, "prefix"), (2, "rate")].into_iter().filter(|(i, _)| idx[*i].is_none()).map(|(_, n)| n).collect();
        if !missing.is_empty() {
            deck.error(1, "mapping", format!("no column found for {}; choose the columns by hand", missing.join(" and ")));
        }
        (deck, Columns { idx })
    }

    fn error(&mut self, line: usize, column: &str, message: String) {
        self.error_count += 1;
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(RowError { line, column: column.into(), message });
        }
    }

    fn push(&mut self, c: &Columns, line: usize, cells: &[String], now: &str, seen: &mut HashMap<(String, String), usize>) {
        self.total += 1;
        let cell = |i: usize| c.idx[i].and_then(|p| cells.get(p)).map(|s| s.trim()).unwrap_or("");
        let before = self.error_count;
        let prefix = match Prefix::parse(cell(0)) {
            Some(p) => p.to_string(),
            None => {
                self.error(line, "prefix", format!("“{}” is not 1–15 digits", cell(0)));
                String::new()
            }
        };
        let rate = micro(cell(2)).map_err(|m| self.error(line, "rate", m)).unwrap_or(0);
        let fee = if cell(3).is_empty() { 0 } else { micro(cell(3)).map_err(|m| self.error(line, "connection_fee", m)).unwrap_or(0) };
        // "60/60" in one column, or two columns.
        let (mut initial, mut subsequent) = (60i64, 60i64);
        let inc = cell(4);
        if let Some((a, b)) = inc.split_once('/') {
            match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
                (Ok(a), Ok(b)) if (1..=3600).contains(&a) && (1..=3600).contains(&b) => (initial, subsequent) = (a, b),
                _ => self.error(line, "initial_increment", format!("“{inc}” is not increments such as 60/60")),
            }
        } else if !inc.is_empty() {
            match inc.parse::<i64>() {
                Ok(a) if (1..=3600).contains(&a) => {
                    initial = a;
                    subsequent = a;
                }
                _ => self.error(line, "initial_increment", format!("“{inc}” is not 1–3600 seconds")),
            }
        }
        let sub = cell(5);
        if !sub.is_empty() {
            match sub.parse::<i64>() {
                Ok(b) if (1..=3600).contains(&b) => subsequent = b,
                _ => self.error(line, "subsequent_increment", format!("“{sub}” is not 1–3600 seconds")),
            }
        }
        let effective_from = if cell(6).is_empty() { now.to_string() } else { date(cell(6)).map_err(|m| self.error(line, "effective_from", m)).unwrap_or_default() };
        if self.error_count > before {
            return;
        }
        if let Some(first) = seen.insert((prefix.clone(), effective_from.clone()), line) {
            self.error(line, "prefix", format!("{prefix} appears twice with the same effective date (first on line {first})"));
            return;
        }
        let destination: String = cell(1).chars().take(120).collect();
        self.rows.push(DeckRow { prefix, destination, rate, connection_fee: fee, initial_increment: initial, subsequent_increment: subsequent, effective_from });
    }
}

/// Reads a deck from CSV (comma, semicolon or tab separated) or Excel (.xlsx/.xls/.ods), judged by
/// the file name.
pub fn read(name: &str, bytes: &[u8], mapping: Option<Mapping>) -> Result<ParsedDeck> {
    let lower = name.to_lowercase();
    let now = time::to_db(time::now());
    let mut seen = HashMap::new();
    if lower.ends_with(".xlsx") || lower.ends_with(".xls") || lower.ends_with(".ods") || lower.ends_with(".xlsm") {
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
            .map_err(|e| Error::invalid("file", format!("not a readable spreadsheet: {e}")))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| Error::invalid("file", "the workbook has no sheet"))?
            .map_err(|e| Error::invalid("file", format!("the first sheet cannot be read: {e}")))?;
        let mut rows = range.rows();
        let headers: Vec<String> = rows.next().ok_or_else(|| Error::invalid("file", "the sheet is empty"))?.iter().map(cell_text).collect();
        let (mut deck, cols) = ParsedDeck::start(headers, mapping);
        if deck.unmapped() {
            return Ok(deck);
        }
        for (i, row) in rows.enumerate() {
            let cells: Vec<String> = row.iter().map(cell_text).collect();
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            deck.push(&cols, i + 2, &cells, &now, &mut seen);
        }
        return Ok(deck);
    }
    let sample = std::str::from_utf8(&bytes[..bytes.len().min(4096)]).unwrap_or("");
    let first = sample.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t'].into_iter().max_by_key(|d| first.matches(*d as char).count()).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader.headers().map_err(|e| Error::invalid("file", format!("not readable CSV: {e}")))?.iter().map(str::to_string).collect();
    let (mut deck, cols) = ParsedDeck::start(headers, mapping);
    if deck.unmapped() {
        return Ok(deck);
    }
    let mut record = csv::StringRecord::new();
    let mut cells = Vec::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                cells.clear();
                cells.extend(record.iter().map(str::to_string));
                deck.push(&cols, line, &cells, &now, &mut seen);
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                deck.error(line, "file", format!("unreadable line: {e}"));
                deck.total += 1;
            }
        }
    }
    Ok(deck)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) => d.as_date().map(|x| x.to_string()).unwrap_or_default(),
        other => other.as_string().unwrap_or_default(),
    }
}

/// Reads a whole file into memory (decks are at most a few hundred megabytes).
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| Error::invalid("file", format!("cannot read {}: {e}", path.display())))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_headers_are_recognised() {
        let headers: Vec<String> = ["Dial Code", "Country", "Price ($)", "Setup Fee", "Billing", "Effective Date"].iter().map(|s| s.to_string()).collect();
        let m = detect(&headers);
        assert_eq!(m["prefix"], "Dial Code");
        assert_eq!(m["destination"], "Country");
        assert_eq!(m["rate"], "Price ($)");
        assert_eq!(m["initial_increment"], "Billing");
        let headers: Vec<String> = ["prefix", "destination", "rate", "connection_fee", "initial_increment", "subsequent_increment", "effective_from"].iter().map(|s| s.to_string()).collect();
        assert_eq!(detect(&headers).len(), 7);
    }

    #[test]
    fn amounts_become_micro_units_exactly() {
        assert_eq!(micro("0.012345"), Ok(12_345));
        assert_eq!(micro("1"), Ok(1_000_000));
        assert_eq!(micro("0.0100000"), Ok(10_000));
        assert!(micro("0.0000001").is_err());
        assert!(micro("-1").is_err());
        assert!(micro("abc").is_err());
    }

    #[test]
    fn bad_rows_are_all_reported_with_their_lines() {
        let csv = "prefix,destination,rate,initial_increment,effective_from\n44,UK,0.01,60/60,2026-01-01\n4a,Bad,0.01,60/60,\n447,UK Mobile,x,1/1,\n44,UK again,0.02,60/60,2026-01-01\n33,FR,0.01,0/5,tomorrow\n";
        let deck = read("deck.csv", csv.as_bytes(), None).unwrap();
        assert_eq!(deck.rows.len(), 1);
        let got: Vec<(usize, &str)> = deck.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(got, [(3, "prefix"), (4, "rate"), (5, "prefix"), (6, "initial_increment"), (6, "effective_from")]);
        assert!(deck.errors[2].message.contains("first on line 2"));
    }

    #[test]
    fn semicolons_and_split_increments_are_read() {
        let csv = "Code;Name;Rate;Initial;Subsequent\n+20;Egypt;0.1;30;6\n";
        let deck = read("x.csv", csv.as_bytes(), None).unwrap();
        assert!(deck.errors.is_empty(), "{:?}", deck.errors);
        assert_eq!((deck.rows[0].prefix.as_str(), deck.rows[0].rate, deck.rows[0].initial_increment, deck.rows[0].subsequent_increment), ("20", 100_000, 30, 6));
    }

    #[test]
    fn a_file_without_a_rate_column_asks_for_a_mapping() {
        let deck = read("x.csv", b"code,name,cost per min\n1,US,0.1\n", None).unwrap();
        assert!(deck.unmapped());
        assert!(deck.errors[0].message.contains("rate"), "{:?}", deck.errors);
        assert_eq!(deck.headers, ["code", "name", "cost per min"]);
        assert_eq!(deck.mapping["prefix"], "code");
        assert!(deck.rows.is_empty());
        let mapping: Mapping = [("prefix", "code"), ("rate", "cost per min")].map(|(a, b)| (a.to_string(), b.to_string())).into();
        let deck = read("x.csv", b"code,name,cost per min\n1,US,0.1\n", Some(mapping)).unwrap();
        assert_eq!((deck.rows.len(), deck.error_count), (1, 0));
        let wrong: Mapping = [("prefix", "nope")].map(|(a, b)| (a.to_string(), b.to_string())).into();
        assert!(read("x.csv", b"code,rate\n1,0.1\n", Some(wrong)).unwrap().unmapped());
    }
}
