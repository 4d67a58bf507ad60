//! News: themes, the list with its filters, sync tokens, cursors and ETags, sanitising, the
//! importer (RSS and Atom, idempotence, updates, broken feeds), the Atom export and the CLI.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use parvis_core::problem::PROBLEM_JSON;
use parvis_core::{Article, ArticlePage, Problem, Theme};
use parvis_server::db::{self, Db};
use parvis_server::news::import::{self, ImportReport};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH};

use crate::helpers::{TestApp, path_str, spawn_app, spawn_app_with, write_fake_dist};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/fixtures")
        .join(name)
}

fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("fixture")
}

/// A server without the demo, whose `Voirie` category maps to `travaux`.
async fn empty_app() -> TestApp {
    spawn_app_with(&[
        ("PARVIS_DEMO__LOAD", "false"),
        ("PARVIS_NEWS__CATEGORY_MAP__VOIRIE", "travaux"),
    ])
    .await
}

async fn import_fixture(app: &TestApp, name: &str) -> ImportReport {
    let db = database(app).await;
    import::import_bytes(&db, &app.config, &read_fixture(name), name)
        .await
        .expect("fixture imports")
}

async fn database(app: &TestApp) -> Db {
    db::connect(&app.config).await.expect("database")
}

async fn page(app: &TestApp, query: &str) -> ArticlePage {
    let response = app.get(&format!("/api/v1/news{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    response.json().await.expect("an article page")
}

async fn problem(response: reqwest::Response, status: StatusCode) -> Problem {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON);
    response.json().await.expect("a problem")
}

fn titles(page: &ArticlePage) -> Vec<&str> {
    page.items.iter().map(|a| a.title.as_str()).collect()
}

#[tokio::test]
async fn themes_are_listed_in_configuration_order() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/themes").await;

    assert_eq!(response.status(), StatusCode::OK);
    let themes: Vec<Theme> = response.json().await.expect("themes");
    assert!(themes.len() >= 8, "{themes:?}");
    assert_eq!(themes[0].slug, "travaux");
    assert_eq!(themes[0].name_fr, "Travaux et voirie");
    let alerts = themes
        .iter()
        .find(|t| t.slug == "alertes")
        .expect("alertes");
    assert!(alerts.urgent);
    assert_eq!(themes.iter().filter(|t| t.urgent).count(), 1);
}

#[tokio::test]
async fn the_list_is_newest_first_and_filters_by_theme() {
    let app = empty_app().await;
    import_fixture(&app, "news.rss").await;
    import_fixture(&app, "news.atom").await;

    let all = page(&app, "").await;
    let culture_or_sport = page(&app, "?theme=culture,sport").await;
    let jeunesse = page(&app, "?theme=jeunesse").await;

    assert_eq!(all.items.len(), 6);
    let published: Vec<&str> = all.items.iter().map(|a| a.published_at.as_str()).collect();
    let mut sorted = published.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(published, sorted, "newest first");
    assert_eq!(
        titles(&culture_or_sport),
        [
            "Tournoi de football des jeunes",
            "Festival des Arts de la rue"
        ]
    );
    assert_eq!(jeunesse.items.len(), 1);
    assert_eq!(jeunesse.items[0].themes, ["sport", "jeunesse"]);
}

#[tokio::test]
async fn categories_map_through_the_config_names_and_the_default_theme() {
    let app = empty_app().await;
    import_fixture(&app, "news.rss").await;
    import_fixture(&app, "news.atom").await;

    let all = page(&app, "").await;

    let themes_of = |title: &str| {
        all.items
            .iter()
            .find(|a| a.title == title)
            .unwrap_or_else(|| panic!("{title}"))
            .themes
            .clone()
    };
    assert_eq!(
        themes_of("Réfection de la chaussée, avenue des Tilleuls"),
        ["travaux"]
    );
    assert_eq!(themes_of("Festival des Arts de la rue"), ["culture"]);
    assert_eq!(themes_of("Horaires d’été de la mairie"), ["vie-municipale"]);
    assert_eq!(themes_of("Collecte des encombrants"), ["dechets"]);
    assert_eq!(themes_of("Inscriptions scolaires"), ["ecoles"]);
}

#[tokio::test]
async fn an_unknown_theme_is_a_422_problem_naming_it() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/news?theme=culture,jardinage").await;

    let problem = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("« jardinage »")
    );
    let atom = app.get("/feeds/news.atom?theme=jardinage").await;
    assert_eq!(atom.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn malformed_parameters_are_problems() {
    let app = spawn_app().await;

    for (query, status) in [
        ("?limit=abc", StatusCode::BAD_REQUEST),
        ("?limit=0", StatusCode::UNPROCESSABLE_ENTITY),
        ("?limit=101", StatusCode::UNPROCESSABLE_ENTITY),
        ("?since=%%%", StatusCode::BAD_REQUEST),
        ("?since=bm9wZQ", StatusCode::BAD_REQUEST),
        ("?cursor=zzz", StatusCode::BAD_REQUEST),
    ] {
        let response = app.get(&format!("/api/v1/news{query}")).await;
        let problem = problem(response, status).await;
        assert!(problem.detail.is_some(), "{query}");
    }
}

#[tokio::test]
async fn since_returns_only_what_changed_after_the_token() {
    let app = empty_app().await;
    import_fixture(&app, "news.rss").await;
    let first = page(&app, "").await;

    let nothing_yet = page(&app, &format!("?since={}", first.sync_token)).await;
    import_fixture(&app, "news.atom").await;
    let delta = page(&app, &format!("?since={}", first.sync_token)).await;
    import_fixture(&app, "news-changed.atom").await;
    let update = page(&app, &format!("?since={}", delta.sync_token)).await;

    assert!(nothing_yet.items.is_empty());
    assert_eq!(nothing_yet.sync_token, first.sync_token);
    assert_eq!(
        titles(&delta),
        [
            "Collecte des encombrants",
            "Tournoi de football des jeunes",
            "Inscriptions scolaires"
        ],
        "oldest change first"
    );
    assert_ne!(delta.sync_token, first.sync_token);
    assert_eq!(
        titles(&update),
        ["Tournoi de football des jeunes : reporté"]
    );
    let filtered = page(&app, &format!("?since={}&theme=dechets", first.sync_token)).await;
    assert_eq!(titles(&filtered), ["Collecte des encombrants"]);
}

#[tokio::test]
async fn an_unchanged_list_answers_304_and_a_change_a_new_etag() {
    let app = empty_app().await;
    import_fixture(&app, "news.rss").await;
    let response = app.get("/api/v1/news").await;
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let etag = response.headers()[ETAG].to_str().expect("etag").to_owned();

    let again = app
        .client
        .get(app.url("/api/v1/news"))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .expect("request");
    import_fixture(&app, "news.atom").await;
    let after_import = app
        .client
        .get(app.url("/api/v1/news"))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .expect("request");

    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(after_import.status(), StatusCode::OK);
    assert_ne!(after_import.headers()[ETAG], etag.as_str());
}

/// Follows `next_cursor` from `first_query` to the end; returns every id in order.
async fn walk(app: &TestApp, first_query: &str) -> (Vec<i64>, String) {
    let mut ids = Vec::new();
    let mut current = page(app, first_query).await;
    let token = current.sync_token.clone();
    let mut pages = 1;
    loop {
        ids.extend(current.items.iter().map(|a| a.id));
        assert_eq!(current.sync_token, token, "one token for a whole walk");
        let Some(cursor) = current.next_cursor.clone() else {
            break;
        };
        let sep = if first_query.is_empty() { "?" } else { "&" };
        current = page(app, &format!("{first_query}{sep}cursor={cursor}")).await;
        pages += 1;
        assert!(pages < 100, "the walk ends");
    }
    (ids, token)
}

#[tokio::test]
async fn cursor_pagination_visits_every_article_exactly_once() {
    let app = spawn_app().await; // the demo: 40 articles or more
    let total = page(&app, "?limit=100").await.items.len();

    let (by_date, token) = walk(&app, "?limit=7").await;
    let (by_change, _) = walk(&app, &format!("?limit=6&since={}", zero_token())).await;
    let (culture, _) = walk(&app, "?limit=2&theme=culture").await;

    assert!(total >= 40, "{total}");
    assert_eq!(by_date.len(), total);
    assert_eq!(
        by_date.iter().collect::<HashSet<_>>().len(),
        total,
        "no duplicate"
    );
    assert_eq!(by_change.len(), total);
    assert_eq!(by_change.iter().collect::<HashSet<_>>().len(), total);
    assert!(!culture.is_empty());
    let nothing_new = page(&app, &format!("?since={token}")).await;
    assert!(nothing_new.items.is_empty());
}

/// The token of an empty database (`r0`): everything changed since.
fn zero_token() -> &'static str {
    "cjA"
}

#[tokio::test]
async fn imported_html_is_sanitised() {
    let app = empty_app().await;
    import_fixture(&app, "news.rss").await;
    let list = page(&app, "?theme=travaux").await;
    let id = list.items[0].id;

    let article: Article = app
        .get(&format!("/api/v1/news/{id}"))
        .await
        .json()
        .await
        .expect("article");

    let body = &article.body_html;
    for bad in [
        "<script",
        "pwned",
        "onclick",
        "style=",
        "javascript:",
        "onerror",
    ] {
        assert!(!body.contains(bad), "{bad} survived: {body}");
    }
    assert!(body.contains("<strong>du 9 au 13 mars</strong>"), "{body}");
    assert!(
        body.contains("<li>Déviation par la rue Haute</li>"),
        "{body}"
    );
    assert!(
        body.contains(r#"<a href="https://mairie.example/plan.pdf" rel="noopener noreferrer">"#),
        "relative links resolved against the entry: {body}"
    );
    assert_eq!(article.summary, "La chaussée est refaite du 9 au 13 mars.");
    assert_eq!(
        article.image_url, None,
        "an image that cannot be mirrored (unreachable host) is dropped, never kept external"
    );
    assert!(!body.contains("<img"), "{body}");
    assert_eq!(
        article.source_url.as_deref(),
        Some("https://mairie.example/actus/1")
    );
    let festival = page(&app, "?theme=culture").await;
    assert_eq!(
        festival.items[0].summary,
        "Trois jours de spectacles & de concerts gratuits."
    );
}

#[tokio::test]
async fn an_article_is_found_by_id_and_a_missing_one_is_a_404_problem() {
    let app = spawn_app().await;
    let first = page(&app, "?limit=1").await.items.remove(0);

    let found = app.get(&format!("/api/v1/news/{}", first.id)).await;
    let missing = app.get("/api/v1/news/999999").await;
    let not_a_number = app.get("/api/v1/news/abc").await;

    assert_eq!(found.status(), StatusCode::OK);
    assert!(found.headers().contains_key(ETAG));
    let article: Article = found.json().await.expect("article");
    assert_eq!(article, first);
    problem(missing, StatusCode::NOT_FOUND).await;
    problem(not_a_number, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn importing_the_same_feed_twice_creates_no_duplicate() {
    let app = empty_app().await;

    let first = import_fixture(&app, "news.atom").await;
    let second = import_fixture(&app, "news.atom").await;
    let rss_first = import_fixture(&app, "news.rss").await;
    let rss_second = import_fixture(&app, "news.rss").await;

    assert_eq!(first.inserted.len(), 3);
    assert_eq!(second.to_string(), "0 nouveaux, 0 mis à jour, 3 inchangés");
    assert_eq!(
        rss_first.inserted.len(),
        3,
        "an item without guid is keyed by its link"
    );
    assert_eq!(
        rss_second.to_string(),
        "0 nouveaux, 0 mis à jour, 3 inchangés"
    );
    assert_eq!(page(&app, "").await.items.len(), 6);
}

#[tokio::test]
async fn a_changed_entry_is_updated_in_place() {
    let app = empty_app().await;
    import_fixture(&app, "news.atom").await;
    let before = page(&app, "?theme=sport").await.items.remove(0);

    let report = import_fixture(&app, "news-changed.atom").await;

    assert_eq!(report.to_string(), "0 nouveaux, 1 mis à jour, 2 inchangés");
    let after = page(&app, "?theme=sport").await.items.remove(0);
    assert_eq!(after.id, before.id);
    assert_eq!(after.title, "Tournoi de football des jeunes : reporté");
    assert_eq!(after.published_at, before.published_at);
    assert!(after.updated_at > before.updated_at);
    assert_eq!(page(&app, "").await.items.len(), 3);
}

#[tokio::test]
async fn a_broken_feed_is_refused_and_leaves_earlier_articles_intact() {
    let app = empty_app().await;
    import_fixture(&app, "news.atom").await;
    let before = page(&app, "").await;
    let db = database(&app).await;

    let broken = import::import_bytes(
        &db,
        &app.config,
        &read_fixture("news-broken.atom"),
        "broken",
    )
    .await;
    let html = import::import_bytes(&db, &app.config, b"<html><body>404</body></html>", "x").await;

    assert!(
        matches!(broken, Err(import::ImportError::Parse { .. })),
        "{broken:?}"
    );
    assert!(html.is_err());
    assert_eq!(page(&app, "").await, before);
}

#[tokio::test]
async fn the_atom_export_parses_back_with_the_same_entries() {
    let app = empty_app().await;
    import_fixture(&app, "news.rss").await;
    import_fixture(&app, "news.atom").await;
    let list = page(&app, "").await;

    let response = app.get("/feeds/news.atom").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    let etag = response.headers()[ETAG].clone();
    let body = response.bytes().await.expect("body");
    let feed = feed_rs::parser::parse(&body[..]).expect("valid Atom");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert!(
        feed.title
            .expect("title")
            .content
            .contains("Saint-Aubin-sur-Loire")
    );
    assert!(feed.updated.is_some());
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel.as_deref() == Some("self") && l.href.ends_with("/feeds/news.atom"))
    );
    assert_eq!(feed.entries.len(), list.items.len());
    for (entry, article) in feed.entries.iter().zip(&list.items) {
        assert_eq!(entry.title.as_ref().expect("title").content, article.title);
        assert!(
            entry.id.ends_with(&format!("news/{}", article.id)),
            "{}",
            entry.id
        );
        assert_eq!(
            entry
                .published
                .expect("published")
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            article.published_at
        );
        assert_eq!(
            entry.content.as_ref().and_then(|c| c.body.as_deref()),
            Some(article.body_html.as_str())
        );
        let terms: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, article.themes);
        assert_eq!(
            entry.links[0].href,
            format!("{}/actualites/{}", app.address, article.id)
        );
    }
    let again = app
        .client
        .get(app.url("/feeds/news.atom"))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let sport = app
        .get("/feeds/news.atom?theme=sport")
        .await
        .bytes()
        .await
        .expect("body");
    let sport = feed_rs::parser::parse(&sport[..]).expect("valid Atom");
    assert_eq!(sport.entries.len(), 1);
}

#[tokio::test]
async fn the_atom_export_links_to_the_public_url_when_set() {
    let app = spawn_app_with(&[("PARVIS_SERVER__PUBLIC_URL", "https://parvis.example.fr/")]).await;

    let body = app
        .get("/feeds/news.atom")
        .await
        .text()
        .await
        .expect("body");

    assert!(
        body.contains(r#"href="https://parvis.example.fr/actualites/"#),
        "{body}"
    );
    assert!(
        body.contains("<id>tag:parvis.example.fr,2026:news/"),
        "{body}"
    );
}

#[tokio::test]
async fn an_oversize_body_is_refused_with_413() {
    let app = spawn_app().await;

    let response = app
        .client
        .get(app.url("/api/v1/news"))
        .body(vec![b'x'; 2 * 1024 * 1024])
        .send()
        .await
        .expect("request");

    problem(response, StatusCode::PAYLOAD_TOO_LARGE).await;
}

#[tokio::test]
async fn a_poll_imports_a_feed_over_http_and_announces_only_new_articles() {
    let app = empty_app().await;
    let feed_url = serve_feed(read_fixture("news.atom")).await;
    let db = database(&app).await;
    let (published, mut heard) = tokio::sync::broadcast::channel(16);
    let client = import::http_client();

    parvis_server::news::poll::poll_once(&db, &app.config, &client, &feed_url, &published).await;
    parvis_server::news::poll::poll_once(&db, &app.config, &client, &feed_url, &published).await;

    let ids: Vec<i64> = std::iter::from_fn(|| heard.try_recv().ok()).collect();
    let listed: Vec<i64> = page(&app, "").await.items.iter().map(|a| a.id).collect();
    assert_eq!(ids.len(), 3, "three new articles, announced once");
    assert_eq!(
        ids.iter().collect::<HashSet<_>>(),
        listed.iter().collect::<HashSet<_>>()
    );
}

#[tokio::test]
async fn a_feed_larger_than_10_mb_is_refused() {
    let mut big = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title>".to_vec();
    big.resize(11 * 1024 * 1024, b' ');
    let url = serve_feed(big).await;

    let result = import::fetch(&import::http_client(), &url).await;

    let err = result.expect_err("too large");
    assert!(err.to_string().contains("10 MB"), "{err}");
}

/// Serves `body` at `/feed.xml` on a free port; returns its URL.
async fn serve_feed(body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let router = axum::Router::new().route(
        "/feed.xml",
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([(CONTENT_TYPE.as_str(), "application/atom+xml")], body) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/feed.xml")
}

/// Runs `parvis-server import news SOURCE` against the data directory of `dir`.
fn cli_import(dir: &Path, source: &str) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parvis-server"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PARVIS_") {
            cmd.env_remove(key);
        }
    }
    cmd.current_dir(dir)
        .env("PARVIS_DATA_DIR", path_str(&dir.join("data")))
        .env(
            "PARVIS_SERVER__APP_DIR",
            path_str(&write_fake_dist(&dir.join("dist"))),
        )
        .env("PARVIS_LOG__LEVEL", "error")
        .args(["import", "news", source])
        .output()
        .expect("parvis-server runs")
}

#[test]
fn the_cli_imports_a_feed_file_once_and_reports_in_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let feed = path_str(&fixture("news.rss"));

    let first = cli_import(dir.path(), &feed);
    let second = cli_import(dir.path(), &feed);
    let broken = cli_import(dir.path(), &path_str(&fixture("news-broken.atom")));
    let missing = cli_import(dir.path(), "absent.xml");

    assert_eq!(first.status.code(), Some(0), "{first:?}");
    assert_eq!(
        String::from_utf8_lossy(&first.stdout),
        "3 nouveaux, 0 mis à jour, 0 inchangés\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&second.stdout),
        "0 nouveaux, 0 mis à jour, 3 inchangés\n"
    );
    for failed in [&broken, &missing] {
        assert_eq!(failed.status.code(), Some(1), "{failed:?}");
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
    }
}

#[tokio::test]
async fn the_cli_imports_a_feed_url() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = serve_feed(read_fixture("news.atom")).await;

    let output = tokio::task::spawn_blocking({
        let dir = dir.path().to_owned();
        move || cli_import(&dir, &url)
    })
    .await
    .expect("joined");

    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "3 nouveaux, 0 mis à jour, 0 inchangés\n"
    );
}

#[tokio::test]
async fn the_news_endpoints_are_in_the_openapi_document() {
    let app = spawn_app().await;

    let doc: serde_json::Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");

    for path in [
        "/api/v1/themes",
        "/api/v1/news",
        "/api/v1/news/{id}",
        "/feeds/news.atom",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    let params = doc["paths"]["/api/v1/news"]["get"]["parameters"]
        .as_array()
        .expect("parameters");
    let names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, ["theme", "since", "cursor", "limit"]);
    for schema in ["Theme", "Article", "ArticlePage"] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "{schema}"
        );
    }
}

#[test]
fn a_news_configuration_error_names_the_key() {
    let sources = |pairs: &[(&str, &str)]| parvis_server::config::Sources {
        env: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..Default::default()
    };

    let default_theme =
        parvis_server::Config::load(&sources(&[("PARVIS_NEWS__DEFAULT_THEME", "jardinage")]));
    let map = parvis_server::Config::load(&sources(&[(
        "PARVIS_NEWS__CATEGORY_MAP__VOIRIE",
        "jardinage",
    )]));
    let typo = parvis_server::Config::load(&sources(&[("PARVIS_NEWS__FEDS", "x")]));

    let message = |r: Result<parvis_server::Config, parvis_server::config::ConfigError>| {
        r.expect_err("refused").to_string()
    };
    assert!(message(default_theme).contains("news.default_theme"));
    assert!(message(map).contains("news.category_map"));
    assert!(message(typo).contains("feds"));
}
