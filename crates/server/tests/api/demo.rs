//! The demo load is recorded once, in the database.

use parvis_server::db;
use parvis_server::demo::LOADED_AT_KEY;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn the_demo_load_is_recorded_in_meta() {
    let app = spawn_app().await;

    let pool = db::connect(&app.config).await.expect("database");
    let loaded_at = db::meta::get(&pool, LOADED_AT_KEY).await.expect("query");

    let loaded_at = loaded_at.expect("demo_loaded_at is set");
    assert!(
        chrono::DateTime::parse_from_rfc3339(&loaded_at).is_ok(),
        "{loaded_at}"
    );
}

#[tokio::test]
async fn the_demo_is_not_loaded_when_disabled() {
    let app = spawn_app_with(&[("PARVIS_DEMO__LOAD", "false")]).await;

    let pool = db::connect(&app.config).await.expect("database");

    assert_eq!(
        db::meta::get(&pool, LOADED_AT_KEY).await.expect("query"),
        None
    );
}

#[tokio::test]
async fn the_demo_ships_recent_sanitised_news_in_every_theme() {
    let app = spawn_app().await;

    let page: parvis_core::ArticlePage = app
        .get("/api/v1/news?limit=100")
        .await
        .json()
        .await
        .expect("news");
    let themes: Vec<parvis_core::Theme> = app
        .get("/api/v1/themes")
        .await
        .json()
        .await
        .expect("themes");

    assert!(page.items.len() >= 40, "{}", page.items.len());
    for theme in &themes {
        assert!(
            page.items.iter().any(|a| a.themes.contains(&theme.slug)),
            "no demo article in {}",
            theme.slug
        );
    }
    let now = chrono::Utc::now();
    for article in &page.items {
        let published = chrono::DateTime::parse_from_rfc3339(&article.published_at)
            .expect("RFC 3339")
            .with_timezone(&chrono::Utc);
        assert!(published <= now && now - published < chrono::Duration::days(62));
        assert!(!article.body_html.contains("<script"), "{}", article.title);
        assert!(!article.summary.is_empty() && article.summary.chars().count() <= 300);
    }
    assert!(page.items.iter().any(|a| a.body_html.contains("<li>")));
}
