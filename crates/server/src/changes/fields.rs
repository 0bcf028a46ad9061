//! Rules for the fields of configuration records, shared by every kind.

use didtron_core::error::Validation;
use serde_json::{Map, Value};

/// A trimmed text field of 1..=max characters (or empty when not required); writes it back trimmed.
pub fn text(v: &mut Validation, f: &mut Map<String, Value>, name: &str, required: bool, max: usize) -> String {
    let value = match f.get(name) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_string(),
        Some(_) => {
            v.add(name, "must be text");
            return String::new();
        }
    };
    if required && value.is_empty() {
        v.add(name, "is required");
    } else if value.chars().count() > max {
        v.add(name, format!("must be at most {max} characters"));
    }
    f.insert(name.into(), Value::String(value.clone()));
    value
}

/// A code: lower-case letters, digits, `_` and `-`, 1–40 characters; normalised to lower case.
pub fn code(v: &mut Validation, f: &mut Map<String, Value>, name: &str) -> String {
    let value = text(v, f, name, true, 40).to_lowercase();
    if !value.is_empty() && !value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-') {
        v.add(name, "may contain only letters, digits, '_' and '-'");
    }
    f.insert(name.into(), Value::String(value.clone()));
    value
}

/// An integer within `min..=max`; `default` when absent.
pub fn int(v: &mut Validation, f: &mut Map<String, Value>, name: &str, min: i64, max: i64, default: Option<i64>) -> i64 {
    let value = match f.get(name) {
        None | Some(Value::Null) => match default {
            Some(d) => d,
            None => {
                v.add(name, "is required");
                return 0;
            }
        },
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or_default(),
        Some(_) => {
            v.add(name, "must be a whole number");
            return 0;
        }
    };
    if value < min || value > max {
        v.add(name, if max == i64::MAX { format!("must be at least {min}") } else { format!("must be between {min} and {max}") });
    }
    f.insert(name.into(), Value::from(value));
    value
}

/// A yes/no field; `default` when absent.
pub fn flag(v: &mut Validation, f: &mut Map<String, Value>, name: &str, default: bool) -> bool {
    let value = match f.get(name) {
        None | Some(Value::Null) => default,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            v.add(name, "must be true or false");
            default
        }
    };
    f.insert(name.into(), Value::Bool(value));
    value
}

/// One of the allowed words.
pub fn one_of(v: &mut Validation, f: &mut Map<String, Value>, name: &str, allowed: &[&str], default: Option<&str>) -> String {
    let value = match f.get(name) {
        None | Some(Value::Null) => default.unwrap_or("").to_string(),
        Some(Value::String(s)) => s.trim().to_lowercase(),
        Some(_) => String::new(),
    };
    if !allowed.contains(&value.as_str()) {
        v.add(name, format!("must be one of: {}", allowed.join(", ")));
    }
    f.insert(name.into(), Value::String(value.clone()));
    value
}

/// A three-letter ISO 4217 currency code, upper-cased; USD when absent.
pub fn currency(v: &mut Validation, f: &mut Map<String, Value>, name: &str) -> String {
    let raw = text(v, f, name, false, 3).to_uppercase();
    let value = if raw.is_empty() { "USD".to_string() } else { raw };
    if value.len() != 3 || !value.chars().all(|c| c.is_ascii_uppercase()) {
        v.add(name, "must be a three-letter ISO 4217 code such as USD");
    }
    f.insert(name.into(), Value::String(value.clone()));
    value
}

/// A dialling prefix: 1–15 digits (a leading `+` is dropped).
pub fn prefix(v: &mut Validation, f: &mut Map<String, Value>, name: &str) -> String {
    let value = text(v, f, name, true, 16).trim_start_matches('+').to_string();
    if !value.is_empty() && (value.len() > 15 || !value.chars().all(|c| c.is_ascii_digit())) {
        v.add(name, "must be 1–15 digits");
    }
    f.insert(name.into(), Value::String(value.clone()));
    value
}

/// The id of a record in `table`, or empty when not `required`; reports "no such …" otherwise.
/// Empty values are written back as null.
pub async fn reference(db: &didtron_db::Db, v: &mut Validation, f: &mut Map<String, Value>, name: &str, table: &str, label: &str, required: bool) -> Option<String> {
    let value = match f.get(name) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_string(),
        Some(_) => {
            v.add(name, "must be an id");
            return None;
        }
    };
    if value.is_empty() {
        f.insert(name.into(), Value::Null);
        if required {
            v.add(name, "is required");
        }
        return None;
    }
    let found: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT id FROM {table} WHERE id = $1")))
        .bind(&value)
        .fetch_optional(db.pool())
        .await
        .unwrap_or(None);
    if found.is_none() {
        v.add(name, format!("no such {label}"));
    }
    f.insert(name.into(), Value::String(value.clone()));
    Some(value)
}

/// A list of short texts, each checked by `item`; writes back the trimmed list.
pub fn list(
    v: &mut Validation,
    f: &mut Map<String, Value>,
    name: &str,
    required: bool,
    item: impl Fn(&str) -> Result<String, String>,
) -> Vec<String> {
    let raw = match f.get(name) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().map(|i| i.as_str().map(str::to_string)).collect::<Option<Vec<_>>>().unwrap_or_else(|| {
            v.add(name, "must be a list of texts");
            Vec::new()
        }),
        Some(_) => {
            v.add(name, "must be a list");
            Vec::new()
        }
    };
    let mut out = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        match item(s.trim()) {
            Ok(clean) if !out.contains(&clean) => out.push(clean),
            Ok(clean) => v.add(format!("{name}[{i}]"), format!("{clean} is listed twice")),
            Err(message) => v.add(format!("{name}[{i}]"), message),
        }
    }
    if required && out.is_empty() && raw.is_empty() {
        v.add(name, "needs at least one entry");
    }
    f.insert(name.into(), Value::from(out.clone()));
    out
}

/// An ISO 3166-1 alpha-2 country code, upper-cased, with its English name.
pub fn country(code: &str) -> Result<(String, String), String> {
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
}
