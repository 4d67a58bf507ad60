//! Agenda imports: re-import idempotence, skipped events, broken, foreign and oversized feeds
//! refused with nothing written, OpenAgenda exports (timings, status, accessibility,
//! incremental `updatedAt`), and `parvis-server import events` on the command line.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{NaiveTime, TimeZone};
use parvis_core::{Audience, Event};
use parvis_server::agenda::config::FeedFormat;
use parvis_server::agenda::import::{self, ImportError, ImportReport, MAX_FEED_BYTES};
use reqwest::header::CONTENT_TYPE;

use crate::agenda::{
    Ev, PARIS, SOURCE, at, calendar, day, empty_app, events_between, import_ics, page,
    parse_calendar, titled, utc_text, value, varied_calendar,
};
use crate::helpers::{TestApp, path_str, spawn_app_with, write_fake_dist};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/fixtures/agenda")
        .join(name)
}

/// `{{D+5 15:00}}` → that Paris wall-clock time, five days from today, in RFC 3339 with its
/// offset (`2026-11-28T15:00:00+01:00`), as OpenAgenda writes its timings.
fn with_times(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let end = start + rest[start..].find("}}").expect("a closing }}");
        let inner = &rest[start + 2..end];
        let (days, time) = inner
            .strip_prefix('D')
            .and_then(|r| r.split_once(' '))
            .unwrap_or_else(|| panic!("a placeholder like D+5 15:00: {inner}"));
        let days: i64 = days.trim_start_matches('+').parse().expect("days");
        let time = NaiveTime::parse_from_str(time, "%H:%M").expect("HH:MM");
        let local = PARIS
            .from_local_datetime(&day(days).and_time(time))
            .earliest()
            .expect("an existing local time");
        out.push_str(&local.to_rfc3339());
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

fn openagenda_template() -> String {
    std::fs::read_to_string(fixture("openagenda.json")).expect("fixture")
}

/// The OpenAgenda fixture with its timings relative to today.
fn openagenda_fixture() -> String {
    with_times(&openagenda_template())
}

async fn import_json(app: &TestApp, json: &str, format: Option<FeedFormat>) -> ImportReport {
    import::import_bytes(&app.state.db, &app.config, json.as_bytes(), SOURCE, format)
        .await
        .expect("the export imports")
}

async fn try_import(
    app: &TestApp,
    bytes: &[u8],
    format: Option<FeedFormat>,
) -> Result<ImportReport, ImportError> {
    import::import_bytes(&app.state.db, &app.config, bytes, SOURCE, format).await
}

/// Rows in the `events` table, whatever their dates.
async fn stored_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&app.state.db)
        .await
        .expect("count")
}

/// A valid calendar of at least `size` bytes: many small events.
fn huge_calendar(size: usize) -> Vec<u8> {
    let date = day(10).format("%Y%m%d").to_string();
    let mut out = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//FR\r\n".to_vec();
    let mut i = 0;
    while out.len() < size {
        out.extend_from_slice(
            format!(
                "BEGIN:VEVENT\r\nUID:huge-{i}@t\r\nDTSTAMP:20260101T080000Z\r\n\
                 SUMMARY:Événement {i}\r\nDTSTART;TZID=Europe/Paris:{date}T100000\r\n\
                 DTEND;TZID=Europe/Paris:{date}T110000\r\nEND:VEVENT\r\n"
            )
            .as_bytes(),
        );
        i += 1;
    }
    out.extend_from_slice(b"END:VCALENDAR\r\n");
    out
}

/// Serves `body` at `/agenda.ics` on a free port; returns its URL.
async fn serve(body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let router = axum::Router::new().route(
        "/agenda.ics",
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([(CONTENT_TYPE.as_str(), "text/calendar")], body) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/agenda.ics")
}

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

/// A server (without the demo) on the data directory the CLI used in `dir`.
async fn app_on(dir: &Path) -> TestApp {
    let data = path_str(&dir.join("data"));
    spawn_app_with(&[("PARVIS_DEMO__LOAD", "false"), ("PARVIS_DATA_DIR", &data)]).await
}

fn one_error_line(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

// ---------------------------------------------------------------------------------------------
// Idempotence and skipped events.

#[tokio::test]
async fn importing_the_same_feed_twice_changes_nothing() {
    let app = empty_app().await;
    let feed = varied_calendar();

    let first = import_ics(&app, &feed).await;
    let token = page(&app, "").await.sync_token;
    let second = import_ics(&app, &feed).await;

    assert_eq!(first.inserted.len(), 9, "{first}");
    assert_eq!(
        first.inserted.iter().collect::<HashSet<_>>().len(),
        9,
        "nine ids"
    );
    assert_eq!(
        second.to_string(),
        "0 nouveaux, 0 mis à jour, 9 inchangés, 0 annulés (retirés du flux)"
    );
    assert_eq!(stored_rows(&app).await, 9, "no duplicate row");
    let listed = page(&app, "?limit=500").await.items;
    assert_eq!(listed.len(), 9);
    assert_eq!(
        listed.iter().map(|e| e.id).collect::<HashSet<_>>(),
        first.inserted.iter().copied().collect::<HashSet<_>>()
    );
    let since = page(&app, &format!("?since={token}")).await;
    assert!(since.items.is_empty(), "an unchanged import is no change");
}

#[tokio::test]
async fn private_events_and_events_without_uid_or_readable_dates_are_skipped_and_counted() {
    let app = empty_app().await;
    let feed = calendar(&[
        Ev::timed("ok@t", "Lu", at(day(3), 10, 0), at(day(3), 11, 0)),
        Ev::timed(
            "sans-uid@t",
            "Sans UID",
            at(day(3), 12, 0),
            at(day(3), 13, 0),
        ),
        Ev::timed("prive@t", "Privé", at(day(3), 14, 0), at(day(3), 15, 0)).line("CLASS:PRIVATE"),
        Ev::timed(
            "date@t",
            "Date illisible",
            at(day(3), 16, 0),
            at(day(3), 17, 0),
        ),
    ])
    .replace("UID:sans-uid@t\r\n", "")
    .replace(
        &format!(
            "DTSTART;TZID=Europe/Paris:{}T160000",
            day(3).format("%Y%m%d")
        ),
        "DTSTART;TZID=Europe/Paris:demain matin",
    );

    let report = import_ics(&app, &feed).await;

    assert_eq!(report.inserted.len(), 1);
    assert_eq!(report.skipped, 3, "{report}");
    assert_eq!(
        report.to_string(),
        "1 nouveaux, 0 mis à jour, 0 inchangés, 0 annulés (retirés du flux), 3 ignorés"
    );
    let listed = page(&app, "").await.items;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].title, "Lu");
}

// ---------------------------------------------------------------------------------------------
// Bad input: refused, nothing written.

#[tokio::test]
async fn a_truncated_calendar_is_refused_and_leaves_the_agenda_untouched() {
    let app = empty_app().await;
    let good = varied_calendar();
    import_ics(&app, &good).await;
    let before = page(&app, "?limit=500").await;
    let rows = stored_rows(&app).await;

    let no_end = good
        .strip_suffix("END:VCALENDAR\r\n")
        .expect("ends the calendar")
        .to_owned();
    let mut cut = good.len() / 2;
    while !good.is_char_boundary(cut) {
        cut -= 1;
    }
    let half = good[..cut].to_owned();
    let unclosed_event = good.replacen("END:VEVENT\r\n", "", 1);
    let mut errors = Vec::new();
    for broken in [&no_end, &half, &unclosed_event] {
        errors.push(
            try_import(&app, broken.as_bytes(), Some(FeedFormat::Ics))
                .await
                .expect_err("a broken calendar is refused"),
        );
    }

    for error in &errors {
        assert!(matches!(error, ImportError::Parse { .. }), "{error:?}");
        assert!(
            error
                .to_string()
                .starts_with("test-source: not a valid iCalendar feed: ")
        );
    }
    assert!(
        errors[0].to_string().contains("no END:VCALENDAR"),
        "{}",
        errors[0]
    );
    let after = page(&app, "?limit=500").await;
    assert_eq!(after.items, before.items, "the same events, none cancelled");
    assert_eq!(after.sync_token, before.sync_token, "nothing was written");
    assert_eq!(stored_rows(&app).await, rows);
    assert_eq!(
        before.items.iter().filter(|e| e.cancelled).count(),
        1,
        "only the match cancelled in the feed"
    );
}

#[tokio::test]
async fn a_feed_larger_than_10_mb_is_refused_before_parsing() {
    let app = empty_app().await;
    let big = huge_calendar(MAX_FEED_BYTES + 1);
    let url = serve(big.clone()).await;

    let in_memory = try_import(&app, &big, Some(FeedFormat::Ics)).await;
    let over_http = import::import_source(&app.state.db, &app.config, &url, None).await;

    for result in [in_memory, over_http] {
        let error = result.expect_err("too large");
        assert!(matches!(error, ImportError::TooLarge { .. }), "{error:?}");
        assert!(error.to_string().contains("larger than 10 MB"), "{error}");
    }
    assert_eq!(stored_rows(&app).await, 0);
}

#[tokio::test]
async fn a_file_that_is_no_agenda_is_refused_with_a_clear_error() {
    let app = empty_app().await;
    let html = b"<!doctype html><html><body><h1>Agenda</h1></body></html>";

    let guessed = try_import(&app, html, None).await;
    let as_ics = try_import(&app, html, Some(FeedFormat::Ics)).await;
    let as_json = try_import(&app, html, Some(FeedFormat::Openagenda)).await;
    let no_events = try_import(&app, br#"{"total": 0}"#, None).await;

    let message = |r: Result<ImportReport, ImportError>| {
        let error = r.expect_err("refused");
        assert!(matches!(error, ImportError::Parse { .. }), "{error:?}");
        error.to_string()
    };
    assert_eq!(
        message(guessed),
        "test-source: not a valid iCalendar or OpenAgenda feed: it is neither an iCalendar \
         file (BEGIN:VCALENDAR) nor JSON"
    );
    assert!(message(as_ics).contains("must start with BEGIN:VCALENDAR"));
    assert!(message(as_json).contains("invalid JSON"));
    assert!(message(no_events).contains("no `events` array"));
    assert_eq!(stored_rows(&app).await, 0);
}

// ---------------------------------------------------------------------------------------------
// OpenAgenda.

#[tokio::test]
async fn openagenda_timings_become_occurrences_with_status_accessibility_and_audience() {
    let app = empty_app().await;

    let report = import_json(&app, &openagenda_fixture(), None).await;
    let listed = events_between(&app, day(0), day(40)).await;

    assert_eq!(report.inserted.len(), 6, "{report}");
    let puppets = titled(&listed, "Marionnettes : le Loup et la Lune");
    assert_eq!(puppets.len(), 3);
    assert_eq!(
        puppets.iter().map(|e| e.id).collect::<HashSet<_>>().len(),
        3
    );
    let starts: Vec<&str> = puppets.iter().map(|e| e.start.as_str()).collect();
    assert_eq!(
        starts,
        [
            utc_text(at(day(5), 15, 0)),
            utc_text(at(day(6), 15, 0)),
            utc_text(at(day(12), 10, 30)),
        ]
    );
    let ends: Vec<String> = puppets
        .iter()
        .map(|e| e.end.clone().expect("an end"))
        .collect();
    assert_eq!(
        ends,
        [
            utc_text(at(day(5), 16, 0)),
            utc_text(at(day(6), 16, 0)),
            utc_text(at(day(12), 11, 30)),
        ]
    );
    for e in &puppets {
        assert!(!e.cancelled);
        assert_eq!(e.category, "spectacle");
        assert_eq!(e.audiences, [Audience::Children], "age 3 to 10");
        assert!(e.free);
        assert_eq!(e.price.as_deref(), Some("Gratuit"));
        assert_eq!(
            e.registration_url.as_deref(),
            Some("https://billetterie.example.fr/marionnettes"),
            "the web link before the phone"
        );
        assert_eq!(
            e.accessibility.as_deref(),
            Some(
                "Accessible aux personnes en fauteuil roulant. Accessible aux personnes \
                 sourdes ou malentendantes."
            )
        );
        assert_eq!(e.location_name.as_deref(), Some("Médiathèque Jules-Verne"));
        assert_eq!(
            e.address.as_deref(),
            Some("5 rue des Écoles, 37510 Saint-Aubin-sur-Loire")
        );
        let position = e.position.expect("a position");
        assert!((position.lat - 47.3912).abs() < 1e-9 && (position.lon - 0.6925).abs() < 1e-9);
        assert_eq!(
            e.image_url.as_deref(),
            Some("https://cdn.openagenda.example/main/marionnettes.jpg")
        );
        assert_eq!(
            e.url.as_deref(),
            Some("https://openagenda.example/saint-aubin/events/marionnettes")
        );
        assert_eq!(
            e.description
                .matches("Un spectacle de marionnettes")
                .count(),
            1
        );
        assert!(
            e.description.contains("suivi d’un goûter"),
            "{}",
            e.description
        );
    }
    let concert = titled(&listed, "Concert de l’harmonie municipale");
    assert_eq!(concert.len(), 1);
    let concert = concert[0];
    assert!(concert.cancelled, "status 6 is cancelled");
    assert!(!concert.free);
    assert_eq!(concert.price.as_deref(), Some("8 €, 5 € tarif réduit"));
    assert_eq!(
        concert.registration_url.as_deref(),
        Some("mailto:harmonie@saint-aubin.example")
    );
    assert_eq!(concert.category, "concert");
    assert_eq!(concert.audiences, [Audience::Everyone]);
    assert!(concert.position.is_some(), "coordinates given as strings");
    let market = titled(&listed, "Marché de Noël");
    assert_eq!(market.len(), 2);
    assert!(
        market
            .iter()
            .all(|e| e.category == "marche" && !e.cancelled)
    );
    assert_eq!(
        market[0].local_end.as_deref().map(|t| &t[11..]),
        Some("19:00:00")
    );

    let exported = parse_calendar(
        &app.get(&format!("/api/v1/events/{}.ics", concert.id))
            .await
            .bytes()
            .await
            .expect("body"),
    );
    assert_eq!(
        value(&exported.events[0], "STATUS").as_deref(),
        Some("CANCELLED")
    );
}

#[tokio::test]
async fn openagenda_reimports_are_incremental_by_updated_at() {
    let app = empty_app().await;
    let template = openagenda_template();
    let old_title = "Marionnettes : le Loup et la Lune";
    let new_title = "Marionnettes : le Loup et la Lune (complet)";
    let old_stamp = "\"updatedAt\": \"2026-10-01T08:00:00.000Z\"";
    assert!(template.contains(old_title) && template.contains(old_stamp));
    let retitled = template.replace(old_title, new_title);
    let newer = retitled.replace(old_stamp, "\"updatedAt\": \"2026-11-20T08:00:00.000Z\"");
    let last_timing = ",\n        { \"begin\": \"{{D+12 10:30}}\", \"end\": \"{{D+12 11:30}}\" }";
    assert!(newer.contains(last_timing));
    let shorter = newer
        .replace(last_timing, "")
        .replace("2026-11-20T08:00:00.000Z", "2026-11-21T08:00:00.000Z");

    let first = import_json(&app, &with_times(&template), Some(FeedFormat::Openagenda)).await;
    let before = events_between(&app, day(0), day(40)).await;
    let token = page(&app, "").await.sync_token;
    let same = import_json(&app, &with_times(&template), Some(FeedFormat::Openagenda)).await;
    let same_stamp = import_json(&app, &with_times(&retitled), Some(FeedFormat::Openagenda)).await;
    let nothing = page(&app, &format!("?since={token}")).await;
    let updated = import_json(&app, &with_times(&newer), Some(FeedFormat::Openagenda)).await;
    let delta = page(&app, &format!("?since={token}")).await;
    let after = events_between(&app, day(0), day(40)).await;
    let dropped = import_json(&app, &with_times(&shorter), Some(FeedFormat::Openagenda)).await;
    let last = events_between(&app, day(0), day(40)).await;

    assert_eq!(first.inserted.len(), 6);
    assert_eq!(
        same.to_string(),
        "0 nouveaux, 0 mis à jour, 6 inchangés, 0 annulés (retirés du flux)"
    );
    assert_eq!(
        same_stamp.to_string(),
        "0 nouveaux, 0 mis à jour, 6 inchangés, 0 annulés (retirés du flux)",
        "an event whose updatedAt did not move is not read again"
    );
    assert!(nothing.items.is_empty());
    assert_eq!(updated.updated, 3, "{updated}");
    assert_eq!(updated.unchanged, 3);
    assert!(updated.inserted.is_empty());
    assert_eq!(delta.items.len(), 3);
    assert!(delta.items.iter().all(|e| e.title == new_title));
    let ids = |events: &[Event], title: &str| -> Vec<i64> {
        titled(events, title).iter().map(|e| e.id).collect()
    };
    assert_eq!(
        ids(&after, new_title),
        ids(&before, old_title),
        "updated in place"
    );
    assert_eq!(after.len(), before.len());
    assert_eq!(dropped.withdrawn, 1, "{dropped}");
    assert_eq!(
        dropped.updated, 0,
        "a newer updatedAt alone is no change to the occurrences left"
    );
    assert_eq!(dropped.unchanged, 5);
    let puppets = titled(&last, new_title);
    assert_eq!(puppets.len(), 3, "withdrawn, not deleted");
    let cancelled: Vec<&&Event> = puppets.iter().filter(|e| e.cancelled).collect();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].start, utc_text(at(day(12), 10, 30)));
}

#[tokio::test]
async fn an_openagenda_event_back_in_the_export_is_no_longer_cancelled() {
    let app = empty_app().await;
    let full = openagenda_fixture();
    let start = full
        .find("    {\n      \"uid\": \"marche-de-noel-2026\"")
        .expect("the market");
    let end = full.rfind("  ]\n}").expect("the end of the list");
    let without_market = format!(
        "{}\n{}",
        full[..start].trim_end().trim_end_matches(','),
        &full[end..]
    );

    import_json(&app, &full, None).await;
    let left = import_json(&app, &without_market, None).await;
    let gone = events_between(&app, day(0), day(40)).await;
    let back = import_json(&app, &full, None).await;
    let listed = events_between(&app, day(0), day(40)).await;

    assert_eq!(left.withdrawn, 2, "{left}");
    assert!(titled(&gone, "Marché de Noël").iter().all(|e| e.cancelled));
    assert_eq!(back.updated, 2, "{back}");
    let market = titled(&listed, "Marché de Noël");
    assert_eq!(market.len(), 2);
    assert!(
        market.iter().all(|e| !e.cancelled),
        "listed again with the same updatedAt, the market is on again"
    );
}

// ---------------------------------------------------------------------------------------------
// The command line.

#[tokio::test]
async fn the_cli_imports_agenda_files_and_reports_in_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("agenda.ics"), varied_calendar()).expect("write");
    std::fs::write(dir.path().join("export.json"), openagenda_fixture()).expect("write");
    std::fs::write(
        dir.path().join("page.html"),
        "<html><body>Agenda</body></html>",
    )
    .expect("write");

    let first = cli(dir.path(), &["import", "events", "agenda.ics"]);
    let second = cli(
        dir.path(),
        &["import", "events", "agenda.ics", "--format", "ics"],
    );
    let json = cli(
        dir.path(),
        &["import", "events", "export.json", "--format", "openagenda"],
    );
    let html = cli(dir.path(), &["import", "events", "page.html"]);
    let missing = cli(dir.path(), &["import", "events", "absent.ics"]);

    let stdout = |o: &Output| {
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(
        stdout(&first),
        "9 nouveaux, 0 mis à jour, 0 inchangés, 0 annulés (retirés du flux)\n"
    );
    assert_eq!(
        stdout(&second),
        "0 nouveaux, 0 mis à jour, 9 inchangés, 0 annulés (retirés du flux)\n"
    );
    assert_eq!(
        stdout(&json),
        "6 nouveaux, 0 mis à jour, 0 inchangés, 0 annulés (retirés du flux)\n"
    );
    assert!(one_error_line(&html).contains("neither an iCalendar file"));
    assert!(one_error_line(&missing).contains("absent.ics"));

    let app = app_on(dir.path()).await;
    let listed = events_between(&app, day(0), day(90)).await;
    assert_eq!(listed.len(), 9 + 6);
    assert_eq!(titled(&listed, "Marché de Noël").len(), 2);
    assert_eq!(stored_rows(&app).await, 15);
}

#[tokio::test]
async fn the_cli_refuses_a_50_mb_feed_and_imports_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("huge.ics"), huge_calendar(50 * 1024 * 1024)).expect("write");

    let output = cli(dir.path(), &["import", "events", "huge.ics"]);

    let stderr = one_error_line(&output);
    assert!(stderr.contains("huge.ics"), "{stderr}");
    assert!(stderr.contains("larger than 10 MB"), "{stderr}");
    let app = app_on(dir.path()).await;
    assert_eq!(stored_rows(&app).await, 0);
    assert!(page(&app, "").await.items.is_empty());
}
