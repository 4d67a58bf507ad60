//! Serving the built PWA: precompressed files, long caching for content-hashed names and
//! revalidation for the rest, `index.html` for the app's own routes, and the manifest patched
//! with the commune's identity.

use std::path::Path;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::conditional::{self, NO_CACHE};
use crate::error::AppError;
use crate::security_headers::InlineScripts;
use crate::state::AppState;

/// Cache policy of files whose name carries a content hash: they never change.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Media type of the Web App Manifest.
pub const MANIFEST_TYPE: &str = "application/manifest+json";

/// Shown when `app_dir` has no `index.html` (the PWA was not built).
const NOT_BUILT_PAGE: &str = "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Parvis — application non construite</title></head><body>\
<h1>L’application n’est pas construite</h1>\
<p>Le serveur fonctionne, mais il ne trouve pas l’application (index.html) dans son dossier \
<code>server.app_dir</code>. Construisez-la avec <code>cargo xtask build-app</code>, \
ou indiquez le bon dossier dans la configuration.</p></body></html>\n";

/// Fallback of the router: a file of the app, or `index.html` for the app's own routes.
pub async fn serve_app(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    // The server's own paths: a miss there is a 404, never the app.
    if ["/api", "/media"]
        .iter()
        .any(|p| path == *p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
    {
        return AppError::NotFound.into_response();
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = AppError::MethodNotAllowed.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let app_dir = state.app_dir.as_path();
    let served = ServeDir::new(app_dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
        .oneshot(request_parts_clone(&request))
        .await;
    let response = match served {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() != StatusCode::NOT_FOUND {
        let response = with_cache_policy(response, &path);
        // The app's one page, asked for by name (the service worker's precache) or as `/`.
        if path == "/" || path == "/index.html" {
            return with_inline_scripts(response, &app_dir.join("index.html")).await;
        }
        return response;
    }
    if has_extension(&path) {
        return AppError::NotFound.into_response();
    }
    serve_index(app_dir, request).await
}

/// `index.html` for an app route (the PWA routes on the client), or the 503 page if not built.
async fn serve_index(app_dir: &Path, request: Request) -> Response {
    let index = app_dir.join("index.html");
    if !index.is_file() {
        return not_built();
    }
    let served = ServeFile::new(&index)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(request)
        .await;
    let response = match served {
        Ok(response) => with_cache_policy(response.map(Body::new), "/index.html"),
        Err(never) => match never {},
    };
    with_inline_scripts(response, &index).await
}

/// Gives an HTML page's response the hashes of its inline scripts, which the CSP then allows
/// (`security_headers::apply`). Read from the file at each request (a few KB), so a rebuilt app
/// is served with its own hashes without a restart.
async fn with_inline_scripts(mut response: Response, file: &Path) -> Response {
    if let Ok(html) = tokio::fs::read_to_string(file).await {
        // None at all: `apply` keeps the policy every other response gets.
        response.extensions_mut().insert(InlineScripts::of(&html));
    }
    response
}

fn not_built() -> Response {
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, NOT_BUILT_PAGE).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /manifest.json`: the build's manifest with the commune's name, colour and language.
pub async fn get_manifest(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let file = state.app_dir.join("manifest.json");
    let raw = match tokio::fs::read(&file).await {
        Ok(raw) => raw,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(AppError::NotFound),
        Err(e) => {
            return Err(anyhow::Error::new(e)
                .context("reading manifest.json")
                .into());
        }
    };
    let mut manifest: Value = serde_json::from_slice(&raw)
        .map_err(|e| anyhow::Error::new(e).context("manifest.json is not valid JSON"))?;
    let commune = &state.config.commune;
    let object = manifest
        .as_object_mut()
        .ok_or_else(|| anyhow::anyhow!("manifest.json is not a JSON object"))?;
    object.insert("name".into(), format!("Parvis — {}", commune.name).into());
    object.insert("short_name".into(), commune.short_name.clone().into());
    object.insert(
        "theme_color".into(),
        commune.colors.primary.to_string().into(),
    );
    object.insert("lang".into(), commune.default_locale.tag().into());
    let body = serde_json::to_vec_pretty(&manifest).map_err(anyhow::Error::new)?;
    let etag = conditional::etag_of(&body);
    Ok(conditional::respond(&headers, body, &etag, MANIFEST_TYPE))
}

/// A bodiless copy of the request for a first try with `ServeDir` (its body is never read).
fn request_parts_clone(request: &Request) -> Request {
    let mut copy = Request::new(Body::empty());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// Sets `Cache-Control` (immutable for hashed names, revalidate otherwise) and `Vary`.
fn with_cache_policy(mut response: Response, path: &str) -> Response {
    let ok = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let policy = if ok && is_content_hashed(file_name(path)) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    if ok && !headers.contains_key(header::VARY) {
        // The same URL may be answered with its .br or .gz sibling.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or_default()
}

/// Whether the last segment of a path has an extension (`/app.js`, not `/agenda`).
fn has_extension(path: &str) -> bool {
    file_name(path).contains('.')
}

/// Trunk writes its 64-bit hash in hex without leading zeros (`{:x}`): 16 digits, 15 in one
/// build out of 16 (`parvis-7ac462643ea590e.js`), fewer more rarely; 12 or more in all but one
/// build in 65,536, and no name of ours has such a run otherwise.
const MIN_HASH_DIGITS: usize = 12;

/// Whether a file name carries a content hash: a `-` followed by at least
/// [`MIN_HASH_DIGITS`] hex digits and then the end of the stem (`.`, `_`, end), as Trunk writes
/// them (`parvis-1a2b…_bg.wasm`).
pub fn is_content_hashed(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'-')
        .any(|(i, _)| {
            let run = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            let after = bytes.get(i + 1 + run);
            run >= MIN_HASH_DIGITS && after.is_none_or(|b| !b.is_ascii_alphanumeric())
        })
}

/// Logs a warning at start-up if the app is missing, so an operator sees it at once.
pub fn warn_if_not_built(app_dir: &Path) {
    if !app_dir.join("index.html").is_file() {
        tracing::warn!(
            app_dir = %app_dir.display(),
            "no index.html in server.app_dir: the app is not built (cargo xtask build-app); \
             app pages will answer 503"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_content_hashed("parvis-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_content_hashed("main-0123456789abcdef.css"));
        assert!(is_content_hashed("app-0123456789ABCDEF0123.js"));
        assert!(!is_content_hashed("index.html"));
        assert!(!is_content_hashed("sw.js"));
        assert!(!is_content_hashed("icon-192.png"));
        // Trunk drops the hash's leading zeros: 15 digits came out of a real build.
        assert!(is_content_hashed("parvis-7ac462643ea590e_bg.wasm"));
        assert!(is_content_hashed("parvis-7ac462643ea590e.js"));
        assert!(
            !is_content_hashed("main-0123456789a.css"),
            "11 digits are not a hash"
        );
        assert!(
            !is_content_hashed("x-0123456789abcdefg.js"),
            "the run must end the stem"
        );
    }

    #[test]
    fn app_routes_have_no_extension() {
        assert!(!has_extension("/agenda"));
        assert!(!has_extension("/"));
        assert!(!has_extension("/v1.2/agenda"));
        assert!(has_extension("/missing.js"));
    }
}
