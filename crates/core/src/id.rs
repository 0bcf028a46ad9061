//! Record ids: UUIDv7, so they sort by creation time and never leak counts.

use uuid::Uuid;

/// A new time-ordered id in its canonical text form, as stored in every table.
pub fn new_id() -> String {
    Uuid::now_v7().to_string()
}

/// Whether `s` is a well-formed id; used to answer 404 early for garbage in a path.
pub fn is_id(s: &str) -> bool {
    Uuid::parse_str(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_creation() {
        let a = new_id();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = new_id();
        assert!(a < b, "{a} should sort before {b}");
        assert!(is_id(&a));
        assert!(!is_id("not-an-id"));
    }
}
