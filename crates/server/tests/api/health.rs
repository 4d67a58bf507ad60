//! `GET /api/v1/health`.

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_reports_ok_with_a_live_database_and_is_never_cached() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/health").await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("application/json")
    );
    let health: parvis_core::Health = response.json().await.expect("health JSON");
    assert_eq!(health.status, "ok");
    assert!(health.database);
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
}
