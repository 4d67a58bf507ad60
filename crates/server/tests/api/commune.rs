//! `GET /api/v1/commune` and its logo.

use parvis_core::{Color, Commune, Locale};

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn the_commune_document_comes_from_the_configuration() {
    let app = spawn_app_with(&[
        ("PARVIS_COMMUNE__NAME", "Commune-de-Test-sur-Loire"),
        ("PARVIS_COMMUNE__COLORS__PRIMARY", "#7a1f2b"),
        ("PARVIS_COMMUNE__WEBSITE", "https://mairie.example.fr"),
    ])
    .await;

    let response = app.get("/api/v1/commune").await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let commune: Commune = response.json().await.expect("commune JSON");
    assert_eq!(commune.name, "Commune-de-Test-sur-Loire");
    assert_eq!(commune.short_name, "Saint-Aubin");
    assert_eq!(commune.colors.primary, Color::rgb(0x7a, 0x1f, 0x2b));
    assert_eq!(
        commune.colors.primary_dark_theme,
        Color::rgb(0x9c, 0xc3, 0xff)
    );
    assert_eq!(commune.logo_url, "/api/v1/commune/logo");
    assert_eq!(commune.time_zone, "Europe/Paris");
    assert_eq!(commune.default_locale, Locale::Fr);
    assert!(commune.bounds.contains(commune.center));
    assert_eq!(
        commune.website.as_deref(),
        Some("https://mairie.example.fr")
    );
    assert!(commune.tile_url.contains("{z}/{x}/{y}"));
}

#[tokio::test]
async fn the_commune_is_revalidated_with_its_etag() {
    let app = spawn_app().await;
    let first = app.get("/api/v1/commune").await;
    let etag = first.headers()["etag"].to_str().expect("ascii").to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "a strong ETag: {etag}"
    );

    let second = app
        .client
        .get(app.url("/api/v1/commune"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("request");

    assert_eq!(second.status(), 304);
    assert_eq!(second.headers()["etag"], etag.as_str());
    assert!(second.bytes().await.expect("body").is_empty());
}

#[tokio::test]
async fn the_default_logo_is_served_as_svg_with_an_etag() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/commune/logo").await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(response.headers().contains_key("etag"));
    let body = response.text().await.expect("body");
    assert!(body.contains("<svg"));
}

#[tokio::test]
async fn a_configured_logo_file_is_served_with_its_type() {
    let dir = tempfile::tempdir().expect("temp dir");
    let logo = dir.path().join("blason.png");
    std::fs::write(&logo, b"\x89PNG\r\n\x1a\nfake").expect("write logo");
    let app = spawn_app_with(&[("PARVIS_COMMUNE__LOGO", logo.to_str().expect("utf-8"))]).await;

    let response = app.get("/api/v1/commune/logo").await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(
        &response.bytes().await.expect("body")[..],
        b"\x89PNG\r\n\x1a\nfake"
    );
}
