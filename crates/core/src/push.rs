//! Web Push subscriptions (`/api/v1/push/…`) and the notification payload the server sends.
//!
//! The payload uses the declarative Web Push shape (`{"web_push": 8030, "notification": …}`)
//! that Safari 18.4+ shows without running a service worker; other browsers hand it to the
//! app's service worker, which shows the same notification.

use serde::{Deserialize, Serialize};

use crate::Locale;

/// The server's VAPID public key (`GET /api/v1/push/key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VapidPublicKey {
    /// Uncompressed P-256 point, base64url without padding: `applicationServerKey`.
    pub public_key: String,
}

/// The browser's `PushSubscription.toJSON().keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushKeys {
    /// The subscription's P-256 public key, base64url.
    pub p256dh: String,
    /// The 16-byte authentication secret, base64url.
    pub auth: String,
}

/// `POST /api/v1/push/subscriptions`: subscribe (idempotent on `endpoint`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPushSubscription {
    /// The push service URL (https).
    pub endpoint: String,
    pub keys: PushKeys,
    /// Slugs of the themes to be notified of (at least one).
    pub themes: Vec<String>,
    /// Language of the notifications; the commune's default when absent.
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// `PUT /api/v1/push/subscriptions/{id}`: change the followed themes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushThemes {
    pub themes: Vec<String>,
}

/// What the server answers to a subscription or a change of themes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscription {
    /// Opaque identifier for `PUT`/`DELETE` (derived from the endpoint, so stable).
    pub id: String,
    pub themes: Vec<String>,
}

/// The magic number of declarative Web Push messages.
pub const DECLARATIVE_WEB_PUSH: u16 = 8030;

/// The encrypted message's plaintext (`{"web_push": 8030, "notification": …}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushMessage {
    pub web_push: u16,
    pub notification: PushNotification,
}

/// A notification as the declarative Web Push format describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushNotification {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Absolute URL opened when the notification is activated.
    pub navigate: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Replaces an earlier notification with the same tag (`article-<id>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}
