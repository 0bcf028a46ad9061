//! Time is stored in UTC as fixed-width RFC 3339 text with microseconds
//! (`2026-11-25T09:36:11.123456Z`), so text order is time order on SQLite and PostgreSQL alike.

use chrono::{DateTime, SecondsFormat, Utc};

pub type Timestamp = DateTime<Utc>;

pub fn now() -> Timestamp {
    Utc::now()
}

/// The stored form of a timestamp.
pub fn to_db(t: Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses the stored form back; `None` for anything else.
pub fn from_db(s: &str) -> Option<Timestamp> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_round_trips_and_sorts() {
        let a = now();
        let b = a + chrono::Duration::microseconds(1);
        assert_eq!(from_db(&to_db(a)), Some(a.with_nanosecond_truncated()));
        assert!(to_db(a) < to_db(b));
        assert_eq!(to_db(a).len(), "2026-11-25T09:36:11.123456Z".len());
    }

    trait Trunc {
        fn with_nanosecond_truncated(self) -> Self;
    }
    impl Trunc for Timestamp {
        fn with_nanosecond_truncated(self) -> Self {
            use chrono::Timelike;
            self.with_nanosecond(self.nanosecond() / 1000 * 1000).unwrap()
        }
    }
}
