//! Rules for text that people type and other people read: names, e-mail addresses, identifiers.
//!
//! A name is shown in lists, e-mails, audit logs and CSV exports. Characters that are invisible or
//! that steer the terminal or the text direction make one name look like another ("admin" with a
//! zero-width space), hide part of it (a right-to-left override turns `invoice<U+202E>fdp.exe` around), or
//! ring bells and move cursors in a log viewer (BEL, ESC). None of them has a place in a name, so
//! they are refused at the edge rather than cleaned, which would silently change what was typed.

/// The first character of `s` that is a control character (Unicode category Cc: C0 and C1 codes
/// such as BEL, ESC, NUL, DEL, and the line breaks), a format character (Cf: zero-width spaces and
/// joiners, bidirectional marks, overrides and isolates, the byte-order mark, soft hyphen, tag
/// characters…), or a line or paragraph separator (Zl, Zp).
///
/// Zero-width joiners (U+200C, U+200D) are refused too, although some scripts and emoji use them:
/// in a name they are indistinguishable from nothing, which is the imitation this check stops.
pub fn hidden_character(s: &str) -> Option<char> {
    s.chars().find(|&c| is_hidden(c))
}

/// Whether `c` is a control, format, line separator or paragraph separator character.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Refuses text with a [`hidden_character`], with a message that names the character's code point
/// (it cannot be shown) so the person can find it.
pub fn refuse_hidden(s: &str) -> Result<(), String> {
    match hidden_character(s) {
        None => Ok(()),
        Some(c) => Err(format!("must not contain invisible or control characters (found U+{:04X})", c as u32)),
    }
}

/// Unicode general category Cf (format), as of Unicode 16.
fn is_format(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_in_any_script_pass() {
        for ok in ["Alice Example", "Zoë O'Brien-Smith", "Ørsted A/S", "株式会社テスト", "Дмитрий", "محمد", "José & Co. (EU)", "Acme VoIP 24/7"] {
            assert_eq!(hidden_character(ok), None, "{ok:?}");
            assert!(refuse_hidden(ok).is_ok());
        }
    }

    #[test]
    fn controls_and_invisible_characters_are_refused() {
        for (bad, c) in [
            ("ring\u{7}bell", '\u{7}'),
            ("esc\u{1b}[31mred", '\u{1b}'),
            ("null\u{0}byte", '\u{0}'),
            ("c1\u{85}next line", '\u{85}'),
            ("tab\there", '\t'),
            ("zero\u{200b}width", '\u{200b}'),
            ("joiner\u{200d}", '\u{200d}'),
            ("invoice\u{202e}fdp.exe", '\u{202e}'),
            ("isolate\u{2067}x", '\u{2067}'),
            ("\u{feff}bom", '\u{feff}'),
            ("soft\u{ad}hyphen", '\u{ad}'),
            ("line\u{2028}sep", '\u{2028}'),
            ("tag\u{e0041}", '\u{e0041}'),
        ] {
            assert_eq!(hidden_character(bad), Some(c), "{bad:?}");
        }
        assert_eq!(refuse_hidden("a\u{202e}b").unwrap_err(), "must not contain invisible or control characters (found U+202E)");
    }
}
