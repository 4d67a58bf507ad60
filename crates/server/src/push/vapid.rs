//! VAPID (RFC 8292): the server's P-256 key, kept in the database, and the signed JWT that
//! identifies the server to push services (`Authorization: vapid t=…, k=…`).

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use rand_core::OsRng;
use serde::Serialize;
use url::Url;

use crate::db::{self, Db};

/// Longest validity RFC 8292 allows for a token.
pub const MAX_VALIDITY_SECONDS: i64 = 24 * 3600;

/// The server's VAPID key pair.
#[derive(Clone)]
pub struct VapidKey {
    signing: SigningKey,
    /// Uncompressed public point, base64url: what browsers take as `applicationServerKey`.
    public: String,
}

impl std::fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the private key.
        f.debug_struct("VapidKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    aud: &'a str,
    exp: i64,
    sub: &'a str,
}

impl VapidKey {
    /// The key kept in the database, generated and stored on first start.
    pub async fn load_or_create(db: &Db) -> anyhow::Result<Self> {
        let candidate = URL_SAFE_NO_PAD.encode(SigningKey::random(&mut OsRng).to_bytes());
        let kept = db::push::vapid_key_or_insert(db, &candidate)
            .await
            .context("reading the VAPID key")?;
        Self::from_private(&kept).context("the stored VAPID key is damaged")
    }

    /// A key from its base64url private scalar.
    pub fn from_private(private_b64: &str) -> anyhow::Result<Self> {
        let bytes = URL_SAFE_NO_PAD
            .decode(private_b64)
            .context("not base64url")?;
        let signing = SigningKey::from_slice(&bytes).context("not a P-256 private key")?;
        let public =
            URL_SAFE_NO_PAD.encode(signing.verifying_key().to_encoded_point(false).as_bytes());
        Ok(Self { signing, public })
    }

    /// The public key, base64url of the uncompressed point (65 bytes).
    pub fn public_key(&self) -> &str {
        &self.public
    }

    /// The `Authorization` header value for requests to `audience` (a push service origin),
    /// valid until `expires` (Unix seconds).
    pub fn authorization(&self, audience: &str, contact: &str, expires: i64) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = Claims {
            aud: audience,
            exp: expires,
            sub: contact,
        };
        // Serialising three plain fields cannot fail.
        let claims = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
        let signing_input = format!("{header}.{claims}");
        // ES256 (RFC 7518 §3.4): the 64-byte r‖s form, not DER.
        let signature: Signature = self.signing.sign(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(signature.to_bytes());
        format!("vapid t={signing_input}.{signature}, k={}", self.public)
    }
}

/// The origin of a push endpoint (`https://fcm.googleapis.com`), the JWT's `aud`.
pub fn audience(endpoint: &Url) -> String {
    endpoint.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use p256::ecdsa::VerifyingKey;
    use p256::ecdsa::signature::Verifier;

    use super::*;

    #[test]
    fn the_token_is_an_es256_jwt_verifiable_with_the_public_key() {
        let key = VapidKey::from_private(&URL_SAFE_NO_PAD.encode([7u8; 32])).expect("key");
        let header = key.authorization("https://push.example", "mailto:a@b.c", 1_900_000_000);

        let rest = header.strip_prefix("vapid t=").expect("scheme");
        let (token, k) = rest.split_once(", k=").expect("k");
        assert_eq!(k, key.public_key());
        let (input, sig) = token.rsplit_once('.').expect("signature");
        let public = URL_SAFE_NO_PAD.decode(k).expect("b64");
        let verifying = VerifyingKey::from_sec1_bytes(&public).expect("point");
        let sig = Signature::from_slice(&URL_SAFE_NO_PAD.decode(sig).expect("b64")).expect("sig");
        verifying.verify(input.as_bytes(), &sig).expect("valid");
        let claims = input.split('.').nth(1).expect("claims");
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).expect("b64")).expect("json");
        assert_eq!(claims["aud"], "https://push.example");
        assert_eq!(claims["sub"], "mailto:a@b.c");
        assert_eq!(claims["exp"], 1_900_000_000);
    }

    #[test]
    fn the_audience_keeps_a_non_default_port() {
        let url = Url::parse("http://127.0.0.1:4321/push/abc").expect("url");
        assert_eq!(audience(&url), "http://127.0.0.1:4321");
        let url = Url::parse("https://fcm.googleapis.com/fcm/send/x").expect("url");
        assert_eq!(audience(&url), "https://fcm.googleapis.com");
    }
}
