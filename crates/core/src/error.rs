//! The one error type of the domain. Every layer above converts into it, and the HTTP layer maps
//! each variant to a status code exactly once.

use serde::Serialize;

/// One invalid field of an input, with a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The record does not exist, or the caller may not know that it exists.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request collides with the current state (a duplicate code, a stale version…).
    #[error("{0}")]
    Conflict(String),
    /// The request itself is unreadable (malformed JSON, wrong content type).
    #[error("{0}")]
    BadRequest(String),
    /// The input is malformed; each field says why.
    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<FieldError>),
    /// The caller is not authenticated (or their credentials are wrong).
    #[error("{0}")]
    Unauthenticated(String),
    /// The password was right but the account has two-factor authentication: send the code.
    #[error("enter the code from your authenticator app")]
    SecondFactorRequired,
    /// The caller is authenticated but their role does not allow the action.
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts; try again after the given number of seconds.
    #[error("{message}")]
    RateLimited { message: String, retry_after_secs: u64 },
    /// An outside service failed. `retryable` tells whether trying again may help.
    #[error("{service}: {message}")]
    Upstream { service: &'static str, message: String, retryable: bool },
    /// A failure of our own (database down, bug). The message is logged, never shown to callers.
    #[error("internal error: {0}")]
    Internal(String),
}

fn invalid_summary(fields: &[FieldError]) -> String {
    match fields {
        [one] => format!("{}: {}", one.field, one.message),
        _ => format!("{} fields are invalid", fields.len()),
    }
}

impl Error {
    /// A single invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        Error::Internal(err.to_string())
    }

    /// Short machine-readable code, stable for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) => "conflict",
            Error::BadRequest(_) => "bad_request",
            Error::Invalid(_) => "invalid",
            Error::Unauthenticated(_) => "unauthenticated",
            Error::SecondFactorRequired => "totp_required",
            Error::Forbidden(_) => "forbidden",
            Error::RateLimited { .. } => "rate_limited",
            Error::Upstream { .. } => "upstream",
            Error::Internal(_) => "internal",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects field errors while validating an input, so every problem is reported at once.
#[derive(Debug, Default)]
pub struct Validation(Vec<FieldError>);

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Adds the error unless `ok` holds.
    pub fn check(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.add(field, message);
        }
    }

    /// The problems found, as (field, message) pairs.
    pub fn into_fields(self) -> Vec<(String, String)> {
        self.0.into_iter().map(|e| (e.field, e.message)).collect()
    }

    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::Invalid(self.0)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_reports_every_field() {
        let mut v = Validation::new();
        v.check(false, "email", "is required");
        v.check(true, "name", "unused");
        v.check(false, "password", "is too short");
        let Err(Error::Invalid(fields)) = v.finish() else { panic!("expected invalid") };
        assert_eq!(fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["email", "password"]);
    }

    #[test]
    fn empty_validation_passes() {
        assert!(Validation::new().finish().is_ok());
    }

    #[test]
    fn single_invalid_field_names_it_in_the_message() {
        assert_eq!(Error::invalid("email", "is required").to_string(), "email: is required");
    }
}
