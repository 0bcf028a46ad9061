//! The text of a CSV deck: UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode
//! text", with or without a BOM), or legacy Windows-1252 / Latin-1 (Excel's "CSV" on a Western
//! Windows). Anything else is refused with a message that names the encoding problem, rather than
//! read as garbage that then "has no prefix column".

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::DeckError;

#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
}

fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// Where UTF-8 reading fails, if it does.
fn utf8_error(bytes: &[u8]) -> Option<usize> {
    std::str::from_utf8(bytes).err().map(|e| e.valid_up_to())
}

fn utf16(bytes: &[u8], encoding: &'static Encoding, name: &'static str) -> Result<Decoded<'static>, DeckError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DeckError::file(format!("the file is {name} text but ends in half a character; it may be cut short")));
    }
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded { text: Cow::Owned(text.into_owned()), encoding: name }),
        None => Err(DeckError::file(format!("the file is {name} text but holds a broken character; save it again as UTF-8 or Unicode text"))),
    }
}

/// Whether bytes without a BOM look like UTF-16 (ASCII text has a zero byte in every pair).
fn utf16_without_bom(bytes: &[u8]) -> Option<(&'static Encoding, &'static str)> {
    let sample = &bytes[..bytes.len().min(1024) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_odd = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let zero_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    if zero_odd * 10 >= pairs * 4 && zero_even == 0 {
        Some((UTF_16LE, "UTF-16LE"))
    } else if zero_even * 10 >= pairs * 4 && zero_odd == 0 {
        Some((UTF_16BE, "UTF-16BE"))
    } else {
        None
    }
}

/// Decodes the deck's bytes.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, DeckError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match utf8_error(rest) {
            None => Ok(Decoded { text: Cow::Borrowed(std::str::from_utf8(rest).unwrap_or_default()), encoding: "UTF-8" }),
            Some(at) => Err(DeckError::file(format!(
                "the file says it is UTF-8 (it starts with a UTF-8 byte-order mark) but line {} holds bytes that are not UTF-8; save it again as CSV UTF-8",
                line_of(rest, at)
            ))),
        };
    }
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(DeckError::file("the file is UTF-32 text, which is not read; save it as UTF-8 (CSV UTF-8) or Unicode text"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, UTF_16LE, "UTF-16LE");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, UTF_16BE, "UTF-16BE");
    }
    if let Some((encoding, name)) = utf16_without_bom(bytes) {
        return utf16(bytes, encoding, name);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(DeckError::file("the file is a PDF, not a rate deck; send the rates as CSV or a spreadsheet"));
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(DeckError::file(format!("the file is not text (line {} holds a zero byte); send the rates as CSV or a spreadsheet", line_of(bytes, at))));
    }
    let Some(first_bad) = utf8_error(bytes) else {
        return Ok(Decoded { text: Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default()), encoding: "UTF-8" });
    };
    legacy(bytes, first_bad)
}

/// A file that is not UTF-8: Windows-1252 (which includes Latin-1's letters) when it reads as
/// Western text, else refused.
fn legacy(bytes: &[u8], first_bad: usize) -> Result<Decoded<'_>, DeckError> {
    let line = line_of(bytes, first_bad);
    // Real UTF-8 characters beside bytes that are not UTF-8: two encodings in one file.
    let (valid_multibyte, _) = scan_utf8(bytes);
    if valid_multibyte > 0 {
        return Err(DeckError::file(format!(
            "the file mixes UTF-8 with another encoding (line {line} is not UTF-8, other lines are); save it again as CSV UTF-8"
        )));
    }
    // Bytes Windows-1252 leaves undefined.
    if let Some(at) = bytes.iter().position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)) {
        return Err(DeckError::file(format!(
            "the file is not UTF-8, and line {} holds byte 0x{:02X}, which is not Windows-1252 (Western) text either; save it as CSV UTF-8",
            line_of(bytes, at),
            bytes[at]
        )));
    }
    // Western text has accented letters here and there ("Réunion", "Curaçao"); words made only of
    // high bytes are another alphabet (Cyrillic, Greek, Arabic…) or a multi-byte Asian encoding.
    let (mut high, mut in_runs, mut run) = (0usize, 0usize, 0usize);
    for &b in bytes.iter().chain(std::iter::once(&b' ')) {
        if b >= 0x80 {
            high += 1;
            run += 1;
        } else {
            if run >= 3 {
                in_runs += run;
            }
            run = 0;
        }
    }
    if high >= 6 && in_runs * 2 > high {
        return Err(DeckError::file(format!(
            "the file is not UTF-8 and does not read as Windows-1252 (Western) text either — from line {line} it looks like another alphabet or an Asian encoding; save it as CSV UTF-8 or Unicode text"
        )));
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok(Decoded { text: Cow::Owned(text.into_owned()), encoding: "windows-1252" })
}

/// Counts well-formed multi-byte UTF-8 sequences and bytes that are not part of one.
fn scan_utf8(bytes: &[u8]) -> (usize, usize) {
    let (mut good, mut bad, mut i) = (0, 0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let len = match b {
            0x00..=0x7F => 1,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if len == 1 {
            i += 1;
            continue;
        }
        if len > 1 && i + len <= bytes.len() && std::str::from_utf8(&bytes[i..i + len]).is_ok() {
            good += 1;
            i += len;
        } else {
            bad += 1;
            i += 1;
        }
    }
    (good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn utf8_with_and_without_a_bom() {
        let d = decode("prefix,destination\n262,Réunion\n".as_bytes()).unwrap();
        assert_eq!((d.encoding, d.text.as_ref()), ("UTF-8", "prefix,destination\n262,Réunion\n"));
        let d = decode(b"\xEF\xBB\xBFprefix\n").unwrap();
        assert_eq!(d.text, "prefix\n");
        let broken = decode(b"\xEF\xBB\xBFprefix\n262,R\xe9union\n").unwrap_err();
        assert!(broken.message.contains("byte-order mark") && broken.message.contains("line 2"), "{}", broken.message);
    }

    #[test]
    fn utf16_as_excel_writes_unicode_text() {
        let bytes = utf16le("prefix\tdestination\n262\tRéunion\n", true);
        let d = decode(&bytes).unwrap();
        assert_eq!((d.encoding, d.text.as_ref()), ("UTF-16LE", "prefix\tdestination\n262\tRéunion\n"));
        let mut be = vec![0xFE, 0xFF];
        be.extend("code\n1\n".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().text, "code\n1\n");
        let bytes = utf16le("prefix,rate\n1,0.1\n", false);
        let d = decode(&bytes).unwrap();
        assert_eq!((d.encoding, d.text.as_ref()), ("UTF-16LE", "prefix,rate\n1,0.1\n"));
        let mut cut = utf16le("prefix\n", true);
        cut.push(0x41);
        assert!(decode(&cut).unwrap_err().message.contains("half a character"));
    }

    #[test]
    fn windows_1252_is_decoded_as_western_text() {
        let d = decode(b"prefix;destination;rate\n225;C\xf4te d'Ivoire;0,1\n599;Cura\xe7ao \x96 Mobile;0,2\n").unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "prefix;destination;rate\n225;Côte d'Ivoire;0,1\n599;Curaçao – Mobile;0,2\n");
    }

    #[test]
    fn other_encodings_are_refused_with_the_reason() {
        // "Россия" in Windows-1251.
        let cyrillic = decode(b"prefix,destination\n7,\xd0\xee\xf1\xf1\xe8\xff\n").unwrap_err();
        assert!(cyrillic.message.contains("another alphabet"), "{}", cyrillic.message);
        let mixed = decode("prefix,destination\n262,Réunion\n225,C\u{f4}te\n".as_bytes().iter().copied().chain(*b"590,Guadeloupe \xe9\n").collect::<Vec<u8>>().as_slice()).unwrap_err();
        assert!(mixed.message.contains("mixes UTF-8"), "{}", mixed.message);
        let undefined = decode(b"prefix\n1,\x81\n").unwrap_err();
        assert!(undefined.message.contains("0x81"), "{}", undefined.message);
        assert!(decode(b"%PDF-1.7\n").unwrap_err().message.contains("PDF"));
        assert!(decode(b"prefix\n\x01\x00\x02\x03").unwrap_err().message.contains("not text"));
        assert!(decode(&[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]).unwrap_err().message.contains("UTF-32"));
    }
}
