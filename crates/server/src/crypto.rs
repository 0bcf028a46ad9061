//! Small cryptographic building blocks: random tokens, hashes of tokens, and the secret box that
//! encrypts the few secrets DIDtron must be able to read back (TOTP seeds, provider credentials).

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use didtron_core::{Error, Result};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `n` random bytes as URL-safe base64: for session tokens, e-mail links, API secrets.
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a high-entropy token. Tokens are random, so a fast hash is enough: there is
/// nothing to guess that a slow hash would protect.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equality that takes the same time whatever the inputs, for comparing secrets.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// HMAC-SHA-256 (RFC 2104), for keys of at most one block (64 bytes), which is all DIDtron needs.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| k.map(|b| b ^ byte);
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

/// The label whose MAC under the secret key is the key's check.
const KEY_CHECK_LABEL: &[u8] = b"didtron secret key check v1";

/// Authenticated encryption with the server's secret key (XChaCha20-Poly1305).
#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
    /// [`SecretBox::key_check`], worked out once: the key itself is not kept.
    check: String,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(<key hidden>)")
    }
}

const PREFIX: &str = "v1:";

impl SecretBox {
    pub fn new(key: [u8; 32]) -> SecretBox {
        let check = hmac_sha256(&key, KEY_CHECK_LABEL).iter().map(|b| format!("{b:02x}")).collect();
        SecretBox { cipher: XChaCha20Poly1305::new(&Key::from(key)), check }
    }

    /// A check of the key that reveals nothing of it (HMAC-SHA-256 of a fixed label under the
    /// key): two instances have the same key exactly when their checks are equal.
    pub fn key_check(&self) -> String {
        self.check.clone()
    }

    /// The key from configuration (base64 of 32 bytes) or, failing that, from `secret.key` in the data
    /// directory, created on first use. Several instances sharing one database must share the key, so
    /// they must configure it.
    pub fn load(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<SecretBox> {
        let encoded = match configured {
            Some(k) => k.trim().to_string(),
            None => {
                let path = data_dir.join("secret.key");
                if path.exists() {
                    std::fs::read_to_string(&path)?.trim().to_string()
                } else {
                    let mut key = [0u8; 32];
                    rand::rng().fill_bytes(&mut key);
                    let encoded = STANDARD.encode(key);
                    std::fs::create_dir_all(data_dir)?;
                    write_private(&path, &encoded)?;
                    encoded
                }
            }
        };
        let bytes = STANDARD.decode(encoded.as_bytes()).map_err(|_| anyhow::anyhow!("the secret key is not valid base64"))?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| anyhow::anyhow!("the secret key must be 32 bytes (base64)"))?;
        Ok(SecretBox::new(key))
    }

    pub fn seal(&self, plaintext: &str) -> Result<String> {
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self.cipher.encrypt(&XNonce::from(nonce), plaintext.as_bytes()).map_err(|_| Error::internal("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(out)))
    }

    pub fn open(&self, sealed: &str) -> Result<String> {
        let fail = || Error::internal("a stored secret cannot be decrypted (was the secret key changed?)");
        let raw = STANDARD.decode(sealed.strip_prefix(PREFIX).ok_or_else(fail)?).map_err(|_| fail())?;
        if raw.len() < 24 {
            return Err(fail());
        }
        let (nonce, body) = raw.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| fail())?;
        let plain = self.cipher.decrypt(&XNonce::from(nonce), body).map_err(|_| fail())?;
        String::from_utf8(plain).map_err(|_| fail())
    }
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
        f.write_all(content.as_bytes())
    }
    #[cfg(not(unix))]
    std::fs::write(path, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_the_same_key() {
        let a = SecretBox::new([7; 32]);
        let sealed = a.seal("JBSWY3DPEHPK3PXP").unwrap();
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(a.open(&sealed).unwrap(), "JBSWY3DPEHPK3PXP");
        assert!(SecretBox::new([8; 32]).open(&sealed).is_err());
        assert!(a.open("v1:garbage").is_err());
    }

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let sealed = SecretBox::load(None, dir.path()).unwrap().seal("x").unwrap();
        assert_eq!(SecretBox::load(None, dir.path()).unwrap().open(&sealed).unwrap(), "x");
    }

    #[test]
    fn hmac_matches_rfc_4231_and_key_checks_tell_keys_apart() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assert_eq!(SecretBox::new([7; 32]).key_check(), SecretBox::new([7; 32]).key_check());
        assert_ne!(SecretBox::new([7; 32]).key_check(), SecretBox::new([8; 32]).key_check());
        assert_eq!(SecretBox::new([7; 32]).key_check().len(), 64);
    }

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        assert_ne!(random_token(32), random_token(32));
        assert_eq!(token_hash("abc"), token_hash("abc"));
        assert_eq!(token_hash("abc").len(), 64);
        assert!(constant_time_eq("same", "same") && !constant_time_eq("same", "sama") && !constant_time_eq("a", "ab"));
    }
}
