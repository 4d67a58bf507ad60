//! The push catch-up sweep: articles stored by another process (the `import news` CLI) are
//! pushed without anyone announcing them, only to the subscriptions that existed by then.

use std::time::Duration;

use parvis_server::db;
use parvis_server::db::articles::NewArticle;
use parvis_server::push::dispatch_article;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_with};
use crate::push_receiver::{PushReceiver, TestSubscription};

/// A server sweeping every second, without the demo news.
async fn spawn_sweeping_app() -> (TestApp, PushReceiver) {
    let app = spawn_app_with(&[
        ("PARVIS_PUSH__SWEEP_SECONDS", "1"),
        ("PARVIS_DEMO__LOAD", "false"),
        ("PARVIS_PUSH__RETRY_BASE_MS", "5"),
    ])
    .await;
    let key: parvis_core::push::VapidPublicKey = app
        .get("/api/v1/push/key")
        .await
        .json()
        .await
        .expect("key JSON");
    let receiver = PushReceiver::start(&key.public_key).await;
    (app, receiver)
}

async fn subscribe(app: &TestApp, sub: &TestSubscription, themes: &[&str]) {
    let response = app
        .client
        .post(app.url("/api/v1/push/subscriptions"))
        .json(&json!({ "endpoint": sub.endpoint, "keys": sub.keys, "themes": themes }))
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 201);
}

/// Stores an article the way `parvis-server import news` does: straight into the database,
/// without telling the running server.
async fn insert_like_the_cli(app: &TestApp, title: &str, theme: &str) -> i64 {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let article = NewArticle {
        guid: format!("urn:cli:{title}"),
        link: None,
        title: title.to_owned(),
        summary: "Résumé.".to_owned(),
        body_html: "<p>Texte.</p>".to_owned(),
        image_url: None,
        image_alt: None,
        published_at: now.clone(),
        updated_at: now,
        source_url: None,
        feed_url: None,
        content_hash: "hash".to_owned(),
        themes: vec![theme.to_owned()],
    };
    let mut tx = db::articles::begin_write(&app.state.db)
        .await
        .expect("transaction");
    let id = db::articles::insert(&mut tx, &article)
        .await
        .expect("inserted");
    tx.commit().await.expect("committed");
    id
}

#[tokio::test]
async fn an_article_stored_by_another_process_is_pushed_by_the_sweep_once() {
    let (app, receiver) = spawn_sweeping_app().await;
    let sub = receiver.subscription();
    subscribe(&app, &sub, &["dechets"]).await;

    insert_like_the_cli(&app, "Collecte décalée", "dechets").await;

    let mut waited = Duration::ZERO;
    while receiver.delivered(&sub).is_empty() && waited < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += Duration::from_millis(50);
    }
    // Two more sweeps: still one notification.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let delivered = receiver.delivered(&sub);
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].message.notification.title, "Collecte décalée");
    assert_eq!(receiver.errors(), Vec::<String>::new());
}

#[tokio::test]
async fn a_subscription_created_after_an_article_does_not_receive_it() {
    let (app, receiver) = spawn_sweeping_app().await;
    let article = insert_like_the_cli(&app, "Marché de Noël", "culture").await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let late = receiver.subscription();

    subscribe(&app, &late, &["culture"]).await;

    let report = dispatch_article(&app.state.db, &app.state.push, article)
        .await
        .expect("dispatch runs");
    assert_eq!(report.recipients, 0);
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert!(receiver.requests(&late).is_empty());
}
