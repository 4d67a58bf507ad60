//! `/api/v1/push/…`: the VAPID public key, and subscribing, changing themes, unsubscribing.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{SecondsFormat, Utc};
use parvis_core::news::is_valid_slug;
use parvis_core::push::{NewPushSubscription, PushSubscription, PushThemes, VapidPublicKey};
use sha2::{Digest, Sha256};
use url::Url;

use crate::db;
use crate::db::push::StoredSubscription;
use crate::error::{ApiJson, AppError};
use crate::push::sender::{parse_auth, parse_p256dh};
use crate::state::AppState;

/// Longest endpoint accepted (push services use well under 1,000 characters).
const MAX_ENDPOINT_LEN: usize = 2048;

/// The most themes one subscription may follow.
const MAX_THEMES: usize = 100;

/// The server's VAPID public key, the `applicationServerKey` of `pushManager.subscribe()`.
#[utoipa::path(
    get,
    path = "/api/v1/push/key",
    tag = "push",
    responses((status = 200, description = "The VAPID public key", body = VapidPublicKey))
)]
pub async fn get_push_key(State(state): State<AppState>) -> Json<VapidPublicKey> {
    Json(VapidPublicKey {
        public_key: state.push.public_key().to_owned(),
    })
}

/// Subscribes a browser to the notifications of some themes. Idempotent on `endpoint`: the
/// same endpoint again updates its keys and themes (200) instead of adding one (201).
#[utoipa::path(
    post,
    path = "/api/v1/push/subscriptions",
    tag = "push",
    request_body = NewPushSubscription,
    responses(
        (status = 201, description = "Subscribed", body = PushSubscription),
        (status = 200, description = "Already subscribed: keys and themes updated", body = PushSubscription),
        (status = 422, description = "Invalid endpoint, keys or themes", body = parvis_core::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_push_subscription(
    State(state): State<AppState>,
    ApiJson(new): ApiJson<NewPushSubscription>,
) -> Result<(StatusCode, Json<PushSubscription>), AppError> {
    let endpoint = check_endpoint(&new.endpoint)?;
    if parse_p256dh(&new.keys.p256dh).is_none() {
        return Err(AppError::Validation(
            "La clé « p256dh » de l’abonnement n’est pas une clé publique P-256 valide \
             (65 octets en base64url)."
                .into(),
        ));
    }
    if parse_auth(&new.keys.auth).is_none() {
        return Err(AppError::Validation(
            "Le secret « auth » de l’abonnement doit faire 16 octets (en base64url).".into(),
        ));
    }
    let themes = check_themes(&state, new.themes).await?;
    let stored = StoredSubscription {
        id: subscription_id(&endpoint),
        endpoint,
        p256dh: new.keys.p256dh,
        auth: new.keys.auth,
    };
    let created = db::push::upsert_subscription(
        &state.db,
        &stored,
        new.locale.map(|l| l.tag()),
        &themes,
        &now(),
    )
    .await
    .map_err(anyhow::Error::from)?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(PushSubscription {
            id: stored.id,
            themes,
        }),
    ))
}

/// Changes the themes a subscription is notified of.
#[utoipa::path(
    put,
    path = "/api/v1/push/subscriptions/{id}",
    tag = "push",
    params(("id" = String, Path, description = "The subscription's id")),
    request_body = PushThemes,
    responses(
        (status = 200, description = "Themes changed", body = PushSubscription),
        (status = 404, description = "No such subscription", body = parvis_core::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No theme, or an unknown one", body = parvis_core::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_push_subscription(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PushThemes>,
) -> Result<Json<PushSubscription>, AppError> {
    let themes = check_themes(&state, body.themes).await?;
    let found = db::push::set_themes(&state.db, &id, &themes, &now())
        .await
        .map_err(anyhow::Error::from)?;
    if !found {
        return Err(subscription_not_found());
    }
    Ok(Json(PushSubscription { id, themes }))
}

/// Unsubscribes: no notification is sent to this endpoint any more.
#[utoipa::path(
    delete,
    path = "/api/v1/push/subscriptions/{id}",
    tag = "push",
    params(("id" = String, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Unsubscribed"),
        (status = 404, description = "No such subscription", body = parvis_core::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_push_subscription(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let deleted = db::push::delete_subscription(&state.db, &id)
        .await
        .map_err(anyhow::Error::from)?;
    if deleted {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(subscription_not_found())
    }
}

/// The id of the subscription of `endpoint`: base64url of its SHA-256, 22 characters (132
/// bits), stable so that the app can compute nothing and still find it again.
pub fn subscription_id(endpoint: &str) -> String {
    let digest = Sha256::digest(endpoint.as_bytes());
    let mut id = URL_SAFE_NO_PAD.encode(digest.as_slice());
    id.truncate(22);
    id
}

fn subscription_not_found() -> AppError {
    AppError::NotFound
}

/// The endpoint, if it is an absolute https URL (http only for this machine, for tests and
/// local push services).
fn check_endpoint(endpoint: &str) -> Result<String, AppError> {
    let invalid = || {
        AppError::Validation(
            "L’adresse de l’abonnement (« endpoint ») doit être une URL https complète.".into(),
        )
    };
    if endpoint.len() > MAX_ENDPOINT_LEN {
        return Err(invalid());
    }
    let url = Url::parse(endpoint).map_err(|_| invalid())?;
    let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && local);
    if !scheme_ok || url.host_str().is_none_or(str::is_empty) || !url.username().is_empty() {
        return Err(invalid());
    }
    Ok(endpoint.to_owned())
}

/// The themes, without duplicates and sorted, if there is at least one and all exist.
async fn check_themes(state: &AppState, themes: Vec<String>) -> Result<Vec<String>, AppError> {
    let mut themes = themes;
    themes.sort();
    themes.dedup();
    if themes.is_empty() {
        return Err(AppError::Validation(
            "Choisissez au moins un thème pour recevoir des notifications.".into(),
        ));
    }
    if themes.len() > MAX_THEMES {
        return Err(AppError::Validation("Trop de thèmes choisis.".into()));
    }
    let mut unknown: Vec<String> = themes
        .iter()
        .filter(|t| !is_valid_slug(t))
        .cloned()
        .collect();
    if unknown.is_empty() {
        unknown = db::push::unknown_themes(&state.db, &themes)
            .await
            .map_err(anyhow::Error::from)?;
    }
    match unknown.as_slice() {
        [] => Ok(themes),
        [one] => Err(AppError::Validation(format!(
            "Le thème « {one} » n’existe pas."
        ))),
        many => Err(AppError::Validation(format!(
            "Ces thèmes n’existent pas : {}.",
            many.iter()
                .map(|t| format!("« {t} »"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// With milliseconds: a subscription's `created_at` is compared with articles' (see
/// `db::push::recipients`), and a test subscribes and publishes within one second.
fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_22_url_safe_characters_and_stable() {
        let id = subscription_id("https://push.example/abc");
        assert_eq!(id.len(), 22);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(id, subscription_id("https://push.example/abc"));
        assert_ne!(id, subscription_id("https://push.example/abd"));
    }

    #[test]
    fn endpoints_must_be_https_except_on_this_machine() {
        for ok in [
            "https://fcm.googleapis.com/fcm/send/abc",
            "http://127.0.0.1:1234/push/1",
            "http://localhost/x",
        ] {
            assert!(check_endpoint(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "fcm.googleapis.com/x",
            "http://push.example/x",
            "ftp://push.example/x",
            "https://user:pw@push.example/x",
            "/relative",
            &format!("https://push.example/{}", "x".repeat(3000)),
        ] {
            assert!(check_endpoint(bad).is_err(), "{bad}");
        }
    }
}
