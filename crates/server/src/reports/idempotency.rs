//! Idempotency keys, request fingerprints and tracking tokens.
//!
//! The app sends each report with its outbox UUID as `Idempotency-Key`; the key is stored with
//! the report under a UNIQUE constraint, so a retry, even racing the first attempt, finds the
//! report instead of making a second one. A request's fingerprint tells a true retry (same
//! content: same receipt) from a reused key (other content: 409).
//!
//! Tracking tokens are derived from the idempotency key with HMAC-SHA-256 under a secret kept
//! in the database: a retry gets the same token back although only its SHA-256 is stored.

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::db::{self, Db};
use crate::error::AppError;

/// Longest `Idempotency-Key`, in characters.
pub const MAX_KEY_CHARS: usize = 200;

/// The `meta` key of the token secret.
pub const TOKEN_SECRET_KEY: &str = "reports_token_secret";

/// The request's `Idempotency-Key`: 400 when absent or malformed.
pub fn required_key(headers: &HeaderMap, what: &str) -> Result<String, AppError> {
    optional_key(headers)?.ok_or_else(|| {
        AppError::BadRequest(format!(
            "L’en-tête « Idempotency-Key » est obligatoire : une valeur unique par {what}, par \
             exemple un UUID, renvoyée telle quelle en cas de nouvel essai."
        ))
    })
}

/// The request's `Idempotency-Key` if there is one: 400 when malformed.
pub fn optional_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| is_valid_key(k))
        .map(|k| Some(k.to_owned()))
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "L’en-tête « Idempotency-Key » doit faire 1 à {MAX_KEY_CHARS} caractères ASCII \
                 visibles."
            ))
        })
}

fn is_valid_key(key: &str) -> bool {
    (1..=MAX_KEY_CHARS).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Builds the fingerprint of a request: every field with its name and length, so that moving
/// text from one field to another changes it.
#[derive(Debug, Clone, Default)]
pub struct Fingerprint(Sha256);

impl Fingerprint {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn field(mut self, name: &str, value: Option<&str>) -> Self {
        self.0.update((name.len() as u64).to_be_bytes());
        self.0.update(name.as_bytes());
        match value {
            Some(value) => {
                self.0.update([1]);
                self.0.update((value.len() as u64).to_be_bytes());
                self.0.update(value.as_bytes());
            }
            None => self.0.update([0]),
        }
        self
    }

    /// A photo, by the SHA-256 of its bytes as received.
    pub fn photo(mut self, sha256: &[u8]) -> Self {
        self.0.update(b"photo");
        self.0.update(sha256);
        self
    }

    /// Hex digest.
    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

/// The secret tracking tokens are derived with.
#[derive(Clone)]
pub struct TokenKey([u8; 32]);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(…)")
    }
}

impl TokenKey {
    /// The secret kept in the database, generated on first start (two instances starting
    /// together agree on the first one written).
    pub async fn load_or_create(db: &Db) -> anyhow::Result<Self> {
        let mut candidate = [0u8; 32];
        OsRng.fill_bytes(&mut candidate);
        let kept =
            db::meta::get_or_insert(db, TOKEN_SECRET_KEY, &URL_SAFE_NO_PAD.encode(candidate))
                .await?;
        let bytes = URL_SAFE_NO_PAD.decode(kept.as_bytes())?;
        let secret: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("the stored report token secret is damaged"))?;
        Ok(Self(secret))
    }

    /// A key from raw bytes (tests).
    pub fn from_bytes(secret: [u8; 32]) -> Self {
        Self(secret)
    }

    /// The reporter's token of the report sent with `idempotency_key`.
    pub fn reporter_token(&self, idempotency_key: &str) -> String {
        self.derive(&["report", idempotency_key])
    }

    /// The token of a supporter of report `report_id`, known by `supporter_key`.
    pub fn supporter_token(&self, report_id: i64, supporter_key: &str) -> String {
        self.derive(&["support", &report_id.to_string(), supporter_key])
    }

    fn derive(&self, parts: &[&str]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key size");
        for part in parts {
            // Length-prefixed: ("a", "bc") and ("ab", "c") differ.
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

/// What is stored of a token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn keys_are_short_visible_ascii() {
        let mut headers = HeaderMap::new();
        assert!(optional_key(&headers).expect("absent is fine").is_none());
        assert!(required_key(&headers, "signalement").is_err());
        headers.insert("idempotency-key", HeaderValue::from_static(" 4b2a-1 "));
        assert_eq!(required_key(&headers, "x").expect("valid"), "4b2a-1");
        headers.insert("idempotency-key", HeaderValue::from_static("a b"));
        assert!(optional_key(&headers).is_err());
        let long = HeaderValue::from_str(&"x".repeat(201)).expect("header");
        headers.insert("idempotency-key", long);
        assert!(optional_key(&headers).is_err());
    }

    #[test]
    fn fingerprints_depend_on_every_field_and_photo() {
        let base = || Fingerprint::new().field("a", Some("x")).field("b", None);
        assert_eq!(base().finish(), base().finish());
        assert_ne!(
            base().finish(),
            Fingerprint::new()
                .field("a", None)
                .field("b", Some("x"))
                .finish()
        );
        assert_ne!(base().finish(), base().photo(&sha256(b"p")).finish());
    }

    #[test]
    fn tokens_are_stable_and_distinct() {
        let key = TokenKey::from_bytes([7; 32]);
        let token = key.reporter_token("uuid-1");
        assert_eq!(token, key.reporter_token("uuid-1"));
        assert_eq!(token.len(), 43);
        assert_ne!(token, key.reporter_token("uuid-2"));
        assert_ne!(
            token,
            TokenKey::from_bytes([8; 32]).reporter_token("uuid-1")
        );
        assert_ne!(key.supporter_token(1, "d"), key.supporter_token(2, "d"));
        assert_eq!(token_hash(&token).len(), 64);
    }
}
