//! Facilities: categories, the list by name with cursors, sync tokens and ETags, one facility,
//! closures edited with a bearer key (refusals, validation, `since`, past closures left out), the
//! GeoJSON export read back by the importer, the demo facilities and the commune's holiday rules.

use std::collections::HashSet;

use chrono::{Days, NaiveDate, Utc};
use parvis_core::problem::PROBLEM_JSON;
use parvis_core::{
    Commune, Facility, FacilityCategory, FacilityPage, HolidayRules, ParsedHours, Problem,
    SchoolZone,
};
use parvis_server::facilities::import::{self, ImportReport};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH, WWW_AUTHENTICATE};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

/// The `source` the tests import their files under.
pub const SOURCE: &str = "test-facilities";

/// A key of `facilities.edit_keys` in [`editing_app`].
const KEY: &str = "mairie-0123456789abcdef";

// ---------------------------------------------------------------------------------------------
// Helpers.

/// A server without the demo.
pub async fn empty_app() -> TestApp {
    spawn_app_with(&[("PARVIS_DEMO__LOAD", "false")]).await
}

/// A server without the demo, accepting [`KEY`] to edit closures.
async fn editing_app() -> TestApp {
    spawn_app_with(&[
        ("PARVIS_DEMO__LOAD", "false"),
        ("PARVIS_FACILITIES__EDIT_KEYS", KEY),
    ])
    .await
}

/// Today in the commune (Europe/Paris).
fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive()
}

/// Today plus `offset` days, as `YYYY-MM-DD`.
fn day(offset: i64) -> String {
    let days = Days::new(offset.unsigned_abs());
    let date = if offset >= 0 {
        today().checked_add_days(days)
    } else {
        today().checked_sub_days(days)
    };
    date.expect("in range").format("%Y-%m-%d").to_string()
}

/// A GeoJSON point feature with plain properties, inside the demo commune.
pub fn point(id: &str, name: &str, category: &str, lat: f64, lon: f64) -> Value {
    json!({
        "type": "Feature",
        "id": id,
        "geometry": { "type": "Point", "coordinates": [lon, lat] },
        "properties": { "name": name, "category": category },
    })
}

/// A FeatureCollection of `features`.
pub fn collection(features: Vec<Value>) -> String {
    json!({ "type": "FeatureCollection", "features": features }).to_string()
}

/// Imports `bytes` under [`SOURCE`], expecting success.
pub async fn import_text(app: &TestApp, text: &str) -> ImportReport {
    import::import_bytes(&app.state.db, &app.config, text.as_bytes(), SOURCE)
        .await
        .expect("the file imports")
}

/// `GET /api/v1/facilities{query}`, expecting 200.
pub async fn page(app: &TestApp, query: &str) -> FacilityPage {
    let response = app.get(&format!("/api/v1/facilities{query}")).await;
    let status = response.status();
    let body = response.text().await.expect("body");
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    serde_json::from_str(&body).expect("a facility page")
}

/// Follows `next_cursor` from `query` (which starts with `?`) to the end.
pub async fn walk(app: &TestApp, query: &str) -> (Vec<Facility>, String) {
    let mut current = page(app, query).await;
    let token = current.sync_token.clone();
    let mut all = Vec::new();
    for _ in 0..1000 {
        assert_eq!(current.sync_token, token, "one token for a whole walk");
        all.append(&mut current.items);
        let Some(cursor) = current.next_cursor.take() else {
            return (all, token);
        };
        let sep = if query.is_empty() { '?' } else { '&' };
        current = page(app, &format!("{query}{sep}cursor={cursor}")).await;
    }
    panic!("the walk from {query} does not end");
}

/// Every facility, by name.
pub async fn all(app: &TestApp) -> Vec<Facility> {
    walk(app, "?limit=1000").await.0
}

/// The facility named `name`.
pub fn named<'a>(facilities: &'a [Facility], name: &str) -> &'a Facility {
    facilities
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no facility named {name}"))
}

fn names(facilities: &[Facility]) -> Vec<&str> {
    facilities.iter().map(|f| f.name.as_str()).collect()
}

async fn problem(response: reqwest::Response, status: StatusCode) -> Problem {
    assert_eq!(response.status(), status, "{}", response.url());
    assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON);
    response.json().await.expect("a problem")
}

async fn get_with_etag(app: &TestApp, path: &str, etag: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .expect("request")
}

async fn put_closures(
    app: &TestApp,
    id: i64,
    key: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = app
        .client
        .put(app.url(&format!("/api/v1/facilities/{id}/closures")))
        .json(body);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    request.send().await.expect("request sent")
}

/// Three facilities whose names sort differently with and without accents.
fn three() -> String {
    collection(vec![
        point("t-1", "Mairie", "mairie", 47.3931, 0.6889),
        point("t-2", "École Jules-Ferry", "ecole", 47.3922, 0.6938),
        point("t-3", "abbaye Saint-Aubin", "autre", 47.3921, 0.6902),
    ])
}

// ---------------------------------------------------------------------------------------------
// Categories and lists.

#[tokio::test]
async fn categories_are_listed_in_configuration_order_with_readable_colours_and_an_etag() {
    let app = empty_app().await;

    let response = app.get("/api/v1/facility-categories").await;

    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()[ETAG].to_str().expect("ascii").to_owned();
    let categories: Vec<FacilityCategory> = response.json().await.expect("categories");
    let slugs: Vec<&str> = categories.iter().map(|c| c.slug.as_str()).collect();
    let configured: Vec<&str> = app
        .config
        .facilities
        .categories
        .iter()
        .map(|c| c.slug.as_str())
        .collect();
    assert_eq!(slugs, configured);
    assert_eq!(slugs[0], "mairie");
    for category in &categories {
        let color: parvis_core::Color = category.color.parse().expect("#rrggbb");
        assert!(
            color.contrast(parvis_core::Color::WHITE) >= 4.5,
            "{category:?}"
        );
        assert!(!category.icon.is_empty());
    }
    let again = get_with_etag(&app, "/api/v1/facility-categories", &etag).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn facilities_are_listed_by_name_ignoring_case_and_accents() {
    let app = empty_app().await;
    import_text(&app, &three()).await;

    let listed = page(&app, "").await;

    assert_eq!(
        names(&listed.items),
        ["abbaye Saint-Aubin", "École Jules-Ferry", "Mairie"]
    );
    assert!(listed.next_cursor.is_none());
    let mairie = named(&listed.items, "Mairie");
    assert_eq!(mairie.category, "mairie");
    assert_eq!(
        (mairie.position.lat, mairie.position.lon),
        (47.3931, 0.6889)
    );
    assert!(chrono::DateTime::parse_from_rfc3339(&mairie.updated_at).is_ok());
}

#[tokio::test]
async fn cursors_give_every_facility_exactly_once_in_name_order() {
    let app = empty_app().await;
    let features = (0..23)
        .map(|i| {
            // Same names twice: the id breaks the tie.
            let name = format!("Équipement {:02}", i / 2);
            point(&format!("c-{i}"), &name, "autre", 47.39, 0.69)
        })
        .collect();
    import_text(&app, &collection(features)).await;

    let (walked, token) = walk(&app, "?limit=4").await;
    let whole = page(&app, "?limit=1000").await;

    assert_eq!(walked.len(), 23);
    assert_eq!(walked, whole.items);
    assert_eq!(token, whole.sync_token);
    let ids: HashSet<i64> = walked.iter().map(|f| f.id).collect();
    assert_eq!(ids.len(), 23);
    let mut sorted = names(&walked);
    sorted.sort_unstable();
    assert_eq!(names(&walked), sorted);
}

#[tokio::test]
async fn an_unchanged_list_answers_304_and_since_returns_only_what_changed() {
    let app = empty_app().await;
    import_text(&app, &three()).await;
    let first = app.get("/api/v1/facilities").await;
    let etag = first.headers()[ETAG].to_str().expect("ascii").to_owned();
    let token = first.json::<FacilityPage>().await.expect("page").sync_token;

    let unchanged = get_with_etag(&app, "/api/v1/facilities", &etag).await;
    let nothing_new = page(&app, &format!("?since={token}")).await;
    let report = import_text(&app, &three()).await;
    let still_nothing = page(&app, &format!("?since={token}")).await;
    let changed = three().replace("abbaye Saint-Aubin", "Abbaye Saint-Aubin (restaurée)");
    let changed_report = import_text(&app, &changed).await;
    let delta = page(&app, &format!("?since={token}")).await;
    let after = get_with_etag(&app, "/api/v1/facilities", &etag).await;

    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.headers()[ETAG], etag.as_str());
    assert!(unchanged.bytes().await.expect("body").is_empty());
    assert!(nothing_new.items.is_empty());
    assert_eq!(nothing_new.sync_token, token);
    assert_eq!((report.created.len(), report.unchanged), (0, 3));
    assert!(
        still_nothing.items.is_empty(),
        "an unchanged re-import bumps nothing"
    );
    assert_eq!((changed_report.updated, changed_report.unchanged), (1, 2));
    assert_eq!(names(&delta.items), ["Abbaye Saint-Aubin (restaurée)"]);
    assert_ne!(delta.sync_token, token);
    assert!(
        page(&app, &format!("?since={}", delta.sync_token))
            .await
            .items
            .is_empty()
    );
    assert_eq!(after.status(), StatusCode::OK);
}

#[tokio::test]
async fn since_walks_changes_in_pages_too() {
    let app = empty_app().await;
    let token = page(&app, "").await.sync_token;
    let features = (0..9)
        .map(|i| {
            point(
                &format!("s-{i}"),
                &format!("Salle {i}"),
                "salle",
                47.39,
                0.69,
            )
        })
        .collect();
    import_text(&app, &collection(features)).await;

    let (changed, new_token) = walk(&app, &format!("?since={token}&limit=2")).await;

    assert_eq!(changed.len(), 9);
    assert!(
        page(&app, &format!("?since={new_token}"))
            .await
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn bad_parameters_are_french_problems() {
    let app = empty_app().await;
    import_text(&app, &three()).await;
    let token = page(&app, "").await.sync_token;
    let name_cursor = page(&app, "?limit=1")
        .await
        .next_cursor
        .expect("a second page");
    let agenda_token = app
        .get("/api/v1/events")
        .await
        .json::<Value>()
        .await
        .expect("events")["sync_token"]
        .as_str()
        .expect("token")
        .to_owned();

    let cases: Vec<(String, StatusCode, &str)> = vec![
        (
            "?limit=0".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "entre 1 et 1000",
        ),
        (
            "?limit=1001".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "entre 1 et 1000",
        ),
        ("?limit=tout".into(), StatusCode::BAD_REQUEST, "« limit »"),
        (
            "?since=n'importe".into(),
            StatusCode::BAD_REQUEST,
            "« since »",
        ),
        (
            format!("?since={agenda_token}"),
            StatusCode::BAD_REQUEST,
            "« since »",
        ),
        ("?cursor=zzz".into(), StatusCode::BAD_REQUEST, "« cursor »"),
        (
            format!("?since={token}&cursor={name_cursor}"),
            StatusCode::BAD_REQUEST,
            "« cursor »",
        ),
    ];
    for (query, status, fragment) in cases {
        let response = app.get(&format!("/api/v1/facilities{query}")).await;
        let problem = problem(response, status).await;
        let detail = problem.detail.unwrap_or_default();
        assert!(detail.contains(fragment), "{query}: {detail}");
    }
}

#[tokio::test]
async fn a_facility_is_served_by_id_and_an_unknown_one_is_a_404_problem() {
    let app = empty_app().await;
    import_text(&app, &three()).await;
    let mairie = named(&page(&app, "").await.items, "Mairie").clone();

    let response = app.get(&format!("/api/v1/facilities/{}", mairie.id)).await;
    let etag = response.headers()[ETAG].to_str().expect("ascii").to_owned();
    let served: Facility = response.json().await.expect("facility");
    let again = get_with_etag(&app, &format!("/api/v1/facilities/{}", mairie.id), &etag).await;

    assert_eq!(served, mairie);
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    for path in [
        "/api/v1/facilities/999999",
        "/api/v1/facilities/abc",
        "/api/v1/facilities/-1",
    ] {
        let problem = problem(app.get(path).await, StatusCode::NOT_FOUND).await;
        assert!(
            problem.detail.unwrap_or_default().contains("n’existe pas"),
            "{path}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Closures.

#[tokio::test]
async fn editing_closures_needs_one_of_the_configured_keys() {
    let disabled = empty_app().await;
    import_text(&disabled, &three()).await;
    let id = page(&disabled, "").await.items[0].id;
    let body = json!([{ "from": day(1), "to": day(2), "reason": "Travaux" }]);

    let forbidden = put_closures(&disabled, id, Some(KEY), &body).await;

    let app = editing_app().await;
    import_text(&app, &three()).await;
    let id = page(&app, "").await.items[0].id;
    let missing = put_closures(&app, id, None, &body).await;
    let wrong = put_closures(&app, id, Some("mairie-0123456789abcdeX"), &body).await;

    let p = problem(forbidden, StatusCode::FORBIDDEN).await;
    assert!(p.detail.unwrap_or_default().contains("pas activée"));
    assert_eq!(
        missing.headers()[WWW_AUTHENTICATE],
        "Bearer realm=\"parvis\""
    );
    let p = problem(missing, StatusCode::UNAUTHORIZED).await;
    assert!(p.detail.unwrap_or_default().contains("Bearer"));
    assert!(
        wrong.headers()[WWW_AUTHENTICATE]
            .to_str()
            .expect("ascii")
            .contains("invalid_token")
    );
    problem(wrong, StatusCode::UNAUTHORIZED).await;
    assert!(
        page(&app, "")
            .await
            .items
            .iter()
            .all(|f| f.closures.is_empty())
    );
}

#[tokio::test]
async fn closures_are_saved_sorted_synced_through_since_and_left_out_once_over() {
    let app = editing_app().await;
    import_text(&app, &three()).await;
    let before = page(&app, "").await;
    let mairie = named(&before.items, "Mairie").clone();
    let body = json!([
        { "from": day(20), "to": day(22), "reason": "Élections : bureau de vote" },
        { "from": day(-10), "to": day(-3), "reason": "Travaux terminés" },
        { "from": day(-2), "to": day(0), "reason": "Fermeture jusqu’à ce soir" },
    ]);

    let response = put_closures(&app, mairie.id, Some(KEY), &body).await;
    let status = response.status();
    let saved: Facility = response.json().await.expect("facility");
    let delta = page(&app, &format!("?since={}", before.sync_token)).await;
    let again = put_closures(&app, mairie.id, Some(KEY), &body).await;
    let after_again = page(&app, &format!("?since={}", delta.sync_token)).await;
    let listed = app
        .get(&format!("/api/v1/facilities/{}", mairie.id))
        .await
        .json::<Facility>()
        .await
        .expect("facility");

    assert_eq!(status, StatusCode::OK);
    let reasons: Vec<&str> = saved.closures.iter().map(|c| c.reason.as_str()).collect();
    assert_eq!(
        reasons,
        ["Fermeture jusqu’à ce soir", "Élections : bureau de vote"],
        "sorted, the one over left out"
    );
    assert_eq!(saved.closures[0].to, day(0));
    assert_ne!(saved.updated_at, "", "updated");
    assert_eq!(names(&delta.items), ["Mairie"]);
    assert_eq!(delta.items[0].closures, saved.closures);
    assert_eq!(again.status(), StatusCode::OK);
    assert!(
        after_again.items.is_empty(),
        "the same list again changes nothing"
    );
    assert_eq!(listed.closures, saved.closures);

    let cleared = put_closures(&app, mairie.id, Some(KEY), &json!([])).await;
    assert_eq!(cleared.status(), StatusCode::OK);
    let cleared: Facility = cleared.json().await.expect("facility");
    assert!(cleared.closures.is_empty());
    let delta = page(&app, &format!("?since={}", delta.sync_token)).await;
    assert_eq!(names(&delta.items), ["Mairie"]);
}

#[tokio::test]
async fn invalid_closures_are_refused_with_a_problem_per_field_and_nothing_changes() {
    let app = editing_app().await;
    import_text(&app, &three()).await;
    let before = page(&app, "").await;
    let id = named(&before.items, "Mairie").id;
    let body = json!([
        { "from": day(1), "to": day(3), "reason": "Travaux" },
        { "from": "2026-02-30", "to": day(3), "reason": "Travaux" },
        { "from": day(5), "to": day(4), "reason": "Inventaire" },
        { "from": day(6), "to": day(7) },
    ]);

    let refused = put_closures(&app, id, Some(KEY), &body).await;
    let not_a_list = put_closures(&app, id, Some(KEY), &json!({ "from": day(1) })).await;
    let broken = app
        .client
        .put(app.url(&format!("/api/v1/facilities/{id}/closures")))
        .bearer_auth(KEY)
        .header(CONTENT_TYPE, "application/json")
        .body("[{")
        .send()
        .await
        .expect("request");
    let unknown = put_closures(&app, 999_999, Some(KEY), &json!([])).await;

    let p = problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["[1].from", "[2].to", "[3].reason"]);
    assert!(p.errors[0].message.contains("AAAA-MM-JJ"), "{:?}", p.errors);
    assert!(
        p.errors[1].message.contains("avant de commencer"),
        "{:?}",
        p.errors
    );
    let detail = p.detail.unwrap_or_default();
    assert!(detail.contains("n’ont pas été enregistrées"), "{detail}");
    assert!(detail.contains("[1].from"), "{detail}");
    problem(not_a_list, StatusCode::UNPROCESSABLE_ENTITY).await;
    problem(broken, StatusCode::BAD_REQUEST).await;
    problem(unknown, StatusCode::NOT_FOUND).await;
    assert!(
        page(&app, &format!("?since={}", before.sync_token))
            .await
            .items
            .is_empty()
    );
}

// ---------------------------------------------------------------------------------------------
// The GeoJSON export.

#[tokio::test]
async fn the_export_is_a_feature_collection_of_lon_lat_points_with_every_public_field() {
    let app = editing_app().await;
    import_text(
        &app,
        &std::fs::read_to_string(crate::facilities_import::fixture("osm.geojson"))
            .expect("fixture"),
    )
    .await;
    let mairie = named(&all(&app).await, "Mairie de Saint-Aubin-sur-Loire").clone();
    let closures = json!([
        { "from": day(-9), "to": day(-8), "reason": "Passée" },
        { "from": day(3), "to": day(4), "reason": "Inventaire" },
    ]);
    assert_eq!(
        put_closures(&app, mairie.id, Some(KEY), &closures)
            .await
            .status(),
        StatusCode::OK
    );

    let response = app.get("/feeds/facilities.geojson").await;
    let etag = response.headers()[ETAG].to_str().expect("ascii").to_owned();
    let content_type = response.headers()[CONTENT_TYPE].clone();
    let doc: Value = response.json().await.expect("JSON");
    let again = get_with_etag(&app, "/feeds/facilities.geojson", &etag).await;

    assert_eq!(content_type, "application/geo+json");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(doc["type"], "FeatureCollection");
    let features = doc["features"].as_array().expect("features");
    assert_eq!(features.len(), all(&app).await.len());
    let feature = features
        .iter()
        .find(|f| f["id"] == mairie.id)
        .expect("the town hall");
    assert_eq!(feature["type"], "Feature");
    assert_eq!(feature["geometry"]["type"], "Point");
    assert_eq!(feature["geometry"]["coordinates"], json!([0.6889, 47.3931]));
    let p = &feature["properties"];
    for key in [
        "name",
        "category",
        "address",
        "phone",
        "email",
        "website",
        "description",
        "opening_hours",
        "closures",
        "wheelchair",
        "services",
        "photo_url",
        "updated_at",
        "url",
    ] {
        assert!(p.get(key).is_some(), "{key} is exported");
    }
    assert_eq!(p["name"], "Mairie de Saint-Aubin-sur-Loire");
    assert_eq!(p["category"], "mairie");
    assert_eq!(p["wheelchair"], "yes");
    assert_eq!(
        p["opening_hours"],
        "Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off"
    );
    assert_eq!(
        p["closures"],
        json!([{ "from": day(3), "to": day(4), "reason": "Inventaire" }])
    );
    assert_eq!(p["url"], format!("{}/carte/{}", app.address, mairie.id));
    assert_eq!(p["source_id"], "osm:node/1001");
    for feature in features {
        let c = feature["geometry"]["coordinates"].as_array().expect("pair");
        let (lon, lat) = (c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat"));
        assert!(
            (0.6..0.8).contains(&lon) && (47.3..47.5).contains(&lat),
            "{feature}"
        );
    }
}

#[tokio::test]
async fn the_export_reads_back_into_the_same_facilities() {
    let source = spawn_app().await;
    let exported = source
        .get("/feeds/facilities.geojson")
        .await
        .text()
        .await
        .expect("body");
    let original = all(&source).await;

    let target = empty_app().await;
    let report = import_text(&target, &exported).await;
    let again = import_text(&target, &exported).await;
    let copied = all(&target).await;

    assert_eq!(report.created.len(), original.len());
    assert!(report.skipped.is_empty(), "{report}");
    assert_eq!(again.unchanged, original.len(), "{again}");
    assert_eq!(copied.len(), original.len());
    for (a, b) in original.iter().zip(&copied) {
        let strip = |f: &Facility| Facility {
            id: 0,
            updated_at: String::new(),
            ..f.clone()
        };
        assert_eq!(strip(a), strip(b));
    }
}

// ---------------------------------------------------------------------------------------------
// The demo and the commune.

#[tokio::test]
async fn the_demo_has_over_60_facilities_in_the_commune_with_hours_that_parse() {
    let app = spawn_app().await;

    let facilities = all(&app).await;
    let bounds: parvis_core::Bounds = app.config.commune.bounds.into();

    assert!(facilities.len() >= 60, "{}", facilities.len());
    let categories: HashSet<&str> = facilities.iter().map(|f| f.category.as_str()).collect();
    for category in &app.config.facilities.categories {
        assert!(
            categories.contains(category.slug.as_str()),
            "{}",
            category.slug
        );
    }
    for facility in &facilities {
        assert!(bounds.contains(facility.position), "{}", facility.name);
        if let Some(hours) = &facility.opening_hours {
            ParsedHours::parse(hours).unwrap_or_else(|e| panic!("{}: {e}", facility.name));
        }
    }
    let mairie = named(&facilities, "Mairie de Saint-Aubin-sur-Loire");
    assert_eq!(
        mairie.opening_hours.as_deref(),
        Some("Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off")
    );
    assert!(
        facilities
            .iter()
            .any(|f| f.opening_hours.as_deref() == Some("24/7"))
    );
    assert!(
        facilities
            .iter()
            .any(|f| f.opening_hours.as_deref() == Some("\"sur rendez-vous\""))
    );
    assert!(facilities.iter().any(|f| {
        f.opening_hours
            .as_deref()
            .is_some_and(|h| h.contains("SH") && f.category == "mediatheque")
    }));
    let medi = named(&facilities, "Médiathèque Colette");
    assert_eq!(medi.closures.len(), 1, "an upcoming closure");
    let iris = named(&facilities, "Piscine des Isles");
    assert!(iris.closures.is_empty(), "its closure is over");
}

#[tokio::test]
async fn loading_the_demo_facilities_twice_changes_nothing() {
    let app = spawn_app().await;
    let token = page(&app, "").await.sync_token;
    let demo = parvis_server::demo::demo_facilities(today());

    let report = import::import_bytes(
        &app.state.db,
        &app.config,
        demo.as_bytes(),
        parvis_server::demo::FACILITIES_SOURCE,
    )
    .await
    .expect("imports");

    assert!(report.created.is_empty(), "{report}");
    assert_eq!(report.updated, 0, "{report}");
    assert!(
        report.skipped.is_empty() && report.warnings.is_empty(),
        "{report}"
    );
    assert!(
        page(&app, &format!("?since={token}"))
            .await
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn the_commune_document_carries_its_holiday_rules() {
    let default = spawn_app_with(&[("PARVIS_DEMO__LOAD", "false")]).await;
    let alsace = spawn_app_with(&[
        ("PARVIS_DEMO__LOAD", "false"),
        ("PARVIS_COMMUNE__SCHOOL_ZONE", "A"),
        ("PARVIS_COMMUNE__ALSACE_MOSELLE", "true"),
    ])
    .await;

    let demo: Commune = default
        .get("/api/v1/commune")
        .await
        .json()
        .await
        .expect("commune");
    let other: Commune = alsace
        .get("/api/v1/commune")
        .await
        .json()
        .await
        .expect("commune");

    assert_eq!(
        demo.holidays,
        HolidayRules {
            school_zone: Some(SchoolZone::B),
            alsace_moselle: false
        }
    );
    assert_eq!(
        other.holidays,
        HolidayRules {
            school_zone: Some(SchoolZone::A),
            alsace_moselle: true
        }
    );
    // A document cached by the app before the field existed still reads.
    let mut old = serde_json::to_value(&demo).expect("JSON");
    old.as_object_mut().expect("object").remove("holidays");
    let read: Commune = serde_json::from_value(old).expect("reads");
    assert_eq!(read.holidays, HolidayRules::default());
}

#[tokio::test]
async fn the_facilities_endpoints_are_in_the_openapi_document() {
    let app = empty_app().await;

    let doc: Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");

    for path in [
        "/api/v1/facility-categories",
        "/api/v1/facilities",
        "/api/v1/facilities/{id}",
        "/api/v1/facilities/{id}/closures",
        "/feeds/facilities.geojson",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    assert!(doc["paths"]["/api/v1/facilities/{id}/closures"]["put"]["security"].is_array());
    for schema in [
        "Facility",
        "FacilityPage",
        "FacilityCategory",
        "Closure",
        "HolidayRules",
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "{schema} is documented"
        );
    }
    assert!(
        doc["components"]["securitySchemes"]
            .get("edit_key")
            .is_some()
    );
}
