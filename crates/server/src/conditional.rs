//! Strong ETags and conditional GET (`If-None-Match` → 304) for documents the server builds.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};

/// Cache policy of documents that may change with the configuration or a new build.
pub const NO_CACHE: &str = "no-cache";

/// A strong ETag: the first 128 bits of the SHA-256 of the body, quoted.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether the client's `If-None-Match` already names this ETag (weak comparison, RFC 9110).
pub fn is_fresh(request_headers: &HeaderMap, etag: &str) -> bool {
    request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .any(|value| {
            value.to_str().is_ok_and(|v| {
                v.split(',')
                    .map(str::trim)
                    .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
            })
        })
}

/// A cacheable document: 304 when the client has it, else 200 with the body.
pub fn respond(
    request_headers: &HeaderMap,
    body: impl Into<Body>,
    etag: &str,
    content_type: &'static str,
) -> Response {
    let fresh = is_fresh(request_headers, etag);
    let mut response = if fresh {
        Response::new(Body::empty())
    } else {
        Response::new(body.into())
    };
    if fresh {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
    }
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
    if !fresh {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_are_understood() {
        let etag = etag_of(b"hello");
        assert_eq!(etag.len(), 34);
        let mut headers = HeaderMap::new();
        assert!(!is_fresh(&headers, &etag));
        let list = format!("\"other\", W/{etag}");
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&list).expect("header"),
        );
        assert!(is_fresh(&headers, &etag));
        assert!(!is_fresh(&headers, &etag_of(b"world")));
    }
}
