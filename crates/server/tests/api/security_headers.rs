//! Security headers on every response, API and app alike.

use crate::helpers::{INDEX_SCRIPT_HASH, spawn_app, spawn_app_with};

fn assert_security_headers(response: &reqwest::Response) {
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        csp.contains("img-src 'self' data: blob: https://tile.openstreetmap.org"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    let permissions = headers["permissions-policy"].to_str().expect("ascii");
    assert!(permissions.contains("geolocation=(self)"), "{permissions}");
    assert!(permissions.contains("camera=(self)"), "{permissions}");
    assert!(permissions.contains("microphone=()"), "{permissions}");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cross-origin-opener-policy"], "same-origin");
}

#[tokio::test]
async fn api_app_and_error_responses_carry_the_security_headers() {
    let app = spawn_app().await;

    for path in [
        "/api/v1/health",
        "/api/v1/nope",
        "/",
        "/agenda",
        "/sw.js",
        "/missing.js",
        "/manifest.json",
    ] {
        let response = app.get(path).await;
        assert_security_headers(&response);
    }
}

#[tokio::test]
async fn the_page_allows_its_own_inline_script_by_hash_and_nothing_else_does() {
    let app = spawn_app().await;

    for path in ["/", "/index.html", "/agenda", "/agenda?q=concert"] {
        let response = app.get(path).await;
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .expect("ascii");
        assert!(
            csp.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' {INDEX_SCRIPT_HASH};"
            )),
            "{path}: {csp}"
        );
    }
    for path in ["/api/v1/health", "/sw.js", "/missing.js", "/manifest.json"] {
        let response = app.get(path).await;
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .expect("ascii");
        assert!(!csp.contains("'sha256-"), "{path}: {csp}");
    }
}

#[tokio::test]
async fn tile_subdomains_are_allowed_by_a_wildcard() {
    let app = spawn_app_with(&[(
        "PARVIS_COMMUNE__TILE_URL",
        "https://{s}.tile.osm.org/{z}/{x}/{y}.png",
    )])
    .await;

    let response = app.get("/").await;

    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(
        csp.contains("img-src 'self' data: blob: https://*.tile.osm.org;"),
        "{csp}"
    );
    // The service worker fetches the tiles it keeps for offline use.
    assert!(
        csp.contains("connect-src 'self' https://*.tile.osm.org;"),
        "{csp}"
    );
}

#[tokio::test]
async fn every_response_has_a_request_id() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/health").await;

    assert!(!response.headers()["x-request-id"].is_empty());
}
