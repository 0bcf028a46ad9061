//! Reading a rate deck from CSV or a spreadsheet. The reading itself is pure and lives in
//! `didtron_telecom::deck` (encodings, separators, header names, Excel cells, archive limits); this
//! adapts it to the server: its error type, the API's schema types, and the clock.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use didtron_core::{Error, Result, time};
use didtron_telecom::deck as pure;
pub use didtron_telecom::deck::{CANONICAL, DeckRow, Limits, MAX_LISTED_ERRORS, Mapping, detect, micro};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A bad row, or a problem with the columns on the header's line.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct RowError {
    /// The line in the file (the first line is 1, blank lines included; spreadsheets: the row).
    pub line: usize,
    pub column: String,
    pub message: String,
}

/// A column that looks important but is not imported: the deck is refused until the operator
/// accepts the warnings (`accept_warnings=true`) or maps the column.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct DeckWarning {
    /// The file's column.
    pub column: String,
    pub message: String,
}

/// A deck as read, with what the check report shows.
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
    /// The file's columns that are not imported.
    pub ignored: Vec<String>,
    pub warnings: Vec<DeckWarning>,
    pub warnings_accepted: bool,
    /// How the file was read ("CSV, windows-1252, separated by “;”").
    pub format: String,
    /// The sheet read, and all sheets, for workbooks.
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
}

impl ParsedDeck {
    /// Whether the columns could not be matched (nothing past the header was read).
    pub fn unmapped(&self) -> bool {
        self.errors.iter().any(|e| e.column.starts_with("mapping"))
    }

    /// A deck that is only its one problem (a file that could not be read at all).
    pub fn refused(message: String) -> ParsedDeck {
        ParsedDeck { errors: vec![RowError { line: 1, column: "file".into(), message }], error_count: 1, ..ParsedDeck::default() }
    }
}

impl From<pure::ParsedDeck> for ParsedDeck {
    fn from(d: pure::ParsedDeck) -> ParsedDeck {
        ParsedDeck {
            headers: d.headers,
            mapping: d.mapping,
            rows: d.rows,
            errors: d.errors.into_iter().map(|e| RowError { line: e.line, column: e.column, message: e.message }).collect(),
            total: d.total,
            error_count: d.error_count,
            ignored: d.ignored,
            warnings: d.warnings.into_iter().map(|w| DeckWarning { column: w.column, message: w.message }).collect(),
            warnings_accepted: d.warnings_accepted,
            format: d.format,
            sheet: d.sheet,
            sheets: d.sheets,
        }
    }
}

/// What the person uploading chose: the columns, the sheet, and whether they accept the warnings.
/// Kept with a background import's job.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReadOptions {
    pub mapping: Option<Mapping>,
    pub sheet: Option<String>,
    #[serde(default)]
    pub accept_warnings: bool,
}

/// Reads a deck with the columns detected (or `mapping`), warnings not accepted.
pub fn read(name: &str, bytes: &[u8], mapping: Option<Mapping>) -> Result<ParsedDeck> {
    read_with(name, bytes, &ReadOptions { mapping, ..ReadOptions::default() })
}

/// Reads a deck from CSV (any separator and common encoding) or a spreadsheet (.xlsx, .xls, .ods),
/// judged by its content, then its name. A file that cannot be read at all is a 422 naming the
/// problem; bad rows are in the deck's errors.
pub fn read_with(name: &str, bytes: &[u8], options: &ReadOptions) -> Result<ParsedDeck> {
    read_until(name, bytes, options, None)
}

fn read_until(name: &str, bytes: &[u8], options: &ReadOptions, cancel: Option<Arc<AtomicBool>>) -> Result<ParsedDeck> {
    let options = pure::Options {
        mapping: options.mapping.clone(),
        sheet: options.sheet.clone(),
        accept_warnings: options.accept_warnings,
        now: time::to_db(time::now()),
        limits: Limits::default(),
        cancel,
    };
    pure::read(name, bytes, &options).map(ParsedDeck::from).map_err(|e| Error::invalid(e.field, e.message))
}

/// Sets its flag when dropped: when the future awaiting a read is dropped (the client went away,
/// the server shuts down), the read stops instead of running on unseen.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// `read_with` on a blocking thread (reading is CPU work), stopped when the returned future is
/// dropped before it ends.
pub async fn read_off_thread(name: String, bytes: impl AsRef<[u8]> + Send + 'static, options: ReadOptions) -> Result<ParsedDeck> {
    let stop = StopOnDrop(Arc::new(AtomicBool::new(false)));
    let cancel = stop.0.clone();
    tokio::task::spawn_blocking(move || read_until(&name, bytes.as_ref(), &options, Some(cancel))).await.map_err(Error::internal)?
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
    fn a_file_that_cannot_be_read_is_invalid_input() {
        let Err(Error::Invalid(fields)) = read("x.xlsx", b"PK\x03\x04 broken", None) else { panic!("expected invalid") };
        assert_eq!(fields[0].field, "file");
    }

    #[tokio::test]
    async fn a_read_nobody_waits_for_is_told_to_stop() {
        let flag = Arc::new(AtomicBool::new(false));
        drop(StopOnDrop(flag.clone()));
        assert!(flag.load(Ordering::Relaxed));
        assert_eq!(read_off_thread("x.csv".into(), b"prefix,rate\n44,0.01\n".to_vec(), ReadOptions::default()).await.unwrap().rows.len(), 1);
    }

    #[test]
    fn rows_without_a_date_take_effect_now() {
        let deck = read("x.csv", b"prefix,rate\n44,0.01\n", None).unwrap();
        let at = time::from_db(&deck.rows[0].effective_from).unwrap();
        assert!((time::now() - at).num_seconds().abs() < 60);
    }
}
