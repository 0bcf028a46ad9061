//! Spreadsheet decks: .xlsx (streamed cell by cell through calamine, after `archive` checked the
//! zip), .ods (our own streaming reader, `ods`), and legacy .xls.
//!
//! Cells are read as Excel shows them: numbers to 15 significant digits (the double
//! 0.011000000000000001 is 0.011; the prefix 4420.0 is 4420), date-times with their time of day.
//! The sheet read is the one asked for, or else the first visible sheet with a recognisable header.
//! Line numbers are row numbers, blank rows included.

use std::io::Cursor;

use calamine::{Data, Reader, SheetVisible, Xls, Xlsx};

use super::archive::{self, Package};
use super::rows::{Builder, looks_like_header};
use super::values::{excel_datetime, excel_number};
use super::{DeckError, HEADER_SCAN, Options, ParsedDeck, ods};

/// What a workbook reader offers: its sheets, and the rows of one (row number from 1, cells from
/// column A). `each` returns false to stop early.
pub(crate) trait Book {
    /// Sheet names, and whether each is a visible worksheet.
    fn sheets(&mut self) -> Vec<(String, bool)>;
    fn rows(&mut self, sheet: usize, each: &mut dyn FnMut(usize, &Vec<String>) -> bool) -> Result<(), DeckError>;
    fn kind(&self) -> &'static str;
}

pub(crate) fn read_zip(bytes: &[u8], options: &Options) -> Result<ParsedDeck, DeckError> {
    match archive::check(bytes, &options.limits, &|| options.cancelled())? {
        Package::Xlsx => {
            let book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| DeckError::file(format!("not a readable Excel workbook: {e}")))?;
            read_book(&mut XlsxBook { book, options }, options)
        }
        Package::Ods => read_book(&mut ods::OdsBook::new(bytes, options), options),
    }
}

pub(crate) fn read_xls(bytes: &[u8], options: &Options) -> Result<ParsedDeck, DeckError> {
    let book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| DeckError::file(format!("not a readable Excel workbook: {e}")))?;
    read_book(&mut XlsBook { book, options }, options)
}

fn read_book(book: &mut dyn Book, options: &Options) -> Result<ParsedDeck, DeckError> {
    let sheets = book.sheets();
    let names: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();
    if names.is_empty() {
        return Err(DeckError::file("the workbook has no sheet"));
    }
    let chosen = match options.sheet.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(wanted) => names.iter().position(|n| n.trim().eq_ignore_ascii_case(wanted)).ok_or_else(|| DeckError {
            field: "sheet",
            message: format!("the workbook has no sheet “{wanted}”; its sheets are {}", names.join(", ")),
        })?,
        None => first_with_header(book, &sheets, options),
    };
    let mut builder = Builder::new(options);
    book.rows(chosen, &mut |line, cells| {
        builder.record(line, cells);
        !builder.stopped()
    })?;
    let mut deck = builder.finish();
    deck.format = format!("{}, sheet “{}”", book.kind(), names[chosen]);
    deck.sheet = Some(names[chosen].clone());
    deck.sheets = names;
    Ok(deck)
}

/// The first visible worksheet with a header among its first rows; the first sheet when none has
/// one (its first row is then shown for mapping by hand).
fn first_with_header(book: &mut dyn Book, sheets: &[(String, bool)], options: &Options) -> usize {
    for (i, (_, visible)) in sheets.iter().enumerate() {
        if !visible {
            continue;
        }
        let (mut seen, mut found) = (0, false);
        // A sheet that cannot be read is simply not the one.
        let _ = book.rows(i, &mut |_, cells| {
            if cells.iter().all(|c| c.trim().is_empty()) {
                return true;
            }
            seen += 1;
            found = looks_like_header(cells, options);
            !found && seen < HEADER_SCAN
        });
        if found {
            return i;
        }
    }
    sheets.iter().position(|(_, v)| *v).unwrap_or(0)
}

/// A cell's text as Excel shows it.
pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) => excel_number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(t) if t.is_duration() => excel_number(t.as_f64()),
        Data::DateTime(t) => t.as_datetime().map(excel_datetime).unwrap_or_default(),
        Data::Error(e) => format!("#{e}"),
    }
}

struct XlsxBook<'a, 'o> {
    book: Xlsx<Cursor<&'a [u8]>>,
    options: &'o Options,
}

impl Book for XlsxBook<'_, '_> {
    fn sheets(&mut self) -> Vec<(String, bool)> {
        self.book.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible == SheetVisible::Visible && s.typ == calamine::SheetType::WorkSheet)).collect()
    }

    fn kind(&self) -> &'static str {
        "Excel workbook"
    }

    fn rows(&mut self, sheet: usize, each: &mut dyn FnMut(usize, &Vec<String>) -> bool) -> Result<(), DeckError> {
        let limits = self.options.limits;
        let name = self.book.sheet_names().get(sheet).cloned().unwrap_or_default();
        let unreadable = |e: calamine::XlsxError| DeckError::file(format!("the sheet “{name}” cannot be read: {e}"));
        let mut cells = match self.book.worksheet_cells_reader(&name) {
            Ok(c) => c,
            // `<sheetData/>`: a sheet with no cells.
            Err(calamine::XlsxError::XmlEof(_)) => return Ok(()),
            Err(e) => return Err(unreadable(e)),
        };
        let mut row: Vec<String> = Vec::new();
        let mut current: Option<u32> = None;
        loop {
            let cell = match cells.next_cell() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(calamine::XlsxError::XmlEof(_)) if current.is_none() => break,
                Err(e) => return Err(unreadable(e)),
            };
            let (r, c) = cell.get_position();
            if current != Some(r) {
                if let Some(done) = current
                    && !each(done as usize + 1, &row)
                {
                    return Ok(());
                }
                if r as usize >= limits.max_rows {
                    return Ok(());
                }
                row.clear();
                current = Some(r);
            }
            let c = c as usize;
            if c < limits.max_columns {
                if row.len() <= c {
                    row.resize(c + 1, String::new());
                }
                row[c] = cell_text(&Data::from(cell.get_value().clone()));
            }
        }
        if let Some(done) = current {
            each(done as usize + 1, &row);
        }
        Ok(())
    }
}

struct XlsBook<'a, 'o> {
    book: Xls<Cursor<&'a [u8]>>,
    options: &'o Options,
}

impl Book for XlsBook<'_, '_> {
    fn sheets(&mut self) -> Vec<(String, bool)> {
        self.book.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible == SheetVisible::Visible && s.typ == calamine::SheetType::WorkSheet)).collect()
    }

    fn kind(&self) -> &'static str {
        "Excel 97–2003 workbook"
    }

    fn rows(&mut self, sheet: usize, each: &mut dyn FnMut(usize, &Vec<String>) -> bool) -> Result<(), DeckError> {
        let limits = self.options.limits;
        let name = self.book.sheet_names().get(sheet).cloned().unwrap_or_default();
        let range = self.book.worksheet_range(&name).map_err(|e| DeckError::file(format!("the sheet “{name}” cannot be read: {e}")))?;
        let Some((top, left)) = range.start() else { return Ok(()) };
        let mut row = Vec::new();
        for (i, cells) in range.rows().enumerate().take(limits.max_rows) {
            row.clear();
            // Cells from column A, so the columns are where the sheet shows them.
            row.extend(std::iter::repeat_n(String::new(), (left as usize).min(limits.max_columns)));
            row.extend(cells.iter().take(limits.max_columns.saturating_sub(left as usize)).map(cell_text));
            if !each(top as usize + i + 1, &row) {
                break;
            }
        }
        Ok(())
    }
}
