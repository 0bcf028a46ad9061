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
