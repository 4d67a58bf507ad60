//! Security headers sent with every response, API and app alike. The CSP allows WebAssembly
//! (`'wasm-unsafe-eval'`) and the map tiles' origin (as images, and as fetches of the service
//! worker, which keeps the tiles seen for offline use), no inline style, and no inline script
//! but those of the page being served, each by the hash of its exact text.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::config::{Config, tile_origin};

/// The headers, built once from the configuration.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    headers: Arc<Vec<(HeaderName, HeaderValue)>>,
    tile_origin: Arc<str>,
}

/// The inline scripts of the HTML page a response carries, as CSP sources (`'sha256-…'`): a
/// response extension set by the handler that serves the page (the app's `index.html`, where
/// the build inlines the script that paints the saved screen before any file arrives).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InlineScripts(pub Vec<String>);

impl InlineScripts {
    /// The hash of each `<script>` element of `html` that has no `src`, over its exact text.
    pub fn of(html: &str) -> Self {
        let mut sources = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find("<script") {
            let Some(tag_len) = rest[start..].find('>') else {
                break;
            };
            let body_start = start + tag_len + 1;
            let Some(body_len) = rest[body_start..].find("</script") else {
                break;
            };
            let tag = &rest[start..body_start];
            let body = &rest[body_start..body_start + body_len];
            if !tag.contains(" src=") && !body.is_empty() {
                let digest = Sha256::digest(body.as_bytes());
                sources.push(format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                ));
            }
            rest = &rest[body_start + body_len..];
        }
        Self(sources)
    }
}

impl SecurityHeaders {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let tiles = tile_origin(&config.commune.tile_url)
            .map_err(|e| anyhow::anyhow!("commune.tile_url: {e}"))?;
        let csp = content_security_policy(&tiles, &[]);
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
            tile_origin: tiles.into(),
        })
    }
}

/// The Content-Security-Policy, with the tile server allowed for images and the page's own
/// inline scripts (`InlineScripts`) allowed by hash.
pub fn content_security_policy(tile_origin: &str, inline_scripts: &[String]) -> String {
    let scripts: String = inline_scripts.iter().map(|s| format!(" {s}")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'; \
         img-src 'self' data: blob: {tile_origin}; connect-src 'self' {tile_origin}; font-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Middleware (`map_response_with_state`): adds the headers to a response.
pub async fn apply(State(security): State<SecurityHeaders>, mut response: Response) -> Response {
    let page_csp = response
        .extensions()
        .get::<InlineScripts>()
        .filter(|scripts| !scripts.0.is_empty())
        .map(|scripts| content_security_policy(&security.tile_origin, &scripts.0))
        .and_then(|csp| HeaderValue::from_str(&csp).ok());
    let headers = response.headers_mut();
    for (name, value) in security.headers.iter() {
        headers.insert(name, value.clone());
    }
    if let Some(csp) = page_csp {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_over_their_exact_text_and_files_are_not() {
        let html = "<head><script type=\"module\" src=\"/boot.js\"></script></head>\
                    <body><div id=\"boot\"></div><script>paint()</script><script></script></body>";

        // The digest of "paint()", as `openssl dgst -sha256 -binary | base64` gives it.
        assert_eq!(
            InlineScripts::of(html).0,
            ["'sha256-6Z05mR7jGVRSmyHx7iStJaiOybZYZUjxiGbPhYYXh1o='"]
        );
        assert!(
            InlineScripts::of("<p>no script</p><script>unclosed")
                .0
                .is_empty()
        );
    }

    #[test]
    fn the_policy_lists_inline_scripts_after_self() {
        let csp = content_security_policy(
            "https://tiles.example",
            &["'sha256-a'".into(), "'sha256-b'".into()],
        );

        assert!(
            csp.contains(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-a' 'sha256-b'; style-src 'self';"
            ),
            "{csp}"
        );
    }
}
