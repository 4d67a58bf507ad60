//! Reports from the app over real HTTP: categories, creation with a photo (EXIF gone, turned
//! upright), idempotency (retries, concurrent duplicates), refusals (key, bounds, fields, rate
//! limit), the reporter's view and « Mes signalements », agent updates and history, nearby and
//! « Moi aussi », the GeoJSON export and the demo reports.

use std::collections::HashSet;

use parvis_core::{
    NearbyReport, Report, ReportCategory, ReportReceipt, ReportStatus, ReportStatuses,
    SupportReceipt,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::report_helpers::{
    AGENT_KEY, GPS_JPEG, GPS_MAKE, INSIDE, Part, create, has_exif, jpeg_segments, png, post_report,
    pothole, problem, report_at, reports_app, reports_app_with, stored_files, webp,
};

async fn get_report(app: &TestApp, id: i64, token: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/reports/{id}")))
        .query(&[("token", token)])
        .send()
        .await
        .expect("request sent")
}

async fn report(app: &TestApp, receipt: &ReportReceipt) -> Report {
    let response = get_report(app, receipt.id, &receipt.token).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("report JSON")
}

pub async fn update(app: &TestApp, id: i64, change: &Value) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/reports/{id}/updates")))
        .bearer_auth(AGENT_KEY)
        .json(change)
        .send()
        .await
        .expect("request sent")
}

async fn support(app: &TestApp, id: i64, key: &str, body: Option<Value>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/api/v1/reports/{id}/support")))
        .header("Idempotency-Key", key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request sent")
}

async fn report_count(app: &TestApp) -> i64 {
    parvis_server::db::reports::count(&app.state.db)
        .await
        .expect("count")
}

async fn fetch_photo(app: &TestApp, url: &str) -> Vec<u8> {
    let response = app.get(url).await;
    assert_eq!(response.status(), 200, "{url}");
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );
    response.bytes().await.expect("photo").to_vec()
}

#[tokio::test]
async fn categories_are_listed_with_their_open311_codes() {
    let app = reports_app().await;

    let response = app.get("/api/v1/report-categories").await;

    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].clone();
    let categories: Vec<ReportCategory> = response.json().await.expect("JSON");
    let codes: Vec<&str> = categories.iter().map(|c| c.service_code.as_str()).collect();
    for code in [
        "voirie",
        "eclairage-public",
        "proprete",
        "depots-sauvages",
        "espaces-verts",
        "mobilier-urbain",
        "tags",
        "signalisation",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    assert!(
        categories
            .iter()
            .all(|c| !c.group.is_empty() && !c.description.is_empty())
    );
    let again = app
        .client
        .get(app.url("/api/v1/report-categories"))
        .header("If-None-Match", etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn a_report_with_a_gps_photo_is_stored_re_encoded_upright_and_without_exif() {
    let app = reports_app().await;
    // The fixture really carries what must not survive.
    assert!(has_exif(GPS_JPEG));
    assert!(
        GPS_JPEG
            .windows(GPS_MAKE.len())
            .any(|w| w == GPS_MAKE.as_bytes())
    );

    let response = post_report(
        &app,
        Some("5f0c6a51-8d1e-4a7e-9a57-0d1c3e1f2a01"),
        &[Part::report(&pothole()), Part::photo("photo", GPS_JPEG)],
    )
    .await;

    assert_eq!(response.status(), 201);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let receipt: ReportReceipt = response.json().await.expect("receipt");
    assert_eq!(location, format!("/api/v1/reports/{}", receipt.id));
    assert!(receipt.token.len() >= 40, "a long secret token");
    let report = report(&app, &receipt).await;
    assert_eq!(report.status, ReportStatus::Submitted);
    assert_eq!(report.category, "voirie");
    assert_eq!(report.history.len(), 1);
    assert_eq!(report.photos.len(), 1);
    let photo = &report.photos[0];
    // 80×40 with orientation 6 (turn a quarter clockwise): stored upright, 40×80.
    assert_eq!((photo.width, photo.height), (40, 80));
    let stored = fetch_photo(&app, &photo.url).await;
    assert!(!has_exif(&stored), "no EXIF left");
    assert!(
        !stored
            .windows(GPS_MAKE.len())
            .any(|w| w == GPS_MAKE.as_bytes())
    );
    assert!(
        jpeg_segments(&stored)
            .iter()
            .all(|(marker, _)| !(0xe1..=0xef).contains(marker))
    );
    let decoded = image::load_from_memory_with_format(&stored, image::ImageFormat::Jpeg)
        .expect("a valid JPEG")
        .to_rgb8();
    assert_eq!(decoded.dimensions(), (40, 80));
    // The left (red) half of the shot is now the top.
    let top = decoded.get_pixel(20, 10).0;
    let bottom = decoded.get_pixel(20, 70).0;
    assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
    let thumbnail = fetch_photo(&app, &photo.thumbnail_url).await;
    assert!(!has_exif(&thumbnail));
    // Nothing else is in the store: the photo and its thumbnail.
    assert_eq!(stored_files(&app).len(), 2);
}

#[tokio::test]
async fn png_and_webp_photos_are_accepted_and_become_jpegs() {
    let app = reports_app().await;

    let receipt = create(
        &app,
        "k-png-webp",
        &[
            Part::report(&report_at("tags", "", INSIDE)),
            Part::photo("photo1", &png(64, 48)),
            Part::photo("photo2", &webp(30, 20)),
        ],
    )
    .await;

    let report = report(&app, &receipt).await;
    assert_eq!(report.photos.len(), 2);
    assert_eq!((report.photos[0].width, report.photos[0].height), (64, 48));
    for photo in &report.photos {
        let bytes = fetch_photo(&app, &photo.url).await;
        assert_eq!(&bytes[..3], b"\xff\xd8\xff");
    }
}

#[tokio::test]
async fn the_same_key_twice_answers_the_same_receipt_and_makes_one_report() {
    let app = reports_app().await;
    let parts = [Part::report(&pothole()), Part::photo("photo", &png(40, 30))];

    let first = create(&app, "4b2a-retry", &parts).await;
    // The first answer was lost: the outbox sends the same request again.
    let second = create(&app, "4b2a-retry", &parts).await;

    assert_eq!(first, second);
    assert_eq!(report_count(&app).await, 1);
    assert_eq!(stored_files(&app).len(), 2, "the retry stored no photo");
}

#[tokio::test]
async fn ten_concurrent_copies_of_a_request_make_one_report_and_leave_no_orphan_photo() {
    let app = reports_app().await;
    let parts = vec![
        Part::report(&pothole()),
        Part::photo("photo", &png(120, 90)),
    ];

    let attempts = (0..10).map(|_| post_report(&app, Some("burst-key"), &parts));
    let responses = futures_util::future::join_all(attempts).await;

    let mut receipts = HashSet::new();
    for response in responses {
        assert_eq!(response.status(), 201);
        let receipt: ReportReceipt = response.json().await.expect("receipt");
        receipts.insert((receipt.id, receipt.token, receipt.created_at));
    }
    assert_eq!(receipts.len(), 1, "every copy got the same receipt");
    assert_eq!(report_count(&app).await, 1);
    assert_eq!(stored_files(&app).len(), 2, "{:?}", stored_files(&app));
}

#[tokio::test]
async fn the_same_key_with_other_content_is_a_conflict() {
    let app = reports_app().await;
    create(&app, "same-key", &[Part::report(&pothole())]).await;

    let other = report_at("tags", "Tag sur le mur", INSIDE);
    let response = post_report(&app, Some("same-key"), &[Part::report(&other)]).await;

    let problem = problem(response, 409).await;
    assert!(problem.detail.expect("detail").contains("Idempotency-Key"));
    assert_eq!(report_count(&app).await, 1);
}

#[tokio::test]
async fn a_report_without_an_idempotency_key_is_refused() {
    let app = reports_app().await;

    let response = post_report(&app, None, &[Part::report(&pothole())]).await;

    let problem = problem(response, 400).await;
    assert!(problem.detail.expect("detail").contains("Idempotency-Key"));
    assert_eq!(report_count(&app).await, 0);
}

#[tokio::test]
async fn a_place_outside_the_commune_is_refused_in_french() {
    let app = reports_app().await;
    let paris = report_at("voirie", "Nid-de-poule", (48.8566, 2.3522));

    let response = post_report(&app, Some("k-paris"), &[Part::report(&paris)]).await;

    let problem = problem(response, 422).await;
    assert_eq!(
        problem.detail.as_deref(),
        Some("Ce lieu est hors de la commune.")
    );
    assert_eq!(problem.errors[0].field, "position");
    assert_eq!(report_count(&app).await, 0);
}

#[tokio::test]
async fn invalid_fields_are_listed_one_by_one() {
    let app = reports_app().await;
    let bad = json!({
        "category": "ovni",
        "description": "",
        "position": { "lat": INSIDE.0, "lon": INSIDE.1 },
        "email": "pas-une-adresse",
    });

    let response = post_report(&app, Some("k-bad"), &[Part::report(&bad)]).await;

    let problem = problem(response, 422).await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["category", "description", "email"]);
    assert!(problem.detail.expect("detail").contains("corrigez"));

    let missing = post_report(&app, Some("k-none"), &[Part::text("description", "x")]).await;
    let problem = crate::report_helpers::problem(missing, 422).await;
    assert_eq!(problem.errors[0].field, "report");

    let not_json = post_report(&app, Some("k-json"), &[Part::text("report", "{")]).await;
    assert_eq!(not_json.status(), 422);

    let json_body = app
        .client
        .post(app.url("/api/v1/reports"))
        .header("Idempotency-Key", "k-wrong-type")
        .json(&pothole())
        .send()
        .await
        .expect("request");
    let problem = crate::report_helpers::problem(json_body, 415).await;
    assert!(problem.detail.expect("detail").contains("multipart"));
}

#[tokio::test]
async fn more_than_three_photos_are_refused() {
    let app = reports_app().await;
    let photo = png(8, 8);
    let mut parts = vec![Part::report(&pothole())];
    for i in 1..=4 {
        parts.push(Part::photo(&format!("photo{i}"), &photo));
    }

    let response = post_report(&app, Some("k-four"), &parts).await;

    let problem = problem(response, 422).await;
    assert_eq!(problem.errors[0].field, "photo");
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn new_reports_are_rate_limited_per_address_but_retries_are_not() {
    let app = reports_app_with(&[("PARVIS_REPORTS__RATE_LIMIT_PER_HOUR", "2")]).await;
    let first = create(&app, "rl-1", &[Part::report(&pothole())]).await;
    create(&app, "rl-2", &[Part::report(&pothole())]).await;

    let third = post_report(&app, Some("rl-3"), &[Part::report(&pothole())]).await;

    assert_eq!(third.status(), 429);
    let retry_after: u64 = third.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=1800).contains(&retry_after), "{retry_after}");
    let problem = problem(third, 429).await;
    assert!(problem.detail.expect("detail").contains("Réessayez dans"));
    // What was accepted is never refused: a retry of the first report still gets its receipt.
    let retried = create(&app, "rl-1", &[Part::report(&pothole())]).await;
    assert_eq!(retried, first);
    assert_eq!(report_count(&app).await, 2);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_address_has_its_own_budget() {
    let app = reports_app_with(&[
        ("PARVIS_REPORTS__RATE_LIMIT_PER_HOUR", "1"),
        ("PARVIS_SERVER__TRUST_PROXY", "true"),
    ])
    .await;
    let send = |key: &'static str, from: &'static str| {
        let (content_type, body) = crate::report_helpers::multipart(&[Part::report(&pothole())]);
        app.client
            .post(app.url("/api/v1/reports"))
            .header("Content-Type", content_type)
            .header("Idempotency-Key", key)
            .header("X-Forwarded-For", from)
            .body(body)
            .send()
    };

    assert_eq!(
        send("p-1", "198.51.100.1, 203.0.113.1")
            .await
            .expect("sent")
            .status(),
        201
    );
    assert_eq!(
        send("p-2", "203.0.113.2").await.expect("sent").status(),
        201
    );
    assert_eq!(
        send("p-3", "203.0.113.1").await.expect("sent").status(),
        429
    );

    // Without trust_proxy the header proves nothing: one budget for the connection.
    let direct = reports_app_with(&[("PARVIS_REPORTS__RATE_LIMIT_PER_HOUR", "1")]).await;
    let send_direct = |key: &'static str, from: &'static str| {
        let (content_type, body) = crate::report_helpers::multipart(&[Part::report(&pothole())]);
        direct
            .client
            .post(direct.url("/api/v1/reports"))
            .header("Content-Type", content_type)
            .header("Idempotency-Key", key)
            .header("X-Forwarded-For", from)
            .body(body)
            .send()
    };
    assert_eq!(
        send_direct("d-1", "203.0.113.1")
            .await
            .expect("sent")
            .status(),
        201
    );
    assert_eq!(
        send_direct("d-2", "203.0.113.2")
            .await
            .expect("sent")
            .status(),
        429
    );
}

#[tokio::test]
async fn the_status_is_read_with_the_token_only() {
    let app = reports_app().await;
    let receipt = create(&app, "k-token", &[Part::report(&pothole())]).await;

    let without = app.get(&format!("/api/v1/reports/{}", receipt.id)).await;
    let wrong = get_report(&app, receipt.id, "not-the-token").await;
    let unknown = get_report(&app, receipt.id + 100, &receipt.token).await;
    let right = get_report(&app, receipt.id, &receipt.token).await;

    problem(without, 400).await;
    let wrong = problem(wrong, 404).await;
    assert!(wrong.detail.expect("detail").contains("introuvable"));
    problem(unknown, 404).await;
    assert_eq!(right.status(), 200);
    assert_eq!(
        right.headers()["cache-control"],
        "private, no-cache",
        "a tracked report stays out of shared caches"
    );
}

#[tokio::test]
async fn my_reports_come_back_in_one_request_and_unknown_ones_are_named() {
    let app = reports_app().await;
    let a = create(&app, "mine-a", &[Part::report(&pothole())]).await;
    let b = create(
        &app,
        "mine-b",
        &[Part::report(&report_at("tags", "Tag", INSIDE))],
    )
    .await;

    let response = app
        .client
        .post(app.url("/api/v1/reports/status"))
        .json(&json!([
            { "id": b.id, "token": b.token },
            { "id": a.id, "token": a.token },
            { "id": a.id, "token": "stolen?" },
            { "id": 999, "token": a.token },
        ]))
        .send()
        .await
        .expect("request");

    assert_eq!(response.status(), 200);
    let statuses: ReportStatuses = response.json().await.expect("JSON");
    let ids: Vec<i64> = statuses.items.iter().map(|r| r.id).collect();
    assert_eq!(ids, [b.id, a.id]);
    assert_eq!(statuses.not_found, [999]);

    let too_many: Vec<Value> = (0..201).map(|i| json!({ "id": i, "token": "x" })).collect();
    let response = app
        .client
        .post(app.url("/api/v1/reports/status"))
        .json(&too_many)
        .send()
        .await
        .expect("request");
    problem(response, 422).await;
}

#[tokio::test]
async fn agents_change_statuses_and_every_change_is_kept_with_its_note() {
    let app = reports_app().await;
    let original = create(&app, "orig", &[Part::report(&pothole())]).await;
    let receipt = create(&app, "dup", &[Part::report(&pothole())]).await;

    let changes = [
        json!({ "status": "acknowledged", "note": "Merci, nous regardons." }),
        json!({ "status": "scheduled", "scheduled_for": "2030-05-04", "note": "Intervention prévue." }),
        json!({ "status": "in_progress" }),
        json!({ "status": "duplicate", "duplicate_of": original.id, "note": "Déjà signalé." }),
    ];
    for change in &changes {
        let response = update(&app, receipt.id, change).await;
        assert_eq!(response.status(), 201, "{change}");
    }
    // The same change again (a retried request) is not recorded twice.
    let again = update(&app, receipt.id, &changes[3]).await;
    assert_eq!(again.status(), 200);

    let report = report(&app, &receipt).await;
    let statuses: Vec<ReportStatus> = report.history.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            ReportStatus::Submitted,
            ReportStatus::Acknowledged,
            ReportStatus::Scheduled,
            ReportStatus::InProgress,
            ReportStatus::Duplicate,
        ]
    );
    assert_eq!(
        report.history[2].scheduled_for.as_deref(),
        Some("2030-05-04")
    );
    assert_eq!(report.status, ReportStatus::Duplicate);
    assert_eq!(report.duplicate_of, Some(original.id));
    assert_eq!(report.status_note.as_deref(), Some("Déjà signalé."));
    assert_eq!(report.scheduled_for, None, "the date went with `scheduled`");

    let rejected = update(
        &app,
        original.id,
        &json!({ "status": "rejected", "note": "Domaine privé : voyez le syndic." }),
    )
    .await;
    assert_eq!(rejected.status(), 201);
    let rejected: Report = rejected.json().await.expect("report");
    assert_eq!(rejected.status, ReportStatus::Rejected);
}

#[tokio::test]
async fn status_changes_need_a_valid_key_and_valid_fields() {
    let app = reports_app().await;
    let receipt = create(&app, "k-upd", &[Part::report(&pothole())]).await;
    let url = app.url(&format!("/api/v1/reports/{}/updates", receipt.id));
    let change = json!({ "status": "acknowledged" });

    let anonymous = app
        .client
        .post(&url)
        .json(&change)
        .send()
        .await
        .expect("sent");
    let wrong = app
        .client
        .post(&url)
        .bearer_auth("not-a-key-0123456789")
        .json(&change)
        .send()
        .await
        .expect("sent");
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.headers().contains_key("www-authenticate"));
    assert_eq!(wrong.status(), 401);

    let invalid = update(&app, receipt.id, &json!({ "status": "rejected" })).await;
    let problem = problem(invalid, 422).await;
    assert_eq!(problem.errors[0].field, "note");
    let missing_original = update(
        &app,
        receipt.id,
        &json!({ "status": "duplicate", "duplicate_of": 999 }),
    )
    .await;
    assert_eq!(missing_original.status(), 422);
    let unknown = update(&app, 999, &change).await;
    assert_eq!(unknown.status(), 404);
    let back = update(&app, receipt.id, &json!({ "status": "submitted" })).await;
    assert_eq!(back.status(), 422);

    let disabled = spawn_app().await;
    let response = disabled
        .client
        .post(disabled.url("/api/v1/reports/1/updates"))
        .bearer_auth(AGENT_KEY)
        .json(&change)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn nearby_open_reports_of_the_same_category_are_found_and_supported() {
    let app = reports_app().await;
    let here = create(&app, "near-1", &[Part::report(&pothole())]).await;
    // About 150 m north: near. About 400 m north: too far. Another category: not listed.
    let north_150 = (INSIDE.0 + 150.0 / 111_195.0, INSIDE.1);
    let north_400 = (INSIDE.0 + 400.0 / 111_195.0, INSIDE.1);
    let near = create(
        &app,
        "near-2",
        &[Part::report(&report_at("voirie", "Trou", north_150))],
    )
    .await;
    create(
        &app,
        "near-3",
        &[Part::report(&report_at("voirie", "Trou", north_400))],
    )
    .await;
    create(
        &app,
        "near-4",
        &[Part::report(&report_at("tags", "Tag", INSIDE))],
    )
    .await;
    let closed = create(&app, "near-5", &[Part::report(&pothole())]).await;
    update(
        &app,
        closed.id,
        &json!({ "status": "resolved", "note": "Rebouché." }),
    )
    .await;

    let response = app
        .client
        .get(app.url("/api/v1/reports/nearby"))
        .query(&[
            ("lat", INSIDE.0.to_string()),
            ("lon", INSIDE.1.to_string()),
            ("category", "voirie".into()),
        ])
        .send()
        .await
        .expect("request");

    assert_eq!(response.status(), 200);
    let nearby: Vec<NearbyReport> = response.json().await.expect("JSON");
    let ids: Vec<i64> = nearby.iter().map(|r| r.id).collect();
    assert_eq!(ids, [here.id, near.id], "nearest first, open ones only");
    assert!(
        (140..=160).contains(&nearby[1].distance_m),
        "{}",
        nearby[1].distance_m
    );

    // « Moi aussi », twice from the same device with two keys: counted once.
    let first = support(
        &app,
        near.id,
        "s-1",
        Some(json!({ "device_id": "device-b" })),
    )
    .await;
    assert_eq!(first.status(), 200);
    let first: SupportReceipt = first.json().await.expect("JSON");
    assert_eq!(first.supporters, 1);
    let second: SupportReceipt = support(
        &app,
        near.id,
        "s-2",
        Some(json!({ "device_id": "device-b" })),
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(second, first);
    let other: SupportReceipt = support(&app, near.id, "s-3", None)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(other.supporters, 2);
    assert_ne!(other.token, first.token);
    // The supporter follows the report with its token.
    let followed = get_report(&app, near.id, &first.token).await;
    assert_eq!(followed.status(), 200);
    let followed: Report = followed.json().await.expect("report");
    assert_eq!(followed.supporters, 2);

    let closed_support = support(&app, closed.id, "s-4", None).await;
    problem(closed_support, 409).await;
    let without_key = app
        .client
        .post(app.url(&format!("/api/v1/reports/{}/support", near.id)))
        .send()
        .await
        .expect("sent");
    problem(without_key, 400).await;
    assert_eq!(support(&app, 999, "s-5", None).await.status(), 404);
}

#[tokio::test]
async fn new_supports_are_rate_limited_per_address_but_retries_are_not() {
    let app = reports_app_with(&[("PARVIS_REPORTS__SUPPORT_RATE_LIMIT_PER_HOUR", "2")]).await;
    let report = create(&app, "srl-0", &[Part::report(&pothole())]).await;
    let supported = |key: &'static str, device: &'static str| {
        support(&app, report.id, key, Some(json!({ "device_id": device })))
    };
    let first: SupportReceipt = supported("srl-1", "device-1")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(supported("srl-2", "device-2").await.status(), 200);

    // A third new supporter from the same address waits: the public tally is not inflated.
    let third = supported("srl-3", "device-3").await;
    assert_eq!(third.status(), 429);
    assert!(third.headers().contains_key("retry-after"));
    let problem = problem(third, 429).await;
    assert!(problem.detail.expect("detail").contains("Réessayez dans"));
    // A support already counted is still answered, with its token and today's tally.
    let retried: SupportReceipt = supported("srl-1b", "device-1")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(retried.token, first.token);
    assert_eq!(retried.supporters, 2);
    let followed: Report = get_report(&app, report.id, &first.token)
        .await
        .json()
        .await
        .expect("report");
    assert_eq!(followed.supporters, 2);
}

#[tokio::test]
async fn nearby_needs_a_place_in_the_commune_and_a_known_category() {
    let app = reports_app().await;
    let ask = |query: &'static [(&'static str, &'static str)]| {
        app.client
            .get(app.url("/api/v1/reports/nearby"))
            .query(query)
            .send()
    };

    let missing = ask(&[("lat", "47.39")]).await.expect("sent");
    let outside = ask(&[("lat", "48.85"), ("lon", "2.35"), ("category", "voirie")])
        .await
        .expect("sent");
    let unknown = ask(&[("lat", "47.3936"), ("lon", "0.6892"), ("category", "ovni")])
        .await
        .expect("sent");

    problem(missing, 400).await;
    let outside = problem(outside, 422).await;
    assert_eq!(
        outside.detail.as_deref(),
        Some("Ce lieu est hors de la commune.")
    );
    problem(unknown, 422).await;
}

#[tokio::test]
async fn the_reporter_email_and_device_never_appear_in_public_answers() {
    let app = reports_app().await;
    let secret_email = "ana.secret@example.fr";
    let secret_device = "device-7f3c9a1b";
    let mut body = pothole();
    body["email"] = json!(secret_email);
    body["device_id"] = json!(secret_device);
    let receipt = create(
        &app,
        "k-private",
        &[Part::report(&body), Part::photo("photo", &png(20, 20))],
    )
    .await;
    update(
        &app,
        receipt.id,
        &json!({ "status": "acknowledged", "note": "Vu." }),
    )
    .await;

    let nearby = format!(
        "/api/v1/reports/nearby?lat={}&lon={}&category=voirie",
        INSIDE.0, INSIDE.1
    );
    let id = receipt.id;
    let public = [
        format!("/api/v1/reports/{id}?token={}", receipt.token),
        nearby,
        "/feeds/reports.geojson".to_owned(),
        "/open311/v2/requests.xml".to_owned(),
        "/open311/v2/requests.json".to_owned(),
        format!("/open311/v2/requests/{id}.xml"),
        format!("/open311/v2/requests/{id}.json"),
        "/open311/v2/servicerequestupdates.xml".to_owned(),
        "/open311/v2/servicerequestupdates.json".to_owned(),
    ];
    for path in &public {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let text = response.text().await.expect("body");
        assert!(
            text.contains("Nid-de-poule") || path.contains("updates"),
            "{path}: {text}"
        );
        assert!(!text.contains(secret_email), "{path} leaks the email");
        assert!(!text.contains("ana.secret"), "{path} leaks the email");
        assert!(!text.contains(secret_device), "{path} leaks the device");
    }
    let statuses = app
        .client
        .post(app.url("/api/v1/reports/status"))
        .json(&json!([{ "id": id, "token": receipt.token }]))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    assert!(!statuses.contains(secret_email) && !statuses.contains(secret_device));
}

#[tokio::test]
async fn the_geojson_export_has_lon_lat_points_and_absolute_photo_urls() {
    let app = reports_app().await;
    let receipt = create(
        &app,
        "k-geo",
        &[Part::report(&pothole()), Part::photo("photo", &png(10, 10))],
    )
    .await;

    let response = app.get("/feeds/reports.geojson").await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let doc: Value = response.json().await.expect("JSON");
    let feature = &doc["features"][0];
    assert_eq!(feature["id"], receipt.id);
    assert_eq!(
        feature["geometry"]["coordinates"],
        json!([INSIDE.1, INSIDE.0])
    );
    assert_eq!(feature["properties"]["status"], "submitted");
    let photo = feature["properties"]["photos"][0]
        .as_str()
        .expect("a photo URL");
    assert!(photo.starts_with("http://127.0.0.1:"), "{photo}");
}

#[tokio::test]
async fn a_failed_commit_leaves_no_orphan_photo() {
    let app = reports_app().await;
    // The database refuses the photos' rows: the report's transaction is rolled back after
    // its photos were written to the store.
    sqlx::query(
        "CREATE TRIGGER refuse_photos BEFORE INSERT ON report_photos \
         BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    )
    .execute(&app.state.db)
    .await
    .expect("trigger");

    let response = post_report(
        &app,
        Some("k-orphan"),
        &[Part::report(&pothole()), Part::photo("photo", &png(50, 50))],
    )
    .await;

    let problem = problem(response, 500).await;
    assert!(
        !problem.detail.expect("detail").contains("disk full"),
        "no cause leaked"
    );
    assert_eq!(report_count(&app).await, 0);
    assert!(stored_files(&app).is_empty(), "{:?}", stored_files(&app));

    // Once the database accepts it again, the same request goes through.
    sqlx::query("DROP TRIGGER refuse_photos")
        .execute(&app.state.db)
        .await
        .expect("drop");
    create(
        &app,
        "k-orphan",
        &[Part::report(&pothole()), Part::photo("photo", &png(50, 50))],
    )
    .await;
    assert_eq!(stored_files(&app).len(), 2);
}

#[tokio::test]
async fn only_photos_of_stored_reports_are_served() {
    let app = reports_app().await;
    let name = format!("{}.jpg", "ab".repeat(16));
    std::fs::write(
        crate::report_helpers::photo_dir(&app).join(&name),
        b"\xff\xd8\xff",
    )
    .expect("write");

    for path in [
        format!("/media/reports/{name}"),
        "/media/reports/..%2Fparvis.db".to_owned(),
        "/media/reports/nope.png".to_owned(),
    ] {
        assert_eq!(
            app.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_demo_has_reports_in_every_kind_of_status() {
    let app = spawn_app().await;

    let response = app.get("/open311/v2/requests.json").await;

    assert_eq!(response.status(), 200);
    let requests: Vec<Value> = response.json().await.expect("JSON");
    assert!(requests.len() >= 6, "{}", requests.len());
    let statuses: HashSet<&str> = requests
        .iter()
        .filter_map(|r| r["status"].as_str())
        .collect();
    assert_eq!(statuses, HashSet::from(["open", "closed"]));
    let updates: Vec<Value> = app
        .get("/open311/v2/servicerequestupdates.json")
        .await
        .json()
        .await
        .expect("JSON");
    let kinds: HashSet<&str> = updates
        .iter()
        .filter_map(|u| u["status"].as_str())
        .collect();
    for kind in [
        "INVESTIGATING",
        "ACTION_SCHEDULED",
        "IN_PROGRESS",
        "FIXED",
        "NO_FURTHER_ACTION",
        "DUPLICATE",
    ] {
        assert!(kinds.contains(kind), "{kind} in {kinds:?}");
    }
    // Loading the demo again (a restart) adds nothing.
    parvis_server::demo::load_if_wanted(&app.state.db, &app.config)
        .await
        .expect("reload");
    let again: Vec<Value> = app
        .get("/open311/v2/requests.json")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(again.len(), requests.len());
}

#[tokio::test]
async fn the_report_endpoints_are_in_the_openapi_document() {
    let app = reports_app().await;

    let doc: Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");

    for path in [
        "/api/v1/report-categories",
        "/api/v1/reports",
        "/api/v1/reports/{id}",
        "/api/v1/reports/status",
        "/api/v1/reports/nearby",
        "/api/v1/reports/{id}/support",
        "/api/v1/reports/{id}/updates",
        "/feeds/reports.geojson",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    assert!(
        doc["paths"]["/api/v1/reports"]["post"]["requestBody"]["content"]
            .get("multipart/form-data")
            .is_some()
    );
    for schema in [
        "ReportCategory",
        "NewReport",
        "ReportReceipt",
        "Report",
        "StatusChange",
        "NewStatusChange",
        "NearbyReport",
        "SupportReceipt",
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "{schema}"
        );
    }
    assert!(
        doc["components"]["securitySchemes"]
            .get("agent_key")
            .is_some()
    );
}
