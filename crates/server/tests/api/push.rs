//! Web Push: subscriptions over the API, and articles fanned out to a local push service that
//! checks the VAPID token and decrypts every message.

use std::time::Duration;

use parvis_core::Problem;
use parvis_core::push::{PushSubscription, VapidPublicKey};
use parvis_server::Application;
use parvis_server::config::{Config, Sources};
use parvis_server::db;
use parvis_server::db::articles::NewArticle;
use parvis_server::push::{DispatchReport, dispatch_article};
use serde_json::{Value, json};

use crate::helpers::{TestApp, path_str, spawn_app_with, write_fake_dist};
use crate::push_receiver::{PushReceiver, TestSubscription};

/// Themes the tests publish in (added next to the configured ones).
const ROADWORKS: &str = "test-travaux";
const CULTURE: &str = "test-culture";
const ALERT: &str = "test-alerte";

/// Retries in milliseconds, not seconds.
const FAST_RETRIES: &[(&str, &str)] = &[("PARVIS_PUSH__RETRY_BASE_MS", "5")];

/// A server with the test themes, and a push service trusting its VAPID key.
async fn setup() -> (TestApp, PushReceiver) {
    let app = spawn_app_with(FAST_RETRIES).await;
    for (slug, urgent) in [(ROADWORKS, false), (CULTURE, false), (ALERT, true)] {
        sqlx::query(
            "INSERT INTO themes (slug, name_fr, name_en, color, icon, urgent) \
             VALUES ($1, $1, $1, '#1d4e89', 'info', $2) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(slug)
        .bind(urgent)
        .execute(&app.state.db)
        .await
        .expect("theme inserted");
    }
    let key = vapid_key(&app).await;
    let receiver = PushReceiver::start(&key).await;
    (app, receiver)
}

async fn vapid_key(app: &TestApp) -> String {
    let response = app.get("/api/v1/push/key").await;
    assert_eq!(response.status(), 200);
    response
        .json::<VapidPublicKey>()
        .await
        .expect("key JSON")
        .public_key
}

/// An article in `themes`, stored as an import stores it; returns its id.
async fn publish(app: &TestApp, themes: &[&str], title: &str, summary: &str) -> i64 {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    publish_at(app, themes, title, summary, &now).await
}

async fn publish_at(app: &TestApp, themes: &[&str], title: &str, summary: &str, now: &str) -> i64 {
    let article = NewArticle {
        guid: format!("urn:test:{title}:{}", themes.join(",")),
        link: None,
        title: title.to_owned(),
        summary: summary.to_owned(),
        body_html: "<p>Texte.</p>".to_owned(),
        image_url: None,
        image_alt: None,
        published_at: now.to_owned(),
        updated_at: now.to_owned(),
        source_url: None,
        feed_url: None,
        content_hash: "hash".to_owned(),
        themes: themes.iter().map(|t| (*t).to_owned()).collect(),
    };
    let mut tx = db::articles::begin_write(&app.state.db)
        .await
        .expect("transaction");
    let id = db::articles::insert(&mut tx, &article)
        .await
        .expect("article inserted");
    tx.commit().await.expect("committed");
    id
}

async fn dispatch(app: &TestApp, article_id: i64) -> DispatchReport {
    dispatch_article(&app.state.db, &app.state.push, article_id)
        .await
        .expect("dispatch runs")
}

fn subscription_body(sub: &TestSubscription, themes: &[&str]) -> Value {
    json!({ "endpoint": sub.endpoint, "keys": sub.keys, "themes": themes, "locale": "fr" })
}

async fn post_subscription(app: &TestApp, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/push/subscriptions"))
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn subscribe(app: &TestApp, sub: &TestSubscription, themes: &[&str]) -> PushSubscription {
    let response = post_subscription(app, &subscription_body(sub, themes)).await;
    assert_eq!(response.status(), 201);
    response.json().await.expect("subscription JSON")
}

async fn problem(response: reqwest::Response) -> Problem {
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    response.json().await.expect("problem JSON")
}

#[tokio::test]
async fn the_vapid_key_is_an_uncompressed_p256_point_kept_across_restarts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let start = || async {
        let dist = write_fake_dist(&dir.path().join("dist"));
        let sources = Sources {
            env: vec![
                ("PARVIS_SERVER__PORT".into(), "0".into()),
                ("PARVIS_SERVER__APP_DIR".into(), path_str(&dist)),
                ("PARVIS_DATA_DIR".into(), path_str(&dir.path().join("data"))),
            ],
            ..Sources::default()
        };
        let app = Application::build(Config::load(&sources).expect("config"))
            .await
            .expect("builds");
        let url = format!("{}api/v1/push/key", app.url());
        let state = app.state();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        let key: VapidPublicKey = reqwest::get(&url)
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON");
        assert_eq!(key.public_key, state.push.public_key());
        drop(state);
        let _ = stop.send(());
        server.await.expect("joined").expect("served");
        key.public_key
    };

    let first = start().await;
    let second = start().await;

    assert_eq!(first, second);
    let point = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &first)
        .expect("base64url");
    assert_eq!(point.len(), 65);
    assert_eq!(point[0], 4);
}

#[tokio::test]
async fn subscribing_the_same_endpoint_again_updates_it_instead_of_adding_one() {
    let (app, receiver) = setup().await;
    let sub = receiver.subscription();

    let first = subscribe(&app, &sub, &[ROADWORKS]).await;
    let again = post_subscription(&app, &subscription_body(&sub, &[CULTURE, ALERT, CULTURE])).await;

    assert_eq!(again.status(), 200);
    let again: PushSubscription = again.json().await.expect("JSON");
    assert_eq!(again.id, first.id);
    assert_eq!(first.id.len(), 22);
    assert_eq!(first.themes, vec![ROADWORKS]);
    assert_eq!(again.themes, vec![ALERT, CULTURE]);
}

#[tokio::test]
async fn many_browsers_subscribing_at_once_are_all_recorded() {
    let (app, receiver) = setup().await;
    let subs: Vec<TestSubscription> = (0..24).map(|_| receiver.subscription()).collect();

    let bodies: Vec<Value> = subs
        .iter()
        .map(|sub| subscription_body(sub, &[CULTURE]))
        .collect();

    let responses =
        futures_util::future::join_all(bodies.iter().map(|body| post_subscription(&app, body)))
            .await;

    assert!(responses.iter().all(|r| r.status() == 201));
    let article = publish(&app, &[CULTURE], "Marché", "Dimanche matin.").await;
    assert_eq!(dispatch(&app, article).await.delivered, 24);
}

#[tokio::test]
async fn themes_can_be_changed_then_the_subscription_deleted() {
    let (app, receiver) = setup().await;
    let sub = receiver.subscription();
    let created = subscribe(&app, &sub, &[ROADWORKS]).await;
    let path = format!("/api/v1/push/subscriptions/{}", created.id);

    let put = app
        .client
        .put(app.url(&path))
        .json(&json!({ "themes": [CULTURE, ROADWORKS] }))
        .send()
        .await
        .expect("put");
    assert_eq!(put.status(), 200);
    let updated: PushSubscription = put.json().await.expect("JSON");
    assert_eq!(updated.themes, vec![CULTURE, ROADWORKS]);

    let article = publish(&app, &[CULTURE], "Concert", "Samedi soir.").await;
    assert_eq!(dispatch(&app, article).await.delivered, 1);

    let delete = app
        .client
        .delete(app.url(&path))
        .send()
        .await
        .expect("delete");
    assert_eq!(delete.status(), 204);
    let again = app
        .client
        .delete(app.url(&path))
        .send()
        .await
        .expect("delete");
    assert_eq!(problem(again).await.status, 404);
    let put = app
        .client
        .put(app.url(&path))
        .json(&json!({ "themes": [CULTURE] }))
        .send()
        .await
        .expect("put");
    assert_eq!(problem(put).await.status, 404);

    let later = publish(&app, &[CULTURE], "Exposition", "Dimanche.").await;
    assert_eq!(dispatch(&app, later).await.recipients, 0);
}

#[tokio::test]
async fn malformed_subscriptions_are_refused_with_french_422_problems() {
    let (app, receiver) = setup().await;
    let sub = receiver.subscription();
    let good = subscription_body(&sub, &[ROADWORKS]);
    let with = |pointer: &str, value: Value| {
        let mut body = good.clone();
        *body.pointer_mut(pointer).expect("field") = value;
        body
    };
    let cases = [
        (
            "http endpoint",
            with("/endpoint", json!("http://push.example/x")),
            "https",
        ),
        (
            "relative endpoint",
            with("/endpoint", json!("/push/x")),
            "https",
        ),
        ("short key", with("/keys/p256dh", json!("BAAA")), "p256dh"),
        (
            "point off the curve",
            with("/keys/p256dh", json!(format!("B{}", "A".repeat(86)))),
            "p256dh",
        ),
        ("short auth", with("/keys/auth", json!("AAAA")), "auth"),
        ("no theme", with("/themes", json!([])), "au moins un thème"),
        (
            "unknown theme",
            with("/themes", json!([ROADWORKS, "piscine"])),
            "« piscine »",
        ),
        (
            "malformed slug",
            with("/themes", json!(["Travaux!"])),
            "« Travaux! »",
        ),
        (
            "wrong type",
            with("/themes", json!("travaux")),
            "mal formées",
        ),
    ];

    for (case, body, expected) in cases {
        let response = post_subscription(&app, &body).await;
        assert_eq!(response.status(), 422, "{case}");
        let problem = problem(response).await;
        let detail = problem.detail.expect("detail");
        assert!(detail.contains(expected), "{case}: {detail}");
    }

    let created = subscribe(&app, &sub, &[ROADWORKS]).await;
    let put = app
        .client
        .put(app.url(&format!("/api/v1/push/subscriptions/{}", created.id)))
        .json(&json!({ "themes": ["piscine"] }))
        .send()
        .await
        .expect("put");
    assert_eq!(put.status(), 422);
}

#[tokio::test]
async fn broken_json_is_400_and_an_oversized_body_413() {
    let app = spawn_app_with(&[("PARVIS_SERVER__MAX_BODY_BYTES", "2048")]).await;

    let broken = app
        .client
        .post(app.url("/api/v1/push/subscriptions"))
        .header("content-type", "application/json")
        .body("{\"endpoint\":")
        .send()
        .await
        .expect("request");
    assert_eq!(problem(broken).await.status, 400);

    let huge = json!({ "endpoint": format!("https://push.example/{}", "x".repeat(4000)),
                       "keys": { "p256dh": "", "auth": "" }, "themes": [] });
    let response = post_subscription(&app, &huge).await;
    assert_eq!(problem(response).await.status, 413);
}

#[tokio::test]
async fn an_article_reaches_each_matching_subscription_exactly_once() {
    let (app, receiver) = setup().await;
    let roadworks = receiver.subscription();
    let both = receiver.subscription();
    let culture_only = receiver.subscription();
    subscribe(&app, &roadworks, &[ROADWORKS]).await;
    subscribe(&app, &both, &[ROADWORKS, CULTURE]).await;
    subscribe(&app, &culture_only, &[CULTURE]).await;
    let article = publish(
        &app,
        &[ROADWORKS, ALERT],
        "Travaux rue Haute",
        "La rue Haute est fermée lundi de 8 h à 17 h.",
    )
    .await;

    let report = dispatch(&app, article).await;

    assert_eq!(receiver.errors(), Vec::<String>::new());
    assert_eq!(report.recipients, 2);
    assert_eq!(report.delivered, 2);
    assert_eq!(receiver.delivered(&roadworks).len(), 1);
    assert_eq!(receiver.delivered(&both).len(), 1);
    assert!(receiver.requests(&culture_only).is_empty());

    let received = &receiver.delivered(&both)[0];
    let payload = serde_json::to_value(&received.message).expect("JSON");
    assert_eq!(
        payload,
        json!({
            "web_push": 8030,
            "notification": {
                "title": "Travaux rue Haute",
                "body": "La rue Haute est fermée lundi de 8 h à 17 h.",
                "navigate": format!("{}/actualites/{article}", app.address),
                "lang": "fr",
                "tag": format!("article-{article}"),
            }
        })
    );
    assert_eq!(received.ttl.as_deref(), Some("86400"));
}

#[tokio::test]
async fn an_urgent_article_is_sent_with_high_urgency_and_a_topic() {
    let (app, receiver) = setup().await;
    let sub = receiver.subscription();
    subscribe(&app, &sub, &[ROADWORKS, ALERT]).await;
    let normal = publish(&app, &[ROADWORKS], "Travaux", "Rue Basse.").await;
    let urgent = publish(&app, &[ALERT], "Alerte crue", "La Loire monte.").await;

    dispatch(&app, normal).await;
    dispatch(&app, urgent).await;

    let received = receiver.delivered(&sub);
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].urgency.as_deref(), Some("normal"));
    assert_eq!(received[0].topic, None);
    assert_eq!(received[1].urgency.as_deref(), Some("high"));
    let topic = format!("article-{urgent}");
    assert_eq!(received[1].topic.as_deref(), Some(topic.as_str()));
    assert!(received.iter().all(|r| r.ttl.is_some()));
}

#[tokio::test]
async fn a_long_summary_is_cut_so_the_message_fits_4096_bytes() {
    let (app, receiver) = setup().await;
    let sub = receiver.subscription();
    subscribe(&app, &sub, &[CULTURE]).await;
    let article = publish(
        &app,
        &[CULTURE],
        "Programme",
        &"Été « culturel » ".repeat(400),
    )
    .await;

    dispatch(&app, article).await;

    assert_eq!(receiver.errors(), Vec::<String>::new());
    let received = &receiver.delivered(&sub)[0];
    assert!(received.body_len <= 4096, "{}", received.body_len);
    assert!(received.body_len > 4000, "{}", received.body_len);
    let body = received.message.notification.body.as_deref().expect("body");
    assert!(body.ends_with('…'));
}

#[tokio::test]
async fn an_expired_subscription_is_removed_when_its_push_service_says_gone() {
    let (app, receiver) = setup().await;
    let gone = receiver.scripted(&[410]);
    let not_found = receiver.scripted(&[404]);
    let alive = receiver.subscription();
    for sub in [&gone, &not_found, &alive] {
        subscribe(&app, sub, &[CULTURE]).await;
    }
    let gone_id = parvis_server::api::push::subscription_id(&gone.endpoint);

    let report = dispatch(&app, publish(&app, &[CULTURE], "Cinéma", "Ce soir.").await).await;

    assert_eq!((report.delivered, report.removed), (1, 2));
    let delete = app
        .client
        .delete(app.url(&format!("/api/v1/push/subscriptions/{gone_id}")))
        .send()
        .await
        .expect("delete");
    assert_eq!(delete.status(), 404);
    let next = dispatch(&app, publish(&app, &[CULTURE], "Théâtre", "Demain.").await).await;
    assert_eq!(next.recipients, 1);
    assert_eq!(receiver.requests(&gone).len(), 1);
}

#[tokio::test]
async fn a_throttled_or_failing_push_service_is_retried_then_delivered_once() {
    let (app, receiver) = setup().await;
    let throttled = receiver.scripted(&[429]);
    let failing = receiver.scripted(&[500, 503]);
    for sub in [&throttled, &failing] {
        subscribe(&app, sub, &[ROADWORKS]).await;
    }

    let report = dispatch(
        &app,
        publish(&app, &[ROADWORKS], "Voirie", "Rue du Port.").await,
    )
    .await;

    assert_eq!(receiver.errors(), Vec::<String>::new());
    assert_eq!(report.delivered, 2);
    let statuses = |sub| {
        receiver
            .requests(sub)
            .iter()
            .map(|r| r.status)
            .collect::<Vec<_>>()
    };
    assert_eq!(statuses(&throttled), vec![429, 201]);
    assert_eq!(statuses(&failing), vec![500, 503, 201]);
}

#[tokio::test]
async fn a_push_service_failing_past_the_last_attempt_is_tried_again_at_the_next_dispatch() {
    let (app, receiver) = setup().await;
    let down = receiver.scripted(&[502, 502, 502]);
    let refusing = receiver.scripted(&[400]);
    subscribe(&app, &down, &[ROADWORKS]).await;
    subscribe(&app, &refusing, &[ROADWORKS]).await;
    let article = publish(&app, &[ROADWORKS], "Voirie", "Rue Neuve.").await;

    let first = dispatch(&app, article).await;
    let second = dispatch(&app, article).await;

    assert_eq!((first.failed, first.rejected, first.delivered), (1, 1, 0));
    assert_eq!(receiver.requests(&down).len(), 4);
    assert_eq!(receiver.delivered(&down).len(), 1);
    // A 400 is not retried within a dispatch, and the subscription is kept.
    assert_eq!(receiver.requests(&refusing).len(), 2);
    assert_eq!(second.delivered, 2);
}

#[tokio::test]
async fn dispatching_the_same_article_again_sends_nothing_new_not_even_to_later_subscriptions() {
    let (app, receiver) = setup().await;
    let early = receiver.subscription();
    subscribe(&app, &early, &[CULTURE]).await;
    let article = publish(&app, &[CULTURE], "Fête", "Place de l’église.").await;
    assert_eq!(dispatch(&app, article).await.delivered, 1);
    let late = receiver.subscription();
    subscribe(&app, &late, &[CULTURE]).await;

    let again = dispatch(&app, article).await;
    let third = dispatch(&app, article).await;

    // A resident subscribing after the article was stored does not get it.
    assert_eq!(again.recipients, 0);
    assert_eq!(third.recipients, 0);
    assert_eq!(receiver.requests(&early).len(), 1);
    assert!(receiver.requests(&late).is_empty());
}

#[tokio::test]
async fn an_article_published_longer_ago_than_the_ttl_is_not_pushed() {
    let (app, receiver) = setup().await;
    let sub = receiver.subscription();
    subscribe(&app, &sub, &[CULTURE]).await;
    let old = publish_at(
        &app,
        &[CULTURE],
        "Archives",
        "2019.",
        "2019-05-01T08:00:00Z",
    )
    .await;

    let report = dispatch(&app, old).await;

    assert!(report.too_old);
    assert!(receiver.requests(&sub).is_empty());
}

#[tokio::test]
async fn a_contact_that_is_not_a_mailto_or_https_url_stops_start_up() {
    let sources = Sources {
        env: vec![("PARVIS_PUSH__CONTACT".into(), "mairie".into())],
        ..Sources::default()
    };

    let err = Config::load(&sources).expect_err("refused");

    assert!(err.to_string().contains("push.contact"), "{err}");
}

#[tokio::test]
async fn a_published_article_is_pushed_without_being_asked() {
    let (app, receiver) = setup().await;
    let sub = receiver.subscription();
    subscribe(&app, &sub, &[ALERT]).await;
    let article = publish(&app, &[ALERT], "Coupure d’eau", "Quartier nord, 14 h.").await;

    app.state
        .published
        .send(article)
        .expect("the dispatcher listens");

    let mut waited = Duration::ZERO;
    while receiver.delivered(&sub).is_empty() && waited < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += Duration::from_millis(20);
    }
    let received = receiver.delivered(&sub);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].message.notification.title, "Coupure d’eau");
}
