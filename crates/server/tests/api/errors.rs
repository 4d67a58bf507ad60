//! Errors are problem+json with a French detail, never the app's HTML.

use parvis_core::Problem;

use crate::helpers::{spawn_app, spawn_app_with};

async fn problem(response: reqwest::Response) -> Problem {
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    response.json().await.expect("problem JSON")
}

#[tokio::test]
async fn an_unknown_api_path_is_a_french_404_problem() {
    let app = spawn_app().await;

    for path in ["/api/v1/nope", "/api/v2/health", "/api/nope"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let problem = problem(response).await;
        assert_eq!(problem.status, 404);
        assert_eq!(problem.kind, "about:blank");
        assert_eq!(problem.instance.as_deref(), Some(path));
        assert!(problem.detail.expect("detail").contains("n’existe pas"));
    }
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem() {
    let app = spawn_app().await;

    // `Allow` names the methods the path answers (RFC 9110 §15.5.6).
    for (path, allowed) in [
        ("/api/v1/health", "GET,HEAD"),
        ("/api/v1/reports/status", "POST"),
        ("/api/v1/push/subscriptions/1", "PUT,DELETE"),
        ("/manifest.json", "GET,HEAD"),
        ("/agenda", "GET,HEAD"),
    ] {
        let response = app
            .client
            .patch(app.url(path))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 405, "{path}");
        let allow = response.headers()["allow"].to_str().expect("ascii");
        assert_eq!(allow.replace(' ', ""), allowed, "{path}");
        let problem = problem(response).await;
        assert_eq!(problem.status, 405);
        assert!(problem.detail.is_some());
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413_before_routing() {
    let app = spawn_app_with(&[("PARVIS_SERVER__MAX_BODY_BYTES", "1024")]).await;

    let response = app
        .client
        .post(app.url("/api/v1/health"))
        .header("Content-Type", "application/json")
        .body(vec![b' '; 2048])
        .send()
        .await
        .expect("request");

    assert_eq!(response.status(), 413);
    let problem = problem(response).await;
    assert_eq!(problem.status, 413);
    assert!(
        problem
            .detail
            .expect("detail")
            .contains("trop volumineuses")
    );
}

#[tokio::test]
async fn a_body_within_the_limit_reaches_routing() {
    let app = spawn_app_with(&[("PARVIS_SERVER__MAX_BODY_BYTES", "1024")]).await;

    let response = app
        .client
        .post(app.url("/api/v1/health"))
        .body(vec![b' '; 512])
        .send()
        .await
        .expect("request");

    assert_eq!(response.status(), 405);
}
