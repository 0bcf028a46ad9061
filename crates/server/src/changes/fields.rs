//! The fields of configuration records, each declared once with its rule.
//!
//! A kind's spec lists its [`Field`]s. From that one list come the storage columns (`records`),
//! the checks every value passes before it is saved ([`check`]), the kind's OpenAPI schema and the
//! description the web forms read (`describe`, served at `GET /api/v1/config/kinds`). A kind's own
//! `validate()` keeps only the rules that span fields (a route group's shares per order make 100 %).
//!
//! Every text has a maximum length and every list a maximum number of entries, so one record can
//! never be made large enough to slow every list that shows it; and no text may hold control or
//! invisible characters (`didtron_core::text`), which would let one name pass for another.

use didtron_core::error::Validation;
use didtron_core::text::refuse_hidden;
use didtron_core::Result;
use serde_json::{Map, Value};

use crate::state::AppState;

/// One field of a kind of record: its name (the column, or the child table for rows stored in
/// one), its rule, and what it means.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub rule: Rule,
    /// A value must be given (for a list or rows: at least one entry).
    pub required: bool,
    /// The value taken when none is given.
    pub default: Preset,
    /// What the field holds, for the API reference and the docs (the bounds are added from the
    /// rule when it is described).
    pub about: &'static str,
}

/// A field's default value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    None,
    Int(i64),
    Text(&'static str),
    Flag(bool),
}

#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Trimmed text of at most `max` characters in the given format. Absent or empty is the
    /// default, or `""`.
    Text { max: usize, format: Format },
    /// A whole number within `min..=max`; `nullable` ones may be null (absent means null).
    /// `ranges` narrows the bounds by the value of another field of the same record or row.
    Int { min: i64, max: i64, nullable: bool, ranges: Option<&'static Ranges> },
    /// Yes or no.
    Flag,
    /// One of these words (lower case).
    OneOf(&'static [&'static str]),
    /// The id of a record of another kind (its kind code); null when empty.
    Reference(&'static str),
    /// A list of distinct texts, each at most `item_max` characters in `format`.
    List { max_items: usize, item_max: usize, format: Format },
    /// A list of objects, each with the fields of `Rows`.
    Rows(&'static Rows),
}

/// The shape of a text value, beyond its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Any text on one line.
    Plain,
    /// Text that may run over several lines.
    Lines,
    /// Lower-case letters, digits, `_` and `-` (normalised to lower case).
    Code,
    /// A three-letter ISO 4217 currency code (upper-cased).
    Currency,
    /// A dialling prefix: 1–15 digits (a leading `+` is dropped).
    Prefix,
    /// An ISO 3166-1 alpha-2 country code (upper-cased).
    Country,
    /// A host name or IPv4/IPv6 address, optionally with `:port` (lower-cased).
    SipHost,
    /// Digits, `#` and `*` (a tech prefix dialled in front of numbers).
    DialString,
}

/// The rows of a list-of-objects field.
#[derive(Debug)]
pub struct Rows {
    /// The columns of each row (plain fields: no rows inside rows).
    pub fields: &'static [Field],
    pub max_items: usize,
    /// One row in words ("carrier"), for messages.
    pub noun: &'static str,
    /// A column whose value may appear in one row only, and the message when it appears again
    /// (`{}` is replaced by the value).
    pub unique: Option<(&'static str, &'static str)>,
    /// The message when a required list is empty.
    pub empty: &'static str,
    /// The child table the rows are stored in (`record_id`, `position` and one column per field);
    /// `None` keeps them as a JSON list in the record's own column.
    pub table: Option<&'static str>,
}

/// Bounds of a number chosen by the value of another field (a margin's by its type).
#[derive(Debug)]
pub struct Ranges {
    pub by: &'static str,
    pub ranges: &'static [Range],
}

#[derive(Debug)]
pub struct Range {
    pub when: &'static str,
    pub min: i64,
    pub max: i64,
    pub message: &'static str,
}

/// The longest code (`pop.code`, `carrier.code`, …).
pub const CODE_MAX: usize = 40;
/// The longest id a reference may hold.
pub const ID_MAX: usize = 64;

const fn field(name: &'static str, rule: Rule) -> Field {
    Field { name, rule, required: false, default: Preset::None, about: "" }
}

/// Text on one line, at most `max` characters.
pub const fn text(name: &'static str, max: usize) -> Field {
    field(name, Rule::Text { max, format: Format::Plain })
}

/// Text over several lines (a description), at most `max` characters.
pub const fn lines(name: &'static str, max: usize) -> Field {
    field(name, Rule::Text { max, format: Format::Lines })
}

/// A required code, unique per kind where the spec says so.
pub const fn code(name: &'static str) -> Field {
    field(name, Rule::Text { max: CODE_MAX, format: Format::Code }).required()
}

/// A currency, USD when not given.
pub const fn currency(name: &'static str) -> Field {
    field(name, Rule::Text { max: 3, format: Format::Currency }).default_text("USD")
}

/// A required dialling prefix.
pub const fn prefix(name: &'static str) -> Field {
    field(name, Rule::Text { max: 16, format: Format::Prefix }).required()
}

/// An ISO 3166 country code.
pub const fn country_code(name: &'static str) -> Field {
    field(name, Rule::Text { max: 2, format: Format::Country })
}

/// Digits, `#` and `*`, at most `max` of them.
pub const fn dial_string(name: &'static str, max: usize) -> Field {
    field(name, Rule::Text { max, format: Format::DialString })
}

/// A whole number within `min..=max`, required unless it gets a default.
pub const fn int(name: &'static str, min: i64, max: i64) -> Field {
    field(name, Rule::Int { min, max, nullable: false, ranges: None }).required()
}

/// A whole number within `min..=max` that may be left empty (null).
pub const fn optional_int(name: &'static str, min: i64, max: i64) -> Field {
    field(name, Rule::Int { min, max, nullable: true, ranges: None })
}

/// A whole number whose bounds depend on another field; `min..=max` spans every range.
pub const fn int_by(name: &'static str, min: i64, max: i64, ranges: &'static Ranges) -> Field {
    field(name, Rule::Int { min, max, nullable: false, ranges: Some(ranges) }).required()
}

pub const fn flag(name: &'static str, default: bool) -> Field {
    field(name, Rule::Flag).default_flag(default)
}

/// One of `choices`, required unless it gets a default.
pub const fn one_of(name: &'static str, choices: &'static [&'static str]) -> Field {
    field(name, Rule::OneOf(choices)).required()
}

/// The id of a record of `kind`; optional unless marked required.
pub const fn reference(name: &'static str, kind: &'static str) -> Field {
    field(name, Rule::Reference(kind))
}

/// A list of at most `max_items` distinct texts, each at most `item_max` characters in `format`.
pub const fn list(name: &'static str, format: Format, item_max: usize, max_items: usize) -> Field {
    field(name, Rule::List { max_items, item_max, format })
}

pub const fn rows(name: &'static str, rows: &'static Rows) -> Field {
    field(name, Rule::Rows(rows))
}

/// The `status` of most kinds: active or disabled, active when not given.
pub const fn status() -> Field {
    one_of("status", &["active", "disabled"]).default_text("active").about("Only active records are used.")
}

impl Field {
    pub const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// Not required (a choice left empty is null, for `validate()` to fill in).
    pub const fn optional(mut self) -> Field {
        self.required = false;
        self
    }

    pub const fn default_int(mut self, value: i64) -> Field {
        self.default = Preset::Int(value);
        self.required = false;
        self
    }

    pub const fn default_text(mut self, value: &'static str) -> Field {
        self.default = Preset::Text(value);
        self.required = false;
        self
    }

    pub const fn default_flag(mut self, value: bool) -> Field {
        self.default = Preset::Flag(value);
        self
    }

    pub const fn about(mut self, about: &'static str) -> Field {
        self.about = about;
        self
    }

    /// The default as JSON (null when there is none).
    pub fn default_value(&self) -> Value {
        match self.default {
            Preset::None => Value::Null,
            Preset::Int(i) => Value::from(i),
            Preset::Text(t) => Value::from(t),
            Preset::Flag(b) => Value::Bool(b),
        }
    }
}

impl Format {
    /// The regular expression a valid value matches, where one says it all.
    pub fn pattern(self) -> Option<&'static str> {
        match self {
            Format::Code => Some("^[A-Za-z0-9_-]+$"),
            Format::Currency => Some("^[A-Za-z]{3}$"),
            Format::Prefix => Some("^\\+?[0-9]{1,15}$"),
            Format::Country => Some("^[A-Za-z]{2}$"),
            Format::DialString => Some("^[0-9#*]*$"),
            Format::Plain | Format::Lines | Format::SipHost => None,
        }
    }

    /// The case a value is normalised to.
    pub fn case(self) -> Option<&'static str> {
        match self {
            Format::Code | Format::SipHost => Some("lower"),
            Format::Currency | Format::Country => Some("upper"),
            _ => None,
        }
    }

    /// What a value of this format is, in a sentence (for descriptions and the docs).
    pub fn sentence(self) -> Option<&'static str> {
        match self {
            Format::Plain => None,
            Format::Lines => Some("May run over several lines."),
            Format::Code => Some("Letters, digits, _ and -; stored in lower case."),
            Format::Currency => Some("An ISO 4217 currency code such as USD."),
            Format::Prefix => Some("1–15 digits; a leading + is dropped."),
            Format::Country => Some("An ISO 3166 alpha-2 country code such as US, GB, EG."),
            Format::SipHost => Some("A host name or IPv4/IPv6 address, optionally with :port."),
            Format::DialString => Some("Digits, # and *."),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Format::Plain => "plain",
            Format::Lines => "lines",
            Format::Code => "code",
            Format::Currency => "currency",
            Format::Prefix => "prefix",
            Format::Country => "country",
            Format::SipHost => "sip_host",
            Format::DialString => "dial_string",
        }
    }

    /// The message for a value that is not in this format (for formats with a pattern).
    pub fn message(self) -> Option<&'static str> {
        match self {
            Format::Code => Some("may contain only letters, digits, _ and -"),
            Format::Currency => Some("must be a three-letter ISO 4217 code such as USD"),
            Format::Prefix => Some("must be 1–15 digits"),
            Format::Country => Some("must be an ISO 3166 alpha-2 code such as US, GB, EG"),
            Format::DialString => Some("may contain only digits, # and *"),
            Format::Plain | Format::Lines | Format::SipHost => None,
        }
    }

    /// Checks a trimmed, non-empty value of at most the field's length; returns it normalised.
    fn check(self, value: &str) -> std::result::Result<String, String> {
        let bad = || self.message().unwrap_or("is not valid").to_string();
        match self {
            Format::Plain => Ok(value.to_string()),
            Format::Lines => {
                // Line breaks are the one control character a description may hold.
                let value = value.replace("\r\n", "\n");
                value.split('\n').try_for_each(refuse_hidden).map(|()| value)
            }
            Format::Code => {
                let v = value.to_lowercase();
                if v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-') { Ok(v) } else { Err(bad()) }
            }
            Format::Currency => {
                let v = value.to_uppercase();
                if v.len() == 3 && v.chars().all(|c| c.is_ascii_uppercase()) { Ok(v) } else { Err(bad()) }
            }
            Format::Prefix => {
                let v = value.strip_prefix('+').unwrap_or(value);
                if !v.is_empty() && v.len() <= 15 && v.chars().all(|c| c.is_ascii_digit()) { Ok(v.to_string()) } else { Err(bad()) }
            }
            Format::Country => country(value).map(|(iso, _)| iso),
            Format::SipHost => sip_host(value),
            Format::DialString => {
                if value.chars().all(|c| c.is_ascii_digit() || c == '#' || c == '*') { Ok(value.to_string()) } else { Err(bad()) }
            }
        }
    }
}

/// Checks one text value against a length and a format: trimmed, not empty, at most `max`
/// characters, no hidden characters, in the format. Returns the normalised value or why not.
pub fn check_text(value: &str, max: usize, format: Format) -> std::result::Result<String, String> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    // Lines are checked one by one (line breaks are what they may hold); every other format
    // refuses hidden characters first, so the message names the one found.
    if format != Format::Lines {
        refuse_hidden(value)?;
    }
    format.check(value)
}

/// Checks and normalises every field of `fields` in `f`, in their order, writing each value back
/// normalised (defaults filled in, text trimmed, codes lower-cased). Problems are added to `v`
/// under the field's name (`sip_hosts[1]` for a list entry, `members[0].share` for a row's cell).
pub async fn check(state: &AppState, fields: &'static [Field], f: &mut Map<String, Value>, v: &mut Validation) -> Result<()> {
    for field in fields {
        match field.rule {
            Rule::Rows(rows) => check_rows(state, field, rows, f, v).await?,
            _ => check_value(state, field, f, v, "").await?,
        }
    }
    Ok(())
}

/// Checks one plain (not rows) field of the object `f`; problems are reported as `{at}{name}`.
async fn check_value(state: &AppState, field: &Field, f: &mut Map<String, Value>, v: &mut Validation, at: &str) -> Result<()> {
    let name = field.name;
    let key = format!("{at}{name}");
    let given = f.get(name).cloned().unwrap_or(Value::Null);
    let value = match field.rule {
        Rule::Text { max, format } => {
            let text = match &given {
                Value::Null => String::new(),
                Value::String(s) => s.trim().to_string(),
                _ => {
                    v.add(key, "must be text");
                    return Ok(());
                }
            };
            if text.is_empty() {
                if field.required {
                    v.add(key, "is required");
                }
                Value::String(match field.default {
                    Preset::Text(d) => d.to_string(),
                    _ => String::new(),
                })
            } else {
                match check_text(&text, max, format) {
                    Ok(clean) => Value::String(clean),
                    Err(message) => {
                        v.add(key, message);
                        Value::String(text)
                    }
                }
            }
        }
        Rule::Int { min, max, nullable, ranges } => {
            let n = match &given {
                Value::Null => match field.default {
                    Preset::Int(d) => d,
                    _ if nullable => {
                        f.insert(name.into(), Value::Null);
                        return Ok(());
                    }
                    _ => {
                        v.add(key, "is required");
                        return Ok(());
                    }
                },
                Value::Number(n) if n.as_i64().is_some() => n.as_i64().unwrap_or_default(),
                _ => {
                    v.add(key, "must be a whole number");
                    return Ok(());
                }
            };
            // The range chosen by the other field, when it names one; the field's own otherwise.
            let chosen = ranges.and_then(|r| {
                let by = f.get(r.by).and_then(Value::as_str).unwrap_or_default().trim().to_lowercase();
                r.ranges.iter().find(|range| range.when == by)
            });
            match chosen {
                Some(range) if n < range.min || n > range.max => v.add(key, range.message),
                Some(_) => {}
                None if n < min || n > max => v.add(key, if max == i64::MAX { format!("must be at least {min}") } else { format!("must be between {min} and {max}") }),
                None => {}
            }
            Value::from(n)
        }
        Rule::Flag => match &given {
            Value::Null => Value::Bool(field.default == Preset::Flag(true)),
            Value::Bool(b) => Value::Bool(*b),
            _ => {
                v.add(key, "must be true or false");
                Value::Bool(field.default == Preset::Flag(true))
            }
        },
        Rule::OneOf(choices) => {
            let word = match (&given, field.default) {
                (Value::Null, Preset::Text(d)) => d.to_string(),
                (Value::Null, _) if !field.required => {
                    f.insert(name.into(), Value::Null);
                    return Ok(());
                }
                (Value::String(s), _) => s.trim().to_lowercase(),
                _ => String::new(),
            };
            if !choices.contains(&word.as_str()) {
                v.add(key, format!("must be one of: {}", choices.join(", ")));
            }
            Value::String(word)
        }
        Rule::Reference(kind) => {
            let id = match &given {
                Value::Null => String::new(),
                Value::String(s) => s.trim().to_string(),
                _ => {
                    v.add(key, "must be an id");
                    return Ok(());
                }
            };
            if id.is_empty() {
                if field.required {
                    v.add(key, "is required");
                }
                f.insert(name.into(), Value::Null);
                return Ok(());
            }
            let target = state.kinds.get(kind)?.spec();
            if id.chars().count() > ID_MAX || refuse_hidden(&id).is_err() || !super::records::exists(&state.db, target, &id).await? {
                v.add(key, format!("no such {}", target.label.to_lowercase()));
            }
            Value::String(id)
        }
        Rule::List { max_items, item_max, format } => {
            let raw: Vec<String> = match &given {
                Value::Null => Vec::new(),
                Value::Array(items) if items.len() > max_items => {
                    v.add(key, format!("must have at most {max_items} entries"));
                    return Ok(());
                }
                Value::Array(items) => match items.iter().map(|i| i.as_str().map(str::to_string)).collect::<Option<Vec<_>>>() {
                    Some(list) => list,
                    None => {
                        v.add(key, "must be a list of texts");
                        return Ok(());
                    }
                },
                _ => {
                    v.add(key, "must be a list");
                    return Ok(());
                }
            };
            let mut out: Vec<String> = Vec::new();
            for (i, s) in raw.iter().enumerate() {
                let at = format!("{key}[{i}]");
                match check_text(s, item_max, format) {
                    Ok(clean) if clean.is_empty() => v.add(at, "is empty"),
                    Ok(clean) if out.contains(&clean) => v.add(at, format!("{clean} is listed twice")),
                    Ok(clean) => out.push(clean),
                    Err(message) => v.add(at, message),
                }
            }
            if field.required && raw.is_empty() {
                v.add(key, "needs at least one entry");
            }
            Value::from(out)
        }
        Rule::Rows(_) => return Ok(()),
    };
    f.insert(name.into(), value);
    Ok(())
}

/// Checks a list-of-objects field: its length, each row's cells, and the unique column.
async fn check_rows(state: &AppState, field: &Field, rows: &'static Rows, f: &mut Map<String, Value>, v: &mut Validation) -> Result<()> {
    let name = field.name;
    let items = match f.get(name) {
        Some(Value::Array(items)) if items.len() > rows.max_items => {
            v.add(name, format!("must have at most {} {}s", rows.max_items, rows.noun));
            return Ok(());
        }
        Some(Value::Array(items)) => items.clone(),
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            let names: Vec<&str> = rows.fields.iter().map(|c| c.name).collect();
            v.add(name, format!("must be a list of {{{}}}", names.join(", ")));
            Vec::new()
        }
    };
    if field.required && items.is_empty() {
        v.add(name, rows.empty);
    }
    let mut clean = Vec::with_capacity(items.len());
    let mut seen: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut row = item.as_object().cloned().unwrap_or_default();
        let at = format!("{name}[{i}].");
        let mut cells = Validation::new();
        for column in rows.fields {
            check_value(state, column, &mut row, &mut cells, &at).await?;
        }
        let problems = cells.into_fields();
        if let Some((column, twice)) = rows.unique {
            let key = format!("{at}{column}");
            if let Some(value) = row.get(column).and_then(Value::as_str).filter(|s| !s.is_empty())
                && !problems.iter().any(|(f, _)| *f == key)
            {
                if seen.iter().any(|s| s == value) {
                    v.add(key.clone(), twice.replace("{}", value));
                }
                seen.push(value.to_string());
            }
        }
        for (field, message) in problems {
            v.add(field, message);
        }
        // Only the row's own columns are kept, in their order.
        let mut out = Map::new();
        for column in rows.fields {
            out.insert(column.name.into(), row.get(column.name).cloned().unwrap_or(Value::Null));
        }
        clean.push(Value::Object(out));
    }
    f.insert(name.into(), Value::Array(clean));
    Ok(())
}

/// A host name or IPv4/IPv6 address, optionally with `:port`, lower-cased.
pub fn sip_host(s: &str) -> std::result::Result<String, String> {
    let bad = || format!("“{s}” is not a host name or IP address");
    if s.is_empty() || s.len() > 253 {
        return Err(bad());
    }
    if s.parse::<std::net::IpAddr>().is_ok() || s.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(s.to_lowercase());
    }
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    };
    if let Some(p) = port
        && !p.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(format!("“{p}” is not a port"));
    }
    let label_ok = |l: &str| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if host.split('.').all(label_ok) { Ok(s.to_lowercase()) } else { Err(bad()) }
}

/// An ISO 3166-1 alpha-2 country code, upper-cased, with its English name.
pub fn country(code: &str) -> std::result::Result<(String, String), String> {
    match celes::Country::from_alpha2(code.trim()) {
        Ok(c) if code.trim().len() == 2 => Ok((c.alpha2.to_string(), c.long_name.to_string())),
        _ => Err(format!("“{}” is not an ISO 3166 country code (such as US, GB, EG)", code.trim())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_are_checked() {
        assert_eq!(country("eg").unwrap().0, "EG");
        assert!(country("XX").is_err());
        assert!(country("USA").is_err());
    }

    #[test]
    fn hidden_characters_are_refused_in_every_format_of_text() {
        for bad in ["ring\u{7}bell", "esc\u{1b}[31m", "zero\u{200b}width", "invoice\u{202e}fdp", "\u{feff}bom", "tab\there"] {
            for format in [Format::Plain, Format::Lines, Format::Code, Format::Currency, Format::Prefix, Format::Country, Format::SipHost, Format::DialString] {
                assert!(check_text(bad, 80, format).is_err(), "{bad:?} as {format:?}");
            }
        }
        assert_eq!(check_text("a\u{202e}b", 80, Format::Plain).unwrap_err(), "must not contain invisible or control characters (found U+202E)");
        assert_eq!(check_text("Zoë O'Brien — 株式会社", 80, Format::Plain).unwrap(), "Zoë O'Brien — 株式会社");
    }

    #[test]
    fn only_descriptions_keep_line_breaks() {
        assert_eq!(check_text("one\r\ntwo", 80, Format::Lines).unwrap(), "one\ntwo");
        assert!(check_text("one\ntwo", 80, Format::Plain).is_err());
        assert!(check_text("one\n\u{7}two", 80, Format::Lines).is_err());
    }

    #[test]
    fn formats_normalise_as_they_always_did() {
        assert_eq!(check_text(" GOLD-1 ", 40, Format::Code).unwrap(), "gold-1");
        assert!(check_text("has space", 40, Format::Code).is_err());
        assert_eq!(check_text("eur", 3, Format::Currency).unwrap(), "EUR");
        assert_eq!(check_text("+2010", 16, Format::Prefix).unwrap(), "2010");
        assert!(check_text("2a", 16, Format::Prefix).is_err());
        assert_eq!(check_text("SIP.Example.COM:5080", 253, Format::SipHost).unwrap(), "sip.example.com:5080");
        assert!(check_text("sip fra", 253, Format::SipHost).is_err());
        assert_eq!(check_text("de", 2, Format::Country).unwrap(), "DE");
        assert_eq!(check_text("99#", 16, Format::DialString).unwrap(), "99#");
        assert_eq!(check_text(&"x".repeat(81), 80, Format::Plain).unwrap_err(), "must be at most 80 characters");
    }

    #[test]
    fn every_pattern_accepts_what_its_format_accepts() {
        for (format, ok) in [(Format::Code, "gold_1-a"), (Format::Currency, "usd"), (Format::Prefix, "+20"), (Format::Country, "eg"), (Format::DialString, "12#*")] {
            let pattern = format.pattern().unwrap();
            assert!(check_text(ok, 40, format).is_ok(), "{format:?}");
            // The patterns are simple enough to check by hand: anchored character classes.
            assert!(pattern.starts_with('^') && pattern.ends_with('$'), "{pattern}");
        }
    }
}
