//! The input rules of identity, shared by every entry point (sign-up, sign-in, invitations, CLI).

use didtron_core::error::Validation;
use didtron_core::text;
use unicode_normalization::UnicodeNormalization;

/// The one form of an e-mail address that is checked and stored, or the reason it is not one.
///
/// One mailbox must be one account: `someone@ｅxample.net` (a full-width `ｅ`) reaches the same
/// mailbox as `someone@example.net`, and so does `Someone@EXAMPLE.net`. So the address is trimmed,
/// put in Unicode normal form NFKC (full-width and other compatibility forms become their plain
/// letters) and lower-cased, and the domain is converted to its ASCII (IDNA) form, the form mail
/// servers use: `bücher.example` is stored as `xn--bcher-kva.example`.
///
/// Refused: invisible and control characters anywhere (a zero-width space makes a second address
/// that looks like the first), and a local part that mixes scripts (`аdmin` with a Cyrillic `а`
/// imitates `admin`). A local part wholly in one script, Cyrillic or Japanese, is fine.
pub fn email(raw: &str) -> Result<String, &'static str> {
    const NOT_AN_ADDRESS: &str = "must be an e-mail address";
    let raw = raw.trim();
    if text::hidden_character(raw).is_some() {
        return Err("must not contain invisible or control characters");
    }
    let folded: String = raw.nfkc().collect::<String>().to_lowercase();
    let Some((local, domain)) = folded.split_once('@') else { return Err(NOT_AN_ADDRESS) };
    if local.is_empty() || domain.contains('@') || folded.chars().any(char::is_whitespace) {
        return Err(NOT_AN_ADDRESS);
    }
    if mixes_scripts(local) {
        return Err("must not mix letters of different scripts (such as Latin and Cyrillic) before the @");
    }
    let Ok(domain) = idna::domain_to_ascii(domain) else { return Err(NOT_AN_ADDRESS) };
    let domain_ok = (domain.contains('.') || domain == "localhost")
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let email = format!("{local}@{domain}");
    if domain_ok && email.len() <= 254 { Ok(email) } else { Err(NOT_AN_ADDRESS) }
}

/// The writing system a letter belongs to, by Unicode block. Han, kana and Hangul count as one,
/// since Japanese and Korean mix them in ordinary words.
fn script_of(c: char) -> u32 {
    let n = c as u32;
    match n {
        0x0000..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F | 0xFF21..=0xFF5A => 1, // Latin
        0x0250..=0x02AF => 1,                                                                                       // IPA (Latin)
        0x0370..=0x03FF | 0x1F00..=0x1FFF => 2,                                                                     // Greek
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => 3,                                 // Cyrillic
        0x0530..=0x058F => 4,                                                                                       // Armenian
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => 5,                                                                     // Hebrew
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => 6,               // Arabic
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0x20000..=0x3FFFF => 7, // CJK
        // Anything else: its 128-character block stands for its script (Devanagari, Thai, …).
        _ => 0x1000 + (n >> 7),
    }
}

/// Whether the letters of `s` come from more than one script. Digits and punctuation belong to all.
fn mixes_scripts(s: &str) -> bool {
    let mut scripts = s.chars().filter(|c| c.is_alphabetic()).map(script_of);
    let Some(first) = scripts.next() else { return false };
    scripts.any(|s| s != first)
}

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

pub fn password(raw: &str) -> Result<(), &'static str> {
    let n = raw.chars().count();
    if n < PASSWORD_MIN {
        Err("must be at least 12 characters")
    } else if n > PASSWORD_MAX {
        Err("must be at most 128 characters")
    } else {
        Ok(())
    }
}

/// A person's, company's or key's name: trimmed, 1 to 100 characters, nothing invisible.
pub fn name(raw: &str) -> Result<String, &'static str> {
    let name = raw.trim();
    if name.is_empty() {
        Err("is required")
    } else if name.chars().count() > 100 {
        Err("must be at most 100 characters")
    } else if text::hidden_character(name).is_some() {
        Err("must not contain invisible or control characters")
    } else {
        Ok(name.to_string())
    }
}

/// Runs a rule and records its failure under `field`, returning the cleaned value when valid.
pub fn check<T>(v: &mut Validation, field: &str, result: Result<T, &'static str>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(message) => {
            v.add(field, message);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(email("  Alice@Example.COM ").unwrap(), "alice@example.com");
        for bad in ["", "alice", "@example.com", "alice@", "alice@example", "a b@example.com", "alice@.com", "a@b@c.com", "a@b..com", "a@exa_mple.com"] {
            assert!(email(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn one_mailbox_has_one_form() {
        // A full-width letter in the domain is the same domain.
        assert_eq!(email("someone@\u{ff45}xample.net").unwrap(), "someone@example.net");
        assert_eq!(email("\u{ff33}omeone@EXAMPLE.net").unwrap(), "someone@example.net");
        // Internationalised domains are stored in their ASCII form.
        assert_eq!(email("kim@Bücher.example").unwrap(), "kim@xn--bcher-kva.example");
        assert_eq!(email("kim@xn--bcher-kva.example").unwrap(), "kim@xn--bcher-kva.example");
        assert_eq!(email("admin@localhost").unwrap(), "admin@localhost");
    }

    #[test]
    fn lookalike_local_parts_and_invisible_characters_are_refused() {
        assert!(email("\u{430}dmin@example.com").is_err(), "Cyrillic а among Latin letters");
        assert!(email("p\u{3b1}ypal@example.com").is_err(), "Greek α among Latin letters");
        assert!(email("admin\u{200b}@example.com").is_err(), "zero-width space");
        assert!(email("ad\u{ad}min@example.com").is_err(), "soft hyphen");
        assert!(email("admin@exa\u{200d}mple.com").is_err(), "zero-width joiner in the domain");
        assert!(email("admin\u{7}@example.com").is_err());
        // One script throughout is a real address.
        assert_eq!(email("\u{434}\u{43c}\u{438}\u{442}\u{440}\u{438}\u{439}@example.ru").unwrap(), "дмитрий@example.ru");
        assert!(email("やまだ.太郎@example.jp").is_ok());
        assert!(email("zoë.o-brien+voip_2@example.ie").is_ok());
    }

    #[test]
    fn names_refuse_hidden_characters() {
        assert_eq!(name("  Zoë O'Brien ").unwrap(), "Zoë O'Brien");
        for bad in ["Ring\u{7}", "Esc\u{1b}[2J", "Mallory\u{202e}", "Eve\u{200b}", ""] {
            assert!(name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_have_a_length_range() {
        assert!(password("short").is_err());
        assert!(password("twelve chars").is_ok());
        assert!(password(&"x".repeat(129)).is_err());
    }
}
