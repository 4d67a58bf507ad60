//! Security headers sent with every response, API and app alike. The CSP allows WebAssembly
//! (`'wasm-unsafe-eval'`) and the map tiles' origin (as images, and as fetches of the service
//! worker, which keeps the tiles seen for offline use), and no inline script or style.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

use crate::config::{Config, tile_origin};

/// The headers, built once from the configuration.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    headers: Arc<Vec<(HeaderName, HeaderValue)>>,
}

impl SecurityHeaders {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let tiles = tile_origin(&config.commune.tile_url)
            .map_err(|e| anyhow::anyhow!("commune.tile_url: {e}"))?;
        let csp = content_security_policy(&tiles);
        let headers = vec![
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(&csp)?,
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            ),
            (
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static(
                    "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()",
                ),
            ),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            ),
        ];
        Ok(Self {
            headers: Arc::new(headers),
        })
    }
}

/// The Content-Security-Policy, with the tile server allowed for images.
pub fn content_security_policy(tile_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob: {tile_origin}; connect-src 'self' {tile_origin}; font-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Middleware (`map_response_with_state`): adds the headers to a response.
pub async fn apply(State(security): State<SecurityHeaders>, mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in security.headers.iter() {
        headers.insert(name, value.clone());
    }
    response
}
