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
