//! Typed HTTP client of the Parvis server: the only code that talks to the network.

use gloo_net::http::{Request, Response};
use parvis_core::push::{NewPushSubscription, PushSubscription, PushThemes, VapidPublicKey};
use parvis_core::{API_PREFIX, Problem};
use serde::de::DeserializeOwned;

/// Why a call to the server failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// No answer: offline, DNS, connection reset, CORS…
    #[error("le serveur est injoignable ({0})")]
    Network(String),
    /// The server answered with an error, described by its problem+json document.
    #[error("le serveur a refusé la demande ({status})")]
    Api {
        status: u16,
        problem: Option<Problem>,
        /// How long the server asked to wait before trying again (`Retry-After`), in seconds.
        retry_after_s: Option<u32>,
    },
    /// The server answered 2xx with a body this app version cannot read.
    #[error("réponse illisible du serveur ({0})")]
    Decode(String),
}

impl Error {
    /// Whether trying again later may succeed (network trouble or a server-side failure).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Network(_) => true,
            Error::Api { status, .. } => *status >= 500 || *status == 429,
            Error::Decode(_) => false,
        }
    }

    /// How long the server asked to wait before trying again, in ms (`Retry-After`).
    pub fn retry_after_ms(&self) -> Option<f64> {
        match self {
            Error::Api {
                retry_after_s: Some(s),
                ..
            } => Some(f64::from(*s) * 1000.0),
            _ => None,
        }
    }

    /// The server's French explanation, when it gave one.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Error::Api {
                problem: Some(p), ..
            } => p.detail.as_deref(),
            _ => None,
        }
    }
}

async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, Error> {
    let text = get_text(&format!("{API_PREFIX}{path}")).await?;
    serde_json::from_str(&text).map_err(|e| Error::Decode(e.to_string()))
}

/// GET returning the body as text, or the error; shared by every typed call (one copy of the
/// HTTP code in the Wasm).
async fn get_text(url: &str) -> Result<String, Error> {
    let response = Request::get(url)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| Error::Network(e.to_string()))?;
    body_text(response).await
}

async fn body_text(response: Response) -> Result<String, Error> {
    if !response.ok() {
        // A problem document is best effort: a proxy may answer with HTML.
        let problem = response
            .text()
            .await
            .ok()
            .and_then(|t| serde_json::from_str::<Problem>(&t).ok());
        return Err(refused(&response, problem));
    }
    response
        .text()
        .await
        .map_err(|e| Error::Decode(e.to_string()))
}

/// The error for a response that is not a 2xx: its status, `problem` when the caller read
/// one, and the wait the server asked for.
fn refused(response: &Response, problem: Option<Problem>) -> Error {
    Error::Api {
        status: response.status(),
        problem,
        retry_after_s: response
            .headers()
            .get("retry-after")
            .and_then(|v| retry_after_seconds(&v)),
    }
}

/// A `Retry-After` value as seconds. Its other form, an HTTP date, is read as absent (our
/// server, like most, sends seconds; the back-off then applies).
pub fn retry_after_seconds(value: &str) -> Option<u32> {
    value.trim().parse().ok()
}

/// The commune's logo: its content type and bytes (kept on the device for offline use).
pub async fn fetch_logo(url: &str) -> Result<(String, Vec<u8>), Error> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| Error::Network(e.to_string()))?;
    if !response.ok() {
        return Err(refused(&response, None));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .unwrap_or_else(|| "image/svg+xml".to_owned());
    let bytes = response
        .binary()
        .await
        .map_err(|e| Error::Decode(e.to_string()))?;
    Ok((content_type, bytes))
}

fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

async fn send_json<B: serde::Serialize, T: DeserializeOwned>(
    method: &'static str,
    path: &str,
    body: &B,
) -> Result<T, Error> {
    let body = serde_json::to_string(body).map_err(|e| Error::Decode(e.to_string()))?;
    let text = send_text(method, &format!("{API_PREFIX}{path}"), body).await?;
    serde_json::from_str(&text).map_err(|e| Error::Decode(e.to_string()))
}

async fn send_text(method: &'static str, url: &str, body: String) -> Result<String, Error> {
    let builder = match method {
        "POST" => Request::post(url),
        _ => Request::put(url),
    };
    answer(
        builder
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .body(body),
    )
    .await
}

/// Sends a request and returns its 2xx body as text, or the error (one copy of the mapping
/// for every call that sends a body).
async fn answer(request: Result<Request, gloo_net::Error>) -> Result<String, Error> {
    let response = request
        .map_err(|e| Error::Decode(e.to_string()))?
        .send()
        .await
        .map_err(|e| Error::Network(e.to_string()))?;
    body_text(response).await
}

/// The server's VAPID public key, for `pushManager.subscribe`.
pub async fn fetch_push_key() -> Result<VapidPublicKey, Error> {
    get_json("/push/key").await
}

/// Registers (or updates) this browser's push subscription with its themes.
pub async fn subscribe_push(subscription: &NewPushSubscription) -> Result<PushSubscription, Error> {
    send_json("POST", "/push/subscriptions", subscription).await
}

/// Changes the themes of an existing push subscription.
pub async fn update_push_themes(id: &str, themes: &PushThemes) -> Result<PushSubscription, Error> {
    send_json(
        "PUT",
        &format!("/push/subscriptions/{}", encode(id)),
        themes,
    )
    .await
}

/// Removes a push subscription; an unknown one counts as removed.
pub async fn unsubscribe_push(id: &str) -> Result<(), Error> {
    let response = Request::delete(&format!("{API_PREFIX}/push/subscriptions/{}", encode(id)))
        .send()
        .await
        .map_err(|e| Error::Network(e.to_string()))?;
    if response.ok() || response.status() == 404 {
        Ok(())
    } else {
        body_text(response).await.map(|_| ())
    }
}

/// Fetches a same-origin resource so the service worker keeps it for offline use; the body is
/// not needed here.
pub async fn warm(url: &str) -> Result<(), Error> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| Error::Network(e.to_string()))?;
    if response.ok() {
        Ok(())
    } else {
        Err(refused(&response, None))
    }
}

/// Where "Ajouter à mon agenda" downloads one event.
pub fn event_ics_url(id: i64) -> String {
    format!("{API_PREFIX}/events/{id}.ics")
}

/// The JSON text of a GET under the API prefix, unparsed: the app keeps server documents
/// as they came (validated, then stored), which spares the Wasm a serializer per type.
pub async fn fetch_json_text(path: &str) -> Result<String, Error> {
    get_text(&format!("{API_PREFIX}{path}")).await
}

/// The path of one page of a synced collection (`news`, `events`, `facilities`): `limit`
/// items, from `from` (events), changed after `since` (a sync token), continuing at `cursor`.
pub fn page_path(
    collection: &str,
    limit: u32,
    from: Option<&str>,
    since: Option<&str>,
    cursor: Option<&str>,
) -> String {
    let mut path = format!("/{collection}?limit={limit}");
    for (name, value) in [("from", from), ("since", since), ("cursor", cursor)] {
        if let Some(value) = value {
            path.push_str(&format!("&{name}={}", encode(value)));
        }
    }
    path
}

/// Sends a queued report: the multipart body the server reads (`report` as JSON, then each
/// `photo`), with the outbox key as `Idempotency-Key`, so a retry after a lost answer gets the
/// same receipt instead of a second report.
pub async fn post_report(
    key: &str,
    report_json: &str,
    photos: &[web_sys::Blob],
) -> Result<parvis_core::reports::ReportReceipt, Error> {
    let form = web_sys::FormData::new().map_err(|e| Error::Decode(format!("{e:?}")))?;
    let _ = form.append_with_str("report", report_json);
    for (i, photo) in photos.iter().enumerate() {
        let _ = form.append_with_blob_and_filename("photo", photo, &format!("photo-{}.jpg", i + 1));
    }
    let text = answer(
        Request::post(&format!("{API_PREFIX}/reports"))
            .header("Accept", "application/json")
            .header("Idempotency-Key", key)
            .body(form),
    )
    .await?;
    serde_json::from_str(&text).map_err(|e| Error::Decode(e.to_string()))
}

/// The latest status and history of followed reports (`[{id, token}]` as JSON).
pub async fn report_statuses(
    trackers: &[parvis_core::reports::ReportTracker],
) -> Result<parvis_core::reports::ReportStatuses, Error> {
    send_json("POST", "/reports/status", &trackers).await
}

/// Open reports of `category` within 250 m of `place`, nearest first.
pub async fn nearby_reports(
    category: &str,
    place: parvis_core::LatLon,
) -> Result<Vec<parvis_core::reports::NearbyReport>, Error> {
    get_json(&format!(
        "/reports/nearby?category={}&lat={}&lon={}",
        encode(category),
        place.lat,
        place.lon
    ))
    .await
}

/// « Moi aussi »: supports someone else's report, once per device whatever the retries.
pub async fn support_report(
    id: i64,
    key: &str,
    device_id: &str,
) -> Result<parvis_core::reports::SupportReceipt, Error> {
    let support = parvis_core::reports::NewSupport {
        device_id: Some(device_id.to_owned()),
    };
    let body = serde_json::to_string(&support).map_err(|e| Error::Decode(e.to_string()))?;
    let text = answer(
        Request::post(&format!("{API_PREFIX}/reports/{id}/support"))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .body(body),
    )
    .await?;
    serde_json::from_str(&text).map_err(|e| Error::Decode(e.to_string()))
}
