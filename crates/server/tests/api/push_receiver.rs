//! A push service on a free port, standing in for FCM/Mozilla/Apple: it checks each request's
//! VAPID JWT against the server's public key and decrypts the aes128gcm body (RFC 8291) with
//! the subscription's private key, by its own code (not the sender's), then records the message.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use parvis_core::push::{PushKeys, PushMessage};
use sha2::Sha256;

/// A browser's subscription, with the private half the push service must never see in real
/// life (here the test plays both parts).
#[derive(Clone)]
pub struct TestSubscription {
    pub endpoint: String,
    pub keys: PushKeys,
    token: String,
}

/// One request received, once checked.
#[derive(Debug, Clone)]
pub struct Received {
    /// The status answered.
    pub status: u16,
    pub message: PushMessage,
    pub ttl: Option<String>,
    pub urgency: Option<String>,
    pub topic: Option<String>,
    /// Size of the encrypted body.
    pub body_len: usize,
}

struct Endpoint {
    secret: SecretKey,
    auth: [u8; 16],
    /// Statuses to answer, in order; 201 once empty.
    script: VecDeque<u16>,
    received: Vec<Received>,
}

#[derive(Default)]
struct Inner {
    /// The server's VAPID public key (base64url), once known.
    vapid_key: Option<String>,
    endpoints: HashMap<String, Endpoint>,
    /// Requests that failed a check (VAPID, encryption, headers): must stay empty.
    errors: Vec<String>,
}

/// The running push service.
#[derive(Clone)]
pub struct PushReceiver {
    /// `http://127.0.0.1:PORT`: the JWT's expected audience.
    pub origin: String,
    inner: Arc<Mutex<Inner>>,
}

impl PushReceiver {
    /// Starts a push service that trusts the VAPID key `vapid_key` (base64url).
    pub async fn start(vapid_key: &str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let origin = format!("http://{}", listener.local_addr().expect("address"));
        let receiver = Self {
            origin,
            inner: Arc::new(Mutex::new(Inner {
                vapid_key: Some(vapid_key.to_owned()),
                ..Inner::default()
            })),
        };
        let router = Router::new()
            .route("/push/{token}", post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        receiver
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().expect("receiver lock")
    }

    /// A new subscription answered 201.
    pub fn subscription(&self) -> TestSubscription {
        self.scripted(&[])
    }

    /// A new subscription whose requests are answered with `script`, then 201.
    pub fn scripted(&self, script: &[u16]) -> TestSubscription {
        let secret = SecretKey::random(&mut rand_core::OsRng);
        let mut auth = [0u8; 16];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut auth);
        let mut token = [0u8; 12];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut token);
        let token = URL_SAFE_NO_PAD.encode(token);
        let keys = PushKeys {
            p256dh: URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes()),
            auth: URL_SAFE_NO_PAD.encode(auth),
        };
        self.lock().endpoints.insert(
            token.clone(),
            Endpoint {
                secret,
                auth,
                script: script.iter().copied().collect(),
                received: Vec::new(),
            },
        );
        TestSubscription {
            endpoint: format!("{}/push/{token}", self.origin),
            keys,
            token,
        }
    }

    /// Every request that reached `sub`'s endpoint, whatever was answered.
    pub fn requests(&self, sub: &TestSubscription) -> Vec<Received> {
        self.lock()
            .endpoints
            .get(&sub.token)
            .map(|e| e.received.clone())
            .unwrap_or_default()
    }

    /// The messages `sub` accepted (answered 2xx).
    pub fn delivered(&self, sub: &TestSubscription) -> Vec<Received> {
        self.requests(sub)
            .into_iter()
            .filter(|r| (200..300).contains(&r.status))
            .collect()
    }

    /// Requests refused by a check (bad VAPID token, undecryptable body, missing header).
    pub fn errors(&self) -> Vec<String> {
        self.lock().errors.clone()
    }
}

async fn receive(
    State(receiver): State<PushReceiver>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut inner = receiver.lock();
    let vapid_key = inner.vapid_key.clone().unwrap_or_default();
    if let Err(e) = check_vapid(&headers, &vapid_key, &receiver.origin) {
        inner.errors.push(format!("VAPID: {e}"));
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Some(endpoint) = inner.endpoints.get_mut(&token) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let checked = check_headers(&headers)
        .and_then(|()| decrypt(&body, &endpoint.secret, &endpoint.auth))
        .and_then(|plain| {
            serde_json::from_slice::<PushMessage>(&plain)
                .map_err(|e| format!("not a PushMessage: {e}"))
        });
    let message = match checked {
        Ok(message) => message,
        Err(e) => {
            inner.errors.push(e);
            return StatusCode::BAD_REQUEST.into_response();
        }
    };
    let status = endpoint.script.pop_front().unwrap_or(201);
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    endpoint.received.push(Received {
        status,
        message,
        ttl: header("ttl"),
        urgency: header("urgency"),
        topic: header("topic"),
        body_len: body.len(),
    });
    let status = StatusCode::from_u16(status).expect("scripted status");
    let mut response = status.into_response();
    if status == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert("retry-after", "0".parse().expect("header"));
    }
    response
}

/// RFC 8292: `vapid t=<JWT>, k=<public key>`; ES256 signature, audience, expiry, contact.
fn check_vapid(headers: &HeaderMap, expected_key: &str, origin: &str) -> Result<(), String> {
    let value = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or("no Authorization header")?;
    let params = value.strip_prefix("vapid ").ok_or("not the vapid scheme")?;
    let mut token = None;
    let mut key = None;
    for param in params.split(',') {
        match param.trim().split_once('=') {
            Some(("t", v)) => token = Some(v),
            Some(("k", v)) => key = Some(v),
            _ => return Err(format!("unexpected parameter {param:?}")),
        }
    }
    let (token, key) = (token.ok_or("no t=")?, key.ok_or("no k=")?);
    if key != expected_key {
        return Err("k= is not the server's public key".into());
    }
    let b64 = |s: &str| {
        URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|e| format!("base64: {e}"))
    };
    let verifying = VerifyingKey::from_sec1_bytes(&b64(key)?).map_err(|e| e.to_string())?;
    let (signed, signature) = token.rsplit_once('.').ok_or("JWT without signature")?;
    let signature = Signature::from_slice(&b64(signature)?).map_err(|e| e.to_string())?;
    verifying
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| "bad JWT signature")?;
    let (header, claims) = signed.split_once('.').ok_or("JWT without claims")?;
    let header: serde_json::Value =
        serde_json::from_slice(&b64(header)?).map_err(|e| e.to_string())?;
    if header["alg"] != "ES256" {
        return Err(format!("alg {}", header["alg"]));
    }
    let claims: serde_json::Value =
        serde_json::from_slice(&b64(claims)?).map_err(|e| e.to_string())?;
    if claims["aud"] != origin {
        return Err(format!("aud {} is not {origin}", claims["aud"]));
    }
    let now = chrono::Utc::now().timestamp();
    let exp = claims["exp"].as_i64().ok_or("no exp")?;
    if exp <= now || exp > now + 24 * 3600 {
        return Err(format!("exp {exp} not within 24 h"));
    }
    if !claims["sub"]
        .as_str()
        .is_some_and(|s| s.starts_with("mailto:") || s.starts_with("https:"))
    {
        return Err(format!("sub {}", claims["sub"]));
    }
    Ok(())
}

fn check_headers(headers: &HeaderMap) -> Result<(), String> {
    if headers
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        != Some("aes128gcm")
    {
        return Err("Content-Encoding is not aes128gcm".into());
    }
    if headers.get("ttl").is_none() {
        return Err("no TTL header".into());
    }
    Ok(())
}

/// RFC 8291 §3.4 and RFC 8188: one aes128gcm record, decrypted with the user agent's keys.
fn decrypt(body: &[u8], secret: &SecretKey, auth: &[u8; 16]) -> Result<Vec<u8>, String> {
    if body.len() > 4096 {
        return Err(format!("{} bytes: over the 4,096-byte limit", body.len()));
    }
    if body.len() < 21 {
        return Err("shorter than the header".into());
    }
    let salt = &body[..16];
    let record_size = u32::from_be_bytes([body[16], body[17], body[18], body[19]]) as usize;
    let id_len = usize::from(body[20]);
    if id_len != 65 || body.len() < 21 + id_len {
        return Err(format!(
            "key id of {id_len} bytes, not an uncompressed P-256 point"
        ));
    }
    let server_public = PublicKey::from_sec1_bytes(&body[21..86]).map_err(|e| e.to_string())?;
    let ciphertext = &body[86..];
    if ciphertext.len() > record_size {
        return Err("more than one record".into());
    }

    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), server_public.as_affine());
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(secret.public_key().to_encoded_point(false).as_bytes());
    key_info.extend_from_slice(&body[21..86]);
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth), shared.raw_secret_bytes().as_slice())
        .expand(&key_info, &mut ikm)
        .map_err(|e| e.to_string())?;
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .map_err(|e| e.to_string())?;
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
        .map_err(|e| e.to_string())?;

    let cipher = Aes128Gcm::new_from_slice(&cek).map_err(|e| e.to_string())?;
    let mut plain = cipher
        .decrypt(Nonce::from_slice(&nonce), ciphertext)
        .map_err(|_| "aes128gcm decryption failed")?;
    // Padding: the last record ends with 0x02 followed by zeros.
    while plain.last() == Some(&0) {
        plain.pop();
    }
    if plain.pop() != Some(2) {
        return Err("no last-record delimiter".into());
    }
    Ok(plain)
}
