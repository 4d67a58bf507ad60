//! One push message to one subscription (RFC 8030 §5): encrypt with aes128gcm (RFC 8291),
//! POST with the VAPID authorization, retry on 429 and 5xx with exponential backoff.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http_body_util::{BodyExt, Full, Limited};
use web_push_native::Auth;
use web_push_native::p256::PublicKey;

use super::client::PushClient;
use crate::config::PushConfig;
use crate::db::push::StoredSubscription;

/// Push services answer with an empty or tiny body; more than this is not read.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// Longest wait between two attempts, whatever `Retry-After` asks: a fan-out holds the
/// dispatcher, so one slow push service must not delay the next article for long.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(60);

/// How urgently the push service should deliver (RFC 8030 §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Normal,
    High,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Normal => "normal",
            Urgency::High => "high",
        }
    }
}

/// What to send, the same for every subscription of one fan-out.
#[derive(Debug, Clone)]
pub struct Message {
    /// The JSON plaintext (at most 3,993 bytes).
    pub plaintext: Vec<u8>,
    pub urgency: Urgency,
    /// Replaces an undelivered message with the same topic (≤ 32 base64url characters).
    pub topic: Option<String>,
}

/// How a push service answered in the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted (201 usually): record the delivery.
    Delivered(u16),
    /// 404 or 410: the subscription expired or was withdrawn; remove it.
    Gone(u16),
    /// Refused for good (another 4xx, or keys that cannot be used): give up, keep it.
    Rejected(String),
    /// Still 429/5xx or unreachable after the last attempt.
    Failed(String),
}

/// Decodes base64url with or without padding (browsers differ).
pub fn decode_b64url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

/// The subscription's public key, if it is a valid uncompressed P-256 point.
pub fn parse_p256dh(text: &str) -> Option<PublicKey> {
    let bytes = decode_b64url(text)?;
    (bytes.len() == 65 && bytes[0] == 0x04)
        .then(|| PublicKey::from_sec1_bytes(&bytes).ok())
        .flatten()
}

/// The subscription's authentication secret, if it has 16 bytes.
pub fn parse_auth(text: &str) -> Option<Auth> {
    let bytes = decode_b64url(text)?;
    (bytes.len() == 16).then(|| Auth::clone_from_slice(&bytes))
}

/// Sends `message` to `subscription`; `authorization` is the VAPID header for its origin.
pub async fn send(
    client: &PushClient,
    settings: &PushConfig,
    subscription: &StoredSubscription,
    authorization: &str,
    message: &Message,
) -> Outcome {
    let (Some(public), Some(auth)) = (
        parse_p256dh(&subscription.p256dh),
        parse_auth(&subscription.auth),
    ) else {
        return Outcome::Rejected("unusable subscription keys".into());
    };
    let body = match web_push_native::encrypt(message.plaintext.clone(), &public, &auth) {
        Ok(body) => Bytes::from(body),
        Err(e) => return Outcome::Rejected(format!("encryption failed: {e}")),
    };
    let headers = match request_headers(settings, authorization, message) {
        Ok(headers) => headers,
        Err(e) => return Outcome::Rejected(format!("invalid header: {e}")),
    };
    let mut attempt = 1;
    loop {
        let sent = post(
            client,
            settings,
            &subscription.endpoint,
            &headers,
            body.clone(),
        )
        .await;
        let (retry_after, failure) = match sent {
            Ok((status, response_headers)) => {
                if status.is_success() {
                    return Outcome::Delivered(status.as_u16());
                }
                if matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE) {
                    return Outcome::Gone(status.as_u16());
                }
                if status != StatusCode::TOO_MANY_REQUESTS && !status.is_server_error() {
                    return Outcome::Rejected(format!("push service answered {status}"));
                }
                (
                    retry_after(&response_headers),
                    format!("push service answered {status}"),
                )
            }
            Err(e) => (None, format!("push service unreachable: {e}")),
        };
        if attempt >= settings.max_attempts {
            return Outcome::Failed(failure);
        }
        let backoff = Duration::from_millis(
            settings
                .retry_base_ms
                .saturating_mul(1 << (attempt - 1).min(16)),
        );
        let delay = retry_after.map_or(backoff, |r| r.max(backoff));
        tracing::debug!(attempt, ?delay, failure, "push: retrying");
        tokio::time::sleep(delay.min(MAX_RETRY_DELAY)).await;
        attempt += 1;
    }
}

/// One POST, within `timeout_seconds`; the answer's status and headers (its body is read and
/// dropped so that the connection can be reused).
async fn post(
    client: &PushClient,
    settings: &PushConfig,
    endpoint: &str,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, HeaderMap), String> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(endpoint)
        .body(Full::new(body))
        .map_err(|e| format!("invalid request: {e}"))?;
    request.headers_mut().extend(headers.clone());
    let exchange = async {
        let response = client.request(request).await.map_err(|e| causes(&e))?;
        let (parts, body) = response.into_parts();
        let _ = Limited::new(body, MAX_RESPONSE_BYTES).collect().await;
        Ok((parts.status, parts.headers))
    };
    let limit = Duration::from_secs(settings.timeout_seconds);
    tokio::time::timeout(limit, exchange)
        .await
        .map_err(|_| format!("no answer within {limit:?}"))?
}

/// An error with its causes, on one line (hyper's own message is only "client error").
fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn request_headers(
    settings: &PushConfig,
    authorization: &str,
    message: &Message,
) -> Result<HeaderMap, header::InvalidHeaderValue> {
    let mut headers = HeaderMap::new();
    headers.insert("ttl", HeaderValue::from(settings.ttl_seconds));
    headers.insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static("aes128gcm"),
    );
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(header::AUTHORIZATION, HeaderValue::from_str(authorization)?);
    headers.insert(
        header::USER_AGENT,
        HeaderValue::from_static(concat!("parvis-server/", env!("CARGO_PKG_VERSION"))),
    );
    headers.insert(
        "urgency",
        HeaderValue::from_static(message.urgency.as_str()),
    );
    if let Some(topic) = &message.topic {
        headers.insert("topic", HeaderValue::from_str(topic)?);
    }
    Ok(headers)
}

/// `Retry-After` in seconds (the HTTP-date form is ignored: the backoff applies then).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_for_shape() {
        let point = format!("B{}", "A".repeat(86));
        // 65 bytes starting with 0x04 but not on the curve.
        assert!(parse_p256dh(&point).is_none());
        assert!(parse_p256dh("not base64!").is_none());
        assert!(parse_auth(&URL_SAFE_NO_PAD.encode([1u8; 16])).is_some());
        assert!(parse_auth(&format!("{}==", URL_SAFE_NO_PAD.encode([1u8; 16]))).is_some());
        assert!(parse_auth(&URL_SAFE_NO_PAD.encode([1u8; 15])).is_none());
    }

    #[test]
    fn retry_after_seconds_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
