//! `GET /api/v1/openapi.json`.

use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_openapi_document_lists_the_api() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/openapi.json").await;

    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.expect("JSON");
    assert!(
        doc["openapi"]
            .as_str()
            .expect("openapi version")
            .starts_with("3.")
    );
    for path in [
        "/api/v1/health",
        "/api/v1/commune",
        "/api/v1/commune/logo",
        "/api/v1/openapi.json",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    for schema in ["Health", "Commune", "CommuneColors", "Problem"] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "{schema} is documented"
        );
    }
}

#[tokio::test]
async fn api_responses_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;

    let response = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .header("Accept-Encoding", "br")
        .send()
        .await
        .expect("request");

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
}
