//! Checking a zip (an .xlsx or .ods) before any spreadsheet reader unpacks it.
//!
//! A 2 MB workbook can hold a 2 GiB cell: deflate packs repetition a thousandfold, and a reader
//! that trusts it spends minutes and gigabytes. So, before calamine or our own reader sees the
//! file: the central directory's declared sizes are checked against the limits (refused at once,
//! no unpacking); then every part is unpacked once into nothing, counting the bytes that really
//! come out — a zip may declare a small size and unpack to a huge one — and stopping at the first
//! byte past a limit. The same pass refuses any run of text longer than a cell may hold (Excel's
//! own limit is 32,767 characters), so no reader later builds one. The work is bounded by the
//! limits, whatever the file says.

use std::io::{Cursor, Read};

use super::DeckError;

/// Bounds on what a spreadsheet may unpack to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The uncompressed size of any one part that is streamed (a sheet).
    pub max_part_bytes: u64,
    /// The uncompressed size of a part a reader holds in memory whole (the shared strings, the
    /// styles), which costs more memory than its size.
    pub max_held_part_bytes: u64,
    /// The uncompressed size of all parts together.
    pub max_total_bytes: u64,
    /// The number of parts.
    pub max_parts: usize,
    /// The characters of one cell (Excel's own limit is 32,767).
    pub max_cell_chars: usize,
    /// Columns read per row; cells further right are not read.
    pub max_columns: usize,
    /// Rows read per sheet (Excel's own limit is 1,048,576).
    pub max_rows: usize,
}

impl Default for Limits {
    /// Room for a full Excel sheet of a dozen columns (about 400 MB of XML), no more.
    fn default() -> Self {
        Limits {
            max_part_bytes: 512 << 20,
            max_held_part_bytes: 128 << 20,
            max_total_bytes: 768 << 20,
            max_parts: 10_000,
            max_cell_chars: 32_767,
            max_columns: 256,
            max_rows: 1_048_576,
        }
    }
}

/// Whether a part is streamed row by row (a worksheet, an .ods's content) rather than held whole.
fn streamed(name: &str) -> bool {
    name.contains("worksheets/") || name == "content.xml"
}

/// The most a part may unpack to.
fn cap(name: &str, limits: &Limits) -> u64 {
    if streamed(name) { limits.max_part_bytes } else { limits.max_held_part_bytes.min(limits.max_part_bytes) }
}

fn mb(bytes: u64) -> String {
    if bytes >= 1 << 20 { format!("{} MB", bytes.div_ceil(1 << 20)) } else { format!("{} KB", bytes.div_ceil(1 << 10)) }
}

/// What the zip holds, judged from its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Package {
    /// Office Open XML: .xlsx / .xlsm.
    Xlsx,
    /// OpenDocument: .ods.
    Ods,
}

/// Checks the zip against `limits` and says what it is; the error says what was too big.
pub(crate) fn check(bytes: &[u8], limits: &Limits, cancelled: &dyn Fn() -> bool) -> Result<Package, DeckError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DeckError::file(format!("not a readable spreadsheet (the zip is damaged: {e})")))?;
    if zip.len() > limits.max_parts {
        return Err(DeckError::file(format!("the spreadsheet holds {} parts; at most {} are read", zip.len(), limits.max_parts)));
    }
    let mut names = Vec::with_capacity(zip.len());
    let mut declared_total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| DeckError::file(format!("not a readable spreadsheet (the zip is damaged: {e})")))?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        if part.size() > cap(&name, limits) {
            return Err(too_big(&name, part.size(), cap(&name, limits)));
        }
        declared_total = declared_total.saturating_add(part.size());
        names.push(name);
    }
    if declared_total > limits.max_total_bytes {
        return Err(DeckError::file(format!("the spreadsheet unpacks to {}; at most {} is read", mb(declared_total), mb(limits.max_total_bytes))));
    }
    let package = if names.iter().any(|n| n == "xl/workbook.xml") || names.iter().any(|n| n.ends_with("workbook.xml") && n.starts_with("xl")) {
        Package::Xlsx
    } else if names.iter().any(|n| n == "content.xml") {
        Package::Ods
    } else if names.iter().any(|n| n.ends_with("workbook.bin")) {
        return Err(DeckError::file("binary Excel workbooks (.xlsb) are not read; save the deck as .xlsx or CSV"));
    } else {
        return Err(DeckError::file("the file is a zip but not a spreadsheet (.xlsx or .ods)"));
    };
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    let max_run = limits.max_cell_chars.saturating_mul(4) as u64; // UTF-8: at most 4 bytes a character
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| DeckError::file(format!("the spreadsheet cannot be unpacked: {e}")))?;
        if part.is_dir() {
            continue;
        }
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let xml = name.ends_with(".xml") || name.ends_with(".rels");
        let (mut size, mut run, most) = (0u64, 0u64, cap(&name, limits));
        loop {
            let n = match part.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return Err(DeckError::file(format!("the spreadsheet cannot be unpacked ({name}: {e})"))),
            };
            if cancelled() {
                return Err(DeckError::file("the reading was stopped: nobody waits for it any more"));
            }
            size += n as u64;
            total += n as u64;
            if size > most {
                return Err(DeckError::file(format!("the spreadsheet's part {name} unpacks to more than {}, the most that is read", mb(most))));
            }
            if total > limits.max_total_bytes {
                return Err(DeckError::file(format!("the spreadsheet unpacks to more than {}, the most that is read", mb(limits.max_total_bytes))));
            }
            if xml {
                // Text between tags: the longest run without a '<'.
                for chunk in buf[..n].split_inclusive(|b| *b == b'<') {
                    let ends = chunk.last() == Some(&b'<');
                    run += chunk.len() as u64 - u64::from(ends);
                    if run > max_run {
                        return Err(DeckError::file(format!(
                            "a cell (in {name}) holds more than {} characters, more than a spreadsheet cell may hold",
                            limits.max_cell_chars
                        )));
                    }
                    if ends {
                        run = 0;
                    }
                }
            }
        }
    }
    Ok(package)
}

fn too_big(name: &str, size: u64, most: u64) -> DeckError {
    DeckError::file(format!("the spreadsheet's part {name} unpacks to {}; at most {} is read", mb(size), mb(most)))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    /// A zip of the given parts, deflated.
    pub(crate) fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            out.start_file(*name, options).unwrap();
            out.write_all(data).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    fn small() -> Limits {
        Limits { max_part_bytes: 1 << 20, max_held_part_bytes: 256 << 10, max_total_bytes: 2 << 20, max_cell_chars: 1000, ..Limits::default() }
    }

    #[test]
    fn parts_held_in_memory_have_a_lower_limit() {
        let strings = vec![b'<'; 512 << 10];
        let e = check(&zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/sharedStrings.xml", &strings)]), &small(), &|| false).unwrap_err();
        assert!(e.message.contains("sharedStrings.xml unpacks to 512 KB; at most 256 KB is read"), "{}", e.message);
        assert!(check(&zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &strings)]), &small(), &|| false).is_ok());
    }

    fn sheet_with_cell(chars: usize) -> Vec<u8> {
        let mut xml = b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>".to_vec();
        xml.extend(std::iter::repeat_n(b'A', chars));
        xml.extend(b"</t></is></c></row></sheetData></worksheet>");
        xml
    }

    #[test]
    fn a_small_workbook_passes() {
        let z = zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &sheet_with_cell(10))]);
        assert_eq!(check(&z, &small(), &|| false), Ok(Package::Xlsx));
        assert_eq!(check(&zip_of(&[("content.xml", b"<x/>"), ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")]), &small(), &|| false), Ok(Package::Ods));
    }

    /// The same zip, claiming `declared` bytes for every part (in the local headers and the
    /// central directory alike), as a hand-made bomb would.
    pub(crate) fn lie_about_sizes(mut z: Vec<u8>, declared: u32) -> Vec<u8> {
        let mut i = 0;
        while i + 30 <= z.len() {
            let at = match &z[i..i + 4] {
                b"PK\x03\x04" => Some(i + 22),
                b"PK\x01\x02" => Some(i + 24),
                _ => None,
            };
            if let Some(at) = at {
                z[at..at + 4].copy_from_slice(&declared.to_le_bytes());
            }
            i += 1;
        }
        z
    }

    #[test]
    fn a_part_that_declares_more_than_the_limit_is_refused_unopened() {
        // 5 MB of one letter deflates to a few kilobytes.
        let z = zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &vec![b'<'; 5 << 20])]);
        assert!(z.len() < 64 * 1024, "{}", z.len());
        let e = check(&z, &small(), &|| false).unwrap_err();
        assert!(e.message.contains("sheet1.xml unpacks to 5 MB"), "{}", e.message);
    }

    #[test]
    fn a_part_that_lies_about_its_size_is_refused_while_unpacking() {
        // The zip crate stops at the declared size; our own count stops at the limit either way.
        let z = lie_about_sizes(zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &vec![b'<'; 5 << 20])]), 100);
        let e = check(&z, &small(), &|| false).unwrap_err();
        assert!(e.message.contains("sheet1.xml") && e.message.contains("declared"), "{}", e.message);
        let z = lie_about_sizes(zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &vec![b'<'; 5 << 20])]), 200 << 10);
        let e = check(&z, &small(), &|| false).unwrap_err();
        assert!(e.message.contains("sheet1.xml"), "{}", e.message);
    }

    #[test]
    fn a_cell_longer_than_a_cell_may_be_is_refused() {
        let z = zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &sheet_with_cell(5000))]);
        let e = check(&z, &small(), &|| false).unwrap_err();
        assert!(e.message.contains("more than 1000 characters"), "{}", e.message);
        let z = zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &sheet_with_cell(999))]);
        assert!(check(&z, &small(), &|| false).is_ok());
    }

    #[test]
    fn other_zips_are_not_spreadsheets() {
        assert!(check(&zip_of(&[("readme.txt", b"hi")]), &small(), &|| false).unwrap_err().message.contains("not a spreadsheet"));
        assert!(check(&zip_of(&[("xl/workbook.bin", b"..")]), &small(), &|| false).unwrap_err().message.contains(".xlsb"));
        assert!(check(b"PK\x03\x04 not really", &small(), &|| false).unwrap_err().message.contains("damaged"));
    }
}
