//! Web Push in the browser: support, permission, and the `PushManager` subscription.

use parvis_core::push::PushKeys;
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{NotificationPermission, PushManager, PushSubscriptionOptionsInit};

/// What this browser can do about notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Push and notifications are available.
    Available,
    /// An iPhone or iPad browsing in Safari: push needs the app on the Home Screen first.
    NeedsHomeScreen,
    /// No Push API (old browser, insecure context).
    Unsupported,
}

/// Why subscribing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushError {
    /// The resident (or the browser's settings) refused notifications.
    Denied,
    /// The browser or its push service failed.
    Failed(String),
}

/// A browser subscription, as `PushSubscription.toJSON()` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BrowserSubscription {
    pub endpoint: String,
    pub keys: PushKeys,
}

fn has(target: &wasm_bindgen::JsValue, name: &str) -> bool {
    js_sys::Reflect::has(target, &name.into()).unwrap_or(false)
}

fn is_standalone() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let media = window
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    // Safari's own flag for Home Screen apps.
    let safari = js_sys::Reflect::get(&window.navigator(), &"standalone".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    media || safari
}

/// What the browser supports, checked without asking anything.
pub fn support() -> Support {
    let Some(window) = web_sys::window() else {
        return Support::Unsupported;
    };
    let user_agent = window.navigator().user_agent().unwrap_or_default();
    let ios = user_agent.contains("iPhone") || user_agent.contains("iPad");
    let available = has(&window, "PushManager")
        && has(&window, "Notification")
        && has(&window.navigator(), "serviceWorker");
    match (ios, is_standalone(), available) {
        // iOS exposes push only to Home Screen apps (16.4+).
        (true, false, _) => Support::NeedsHomeScreen,
        (_, _, true) => Support::Available,
        _ => Support::Unsupported,
    }
}

/// Whether notifications are already blocked for this site.
pub fn is_denied() -> bool {
    support() == Support::Available
        && web_sys::Notification::permission() == NotificationPermission::Denied
}

async fn push_manager() -> Result<PushManager, PushError> {
    let window = web_sys::window().ok_or_else(|| PushError::Failed("no window".into()))?;
    let ready = window
        .navigator()
        .service_worker()
        .ready()
        .map_err(|e| PushError::Failed(format!("{e:?}")))?;
    let registration = JsFuture::from(ready)
        .await
        .map_err(|e| PushError::Failed(format!("{e:?}")))?;
    let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
    registration
        .push_manager()
        .map_err(|e| PushError::Failed(format!("{e:?}")))
}

/// Asks permission (only now, after the resident turned the switch on) and subscribes with
/// the server's VAPID key.
pub async fn subscribe(vapid_public_key: &str) -> Result<BrowserSubscription, PushError> {
    let permission = web_sys::Notification::request_permission()
        .map_err(|e| PushError::Failed(format!("{e:?}")))?;
    let permission = JsFuture::from(permission)
        .await
        .map_err(|e| PushError::Failed(format!("{e:?}")))?;
    if permission.as_string().as_deref() != Some("granted") {
        return Err(PushError::Denied);
    }
    let manager = push_manager().await?;
    let options = PushSubscriptionOptionsInit::new();
    options.set_user_visible_only(true);
    options.set_application_server_key(&vapid_public_key.into());
    let subscription = manager
        .subscribe_with_options(&options)
        .map_err(|e| PushError::Failed(format!("{e:?}")))?;
    let subscription = JsFuture::from(subscription)
        .await
        .map_err(|e| PushError::Failed(format!("{e:?}")))?;
    let json =
        js_sys::JSON::stringify(&subscription).map_err(|e| PushError::Failed(format!("{e:?}")))?;
    serde_json::from_str(&String::from(json)).map_err(|e| PushError::Failed(e.to_string()))
}

/// Ends the browser's subscription, if there is one.
pub async fn unsubscribe() -> Result<(), PushError> {
    let manager = push_manager().await?;
    let current = manager
        .get_subscription()
        .map_err(|e| PushError::Failed(format!("{e:?}")))?;
    let current = JsFuture::from(current)
        .await
        .map_err(|e| PushError::Failed(format!("{e:?}")))?;
    if let Ok(subscription) = current.dyn_into::<web_sys::PushSubscription>() {
        let done = subscription
            .unsubscribe()
            .map_err(|e| PushError::Failed(format!("{e:?}")))?;
        JsFuture::from(done)
            .await
            .map_err(|e| PushError::Failed(format!("{e:?}")))?;
    }
    Ok(())
}
