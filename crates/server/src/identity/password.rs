//! Password hashing with Argon2id. Hashing is slow and memory-hungry on purpose, so every hash and
//! check of a request runs under the instance's bound on it ([`crate::state::AppState::hashing`]):
//! the unknown-address dummy check included, so that a wrong address costs what a wrong password
//! costs, inside the same bound.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use didtron_core::{Error, Result};
use rand::Rng;
use rand::distr::Alphanumeric;

use crate::http::limits::WorkBound;

/// What a refused caller is told the server is busy with.
pub const BUSY_WITH: &str = "checking passwords";

/// The Argon2id hash of `password`, in PHC form, within `bound`.
pub async fn hash(bound: &WorkBound, password: &str) -> Result<String> {
    let password = password.to_owned();
    bound.run(move || hash_now(&password)).await?
}

/// Whether `password` matches the stored hash, checked within `bound`. A malformed hash never
/// matches.
pub async fn check(bound: &WorkBound, password: &str, stored: &str) -> Result<bool> {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    bound.run(move || verify_now(&password, &stored)).await
}

fn hash_now(password: &str) -> Result<String> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(Error::internal)
}

fn verify_now(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash outside any bound, for the command line and first start, where no requests compete.
pub async fn hash_unbounded(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_now(&password)).await.map_err(Error::internal)?
}

/// A check outside any bound, for the command line and tests; requests use [`check`].
pub async fn verify(password: &str, stored: &str) -> bool {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    tokio::task::spawn_blocking(move || verify_now(&password, &stored)).await.unwrap_or(false)
}

/// A random password for generated accounts: 20 letters and digits (about 119 bits).
pub fn generate() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(20).map(char::from).collect()
}

/// A valid Argon2id hash of a random string, verified against when the account does not exist so
/// that a wrong address takes as long as a wrong password.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$V7Bd5sbDNmEJ1QJ0hJ3Q7yQG2fdPZ8hP3t3lPpqkC1A";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let bound = WorkBound::new(2, 4, BUSY_WITH);
        let h = hash(&bound, "correct horse").await.unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(check(&bound, "correct horse", &h).await.unwrap());
        assert!(!check(&bound, "wrong horse", &h).await.unwrap());
        assert!(!check(&bound, "correct horse", "not a hash").await.unwrap());
        assert!(verify("correct horse", &h).await);
        assert!(hash_unbounded("x").await.unwrap().starts_with("$argon2id$"));
        assert_eq!(bound.completed(), 4);
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
    }
}
