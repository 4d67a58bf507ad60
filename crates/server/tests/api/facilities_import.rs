//! Facilities imports: an OpenStreetMap export (ids, tags, area centroids), the SCDL
//! « Équipements » CSV (BOM, `;` or `,`, quoted hours, decimal commas, local column names),
//! bad features reported one by one while the others are imported, idempotent re-imports,
//! closures kept across imports, unreadable sources refused with nothing written, a URL, and
//! `parvis-server import facilities` on the command line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use parvis_core::{Facility, Wheelchair};
use parvis_server::facilities::import::{self, ImportError, ImportReport, Issue};
use reqwest::header::CONTENT_TYPE;
use serde_json::json;

use crate::facilities::{SOURCE, all, collection, empty_app, import_text, named, page, point};
use crate::helpers::{TestApp, path_str, spawn_app_with, write_fake_dist};

/// A fixture of `tests/api/fixtures/facilities`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/fixtures/facilities")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("fixture")
}

async fn try_import(app: &TestApp, bytes: &[u8]) -> Result<ImportReport, ImportError> {
    import::import_bytes(&app.state.db, &app.config, bytes, SOURCE).await
}

async fn stored_rows(app: &TestApp) -> i64 {
    parvis_server::db::facilities::count(&app.state.db)
        .await
        .expect("count")
}

/// The issue about the facility whose label contains `needle`.
fn issue<'a>(issues: &'a [Issue], needle: &str) -> &'a Issue {
    issues
        .iter()
        .find(|i| i.feature.contains(needle))
        .unwrap_or_else(|| panic!("no issue about {needle} in {issues:?}"))
}

// ---------------------------------------------------------------------------------------------
// OpenStreetMap.

#[tokio::test]
async fn an_osm_export_is_imported_with_its_tags_and_area_centroids() {
    let app = empty_app().await;

    let report = try_import(&app, &read("osm.geojson"))
        .await
        .expect("imports");
    let facilities = all(&app).await;

    assert_eq!(report.created.len(), 7, "{report}");
    let mairie = named(&facilities, "Mairie de Saint-Aubin-sur-Loire");
    assert_eq!(mairie.category, "mairie");
    assert_eq!(
        mairie.address.as_deref(),
        Some("2 Place de la Mairie, 37510 Saint-Aubin-sur-Loire")
    );
    assert_eq!(mairie.phone.as_deref(), Some("+33 2 47 52 10 00"));
    assert_eq!(
        mairie.email.as_deref(),
        Some("accueil@saint-aubin-sur-loire.example")
    );
    assert_eq!(mairie.wheelchair, Some(Wheelchair::Yes));
    assert_eq!(mairie.services, ["Accès à Internet (Wi-Fi)"]);
    assert_eq!(
        mairie.description.as_deref(),
        Some("Accueil, état civil et urbanisme.")
    );

    let pool = named(&facilities, "Piscine des Isles");
    assert_eq!(
        pool.category, "piscine",
        "leisure=sports_centre + sport=swimming"
    );
    assert!(
        (pool.position.lon - 0.6980).abs() < 1e-9,
        "{:?}",
        pool.position
    );
    assert!(
        (pool.position.lat - 47.3955).abs() < 1e-9,
        "{:?}",
        pool.position
    );
    assert_eq!(
        pool.phone.as_deref(),
        Some("+33 2 47 52 20 00"),
        "contact:phone"
    );
    assert_eq!(
        pool.website.as_deref(),
        Some("https://www.saint-aubin-sur-loire.example/piscine")
    );
    assert_eq!(pool.wheelchair, Some(Wheelchair::Limited));

    let cemetery = named(&facilities, "Cimetière du Bourg");
    assert_eq!(cemetery.category, "cimetiere");
    assert!(
        (cemetery.position.lon - 0.6840).abs() < 1e-9
            && (cemetery.position.lat - 47.3950).abs() < 1e-9,
        "the centroid of the largest outer ring: {:?}",
        cemetery.position
    );
    assert_eq!(
        named(&facilities, "Déchèterie des Varennes").category,
        "decheterie"
    );
    let post = named(&facilities, "Bureau de poste du Bourg");
    assert_eq!(post.category, "poste", "tags nested by old osmtogeojson");
    assert_eq!(
        post.opening_hours.as_deref(),
        Some("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00")
    );
}

#[tokio::test]
async fn bad_features_are_reported_one_by_one_while_the_others_are_imported() {
    let app = empty_app().await;

    let report = try_import(&app, &read("osm.geojson"))
        .await
        .expect("imports");
    let facilities = all(&app).await;

    assert_eq!(report.skipped.len(), 3, "{report}");
    let nameless = issue(&report.skipped, "node/1004");
    assert_eq!(nameless.message, "nom absent");
    let far = issue(&report.skipped, "Gymnase Marcel-Cerdan");
    assert!(far.message.contains("WGS 84"), "{far}");
    assert!(far.feature.contains("node/1005"), "{far}");
    let no_geometry = issue(&report.skipped, "Salle des fêtes");
    assert!(
        no_geometry.message.contains("coordonnées absentes"),
        "{no_geometry}"
    );

    // Hours that do not parse: kept as written, reported with the parser's message.
    let library = named(&facilities, "Médiathèque Colette");
    assert_eq!(library.opening_hours.as_deref(), Some("Mo-Fr 25:00-26:00"));
    let hours = issue(&report.warnings, "Médiathèque Colette");
    assert!(hours.message.contains("invalid opening_hours"), "{hours}");
    assert!(hours.message.contains("Mo-Fr 25:00-26:00"), "{hours}");
    // An unknown kind of place falls back to the default category, with a remark.
    let bench = named(&facilities, "Banc du Mail");
    assert_eq!(bench.category, "autre");
    let unknown = issue(&report.warnings, "Banc du Mail");
    assert!(unknown.message.contains("amenity=bench"), "{unknown}");
    // An unreadable e-mail is dropped, the facility kept.
    assert_eq!(named(&facilities, "Déchèterie des Varennes").email, None);
    assert!(
        issue(&report.warnings, "Déchèterie")
            .message
            .contains("e-mail")
    );
    let text = report.to_string();
    assert!(
        text.starts_with("7 créés, 0 mis à jour, 0 inchangés, 3 ignorés, 3 remarques\n"),
        "{text}"
    );
    assert!(
        text.contains("ignoré — entité n° 6 (node/1004) : nom absent"),
        "{text}"
    );
}

#[tokio::test]
async fn reimporting_changes_nothing_and_a_change_updates_only_its_facility() {
    let app = empty_app().await;
    let original = read("osm.geojson");
    try_import(&app, &original).await.expect("imports");
    let token = page(&app, "").await.sync_token;

    let again = try_import(&app, &original).await.expect("imports");
    let unchanged = page(&app, &format!("?since={token}")).await;
    let edited = String::from_utf8(original).expect("UTF-8").replace(
        "PH off\",\n        \"phone\"",
        "PH off; Dec 24 09:00-12:00\",\n        \"phone\"",
    );
    let changed = try_import(&app, edited.as_bytes()).await.expect("imports");
    let delta = page(&app, &format!("?since={token}")).await;

    assert_eq!(
        (again.created.len(), again.updated, again.unchanged),
        (0, 0, 7)
    );
    assert!(unchanged.items.is_empty());
    assert_eq!((changed.updated, changed.unchanged), (1, 6), "{changed}");
    assert_eq!(delta.items.len(), 1);
    assert!(
        delta.items[0]
            .opening_hours
            .as_deref()
            .is_some_and(|h| h.ends_with("Dec 24 09:00-12:00"))
    );
    assert_eq!(stored_rows(&app).await, 7);
}

#[tokio::test]
async fn an_import_keeps_the_closures_set_through_the_api() {
    let app = spawn_app_with(&[
        ("PARVIS_DEMO__LOAD", "false"),
        ("PARVIS_FACILITIES__EDIT_KEYS", "mairie-0123456789abcdef"),
    ])
    .await;
    let first = collection(vec![point("k-1", "Gymnase", "sport", 47.39, 0.69)]);
    import_text(&app, &first).await;
    let id = page(&app, "").await.items[0].id;
    let closures = json!([{ "from": "2099-01-01", "to": "2099-01-31", "reason": "Travaux" }]);
    let response = app
        .client
        .put(app.url(&format!("/api/v1/facilities/{id}/closures")))
        .bearer_auth("mairie-0123456789abcdef")
        .json(&closures)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);

    let renamed = collection(vec![point(
        "k-1",
        "Gymnase municipal",
        "sport",
        47.39,
        0.69,
    )]);
    let report = import_text(&app, &renamed).await;
    let facility: Facility = app
        .get(&format!("/api/v1/facilities/{id}"))
        .await
        .json()
        .await
        .expect("facility");

    assert_eq!(report.updated, 1);
    assert_eq!(facility.name, "Gymnase municipal");
    assert_eq!(facility.closures.len(), 1, "the closures stayed");
}

// ---------------------------------------------------------------------------------------------
// SCDL « Équipements ».

#[tokio::test]
async fn an_scdl_csv_is_imported_by_equip_uid_with_bad_rows_reported() {
    let app = empty_app().await;

    let report = try_import(&app, &read("equipements.csv"))
        .await
        .expect("imports");
    let again = try_import(&app, &read("equipements.csv"))
        .await
        .expect("imports");
    let facilities = all(&app).await;

    assert_eq!(report.created.len(), 4, "{report}");
    assert_eq!(again.unchanged, 4, "{again}");
    let hall = named(&facilities, "Hôtel de ville");
    assert_eq!(hall.category, "mairie", "EQUIP_TYPE Mairie");
    assert_eq!(
        hall.address.as_deref(),
        Some("2 Place de la Mairie, 37510 Saint-Aubin-sur-Loire")
    );
    assert_eq!(
        hall.opening_hours.as_deref(),
        Some("Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off"),
        "a quoted value with separators inside"
    );
    assert_eq!(hall.phone.as_deref(), Some("+33 247521000"));
    let pool = named(&facilities, "Piscine des Isles");
    assert_eq!(pool.category, "piscine");
    assert_eq!(
        (pool.position.lat, pool.position.lon),
        (47.3958, 0.6979),
        "decimal commas"
    );
    assert_eq!(
        pool.opening_hours.as_deref(),
        Some(
            "Mo-Fr 12:00-13:30,17:00-20:00; Sa,Su 09:00-12:30; Sep 01-Sep 14 off \"vidange \
             annuelle\"; PH off"
        )
    );
    assert_eq!(
        named(&facilities, "Médiathèque Colette").category,
        "mediatheque"
    );
    let observatory = named(&facilities, "Observatoire astronomique");
    assert_eq!(
        observatory.category, "autre",
        "EQUIP_THEME Autre équipement"
    );
    assert_eq!(
        observatory.address.as_deref(),
        Some("Le Bois-Joli, 37510 Saint-Aubin-sur-Loire"),
        "99999: no number"
    );

    let hours = issue(&report.warnings, "37214-06010101-001");
    assert!(hours.feature.starts_with("ligne 4"), "{hours}");
    assert!(hours.message.contains("invalid opening_hours"), "{hours}");
    let gym = issue(&report.skipped, "Gymnase Marcel-Cerdan");
    assert!(gym.message.contains("latitude absente"), "{gym}");
    let kiosk = issue(&report.skipped, "Kiosque");
    assert!(kiosk.message.contains("quarante-sept"), "{kiosk}");
}

#[tokio::test]
async fn an_scdl_csv_with_commas_and_local_column_names_is_imported() {
    let app = empty_app().await;
    let csv = "equip_uid,equip_nom,equip_type,adresse,code_postal,commune,equip_lat,equip_long,\
               equip_ouverture,equip_pmr,equip_email\r\n\
               37214-1,Gymnase des Isles,Gymnase,6 route des Isles,37510,Saint-Aubin-sur-Loire,\
               47.3965,0.6995,\"Mo,Tu,Th,Fr 17:00-22:00; Sa 09:00-12:00\",oui,sport@saint-aubin.example\r\n\
               37214-2,École du Bourg,École primaire,1 rue de l'Église,37510,Saint-Aubin-sur-Loire,\
               47.3925,0.6903,,non,\r\n";
    let latin1: Vec<u8> =
        "EQUIP_NOM;EQUIP_LAT;EQUIP_LONG;EQUIP_TYPE\nDéchèterie;47.39;0.71;Déchetterie\n"
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("Latin-1"))
            .collect();

    let report = try_import(&app, csv.as_bytes()).await.expect("imports");
    let latin = try_import(&app, &latin1).await.expect("imports");
    let facilities = all(&app).await;

    assert_eq!(report.created.len(), 2, "{report}");
    assert!(report.warnings.is_empty(), "{report}");
    let gym = named(&facilities, "Gymnase des Isles");
    assert_eq!(gym.category, "sport");
    assert_eq!(gym.wheelchair, Some(Wheelchair::Yes));
    assert_eq!(
        gym.address.as_deref(),
        Some("6 route des Isles, 37510 Saint-Aubin-sur-Loire")
    );
    assert_eq!(gym.email.as_deref(), Some("sport@saint-aubin.example"));
    let school = named(&facilities, "École du Bourg");
    assert_eq!(school.category, "ecole");
    assert_eq!(school.wheelchair, Some(Wheelchair::No));
    assert_eq!(latin.created.len(), 1, "{latin}");
    assert!(
        issue(&latin.warnings, "fichier")
            .message
            .contains("Windows-1252")
    );
    assert_eq!(named(&facilities, "Déchèterie").category, "decheterie");
}

// ---------------------------------------------------------------------------------------------
// Sources that cannot be read.

#[tokio::test]
async fn a_source_that_cannot_be_read_leaves_the_facilities_untouched() {
    let app = empty_app().await;
    try_import(&app, &read("osm.geojson"))
        .await
        .expect("imports");
    let before = all(&app).await;
    let token = page(&app, "").await.sync_token;
    let truncated = &read("osm.geojson")[..2000];
    let all_bad = collection(vec![json!({
        "type": "Feature", "id": "x", "geometry": null, "properties": { "name": "Sans lieu" }
    })]);
    let cases: Vec<(&[u8], &str)> = vec![
        (truncated, "invalid JSON"),
        (
            b"<html><body>Page introuvable</body></html>",
            "neither GeoJSON",
        ),
        (
            b"{\"type\": \"Point\", \"coordinates\": [0, 0]}",
            "not a FeatureCollection",
        ),
        (
            b"{\"type\": \"FeatureCollection\", \"features\": []}",
            "lists none",
        ),
        (all_bad.as_bytes(), "Sans lieu"),
        (b"NOM_DU_LIEU;X;Y\nMairie;1;2\n", "no EQUIP_NOM column"),
        (
            b"EQUIP_NOM;EQUIP_LAT;EQUIP_LONG\n\"Mairie;47;0\n",
            "never closes",
        ),
    ];

    for (bytes, fragment) in cases {
        let err = try_import(&app, bytes).await.expect_err("refused");
        assert!(err.to_string().contains(fragment), "{fragment}: {err}");
        assert!(err.to_string().starts_with(SOURCE), "{err}");
    }

    assert_eq!(all(&app).await, before);
    assert!(
        page(&app, &format!("?since={token}"))
            .await
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn a_source_is_downloaded_from_a_url() {
    let app = empty_app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let body = read("osm.geojson");
    let router = axum::Router::new().route(
        "/equipements.geojson",
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([(CONTENT_TYPE.as_str(), "application/geo+json")], body) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });

    let report = import::import_source(
        &app.state.db,
        &app.config,
        &format!("http://{address}/equipements.geojson"),
    )
    .await
    .expect("imports");
    let missing = import::import_source(
        &app.state.db,
        &app.config,
        &format!("http://{address}/absent"),
    )
    .await
    .expect_err("404");

    assert_eq!(report.created.len(), 7);
    assert!(missing.to_string().contains("404"), "{missing}");
}

// ---------------------------------------------------------------------------------------------
// The command line.

/// `parvis-server ARGS` in `dir`, with its data directory in `dir/data` and a clean
/// `PARVIS_*` environment.
fn cli(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parvis-server"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PARVIS_") {
            cmd.env_remove(key);
        }
    }
    cmd.current_dir(dir)
        .env_remove("RUST_LOG")
        .env("PARVIS_DATA_DIR", path_str(&dir.join("data")))
        .env(
            "PARVIS_SERVER__APP_DIR",
            path_str(&write_fake_dist(&dir.join("dist"))),
        )
        .env("PARVIS_DEMO__LOAD", "false")
        .env("PARVIS_LOG__LEVEL", "error")
        .args(args)
        .output()
        .expect("parvis-server runs")
}

#[tokio::test]
async fn the_cli_imports_facilities_and_reports_what_it_left_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(fixture("osm.geojson"), dir.path().join("osm.geojson")).expect("copy");
    std::fs::copy(
        fixture("equipements.csv"),
        dir.path().join("equipements.csv"),
    )
    .expect("copy");
    std::fs::write(dir.path().join("page.html"), "<html></html>").expect("write");

    let osm = cli(dir.path(), &["import", "facilities", "osm.geojson"]);
    let scdl = cli(dir.path(), &["import", "facilities", "equipements.csv"]);
    let again = cli(dir.path(), &["import", "facilities", "osm.geojson"]);
    let html = cli(dir.path(), &["import", "facilities", "page.html"]);
    let missing = cli(dir.path(), &["import", "facilities", "absent.geojson"]);

    let stdout = |o: &Output| {
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let osm = stdout(&osm);
    assert!(
        osm.starts_with("7 créés, 0 mis à jour, 0 inchangés, 3 ignorés, 3 remarques\n"),
        "{osm}"
    );
    assert!(osm.contains("ignoré — entité n° 7 « Gymnase Marcel-Cerdan » (node/1005) : "));
    assert!(osm.contains("remarque — entité n° 4 « Médiathèque Colette » (node/1002) : "));
    assert_eq!(osm.lines().count(), 7);
    assert!(stdout(&scdl).starts_with("4 créés, 0 mis à jour, 0 inchangés, 2 ignorés"));
    assert!(stdout(&again).starts_with("0 créés, 0 mis à jour, 7 inchangés, 3 ignorés"));
    for (output, fragment) in [(&html, "neither GeoJSON"), (&missing, "absent.geojson")] {
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        assert!(output.stdout.is_empty(), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(fragment),
            "{stderr}"
        );
    }

    let data = path_str(&dir.path().join("data"));
    let app = spawn_app_with(&[("PARVIS_DEMO__LOAD", "false"), ("PARVIS_DATA_DIR", &data)]).await;
    // Sources are not matched with each other: the town hall of OSM and that of the SCDL file
    // are two facilities (their keys differ).
    assert_eq!(all(&app).await.len(), 7 + 4);
}
