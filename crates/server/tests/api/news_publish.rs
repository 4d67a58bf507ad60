//! `POST /api/v1/news` and `PUT /api/v1/news/{id}`: town-hall tools publishing with a bearer
//! key and an idempotency key; the article is listed and pushed once to matching subscribers.

use std::time::Duration;

use parvis_core::{Article, ArticlePage, Problem};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with};
use crate::push_receiver::{PushReceiver, TestSubscription};

const KEY: &str = "mairie-0123456789abcdef";
const OTHER_KEY: &str = "cms-fedcba9876543210";

/// A server accepting [`KEY`] and [`OTHER_KEY`], without the demo news.
async fn spawn_publishing_app() -> TestApp {
    spawn_app_with(&[
        ("PARVIS_NEWS__PUBLISH_KEYS", &format!("{KEY}, {OTHER_KEY}")),
        ("PARVIS_DEMO__LOAD", "false"),
        ("PARVIS_PUSH__RETRY_BASE_MS", "5"),
    ])
    .await
}

fn article_body(title: &str, themes: &[&str]) -> Value {
    json!({
        "title": title,
        "body_html": "<p>La salle des fêtes ouvre samedi à 14 h.</p>",
        "themes": themes,
    })
}

async fn post_article(
    app: &TestApp,
    key: Option<&str>,
    idempotency_key: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = app.client.post(app.url("/api/v1/news")).json(body);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(idempotency_key) = idempotency_key {
        request = request.header("Idempotency-Key", idempotency_key);
    }
    request.send().await.expect("request sent")
}

async fn problem(response: reqwest::Response) -> Problem {
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    response.json().await.expect("problem JSON")
}

async fn receiver_for(app: &TestApp) -> PushReceiver {
    let key: parvis_core::push::VapidPublicKey = app
        .get("/api/v1/push/key")
        .await
        .json()
        .await
        .expect("key JSON");
    PushReceiver::start(&key.public_key).await
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

/// Waits until `done` holds, for at most 10 seconds.
async fn wait_until(mut done: impl FnMut() -> bool) {
    let mut waited = Duration::ZERO;
    while !done() && waited < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += Duration::from_millis(20);
    }
}

async fn article_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM articles")
        .fetch_one(&app.state.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_published_article_is_listed_and_pushed_once_to_each_matching_subscription() {
    let app = spawn_publishing_app().await;
    let receiver = receiver_for(&app).await;
    let culture = receiver.subscription();
    let sport = receiver.subscription();
    subscribe(&app, &culture, &["culture"]).await;
    subscribe(&app, &sport, &["sport"]).await;

    let response = post_article(
        &app,
        Some(KEY),
        Some("4b2a-1"),
        &article_body("Bal du 14 juillet", &["culture"]),
    )
    .await;

    assert_eq!(response.status(), 201);
    let article: Article = response.json().await.expect("article JSON");
    assert_eq!(article.title, "Bal du 14 juillet");
    assert_eq!(article.summary, "La salle des fêtes ouvre samedi à 14 h.");
    assert_eq!(article.themes, vec!["culture"]);
    let page: ArticlePage = app.get("/api/v1/news").await.json().await.expect("page");
    assert_eq!(page.items, vec![article.clone()]);
    wait_until(|| !receiver.delivered(&culture).is_empty()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let delivered = receiver.delivered(&culture);
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].message.notification.title, "Bal du 14 juillet");
    assert!(receiver.requests(&sport).is_empty());
    assert_eq!(receiver.errors(), Vec::<String>::new());
}

#[tokio::test]
async fn the_location_header_points_at_the_new_article() {
    let app = spawn_publishing_app().await;

    let response = post_article(
        &app,
        Some(OTHER_KEY),
        Some("k"),
        &article_body("A", &["sport"]),
    )
    .await;

    assert_eq!(response.status(), 201);
    let location = response.headers()["location"]
        .to_str()
        .expect("ASCII")
        .to_owned();
    let article: Article = response.json().await.expect("article JSON");
    assert_eq!(location, format!("/api/v1/news/{}", article.id));
    let fetched: Article = app.get(&location).await.json().await.expect("article JSON");
    assert_eq!(fetched, article);
}

#[tokio::test]
async fn the_same_idempotency_key_twice_makes_one_article_and_one_push() {
    let app = spawn_publishing_app().await;
    let receiver = receiver_for(&app).await;
    let sub = receiver.subscription();
    subscribe(&app, &sub, &["travaux"]).await;
    let body = article_body("Rue Haute fermée", &["travaux"]);

    let first = post_article(&app, Some(KEY), Some("same-key"), &body).await;
    let again = post_article(&app, Some(KEY), Some("same-key"), &body).await;

    assert_eq!(first.status(), 201);
    assert_eq!(again.status(), 201);
    let first: Article = first.json().await.expect("JSON");
    let again: Article = again.json().await.expect("JSON");
    assert_eq!(first, again);
    assert_eq!(article_count(&app).await, 1);
    wait_until(|| !receiver.delivered(&sub).is_empty()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.delivered(&sub).len(), 1);
}

#[tokio::test]
async fn an_idempotency_key_reused_for_another_article_is_a_conflict() {
    let app = spawn_publishing_app().await;
    post_article(&app, Some(KEY), Some("k1"), &article_body("Un", &["sport"])).await;

    let response = post_article(
        &app,
        Some(KEY),
        Some("k1"),
        &article_body("Deux", &["sport"]),
    )
    .await;

    assert_eq!(response.status(), 409);
    assert_eq!(problem(response).await.status, 409);
    assert_eq!(article_count(&app).await, 1);
}

#[tokio::test]
async fn a_missing_or_wrong_key_is_401_with_a_bearer_challenge() {
    let app = spawn_publishing_app().await;
    let body = article_body("Intrus", &["culture"]);

    let missing = post_article(&app, None, Some("a"), &body).await;
    let wrong = post_article(&app, Some("mairie-0123456789abcdeX"), Some("b"), &body).await;

    for response in [missing, wrong] {
        assert_eq!(response.status(), 401);
        let challenge = response.headers()["www-authenticate"]
            .to_str()
            .expect("ASCII")
            .to_owned();
        assert!(challenge.starts_with("Bearer"), "{challenge}");
        let problem = problem(response).await;
        assert_eq!(problem.status, 401);
        assert_eq!(problem.instance.as_deref(), Some("/api/v1/news"));
    }
    assert_eq!(article_count(&app).await, 0);
}

#[tokio::test]
async fn publishing_is_forbidden_when_no_key_is_configured() {
    let app = spawn_app_with(&[("PARVIS_DEMO__LOAD", "false")]).await;

    let response = post_article(&app, Some(KEY), Some("k"), &article_body("A", &["sport"])).await;

    assert_eq!(response.status(), 403);
    let problem = problem(response).await;
    assert_eq!(
        problem.detail.as_deref(),
        Some("La publication par l’API n’est pas activée.")
    );
}

#[tokio::test]
async fn invalid_fields_are_a_422_problem_listing_each_field() {
    let app = spawn_publishing_app().await;
    let unknown = article_body("Titre", &["culture", "astrologie"]);
    let mut empty = article_body("  ", &[]);
    empty["published_at"] = json!("hier soir");

    let unknown = post_article(&app, Some(KEY), Some("u"), &unknown).await;
    let empty = post_article(&app, Some(KEY), Some("e"), &empty).await;

    assert_eq!(unknown.status(), 422);
    let unknown = problem(unknown).await;
    assert_eq!(unknown.errors.len(), 1);
    assert_eq!(unknown.errors[0].field, "themes");
    assert!(unknown.errors[0].message.contains("astrologie"));
    assert_eq!(empty.status(), 422);
    let fields: Vec<String> = problem(empty)
        .await
        .errors
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["title", "themes", "published_at"]);
    assert_eq!(article_count(&app).await, 0);
}

#[tokio::test]
async fn a_missing_idempotency_key_is_a_400_problem() {
    let app = spawn_publishing_app().await;

    let response = post_article(&app, Some(KEY), None, &article_body("A", &["sport"])).await;

    assert_eq!(response.status(), 400);
    assert!(
        problem(response)
            .await
            .detail
            .unwrap_or_default()
            .contains("Idempotency-Key")
    );
    assert_eq!(article_count(&app).await, 0);
}

#[tokio::test]
async fn scripts_and_event_handlers_are_removed_from_the_body() {
    let app = spawn_publishing_app().await;
    let body = json!({
        "title": "Conseil municipal",
        "summary": "Ordre du jour <b>en ligne</b>.",
        "body_html": "<p onclick=\"steal()\">Séance jeudi.</p><script>alert(1)</script>\
                      <a href=\"javascript:alert(2)\">ici</a>",
        "themes": ["vie-municipale"],
        "published_at": "2026-03-01T09:30:00+01:00",
    });

    let response = post_article(&app, Some(KEY), Some("s"), &body).await;

    assert_eq!(response.status(), 201);
    let article: Article = response.json().await.expect("JSON");
    assert_eq!(
        article.body_html,
        "<p>Séance jeudi.</p><a rel=\"noopener noreferrer\">ici</a>"
    );
    assert_eq!(article.summary, "Ordre du jour en ligne.");
    assert_eq!(article.published_at, "2026-03-01T08:30:00Z");
}

#[tokio::test]
async fn an_article_published_through_the_api_can_be_corrected_without_a_second_push() {
    let app = spawn_publishing_app().await;
    let receiver = receiver_for(&app).await;
    let sub = receiver.subscription();
    subscribe(&app, &sub, &["culture"]).await;
    let created: Article = post_article(
        &app,
        Some(KEY),
        Some("p"),
        &article_body("Expo", &["culture"]),
    )
    .await
    .json()
    .await
    .expect("JSON");
    wait_until(|| !receiver.delivered(&sub).is_empty()).await;

    let response = app
        .client
        .put(app.url(&format!("/api/v1/news/{}", created.id)))
        .bearer_auth(KEY)
        .json(&json!({
            "title": "Expo prolongée",
            "body_html": "<p>Jusqu’au 30 juin.</p>",
            "themes": ["culture", "jeunesse"],
        }))
        .send()
        .await
        .expect("request sent");

    assert_eq!(response.status(), 200);
    let updated: Article = response.json().await.expect("JSON");
    assert_eq!(updated.id, created.id);
    assert_eq!(updated.title, "Expo prolongée");
    assert_eq!(updated.themes, vec!["culture", "jeunesse"]);
    assert_eq!(updated.published_at, created.published_at);
    let page: ArticlePage = app.get("/api/v1/news").await.json().await.expect("page");
    assert_eq!(page.items, vec![updated]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.delivered(&sub).len(), 1);
    let unauthenticated = app
        .client
        .put(app.url(&format!("/api/v1/news/{}", created.id)))
        .json(&article_body("X", &["culture"]))
        .send()
        .await
        .expect("request sent");
    assert_eq!(unauthenticated.status(), 401);
}

#[tokio::test]
async fn the_publishing_endpoints_are_in_the_openapi_document() {
    let app = spawn_publishing_app().await;

    let doc: Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");

    let post = &doc["paths"]["/api/v1/news"]["post"];
    assert_eq!(post["security"][0]["publish_key"], json!([]));
    assert!(post["responses"].get("201").is_some());
    assert!(post["responses"].get("422").is_some());
    assert!(doc["paths"]["/api/v1/news/{id}"].get("put").is_some());
    assert!(doc["components"]["schemas"].get("NewArticle").is_some());
    assert_eq!(
        doc["components"]["securitySchemes"]["publish_key"]["scheme"],
        "bearer"
    );
}

#[test]
fn publishing_keys_come_as_a_toml_list_and_short_ones_stop_start_up() {
    use parvis_server::config::{Config, Sources};
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("parvis.toml");
    std::fs::write(
        &file,
        format!(
            "[news]\ndefault_theme = \"culture\"\npublish_keys = [\"{KEY}\", \"{OTHER_KEY}\"]\n"
        ),
    )
    .expect("written");
    let from_file = Sources {
        explicit_file: Some(file),
        ..Sources::default()
    };
    let short = Sources {
        env: vec![("PARVIS_NEWS__PUBLISH_KEYS".into(), "secret".into())],
        ..Sources::default()
    };

    let config = Config::load(&from_file).expect("valid");
    let err = Config::load(&short).expect_err("too short");

    assert_eq!(config.news.publish_keys, [KEY, OTHER_KEY]);
    assert!(err.to_string().contains("news.publish_keys[0]"), "{err}");
}

#[tokio::test]
async fn images_of_a_published_article_are_mirrored_like_imported_ones() {
    let app = spawn_publishing_app().await;
    let site = crate::news_media::ImageSite::start().await;
    let body = json!({
        "title": "Nouvelle aire de jeux",
        "body_html": format!(
            "<p>Ouverte.</p><img src=\"{}\" alt=\"Toboggan\"><img src=\"{}\">",
            site.url("/copie.png"),
            site.url("/absente.png")
        ),
        "image_url": site.url("/photo.png"),
        "image_alt": "L’aire de jeux",
        "themes": ["jeunesse"],
    });

    let response = post_article(&app, Some(KEY), Some("img"), &body).await;

    assert_eq!(response.status(), 201);
    let article: Article = response.json().await.expect("JSON");
    let image = article.image_url.expect("illustration kept");
    assert!(image.starts_with("/media/news/"), "{image}");
    assert_eq!(article.image_alt.as_deref(), Some("L’aire de jeux"));
    assert!(
        article.body_html.contains(&format!("src=\"{image}\"")),
        "{}",
        article.body_html
    );
    assert!(
        !article.body_html.contains("absente"),
        "{}",
        article.body_html
    );
    assert_eq!(site.hits("/photo.png"), 1);
    assert_eq!(app.get(&image).await.status(), 200);
}

#[tokio::test]
async fn an_imported_article_cannot_be_changed_through_the_api() {
    let app = spawn_app_with(&[("PARVIS_NEWS__PUBLISH_KEYS", KEY)]).await;
    let page: ArticlePage = app.get("/api/v1/news").await.json().await.expect("page");
    let demo = page.items.first().expect("the demo news are loaded");

    let response = app
        .client
        .put(app.url(&format!("/api/v1/news/{}", demo.id)))
        .bearer_auth(KEY)
        .json(&article_body("Détourné", &["culture"]))
        .send()
        .await
        .expect("request sent");
    let missing = app
        .client
        .put(app.url("/api/v1/news/999999"))
        .bearer_auth(KEY)
        .json(&article_body("Rien", &["culture"]))
        .send()
        .await
        .expect("request sent");

    assert_eq!(response.status(), 409);
    assert_eq!(problem(response).await.status, 409);
    assert_eq!(missing.status(), 404);
}
