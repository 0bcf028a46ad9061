//! From records (a line number and its cells, whatever the file format) to checked rows: finding
//! the header, matching the columns, and checking every row.

use std::borrow::Cow;
use std::collections::HashMap;

use foldhash::HashMap as FastMap;

use super::columns::{self, DESTINATION, EFFECTIVE, FEE, INITIAL, PREFIX, RATE, SUBSEQUENT};
use super::values::{Increment, increment, micro, parse_date, shown};
use super::{CANONICAL, DeckRow, HEADER_SCAN, Options, ParsedDeck, Warning};
use crate::prefix::Prefix;

/// Destination names are kept to this many characters.
const DESTINATION_CHARS: usize = 120;

/// A record's cells, by column.
pub(crate) trait Cells {
    fn cell(&self, i: usize) -> &str;
    fn count(&self) -> usize;

    fn blank(&self) -> bool {
        (0..self.count()).all(|i| self.cell(i).trim().is_empty())
    }

    fn owned(&self) -> Vec<String> {
        (0..self.count()).map(|i| self.cell(i).to_string()).collect()
    }
}

impl Cells for csv::StringRecord {
    fn cell(&self, i: usize) -> &str {
        self.get(i).unwrap_or("")
    }
    fn count(&self) -> usize {
        self.len()
    }
}

impl Cells for Vec<String> {
    fn cell(&self, i: usize) -> &str {
        self.get(i).map(String::as_str).unwrap_or("")
    }
    fn count(&self) -> usize {
        self.len()
    }
}

type Columns = [Option<usize>; 7];

/// Whether a record names the columns: the mapping's columns when one was given, else a prefix
/// and a rate column.
pub(crate) fn looks_like_header(cells: &[String], options: &Options) -> bool {
    match &options.mapping {
        Some(m) => !m.is_empty() && m.values().all(|h| columns::position(cells, h).is_some()),
        None => {
            let idx = columns::detect_indexes(cells);
            idx[PREFIX].is_some() && idx[RATE].is_some()
        }
    }
}

pub(crate) struct Builder<'o> {
    options: &'o Options,
    deck: ParsedDeck,
    /// Non-empty records before the header was found.
    pending: Vec<(usize, Vec<String>)>,
    cols: Option<Columns>,
    /// The columns could not be matched: the rows are not read.
    stop: bool,
    /// (prefix, effective date) → the line it was first seen on.
    seen: FastMap<(Prefix, u32), usize>,
    dates: HashMap<String, u32>,
    /// The last effective-date cell read and what it gave: decks repeat one date on every row.
    last_date: Option<(String, Result<String, String>)>,
}

impl<'o> Builder<'o> {
    pub(crate) fn new(options: &'o Options) -> Builder<'o> {
        Builder { options, deck: ParsedDeck::default(), pending: Vec::new(), cols: None, stop: false, seen: FastMap::default(), dates: HashMap::new(), last_date: None }
    }

    /// Whether nothing more needs to be read (the columns are unknown, or the caller gave up).
    pub(crate) fn stopped(&self) -> bool {
        self.stop || self.options.cancelled()
    }

    /// A line that could not be read at all.
    pub(crate) fn unreadable(&mut self, line: usize, message: String) {
        if self.cols.is_some() && !self.stop {
            self.deck.total += 1;
            self.deck.error(line, "file", message);
        }
    }

    pub(crate) fn record<C: Cells + ?Sized>(&mut self, line: usize, cells: &C) {
        if self.stop || cells.blank() {
            return;
        }
        match self.cols {
            Some(cols) => self.push(&cols, line, cells),
            None => {
                let owned = cells.owned();
                let header = looks_like_header(&owned, self.options);
                self.pending.push((line, owned));
                if header {
                    let (line, headers) = self.pending.pop().unwrap_or_default();
                    self.pending.clear();
                    self.start(line, headers);
                } else if self.pending.len() >= HEADER_SCAN {
                    self.fall_back();
                }
            }
        }
    }

    /// No record looked like a header: the first one is taken, so the report shows its names for a
    /// person to map by hand.
    fn fall_back(&mut self) {
        let mut pending = std::mem::take(&mut self.pending).into_iter();
        let Some((line, headers)) = pending.next() else { return };
        self.start(line, headers);
        for (line, cells) in pending {
            if self.stop {
                break;
            }
            if let Some(cols) = self.cols {
                self.push(&cols, line, &cells);
            }
        }
    }

    /// Matches the columns. When they cannot be matched, the deck carries the reason as an error on
    /// the header's line (with the headers and the mapping tried) and the rows are not read.
    fn start(&mut self, line: usize, headers: Vec<String>) {
        let mut idx: Columns = [None; 7];
        let deck = &mut self.deck;
        deck.header_line = line;
        match &self.options.mapping {
            Some(m) => {
                for (i, canonical) in CANONICAL.iter().enumerate() {
                    if let Some(h) = m.get(*canonical) {
                        match columns::position(&headers, h) {
                            Some(p) => idx[i] = Some(p),
                            None => deck.error(line, &format!("mapping.{canonical}"), format!("the file has no column “{h}”")),
                        }
                    }
                }
            }
            None => idx = columns::detect_indexes(&headers),
        }
        deck.mapping = CANONICAL.iter().zip(idx).filter_map(|(c, i)| i.map(|i| (c.to_string(), headers[i].clone()))).collect();
        let missing: Vec<&str> = [(PREFIX, "prefix"), (RATE, "rate")].into_iter().filter(|(i, _)| idx[*i].is_none()).map(|(_, n)| n).collect();
        if !missing.is_empty() {
            deck.error(line, "mapping", format!("no column found for {}; choose the columns by hand", missing.join(" and ")));
        }
        let (ignored, warnings) = columns::unused(&headers, &idx);
        deck.ignored = ignored;
        deck.warnings = warnings;
        deck.headers = headers;
        self.stop = deck.unmapped();
        self.cols = Some(idx);
    }

    fn push<C: Cells + ?Sized>(&mut self, c: &Columns, line: usize, cells: &C) {
        let deck = &mut self.deck;
        deck.total += 1;
        let cell = |i: usize| c[i].map(|p| cells.cell(p)).unwrap_or("").trim();
        let before = deck.error_count;

        // Spreadsheets' text prefixes sometimes keep the apostrophe that made them text, and
        // people group digits with spaces ("1 876").
        let raw_prefix = cell(PREFIX);
        let bare = raw_prefix.trim_start_matches('\'');
        let bare = bare.strip_prefix('+').unwrap_or(bare);
        let digits: Cow<'_, str> = if bare.contains(char::is_whitespace) { bare.chars().filter(|c| !c.is_whitespace()).collect::<String>().into() } else { bare.into() };
        let prefix = Prefix::parse(&digits);
        if prefix.is_none() {
            deck.error(line, "prefix", format!("“{}” is not 1–15 digits", shown(raw_prefix)));
        }
        let rate = micro(cell(RATE)).map_err(|m| deck.error(line, "rate", m)).unwrap_or(0);
        let fee = if cell(FEE).is_empty() { 0 } else { micro(cell(FEE)).map_err(|m| deck.error(line, "connection_fee", m)).unwrap_or(0) };
        let (mut initial, mut subsequent) = (60i64, 60i64);
        let inc = cell(INITIAL);
        if !inc.is_empty() {
            match increment(inc) {
                Ok(Increment::Both(a, b)) => (initial, subsequent) = (a, b),
                Ok(Increment::One(a)) => (initial, subsequent) = (a, a),
                Err(m) => deck.error(line, "initial_increment", m),
            }
        }
        let sub = cell(SUBSEQUENT);
        if !sub.is_empty() {
            match increment(sub) {
                Ok(Increment::One(b)) => subsequent = b,
                Ok(Increment::Both(..)) | Err(_) => deck.error(line, "subsequent_increment", format!("“{}” is not 1–3600 seconds", shown(sub))),
            }
        }
        let raw_date = cell(EFFECTIVE);
        let effective_from = if raw_date.is_empty() {
            self.options.now.clone()
        } else {
            if self.last_date.as_ref().is_none_or(|(raw, _)| raw != raw_date) {
                self.last_date = Some((raw_date.to_string(), parse_date(raw_date)));
            }
            match self.last_date.as_ref().map(|(_, parsed)| parsed.clone()) {
                Some(Ok(date)) => date,
                Some(Err(m)) => {
                    deck.error(line, "effective_from", m);
                    String::new()
                }
                None => String::new(),
            }
        };
        let Some(prefix) = prefix else { return };
        if deck.error_count > before {
            return;
        }
        let date = match self.dates.get(&effective_from) {
            Some(d) => *d,
            None => {
                let next = self.dates.len() as u32;
                self.dates.insert(effective_from.clone(), next);
                next
            }
        };
        if let Some(first) = self.seen.insert((prefix, date), line) {
            self.seen.insert((prefix, date), first);
            deck.error(line, "prefix", format!("{prefix} appears twice with the same effective date (first on line {first})"));
            return;
        }
        let name = cell(DESTINATION);
        let destination = if name.len() <= DESTINATION_CHARS { name.to_string() } else { name.chars().take(DESTINATION_CHARS).collect() };
        deck.rows.push(DeckRow {
            // The digits as written are the prefix's text (`Prefix::parse` accepted them).
            prefix: digits.into_owned(),
            destination,
            rate,
            connection_fee: fee,
            initial_increment: initial,
            subsequent_increment: subsequent,
            effective_from,
        });
    }

    pub(crate) fn finish(mut self) -> ParsedDeck {
        if self.cols.is_none() {
            if self.pending.is_empty() {
                self.deck.header_line = 1;
                self.deck.error(1, "file", "the file is empty".into());
            } else {
                self.fall_back();
            }
        }
        self.deck
    }
}

/// Unaccepted warnings reject the deck: each becomes an error on the header's line.
pub(crate) fn finish(deck: &mut ParsedDeck, options: &Options) {
    deck.warnings_accepted = options.accept_warnings && !deck.warnings.is_empty();
    if options.accept_warnings || deck.warnings.is_empty() || deck.unmapped() {
        return;
    }
    let line = deck.header_line;
    let refused: Vec<_> = deck
        .warnings
        .iter()
        .map(|Warning { column, message }| super::RowError {
            line,
            column: column.clone(),
            message: format!("{message}: map it to a column, or accept the warnings to import without it"),
        })
        .collect();
    deck.error_count += refused.len();
    deck.errors.splice(0..0, refused);
    deck.errors.truncate(super::MAX_LISTED_ERRORS);
}
