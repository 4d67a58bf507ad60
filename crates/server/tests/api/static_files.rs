//! The built PWA: caching by file name, precompressed files, SPA fallback, manifest, 503.

use serde_json::Value;

use crate::helpers::{HASHED_JS, spawn_app, spawn_app_with};

#[tokio::test]
async fn hashed_files_are_cached_for_a_year_and_immutable() {
    let app = spawn_app().await;

    let response = app.get(&format!("/{HASHED_JS}")).await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .contains("javascript")
    );
}

#[tokio::test]
async fn index_and_service_worker_are_revalidated() {
    let app = spawn_app().await;

    for path in ["/", "/index.html", "/sw.js"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
    }
}

#[tokio::test]
async fn a_brotli_sibling_is_served_to_clients_that_accept_it() {
    let app = spawn_app().await;

    let response = app
        .client
        .get(app.url(&format!("/{HASHED_JS}")))
        .header("Accept-Encoding", "br, gzip")
        .send()
        .await
        .expect("request");

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .contains("javascript")
    );
}

#[tokio::test]
async fn app_routes_fall_back_to_index_html() {
    let app = spawn_app().await;

    let response = app.get("/agenda").await;

    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("<title>Parvis</title>")
    );
}

#[tokio::test]
async fn a_missing_file_with_an_extension_is_a_404_not_the_app() {
    let app = spawn_app().await;

    let response = app.get("/missing.js").await;

    assert_eq!(response.status(), 404);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(!content_type.starts_with("text/html"), "{content_type}");
    assert!(
        !response
            .text()
            .await
            .expect("body")
            .contains("<title>Parvis</title>")
    );
}

#[tokio::test]
async fn the_manifest_carries_the_commune_identity() {
    let app = spawn_app_with(&[
        ("PARVIS_COMMUNE__NAME", "Commune-de-Test-sur-Loire"),
        ("PARVIS_COMMUNE__SHORT_NAME", "Test"),
    ])
    .await;

    let response = app.get("/manifest.json").await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/manifest+json"
    );
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let etag = response.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let manifest: Value = response.json().await.expect("manifest JSON");
    assert!(
        manifest["name"]
            .as_str()
            .expect("name")
            .contains("Commune-de-Test-sur-Loire")
    );
    assert_eq!(manifest["short_name"], "Test");
    assert_eq!(manifest["theme_color"], "#1d4e89");
    assert_eq!(manifest["lang"], "fr");
    assert_eq!(
        manifest["display"], "standalone",
        "the rest of the build's manifest is kept"
    );

    let again = app
        .client
        .get(app.url("/manifest.json"))
        .header("If-None-Match", etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn without_a_build_app_pages_answer_503_in_french() {
    let empty = tempfile::tempdir().expect("temp dir");
    let app = spawn_app_with(&[(
        "PARVIS_SERVER__APP_DIR",
        empty.path().to_str().expect("utf-8"),
    )])
    .await;

    for path in ["/", "/agenda"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 503, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("text/html")
        );
        assert!(
            response
                .text()
                .await
                .expect("body")
                .contains("L’application n’est pas construite")
        );
    }
    assert_eq!(
        app.get("/api/v1/health").await.status(),
        200,
        "the API still works"
    );
}
