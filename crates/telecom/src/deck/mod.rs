//! Reading a rate deck — a carrier's list of prefix → rate per minute — the way a person reads it.
//!
//! Bytes in, checked rows and a report out; no I/O, no clock, no async. Carriers send decks as CSV
//! (comma, semicolon, tab or pipe separated; UTF-8 with or without a BOM, Excel's UTF-16 "Unicode
//! text", or legacy Windows-1252), or as spreadsheets (.xlsx, .xls, .ods). The steps:
//!
//! 1. **Format.** Judged by the content (a zip is a spreadsheet whatever its name), then the name.
//!    Archives are checked before anything unpacks them: the uncompressed size of every part and of
//!    the whole, and the length of any one cell, are capped (`Limits`), so a decompression bomb is
//!    refused at once instead of costing minutes and gigabytes.
//! 2. **Text.** Decoded to UTF-8 (`text`), or refused with a message naming the encoding problem.
//! 3. **Header.** The first row whose names give a prefix and a rate column (among the first
//!    `HEADER_SCAN` non-empty rows, so a title line above the header is skipped), matched across case,
//!    spacing, punctuation and CamelCase (`columns`). Columns not used are listed as ignored; an
//!    unused column that looks important (a currency, a date, a fee…) is a warning the operator must
//!    accept before the deck is imported.
//! 4. **Rows.** Every row is checked (`values`); every bad row is reported with its line as the file
//!    shows it (the header's own line counts, and so do blank lines, empty records and the lines of
//!    multi-line quoted fields). A deck with any bad row is refused whole by the caller.

mod archive;
mod columns;
mod delimited;
mod ods;
mod rows;
mod text;
mod values;
mod workbook;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

pub use archive::Limits;
pub use columns::{CANONICAL, detect};
pub use values::{excel_number, micro, parse_date};

/// Which file column feeds each canonical column (by header text).
pub type Mapping = HashMap<String, String>;

/// How many non-empty rows at the top are searched for the header row.
pub const HEADER_SCAN: usize = 20;

/// At most this many errors are listed; the count of the rest is still reported.
pub const MAX_LISTED_ERRORS: usize = 1000;

/// One good row, in stored units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckRow {
    pub prefix: String,
    pub destination: String,
    /// Micro-units per minute.
    pub rate: i64,
    /// Micro-units per call.
    pub connection_fee: i64,
    /// Seconds.
    pub initial_increment: i64,
    pub subsequent_increment: i64,
    /// Stored time text (`2026-11-01T08:00:00.000000Z`).
    pub effective_from: String,
}

/// A bad row (or a problem with the columns, on the header's line).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RowError {
    /// The line in the file (the first line is 1; spreadsheets: the row number).
    pub line: usize,
    pub column: String,
    pub message: String,
}

/// Something the operator must accept before the deck is imported (`Options::accept_warnings`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Warning {
    /// The file's column the warning is about.
    pub column: String,
    pub message: String,
}

/// What was read and how: the report a person checks before importing.
#[derive(Debug, Default, Clone)]
pub struct ParsedDeck {
    pub headers: Vec<String>,
    /// The header's line in the file (1 unless title lines precede it).
    pub header_line: usize,
    pub mapping: Mapping,
    pub rows: Vec<DeckRow>,
    pub errors: Vec<RowError>,
    /// Rows read (good and bad).
    pub total: usize,
    /// Every error found, including those past the listed ones.
    pub error_count: usize,
    /// Columns of the file that are not imported.
    pub ignored: Vec<String>,
    /// Unimported columns that look important; they reject the deck unless accepted.
    pub warnings: Vec<Warning>,
    pub warnings_accepted: bool,
    /// How the file was read: "CSV, UTF-8, separator ;" or "Excel workbook, sheet Rates".
    pub format: String,
    /// The text encoding of a CSV file (`UTF-8`, `UTF-16LE`, `windows-1252`…).
    pub encoding: Option<String>,
    /// The separator of a CSV file.
    pub separator: Option<char>,
    /// The sheet read, for workbooks; and every sheet of the workbook.
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
}

impl ParsedDeck {
    /// Whether the columns could not be matched (nothing past the header was read).
    pub fn unmapped(&self) -> bool {
        self.errors.iter().any(|e| e.column.starts_with("mapping"))
    }

    fn error(&mut self, line: usize, column: &str, message: String) {
        self.error_count += 1;
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(RowError { line, column: column.into(), message });
        }
    }
}

/// How to read a deck.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The columns chosen by hand; detected from the headers when absent.
    pub mapping: Option<Mapping>,
    /// The sheet of a workbook to read (its name, without regard to case); by default the first
    /// sheet with a recognisable header.
    pub sheet: Option<String>,
    /// The operator accepts the warnings (unimported columns that look important).
    pub accept_warnings: bool,
    /// The effective date of rows without one, in stored form (the caller's "now").
    pub now: String,
    pub limits: Limits,
    /// Set by the caller when nobody waits for the answer any more (the request ended): reading
    /// stops at the next record or unpacked chunk.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Options {
    pub(crate) fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

/// A file that cannot be read at all (as opposed to a file with bad rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckError {
    /// The request field at fault: `file`, `sheet` or `mapping`.
    pub field: &'static str,
    pub message: String,
}

impl DeckError {
    pub(crate) fn file(message: impl Into<String>) -> DeckError {
        DeckError { field: "file", message: message.into() }
    }
}

impl fmt::Display for DeckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for DeckError {}

/// The kinds of file a deck can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Delimited,
    /// A zip: .xlsx / .xlsm, or .ods (decided from its parts).
    Zip,
    /// An OLE compound file: legacy .xls.
    Ole,
}

fn kind_of(name: &str, bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Kind::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Kind::Ole;
    }
    let lower = name.to_lowercase();
    if [".xlsx", ".xlsm", ".ods"].iter().any(|e| lower.ends_with(e)) {
        // Named as a spreadsheet but not a zip: let the zip reader say what is wrong.
        return Kind::Zip;
    }
    if lower.ends_with(".xls") {
        return Kind::Ole;
    }
    Kind::Delimited
}

/// Reads a deck. `name` is the file's name (a hint; the content decides). A file that cannot be
/// read at all is an `Err`; bad rows are in the deck's `errors`.
pub fn read(name: &str, bytes: &[u8], options: &Options) -> Result<ParsedDeck, DeckError> {
    if let Some(m) = &options.mapping {
        columns::check_mapping(m)?;
    }
    let deck = match kind_of(name, bytes) {
        Kind::Delimited => delimited::read(bytes, options),
        Kind::Zip => workbook::read_zip(bytes, options),
        Kind::Ole => workbook::read_xls(bytes, options),
    };
    if options.cancelled() {
        return Err(DeckError::file("the reading was stopped: nobody waits for it any more"));
    }
    let mut deck = deck?;
    rows::finish(&mut deck, options);
    Ok(deck)
}

#[cfg(test)]
mod tests;
