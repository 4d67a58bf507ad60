//! News images mirrored on the server: an imported feed's images are downloaded, checked and
//! served same-origin at `/media/news/<sha256>.<ext>`; what cannot be mirrored is dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{StatusCode as AxumStatus, Uri};
use axum::response::{IntoResponse, Response};
use parvis_core::problem::PROBLEM_JSON;
use parvis_core::{Article, ArticlePage};
use parvis_server::db;
use parvis_server::news::import::{self, ImportReport};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{TestApp, spawn_app_with};

/// A valid 1×1 transparent PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

/// A web server standing for the commune's site: its images, and how often each was asked for.
pub(crate) struct ImageSite {
    base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl ImageSite {
    pub(crate) async fn start() -> Self {
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let router = axum::Router::new()
            .fallback(serve_image)
            .with_state(Arc::clone(&hits));
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            base: format!("http://{address}"),
            hits,
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) fn hits(&self, path: &str) -> usize {
        self.hits
            .lock()
            .expect("lock")
            .get(path)
            .copied()
            .unwrap_or_default()
    }
}

async fn serve_image(State(hits): State<Arc<Mutex<HashMap<String, usize>>>>, uri: Uri) -> Response {
    let path = uri.path().to_owned();
    *hits.lock().expect("lock").entry(path.clone()).or_default() += 1;
    match path.as_str() {
        // The same picture at two addresses.
        "/photo.png" | "/copie.png" => ([(CONTENT_TYPE, "image/png")], PNG).into_response(),
        // An error page that says it is an image.
        "/faux.png" => (
            [(CONTENT_TYPE, "image/png")],
            "<!doctype html><html><body>Erreur</body></html>",
        )
            .into_response(),
        "/logo.svg" => (
            [(CONTENT_TYPE, "image/svg+xml")],
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
        )
            .into_response(),
        _ => AxumStatus::NOT_FOUND.into_response(),
    }
}

/// An RSS feed whose images are on `site`: a good enclosure and a body with the same picture
/// elsewhere, a fake, an SVG and a missing one; then an entry with a fake illustration and one
/// with a missing illustration.
fn feed(site: &ImageSite) -> String {
    let item = |guid: &str, title: &str, enclosure: &str, body: &str| {
        format!(
            r#"<item><guid isPermaLink="false">{guid}</guid><title>{title}</title>
<link>https://mairie.example/actus/{guid}</link>
<pubDate>Mon, 02 Mar 2026 08:00:00 +0100</pubDate>
<enclosure url="{}" type="image/png" length="67"/>
<description><![CDATA[{body}]]></description></item>"#,
            site.url(enclosure)
        )
    };
    let body = format!(
        r#"<p>Le chantier <img src="{}" alt="Vue du chantier"></p><p>Faux <img src="{}" alt="faux"> svg <img src="{}" alt="svg"> absent <img src="{}" alt="absent"></p>"#,
        site.url("/copie.png"),
        site.url("/faux.png"),
        site.url("/logo.svg"),
        site.url("/absent.png"),
    );
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Mairie</title>
<link>https://mairie.example/</link><description>Actualités</description>
{}{}{}</channel></rss>"#,
        item("m-1", "Chantier illustré", "/photo.png", &body),
        item("m-2", "Illustration factice", "/faux.png", "<p>Texte.</p>"),
        item(
            "m-3",
            "Illustration absente",
            "/absent.png",
            "<p>Texte.</p>"
        ),
    )
}

async fn app(max_image_bytes: Option<&str>) -> TestApp {
    let mut overrides = vec![("PARVIS_DEMO__LOAD", "false")];
    if let Some(max) = max_image_bytes {
        overrides.push(("PARVIS_NEWS__MAX_IMAGE_BYTES", max));
    }
    spawn_app_with(&overrides).await
}

async fn import(app: &TestApp, feed: &str) -> ImportReport {
    let db = db::connect(&app.config).await.expect("database");
    import::import_bytes(&db, &app.config, feed.as_bytes(), "test-feed")
        .await
        .expect("the feed imports whatever its images")
}

async fn article(app: &TestApp, title: &str) -> Article {
    let page: ArticlePage = app.get("/api/v1/news").await.json().await.expect("news");
    let id = page
        .items
        .iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| panic!("{title} imported"))
        .id;
    app.get(&format!("/api/v1/news/{id}"))
        .await
        .json()
        .await
        .expect("article")
}

fn mirrored_files(app: &TestApp) -> Vec<String> {
    let dir = app.config.data_dir.join("media/news");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("media dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn feed_images_are_mirrored_and_served_same_origin() {
    let site = ImageSite::start().await;
    let app = app(None).await;

    let report = import(&app, &feed(&site)).await;

    assert_eq!(report.inserted.len(), 3, "{report}");
    let chantier = article(&app, "Chantier illustré").await;
    let image_url = chantier.image_url.clone().expect("an illustration");
    let name = image_url
        .strip_prefix("/media/news/")
        .expect("a mirrored path");
    assert_eq!(name.len(), 64 + ".png".len(), "{name}");
    assert!(name.ends_with(".png"), "{name}");
    let body = &chantier.body_html;
    assert!(
        body.contains(&format!(r#"<img src="{image_url}" alt="Vue du chantier">"#)),
        "the same picture elsewhere is the same file: {body}"
    );
    assert!(
        !body.contains("127.0.0.1"),
        "no external image left: {body}"
    );
    for dropped in ["faux", "svg", "absent"] {
        assert!(!body.contains(&format!("alt=\"{dropped}\"")), "{body}");
    }
    assert_eq!(
        mirrored_files(&app),
        [name],
        "one file per content, no temporary file left"
    );

    let response = app.get(&image_url).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "image/png");
    assert_eq!(
        response.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let etag = response.headers()[ETAG].clone();
    assert_eq!(response.bytes().await.expect("body").as_ref(), PNG);
    let again = app
        .client
        .get(app.url(&image_url))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn images_that_are_not_images_or_missing_are_dropped_without_failing_the_import() {
    let site = ImageSite::start().await;
    let app = app(None).await;

    let report = import(&app, &feed(&site)).await;

    assert_eq!(report.inserted.len(), 3, "{report}");
    for title in ["Illustration factice", "Illustration absente"] {
        let article = article(&app, title).await;
        assert_eq!(article.image_url, None, "{title}");
        assert_eq!(article.image_alt, None, "{title}");
        assert_eq!(article.body_html, "<p>Texte.</p>");
    }
}

#[tokio::test]
async fn re_importing_a_feed_does_not_download_its_images_again() {
    let site = ImageSite::start().await;
    let app = app(None).await;
    let feed = feed(&site);
    import(&app, &feed).await;

    let second = import(&app, &feed).await;

    assert_eq!(second.to_string(), "0 nouveaux, 0 mis à jour, 3 inchangés");
    assert_eq!(site.hits("/photo.png"), 1);
    assert_eq!(site.hits("/copie.png"), 1);
    assert_eq!(mirrored_files(&app).len(), 1);
}

#[tokio::test]
async fn an_image_larger_than_news_max_image_bytes_is_dropped() {
    let site = ImageSite::start().await;
    let app = app(Some("64")).await;

    let report = import(&app, &feed(&site)).await;

    assert_eq!(report.inserted.len(), 3, "{report}");
    let chantier = article(&app, "Chantier illustré").await;
    assert_eq!(chantier.image_url, None);
    assert!(
        !chantier.body_html.contains("<img"),
        "{}",
        chantier.body_html
    );
}

#[tokio::test]
async fn media_paths_that_are_not_mirrored_files_are_404_problems() {
    let app = app(None).await;
    let hash = "0123456789abcdef".repeat(4);

    for path in [
        format!("/media/news/{hash}.png"),
        format!("/media/news/{hash}.svg"),
        format!("/media/news/{}.png", hash.to_uppercase()),
        "/media/news/..%2F..%2Fparvis.db".to_owned(),
        "/media/news/".to_owned(),
        "/media/photo".to_owned(),
        "/media".to_owned(),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON, "{path}");
    }
    // Sent as is: an HTTP client would resolve the dots before sending.
    let raw = raw_get(&app, "/media/news/../../parvis.db").await;
    assert!(raw.starts_with("HTTP/1.1 404"), "{raw}");
    assert!(raw.contains(PROBLEM_JSON), "{raw}");
}

/// A GET with the path exactly as given, over a bare TCP connection.
async fn raw_get(app: &TestApp, path: &str) -> String {
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request sent");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("answer");
    String::from_utf8_lossy(&answer).into_owned()
}
