//! CSV decks: comma, semicolon, tab or pipe separated, in any of the encodings `text` reads.

use super::rows::Builder;
use super::{DeckError, Options, ParsedDeck, text};

const SEPARATORS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Records looked at to choose the separator.
const SAMPLE_RECORDS: usize = 50;

/// The separator that splits the first records (whole records, quotes respected) into the same
/// number of fields most consistently; a comma when nothing splits.
pub(crate) fn separator(text: &str) -> u8 {
    let mut best = (false, 0usize, 0usize, b',');
    for sep in SEPARATORS {
        let mut reader = csv::ReaderBuilder::new().delimiter(sep).has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut counts: Vec<usize> = Vec::new();
        let mut record = csv::StringRecord::new();
        while counts.len() < SAMPLE_RECORDS {
            match reader.read_record(&mut record) {
                Ok(true) if record.iter().all(|c| c.trim().is_empty()) => continue,
                Ok(true) => counts.push(record.len()),
                Ok(false) | Err(_) => break,
            }
        }
        let Some(mode) = (1..=counts.iter().copied().max().unwrap_or(1)).max_by_key(|n| (counts.iter().filter(|c| *c == n).count(), *n)) else { continue };
        let consistency = counts.iter().filter(|c| **c == mode).count() * 1000 / counts.len().max(1);
        let score = (mode > 1, consistency, mode, sep);
        if (score.0, score.1, score.2) > (best.0, best.1, best.2) {
            best = score;
        }
    }
    best.3
}

/// Line numbers as a text editor shows them. The csv crate's own `Position::line()` does not
/// count blank lines, and its byte offset of a record can point at the end of the line before
/// (after a CR, at the LF); so the line is counted here from the text: the line breaks before the
/// record's first character.
struct Lines<'t> {
    text: &'t [u8],
    at: usize,
    line: usize,
}

impl Lines<'_> {
    fn of(&mut self, byte: u64) -> usize {
        let mut start = (byte as usize).min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += self.text[self.at..start].iter().filter(|b| **b == b'\n').count();
        self.at = start;
        self.line
    }
}

pub(crate) fn read(bytes: &[u8], options: &Options) -> Result<ParsedDeck, DeckError> {
    let decoded = text::decode(bytes)?;
    let mut text = decoded.text;
    // Old Mac files end lines with CR alone: make them lines.
    if text.contains('\r') && !text.contains('\n') {
        text = text.replace('\r', "\n").into();
    }
    let sep = separator(&text);
    let mut builder = Builder::new(options);
    let mut reader = csv::ReaderBuilder::new().delimiter(sep).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut lines = Lines { text: text.as_bytes(), at: 0, line: 1 };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.of(record.position().map(|p| p.byte()).unwrap_or(0));
                builder.record(line, &record);
            }
            Err(e) => {
                let line = lines.of(e.position().map(|p| p.byte()).unwrap_or(0));
                builder.unreadable(line, format!("unreadable line: {e}"));
            }
        }
        if builder.stopped() {
            break;
        }
    }
    let mut deck = builder.finish();
    let shown = match sep {
        b'\t' => "tab".to_string(),
        other => format!("“{}”", other as char),
    };
    deck.format = format!("CSV, {}, separated by {shown}", decoded.encoding);
    deck.encoding = Some(decoded.encoding.to_string());
    deck.separator = Some(sep as char);
    Ok(deck)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_comes_from_whole_records() {
        assert_eq!(separator("prefix,destination,rate\n44,UK,0.01\n"), b',');
        assert_eq!(separator("code;country;price\n9370;Afghanistan;0,0861\n2519;Ethiopia;0,187\n"), b';');
        assert_eq!(separator("prefix\tdestination\trate\n82\tKorea, South\t0,05\n"), b'\t');
        assert_eq!(separator("prefix|destination|rate\n44|UK, London|0.01\n"), b'|');
        // A quoted separator is not a separator.
        assert_eq!(separator("prefix;destination;rate\n44;\"UK; London, Inner\";0,01\n1;\"US, A; B\";0,02\n"), b';');
        // A title line above the header does not decide.
        assert_eq!(separator("ACME rates, valid from 2026-01-01\nprefix;destination;rate\n44;UK;0,01\n1;US;0,02\n"), b';');
        assert_eq!(separator("just one column\n1\n"), b',');
    }

    #[test]
    fn a_long_header_line_does_not_change_the_answer() {
        // Decided from whole lines, wherever a byte window would have ended.
        let long: String = (0..600).map(|i| format!("col{i};")).collect();
        let text = format!("prefix;rate;{long}\n44;0,01;\n1;0,02;\n");
        assert_eq!(separator(&text), b';');
    }
}
