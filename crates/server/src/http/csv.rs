//! CSV downloads. Every cell goes through [`cell`], so a value that a spreadsheet would run as a
//! formula (`=HYPERLINK(…)` typed into a sign-up form) arrives as text.

use std::borrow::Cow;

/// The value as a safe CSV cell: one that starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading apostrophe, which spreadsheets read as "this is text" and do not show.
pub fn cell(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

/// Writes one record of safe cells.
pub fn write_record<W: std::io::Write>(w: &mut csv::Writer<W>, values: &[&str]) -> csv::Result<()> {
    w.write_record(values.iter().map(|v| cell(v).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starters_are_neutralised_and_other_text_is_kept() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(cell(bad), format!("'{bad}"));
        }
        for ok in ["admin@example.net", "1.5", "", "a=b"] {
            assert_eq!(cell(ok), ok);
        }
    }
}
