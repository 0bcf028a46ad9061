//! Password hashing with Argon2id. Hashing is slow on purpose, so it runs off the async threads.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use didtron_core::{Error, Result};
use rand::Rng;
use rand::distr::Alphanumeric;

pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(Error::internal)
    })
    .await
    .map_err(Error::internal)?
}

/// Whether `password` matches the stored hash. A malformed hash never matches.
pub async fn verify(password: &str, stored: &str) -> bool {
    let password = password.to_owned();
    let stored = stored.to_owned();
    tokio::task::spawn_blocking(move || match PasswordHash::new(&stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    })
    .await
    .unwrap_or(false)
}

/// A random password for generated accounts: 20 letters and digits (about 119 bits).
pub fn generate() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(20).map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let h = hash("correct horse").await.unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse", &h).await);
        assert!(!verify("wrong horse", &h).await);
        assert!(!verify("correct horse", "not a hash").await);
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
    }
}

/// A valid Argon2id hash of a random string, verified against when the account does not exist so
/// that a wrong address takes as long as a wrong password.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$V7Bd5sbDNmEJ1QJ0hJ3Q7yQG2fdPZ8hP3t3lPpqkC1A";
