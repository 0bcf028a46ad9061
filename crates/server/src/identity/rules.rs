//! The input rules of identity, shared by every entry point (sign-up, invitations, CLI).

use didtron_core::error::Validation;

/// A normalised e-mail address (trimmed, lower-case) or the reason it is not one.
pub fn email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    let Some((local, domain)) = email.split_once('@') else { return Err("must be an e-mail address") };
    let ok = !local.is_empty()
        && (domain.contains('.') || domain == "localhost")
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok { Ok(email) } else { Err("must be an e-mail address") }
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

pub fn name(raw: &str) -> Result<String, &'static str> {
    let name = raw.trim();
    if name.is_empty() {
        Err("is required")
    } else if name.chars().count() > 100 {
        Err("must be at most 100 characters")
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
        for bad in ["", "alice", "@example.com", "alice@", "alice@example", "a b@example.com", "alice@.com", "a@b@c.com"] {
            assert!(email(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn passwords_have_a_length_range() {
        assert!(password("short").is_err());
        assert!(password("twelve chars").is_ok());
        assert!(password(&"x".repeat(129)).is_err());
    }
}
