//! OpenDocument spreadsheets (.ods), read by streaming `content.xml`.
//!
//! Our own reader rather than calamine's, because an .ods can ask for repetition: one row element
//! may say it repeats a million times, one cell that it repeats 16,384 times, one space that it is
//! a billion spaces (`text:s text:c`). A reader that expands all that builds gigabytes from a few
//! bytes. Here blank repeated rows only advance the line count, repeated cells stop at
//! `Limits::max_columns`, repeated rows at `Limits::max_rows`, and cell text at
//! `Limits::max_cell_chars`.

use std::io::{BufReader, Cursor, Read};

use quick_xml::{Reader, XmlVersion};
use quick_xml::events::attributes::Attributes;
use quick_xml::events::{BytesStart, Event};

use super::values::excel_number;
use super::workbook::Book;
use super::{DeckError, Limits, Options};

pub(crate) struct OdsBook<'a> {
    bytes: &'a [u8],
    limits: Limits,
}

impl<'a> OdsBook<'a> {
    pub(crate) fn new(bytes: &'a [u8], options: &Options) -> OdsBook<'a> {
        OdsBook { bytes, limits: options.limits }
    }

    /// Runs `read` over `content.xml`, streamed out of the zip (`archive::check` already bounded
    /// its size).
    fn with_content<T>(&self, read: impl FnOnce(&mut Reader<BufReader<&mut dyn Read>>) -> Result<T, DeckError>) -> Result<T, DeckError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(self.bytes)).map_err(|e| DeckError::file(format!("not a readable spreadsheet: {e}")))?;
        let mut part = zip.by_name("content.xml").map_err(|_| DeckError::file("the .ods has no content.xml"))?;
        let mut xml = Reader::from_reader(BufReader::new(&mut part as &mut dyn Read));
        read(&mut xml)
    }
}

fn attr(attrs: Attributes<'_>, key: &str) -> Option<String> {
    attrs.flatten().find(|a| a.key.as_ref() == key).and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn repeat(e: &BytesStart<'_>, key: &str) -> usize {
    attr(e.attributes(), key).and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

fn xml_error(e: impl std::fmt::Display) -> DeckError {
    DeckError::file(format!("the .ods cannot be read: {e}"))
}

/// What a cell says before its text is read: its value attribute, or `None` when the text is the
/// value.
fn cell_value(e: &BytesStart<'_>) -> Option<String> {
    let value_type = attr(e.attributes(), "office:value-type").unwrap_or_default();
    match value_type.as_str() {
        "float" | "percentage" | "currency" => {
            attr(e.attributes(), "office:value").map(|v| v.parse::<f64>().map(excel_number).unwrap_or(v))
        }
        "date" => attr(e.attributes(), "office:date-value"),
        "time" => attr(e.attributes(), "office:time-value"),
        "boolean" => attr(e.attributes(), "office:boolean-value").map(|v| v.to_uppercase()),
        "string" => attr(e.attributes(), "office:string-value"),
        _ => None,
    }
}

impl Book for OdsBook<'_> {
    fn sheets(&mut self) -> Vec<(String, bool)> {
        self.with_content(|xml| {
            let mut names = Vec::new();
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match xml.read_event_into(&mut buf) {
                    Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.name().as_ref() == "table:table" => {
                        names.push((attr(e.attributes(), "table:name").unwrap_or_default(), true));
                    }
                    Ok(Event::Eof) | Err(_) => break,
                    _ => {}
                }
            }
            Ok(names)
        })
        .unwrap_or_default()
    }

    fn kind(&self) -> &'static str {
        "OpenDocument spreadsheet"
    }

    fn rows(&mut self, sheet: usize, each: &mut dyn FnMut(usize, &Vec<String>) -> bool) -> Result<(), DeckError> {
        let limits = self.limits;
        self.with_content(|xml| read_rows(xml, sheet, &limits, each))
    }
}

fn read_rows(xml: &mut Reader<BufReader<&mut dyn Read>>, sheet: usize, limits: &Limits, each: &mut dyn FnMut(usize, &Vec<String>) -> bool) -> Result<(), DeckError> {
    let limits = *limits;
    let mut buf = Vec::new();
    let mut table: Option<usize> = None;
    let mut tables = 0usize;
    // The row being read: its cells, how often it repeats, the line it starts on.
    let mut row: Vec<String> = Vec::new();
    let mut row_repeat = 1usize;
    let mut line = 1usize;
    // The cell being read: its text so far, how often it repeats, whether the text is its value.
    let mut cell: Option<(String, usize, bool)> = None;
    let mut paragraphs = 0usize;
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf).map_err(xml_error)?;
        let inside = table == Some(sheet);
        match event {
            Event::Eof => return Ok(()),
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                table = Some(tables);
                tables += 1;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table" => tables += 1,
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if inside {
                    return Ok(());
                }
                table = None;
            }
            _ if !inside => {}
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row.clear();
                row_repeat = repeat(&e, "table:number-rows-repeated");
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                line = line.saturating_add(repeat(&e, "table:number-rows-repeated"));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                let blank = row.iter().all(|c| c.trim().is_empty());
                if !blank {
                    for copy in 0..row_repeat {
                        if line + copy > limits.max_rows {
                            return Ok(());
                        }
                        if !each(line + copy, &row) {
                            return Ok(());
                        }
                    }
                }
                line = line.saturating_add(row_repeat);
                if line > limits.max_rows {
                    return Ok(());
                }
            }
            Event::Start(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                let value = cell_value(&e);
                let text_is_value = value.is_none();
                cell = Some((value.unwrap_or_default(), repeat(&e, "table:number-columns-repeated"), text_is_value));
                paragraphs = 0;
            }
            Event::Empty(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                let value = cell_value(&e).unwrap_or_default();
                push_cell(&mut row, value, repeat(&e, "table:number-columns-repeated"), &limits);
            }
            Event::End(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                if let Some((text, times, _)) = cell.take() {
                    push_cell(&mut row, text, times, &limits);
                }
            }
            Event::Start(e) if e.name().as_ref() == "text:p" => {
                if let Some((text, _, true)) = cell.as_mut() {
                    if paragraphs > 0 {
                        text.push('\n');
                    }
                    paragraphs += 1;
                }
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:s" => {
                if let Some((text, _, true)) = cell.as_mut() {
                    let spaces = repeat(&e, "text:c").min(limits.max_cell_chars.saturating_sub(text.len()));
                    text.extend(std::iter::repeat_n(' ', spaces));
                }
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:tab" => {
                if let Some((text, _, true)) = cell.as_mut() {
                    text.push('\t');
                }
            }
            Event::Start(e) if e.name().as_ref() == "office:annotation" => {
                // A comment on the cell is not its value.
                xml.read_to_end_into(e.name(), &mut Vec::new()).map_err(xml_error)?;
            }
            Event::Text(t) => {
                if let Some((text, _, true)) = cell.as_mut() {
                    append(text, &t.xml10_content(), &limits);
                }
            }
            Event::GeneralRef(r) => {
                if let Some((text, _, true)) = cell.as_mut() {
                    let resolved = match r.as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => r.resolve_char_ref().ok().flatten(),
                    };
                    if let Some(c) = resolved {
                        append(text, c.encode_utf8(&mut [0; 4]), &limits);
                    }
                }
            }
            _ => {}
        }
    }
}

fn append(text: &mut String, more: &str, limits: &Limits) {
    let room = limits.max_cell_chars.saturating_sub(text.chars().count());
    text.extend(more.chars().take(room));
}

fn push_cell(row: &mut Vec<String>, text: String, times: usize, limits: &Limits) {
    let times = times.min(limits.max_columns.saturating_sub(row.len()));
    if times == 0 {
        return;
    }
    for _ in 1..times {
        row.push(text.clone());
    }
    row.push(text);
}
