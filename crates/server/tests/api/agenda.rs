//! Agenda: categories, date windows, cursors, sync tokens and ETags, errors, recurring and
//! cancelled events, Paris times across daylight saving time, the iCalendar exports read back by
//! an independent parser, and the demo agenda. Calendars are written by the tests with dates
//! relative to today, so they never go stale.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufReader;

use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, Offset, SecondsFormat, TimeZone, Utc,
};
use chrono_tz::Tz;
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use parvis_core::problem::PROBLEM_JSON;
use parvis_core::{Event, EventCategory, EventPage, Problem};
use parvis_server::agenda::config::FeedFormat;
use parvis_server::agenda::import::{self, ImportReport};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, ETAG, IF_NONE_MATCH};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

/// The commune's time zone in the default configuration.
pub const PARIS: Tz = chrono_tz::Europe::Paris;

/// The `source` the tests import their calendars under.
pub const SOURCE: &str = "test-source";

// ---------------------------------------------------------------------------------------------
// Dates relative to today.

/// Today in the commune.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&PARIS).date_naive()
}

/// Today plus `offset` days (negative: before).
pub fn day(offset: i64) -> NaiveDate {
    shift(today(), offset)
}

/// `date` plus `offset` days.
pub fn shift(date: NaiveDate, offset: i64) -> NaiveDate {
    let days = Days::new(offset.unsigned_abs());
    if offset >= 0 {
        date.checked_add_days(days).expect("date in range")
    } else {
        date.checked_sub_days(days).expect("date in range")
    }
}

/// `date` at `hour:minute`, wall clock.
pub fn at(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    date.and_hms_opt(hour, minute, 0).expect("valid time")
}

/// The instant of a Paris wall-clock time.
pub fn instant(local: NaiveDateTime) -> DateTime<Utc> {
    PARIS
        .from_local_datetime(&local)
        .earliest()
        .expect("an existing local time")
        .with_timezone(&Utc)
}

/// The API's form of the instant of a Paris wall-clock time: `2026-12-05T17:30:00Z`.
pub fn utc_text(local: NaiveDateTime) -> String {
    instant(local).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The API's form of a wall-clock time: `2026-12-05T18:30:00`.
pub fn local_text(local: NaiveDateTime) -> String {
    local.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// `YYYY-MM-DD`.
pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The first day after today whose UTC offset (at noon) differs from the day before's.
fn next_offset_change() -> NaiveDate {
    let offset = |d: NaiveDate| {
        PARIS
            .from_local_datetime(&at(d, 12, 0))
            .single()
            .expect("noon exists")
            .offset()
            .fix()
    };
    (1..400)
        .map(day)
        .find(|d| offset(*d) != offset(shift(*d, -1)))
        .expect("Paris changes its clocks within a year")
}

/// The next `month`/`day_of_month` after today.
fn next_date(month: u32, day_of_month: u32) -> NaiveDate {
    let today = today();
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day_of_month).expect("valid date");
    if this_year > today {
        this_year
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, month, day_of_month).expect("valid date")
    }
}

// ---------------------------------------------------------------------------------------------
// Calendars written by the tests.

/// A DTSTART/DTEND/RECURRENCE-ID value.
#[derive(Debug, Clone)]
pub enum At {
    /// A wall-clock time in Europe/Paris (`;TZID=Europe/Paris:`).
    Local(NaiveDateTime),
    /// A whole day (`;VALUE=DATE:`).
    Date(NaiveDate),
    /// What follows the property name, as is (`:20261205T090000Z`, `;TZID=…:…`).
    Raw(String),
}

impl At {
    fn property(&self, name: &str) -> String {
        match self {
            At::Local(t) => format!("{name};TZID=Europe/Paris:{}", t.format("%Y%m%dT%H%M%S")),
            At::Date(d) => format!("{name};VALUE=DATE:{}", d.format("%Y%m%d")),
            At::Raw(rest) => format!("{name}{rest}"),
        }
    }
}

/// One VEVENT of a test calendar.
#[derive(Debug, Clone)]
pub struct Ev {
    uid: String,
    summary: String,
    start: At,
    end: Option<At>,
    recurrence_id: Option<At>,
    rrule: Option<String>,
    exdates: Vec<NaiveDateTime>,
    status: Option<String>,
    categories: Option<String>,
    extra: Vec<String>,
}

impl Ev {
    /// A timed event, `start` to `end` in Paris wall-clock time.
    pub fn timed(uid: &str, summary: &str, start: NaiveDateTime, end: NaiveDateTime) -> Self {
        Ev {
            uid: uid.to_owned(),
            summary: summary.to_owned(),
            start: At::Local(start),
            end: Some(At::Local(end)),
            recurrence_id: None,
            rrule: None,
            exdates: Vec::new(),
            status: None,
            categories: None,
            extra: Vec::new(),
        }
    }

    /// An event with its DTSTART and DTEND as given (no DTEND when `end` is `None`).
    pub fn new(uid: &str, summary: &str, start: At, end: Option<At>) -> Self {
        Ev {
            start,
            end,
            ..Ev::timed(uid, summary, at(today(), 0, 0), at(today(), 0, 0))
        }
    }

    /// An all-day event from `first` to `end` (exclusive, as DTEND says).
    pub fn all_day(uid: &str, summary: &str, first: NaiveDate, end: NaiveDate) -> Self {
        Ev {
            start: At::Date(first),
            end: Some(At::Date(end)),
            ..Ev::timed(uid, summary, at(first, 0, 0), at(first, 0, 0))
        }
    }

    pub fn rrule(mut self, rule: &str) -> Self {
        self.rrule = Some(rule.to_owned());
        self
    }

    /// Adds `RDATE;TZID=Europe/Paris:…` occurrences.
    pub fn rdates(self, locals: &[NaiveDateTime]) -> Self {
        let list: Vec<String> = locals
            .iter()
            .map(|t| t.format("%Y%m%dT%H%M%S").to_string())
            .collect();
        self.line(&format!("RDATE;TZID=Europe/Paris:{}", list.join(",")))
    }

    pub fn exdate(mut self, local: NaiveDateTime) -> Self {
        self.exdates.push(local);
        self
    }

    /// Makes this an override of the occurrence of `uid` originally at `original`.
    pub fn recurrence_id(mut self, original: NaiveDateTime) -> Self {
        self.recurrence_id = Some(At::Local(original));
        self
    }

    pub fn status(mut self, status: &str) -> Self {
        self.status = Some(status.to_owned());
        self
    }

    pub fn categories(mut self, categories: &str) -> Self {
        self.categories = Some(categories.to_owned());
        self
    }

    /// Any other content line (`LOCATION:…`, `SEQUENCE:2`).
    pub fn line(mut self, line: &str) -> Self {
        self.extra.push(line.to_owned());
        self
    }

    fn write(&self, out: &mut Vec<String>) {
        out.push("BEGIN:VEVENT".into());
        out.push(format!("UID:{}", self.uid));
        out.push("DTSTAMP:20260101T080000Z".into());
        if let Some(id) = &self.recurrence_id {
            out.push(id.property("RECURRENCE-ID"));
        }
        out.push(format!("SUMMARY:{}", self.summary));
        out.push(self.start.property("DTSTART"));
        if let Some(end) = &self.end {
            out.push(end.property("DTEND"));
        }
        if let Some(rule) = &self.rrule {
            out.push(format!("RRULE:{rule}"));
        }
        if !self.exdates.is_empty() {
            let list: Vec<String> = self
                .exdates
                .iter()
                .map(|t| t.format("%Y%m%dT%H%M%S").to_string())
                .collect();
            out.push(format!("EXDATE;TZID=Europe/Paris:{}", list.join(",")));
        }
        if let Some(status) = &self.status {
            out.push(format!("STATUS:{status}"));
        }
        if let Some(categories) = &self.categories {
            out.push(format!("CATEGORIES:{categories}"));
        }
        out.extend(self.extra.iter().cloned());
        out.push("END:VEVENT".into());
    }
}

/// An iCalendar file of `events` (CRLF line ends, a VTIMEZONE for Europe/Paris).
pub fn calendar(events: &[Ev]) -> String {
    let mut lines: Vec<String> = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Mairie de Saint-Aubin-sur-Loire//Tests//FR",
        "CALSCALE:GREGORIAN",
        "X-WR-TIMEZONE:Europe/Paris",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Paris",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for event in events {
        event.write(&mut lines);
    }
    lines.push("END:VCALENDAR".into());
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    text
}

// ---------------------------------------------------------------------------------------------
// The server.

/// A server without the demo.
pub async fn empty_app() -> TestApp {
    spawn_app_with(&[("PARVIS_DEMO__LOAD", "false")]).await
}

/// Imports `ics` under [`SOURCE`].
pub async fn import_ics(app: &TestApp, ics: &str) -> ImportReport {
    import::import_bytes(
        &app.state.db,
        &app.config,
        ics.as_bytes(),
        SOURCE,
        Some(FeedFormat::Ics),
    )
    .await
    .expect("the calendar imports")
}

/// `GET /api/v1/events{query}`, expecting 200.
pub async fn page(app: &TestApp, query: &str) -> EventPage {
    let response = app.get(&format!("/api/v1/events{query}")).await;
    let status = response.status();
    let body = response.text().await.expect("body");
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    serde_json::from_str(&body).expect("an event page")
}

/// Follows `next_cursor` from `query` (which starts with `?`) to the end: every event and the
/// walk's sync token.
pub async fn walk(app: &TestApp, query: &str) -> (Vec<Event>, String) {
    let mut current = page(app, query).await;
    let token = current.sync_token.clone();
    let mut events = Vec::new();
    for _ in 0..1000 {
        assert_eq!(current.sync_token, token, "one token for a whole walk");
        events.append(&mut current.items);
        let Some(cursor) = current.next_cursor.take() else {
            return (events, token);
        };
        current = page(app, &format!("{query}&cursor={cursor}")).await;
    }
    panic!("the walk from {query} does not end");
}

/// Every event whose local days meet `[from, to]`, in start order.
pub async fn events_between(app: &TestApp, from: NaiveDate, to: NaiveDate) -> Vec<Event> {
    let query = format!("?from={}&to={}&limit=500", date_text(from), date_text(to));
    walk(app, &query).await.0
}

/// The events titled `title`.
pub fn titled<'a>(events: &'a [Event], title: &str) -> Vec<&'a Event> {
    events.iter().filter(|e| e.title == title).collect()
}

fn titles(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.title.as_str()).collect()
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

// ---------------------------------------------------------------------------------------------
// Reading iCalendar back with the `ical` crate.

/// The one calendar of an iCalendar document.
pub fn parse_calendar(body: &[u8]) -> IcalCalendar {
    let mut parser = ical::IcalParser::new(BufReader::new(body));
    let calendar = parser
        .next()
        .expect("one calendar")
        .expect("a valid iCalendar document");
    assert!(parser.next().is_none(), "a single VCALENDAR");
    calendar
}

fn property<'a>(event: &'a IcalEvent, name: &str) -> Option<&'a ical::property::Property> {
    event.properties.iter().find(|p| p.name == name)
}

/// The unescaped value of `name`.
pub fn value(event: &IcalEvent, name: &str) -> Option<String> {
    let raw = property(event, name)?.value.as_deref()?;
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn param(event: &IcalEvent, name: &str, key: &str) -> Option<String> {
    property(event, name)?
        .params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, values)| values.join(","))
}

/// The UTC instant of a DTSTART/DTEND written with `TZID=Europe/Paris`, as the API writes it.
fn exported_instant(event: &IcalEvent, name: &str) -> Option<String> {
    assert_eq!(
        param(event, name, "TZID").as_deref(),
        Some("Europe/Paris"),
        "{name} of {:?}",
        value(event, "SUMMARY")
    );
    let raw = value(event, name)?;
    let local = NaiveDateTime::parse_from_str(&raw, "%Y%m%dT%H%M%S").expect("local time");
    Some(utc_text(local))
}

// ---------------------------------------------------------------------------------------------
// Categories.

#[tokio::test]
async fn categories_are_listed_in_configuration_order_with_an_etag() {
    let app = empty_app().await;

    let response = app.get("/api/v1/event-categories").await;

    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()[ETAG].to_str().expect("etag").to_owned();
    let categories: Vec<EventCategory> = response.json().await.expect("categories");
    assert!(categories.len() >= 8, "{categories:?}");
    assert_eq!(categories[0].slug, "concert");
    assert!(categories.iter().any(|c| c.slug == "conseil-municipal"));
    let slugs: HashSet<&str> = categories.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs.len(), categories.len(), "slugs are unique");
    let again = get_with_etag(&app, "/api/v1/event-categories", &etag).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

// ---------------------------------------------------------------------------------------------
// Windows and cursors.

#[tokio::test]
async fn a_window_lists_the_events_running_on_its_days_and_nothing_else() {
    let app = empty_app().await;
    let from = day(20);
    let to = day(40);
    import_ics(
        &app,
        &calendar(&[
            Ev::all_day("expo@t", "Exposition", shift(from, -3), shift(from, 3)),
            Ev::timed(
                "before@t",
                "Fini avant",
                at(shift(from, -2), 18, 0),
                at(shift(from, -2), 20, 0),
            ),
            Ev::timed(
                "midnight@t",
                "Fini à minuit",
                at(shift(from, -1), 20, 0),
                at(from, 0, 0),
            ),
            Ev::timed(
                "overnight@t",
                "Nuit des étoiles",
                at(shift(from, -1), 22, 0),
                at(from, 1, 0),
            ),
            Ev::timed("first@t", "Premier jour", at(from, 9, 0), at(from, 10, 0)),
            Ev::all_day("lastday@t", "Brocante", to, shift(to, 1)),
            Ev::timed("last@t", "Dernier soir", at(to, 21, 0), at(to, 23, 0)),
            Ev::timed(
                "after@t",
                "Trop tard",
                at(shift(to, 1), 9, 0),
                at(shift(to, 1), 10, 0),
            ),
            Ev::all_day("afterday@t", "Le lendemain", shift(to, 1), shift(to, 2)),
        ]),
    )
    .await;

    let listed = events_between(&app, from, to).await;
    let first_day = events_between(&app, from, from).await;

    assert_eq!(
        titles(&listed),
        [
            "Exposition",
            "Nuit des étoiles",
            "Premier jour",
            "Brocante",
            "Dernier soir"
        ],
        "in start order"
    );
    assert_eq!(
        titles(&first_day),
        ["Exposition", "Nuit des étoiles", "Premier jour"]
    );
    let expo = &listed[0];
    assert!(expo.all_day);
    assert_eq!(expo.local_start, local_text(at(shift(from, -3), 0, 0)));
    assert_eq!(expo.local_last_date, date_text(shift(from, 2)));
    let overnight = &listed[1];
    assert_eq!(overnight.local_last_date, date_text(from));
}

#[tokio::test]
async fn the_default_window_runs_from_today_for_183_days() {
    let app = empty_app().await;
    import_ics(
        &app,
        &calendar(&[
            Ev::timed(
                "yesterday@t",
                "Hier",
                at(day(-1), 10, 0),
                at(day(-1), 11, 0),
            ),
            Ev::timed(
                "early@t",
                "Ce matin tôt",
                at(day(0), 0, 0),
                at(day(0), 0, 1),
            ),
            Ev::timed(
                "today@t",
                "Aujourd’hui",
                at(day(0), 12, 0),
                at(day(0), 13, 0),
            ),
            Ev::timed(
                "last@t",
                "Dans 183 jours",
                at(day(183), 12, 0),
                at(day(183), 13, 0),
            ),
            Ev::timed(
                "beyond@t",
                "Dans 184 jours",
                at(day(184), 12, 0),
                at(day(184), 13, 0),
            ),
        ]),
    )
    .await;

    let default = page(&app, "").await;
    let from_only = page(&app, &format!("?from={}", date_text(day(-1)))).await;

    assert_eq!(
        titles(&default.items),
        ["Ce matin tôt", "Aujourd’hui", "Dans 183 jours"]
    );
    assert!(default.next_cursor.is_none());
    assert_eq!(
        titles(&from_only.items),
        ["Hier", "Ce matin tôt", "Aujourd’hui"],
        "to defaults to from + 183 days"
    );
}

/// Twenty-five events, three of them at the same time, in a random-ish order in the file.
fn many_events() -> Vec<Ev> {
    (0..25_i64)
        .map(|i| {
            let offset = (i * 7) % 25 + 1;
            let (d, h) = if (3..6).contains(&i) {
                (day(10), 18)
            } else {
                (day(offset), 9 + (i % 10) as u32)
            };
            Ev::timed(
                &format!("many-{i}@t"),
                &format!("Événement {i}"),
                at(d, h, 0),
                at(d, h + 1, 0),
            )
        })
        .collect()
}

#[tokio::test]
async fn cursors_give_every_event_exactly_once_in_start_order() {
    let app = empty_app().await;
    let empty = page(&app, "").await;
    import_ics(&app, &calendar(&many_events())).await;

    let whole = page(&app, "?limit=500").await;
    let mut pages = Vec::new();
    let mut current = page(&app, "?limit=4").await;
    loop {
        assert!(current.items.len() <= 4);
        let next = current.next_cursor.clone();
        pages.push(current);
        let Some(cursor) = next else { break };
        current = page(&app, &format!("?limit=4&cursor={cursor}")).await;
    }
    let (by_change, _) = walk(&app, &format!("?since={}&limit=3", empty.sync_token)).await;

    assert_eq!(whole.items.len(), 25);
    assert!(whole.next_cursor.is_none());
    assert_eq!(pages.len(), 7, "25 events in pages of 4");
    let walked: Vec<&Event> = pages.iter().flat_map(|p| &p.items).collect();
    let walked_ids: Vec<i64> = walked.iter().map(|e| e.id).collect();
    let whole_ids: Vec<i64> = whole.items.iter().map(|e| e.id).collect();
    assert_eq!(walked_ids, whole_ids, "the same events in the same order");
    let mut sorted: Vec<(&str, i64)> = walked.iter().map(|e| (e.start.as_str(), e.id)).collect();
    sorted.sort_unstable();
    let order: Vec<(&str, i64)> = walked.iter().map(|e| (e.start.as_str(), e.id)).collect();
    assert_eq!(order, sorted, "by start, then id");
    assert_eq!(
        walked
            .iter()
            .filter(|e| e.start == utc_text(at(day(10), 18, 0)))
            .count(),
        3,
        "events at the same time are not lost between pages"
    );
    let changed: HashSet<i64> = by_change.iter().map(|e| e.id).collect();
    assert_eq!(by_change.len(), 25);
    assert_eq!(changed, whole_ids.iter().copied().collect());
}

// ---------------------------------------------------------------------------------------------
// Errors.

#[tokio::test]
async fn bad_parameters_are_french_problems() {
    let app = empty_app().await;
    import_ics(&app, &calendar(&many_events())).await;
    let token = page(&app, "").await.sync_token;
    let start_cursor = page(&app, "?limit=2")
        .await
        .next_cursor
        .expect("a second page");

    let cases: Vec<(String, StatusCode, &str)> = vec![
        (
            "?from=2026-12-10&to=2026-12-01".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "est après la date de fin",
        ),
        (
            "?from=2026-13-45".into(),
            StatusCode::BAD_REQUEST,
            "AAAA-MM-JJ",
        ),
        ("?from=demain".into(), StatusCode::BAD_REQUEST, "« from »"),
        ("?to=2027-02-30".into(), StatusCode::BAD_REQUEST, "« to »"),
        (
            "?limit=0".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "entre 1 et 500",
        ),
        (
            "?limit=501".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "entre 1 et 500",
        ),
        (
            "?limit=beaucoup".into(),
            StatusCode::BAD_REQUEST,
            "« limit »",
        ),
        (
            "?since=n'importe".into(),
            StatusCode::BAD_REQUEST,
            "« since »",
        ),
        ("?since=bm9wZQ".into(), StatusCode::BAD_REQUEST, "« since »"),
        ("?cursor=zzz".into(), StatusCode::BAD_REQUEST, "« cursor »"),
        (
            format!("?since={token}&cursor={start_cursor}"),
            StatusCode::BAD_REQUEST,
            "« cursor »",
        ),
        (
            "?from=2026-01-01&to=2027-03-01".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "400 jours",
        ),
        (
            format!("?since={token}&to={}", date_text(day(-1))),
            StatusCode::UNPROCESSABLE_ENTITY,
            "« to »",
        ),
    ];
    for (query, status, fragment) in cases {
        let response = app.get(&format!("/api/v1/events{query}")).await;
        let problem = problem(response, status).await;
        assert_eq!(problem.status, status.as_u16(), "{query}");
        let detail = problem.detail.unwrap_or_default();
        assert!(detail.contains(fragment), "{query}: {detail}");
    }
    let widest = app
        .get("/api/v1/events?from=2026-01-01&to=2027-02-05")
        .await;
    assert_eq!(widest.status(), StatusCode::OK, "400 days are allowed");
}

#[tokio::test]
async fn an_unknown_event_is_a_404_problem() {
    let app = empty_app().await;

    for path in [
        "/api/v1/events/999999",
        "/api/v1/events/999999.ics",
        "/api/v1/events/abc",
        "/api/v1/events/abc.ics",
        "/api/v1/events/-1",
    ] {
        let problem = problem(app.get(path).await, StatusCode::NOT_FOUND).await;
        assert!(
            problem.detail.unwrap_or_default().contains("n’existe pas"),
            "{path}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// One event, sync tokens and ETags.

#[tokio::test]
async fn an_event_is_served_as_json_and_as_an_ics_attachment() {
    let app = empty_app().await;
    import_ics(
        &app,
        &calendar(&[Ev::timed(
            "bal@t",
            "Bal du 14 juillet",
            at(day(8), 21, 0),
            at(day(8), 23, 30),
        )
        .categories("Fête")
        .line("LOCATION:Place de la Mairie\\, 1 place de la Mairie")]),
    )
    .await;
    let listed = page(&app, "").await.items.remove(0);
    let path = format!("/api/v1/events/{}", listed.id);

    let json = app.get(&path).await;
    let ics = app.get(&format!("{path}.ics")).await;

    assert_eq!(json.status(), StatusCode::OK);
    let etag = json.headers()[ETAG].to_str().expect("etag").to_owned();
    let event: Event = json.json().await.expect("an event");
    assert_eq!(event, listed);
    assert_eq!(event.location_name.as_deref(), Some("Place de la Mairie"));
    assert_eq!(event.address.as_deref(), Some("1 place de la Mairie"));
    assert_eq!(event.category, "fete");
    assert_eq!(
        get_with_etag(&app, &path, &etag).await.status(),
        StatusCode::NOT_MODIFIED
    );

    assert_eq!(ics.status(), StatusCode::OK);
    assert_eq!(ics.headers()[CONTENT_TYPE], "text/calendar; charset=utf-8");
    assert_eq!(
        ics.headers()[CONTENT_DISPOSITION],
        format!("attachment; filename=\"evenement-{}.ics\"", event.id).as_str()
    );
    let ics_etag = ics.headers()[ETAG].to_str().expect("etag").to_owned();
    let body = ics.bytes().await.expect("body");
    let calendar = parse_calendar(&body);
    assert_eq!(calendar.events.len(), 1);
    assert_eq!(calendar.timezones.len(), 1);
    let exported = &calendar.events[0];
    assert_eq!(value(exported, "UID").as_deref(), Some("bal@t"));
    assert_eq!(
        value(exported, "SUMMARY").as_deref(),
        Some("Bal du 14 juillet")
    );
    assert_eq!(value(exported, "STATUS").as_deref(), Some("CONFIRMED"));
    assert_eq!(value(exported, "SEQUENCE").as_deref(), Some("0"));
    assert_eq!(
        exported_instant(exported, "DTSTART"),
        Some(event.start.clone())
    );
    assert_eq!(exported_instant(exported, "DTEND"), event.end.clone());
    assert_eq!(
        value(exported, "LOCATION").as_deref(),
        Some("Place de la Mairie, 1 place de la Mairie")
    );
    assert_eq!(
        get_with_etag(&app, &format!("{path}.ics"), &ics_etag)
            .await
            .status(),
        StatusCode::NOT_MODIFIED
    );
}

fn three_events(concert_title: &str) -> String {
    calendar(&[
        Ev::timed("loto@t", "Loto", at(day(5), 14, 0), at(day(5), 18, 0)),
        Ev::timed(
            "concert@t",
            concert_title,
            at(day(12), 20, 30),
            at(day(12), 22, 0),
        )
        .categories("Concert"),
        Ev::all_day("vide@t", "Vide-greniers", day(30), day(31)),
    ])
}

#[tokio::test]
async fn an_unchanged_list_answers_304_and_since_returns_only_what_changed() {
    let app = empty_app().await;
    import_ics(&app, &three_events("Concert de Noël")).await;
    let first = app.get("/api/v1/events").await;
    let etag = first.headers()[ETAG].to_str().expect("etag").to_owned();
    let first: EventPage = first.json().await.expect("a page");
    let concert = titled(&first.items, "Concert de Noël")[0].clone();
    let ics_path = format!("/api/v1/events/{}.ics", concert.id);
    let before_ics = parse_calendar(&app.get(&ics_path).await.bytes().await.expect("body"));

    let cached = get_with_etag(&app, "/api/v1/events", &etag).await;
    let nothing_yet = page(&app, &format!("?since={}", first.sync_token)).await;
    let same_again = import_ics(&app, &three_events("Concert de Noël")).await;
    let cached_after_same = get_with_etag(&app, "/api/v1/events", &etag).await;
    let nothing_after_same = page(&app, &format!("?since={}", first.sync_token)).await;
    let changed = import_ics(&app, &three_events("Concert de Noël : complet")).await;
    let after_change = get_with_etag(&app, "/api/v1/events", &etag).await;
    let delta = page(&app, &format!("?since={}", first.sync_token)).await;
    let after_ics = parse_calendar(&app.get(&ics_path).await.bytes().await.expect("body"));
    let nothing_more = page(&app, &format!("?since={}", delta.sync_token)).await;

    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    assert!(nothing_yet.items.is_empty());
    assert!(nothing_yet.next_cursor.is_none());
    assert_eq!(nothing_yet.sync_token, first.sync_token);
    assert_eq!(same_again.unchanged, 3);
    assert_eq!(
        cached_after_same.status(),
        StatusCode::NOT_MODIFIED,
        "re-importing the same feed changes nothing"
    );
    assert!(nothing_after_same.items.is_empty());
    assert_eq!(changed.updated, 1);
    assert_eq!(changed.unchanged, 2);
    assert_eq!(after_change.status(), StatusCode::OK);
    assert_ne!(after_change.headers()[ETAG], etag.as_str());
    assert_eq!(delta.items.len(), 1, "{:?}", titles(&delta.items));
    assert_eq!(delta.items[0].id, concert.id, "updated in place");
    assert_eq!(delta.items[0].title, "Concert de Noël : complet");
    assert_eq!(delta.items[0].start, concert.start);
    assert_ne!(delta.sync_token, first.sync_token);
    assert!(nothing_more.items.is_empty());
    assert_eq!(
        value(&before_ics.events[0], "SEQUENCE").as_deref(),
        Some("0")
    );
    assert_eq!(
        value(&after_ics.events[0], "SEQUENCE").as_deref(),
        Some("1"),
        "a changed event gets a higher SEQUENCE"
    );
    assert_eq!(
        value(&after_ics.events[0], "SUMMARY").as_deref(),
        Some("Concert de Noël : complet")
    );
}

#[tokio::test]
async fn since_returns_far_changes_and_the_events_that_entered_a_wider_window() {
    let app = empty_app().await;
    let feed = |far_title: &str| {
        calendar(&[
            Ev::timed("soon@t", "Bientôt", at(day(3), 10, 0), at(day(3), 11, 0)),
            Ev::timed(
                "later@t",
                "Dans 190 jours",
                at(day(190), 10, 0),
                at(day(190), 11, 0),
            ),
            Ev::timed("far@t", far_title, at(day(300), 10, 0), at(day(300), 11, 0)),
        ])
    };
    import_ics(&app, &feed("Dans 300 jours")).await;
    let first = page(&app, "").await;

    let wider_to = date_text(day(200));
    let wider = page(&app, &format!("?since={}&to={wider_to}", first.sync_token)).await;
    let wider_again = page(&app, &format!("?since={}&to={wider_to}", wider.sync_token)).await;
    import_ics(&app, &feed("Dans 300 jours : reporté")).await;
    let far_change = page(&app, &format!("?since={}", wider.sync_token)).await;

    assert_eq!(titles(&first.items), ["Bientôt"]);
    assert_eq!(
        titles(&wider.items),
        ["Dans 190 jours"],
        "unchanged, but now inside the window"
    );
    assert!(
        wider_again.items.is_empty(),
        "{:?}",
        titles(&wider_again.items)
    );
    assert_eq!(
        titles(&far_change.items),
        ["Dans 300 jours : reporté"],
        "a change is returned whatever its date"
    );
}

// ---------------------------------------------------------------------------------------------
// Recurring events.

#[tokio::test]
async fn a_weekly_rule_with_count_and_an_exdate_gives_nine_occurrences() {
    let app = empty_app().await;
    let first = at(day(3), 18, 30);
    let skipped = first + chrono::Duration::weeks(3);
    let report = import_ics(
        &app,
        &calendar(&[Ev::timed(
            "chorale@t",
            "Répétition de la chorale",
            first,
            first + chrono::Duration::minutes(90),
        )
        .rrule("FREQ=WEEKLY;COUNT=10")
        .exdate(skipped)
        .categories("Concert")]),
    )
    .await;

    let listed = events_between(&app, day(0), day(90)).await;

    assert_eq!(report.inserted.len(), 9);
    let occurrences = titled(&listed, "Répétition de la chorale");
    assert_eq!(occurrences.len(), 9);
    let ids: HashSet<i64> = occurrences.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), 9, "each occurrence has its own id");
    let expected: Vec<String> = (0..10)
        .filter(|w| *w != 3)
        .map(|w| local_text(first + chrono::Duration::weeks(w)))
        .collect();
    let starts: Vec<&str> = occurrences.iter().map(|e| e.local_start.as_str()).collect();
    assert_eq!(starts, expected);
    for e in &occurrences {
        assert!(!e.cancelled && !e.all_day && e.category == "concert");
        let end = e.local_end.as_deref().expect("an end");
        assert!(end.ends_with("T20:00:00"), "{end}");
    }
    let one = app
        .get(&format!("/api/v1/events/{}.ics", occurrences[4].id))
        .await;
    let exported = parse_calendar(&one.bytes().await.expect("body"));
    let uid = value(&exported.events[0], "UID").expect("UID");
    assert!(
        uid.ends_with("/chorale@t") && uid != "chorale@t",
        "an occurrence is exported with a UID of its own: {uid}"
    );
    assert!(
        property(&exported.events[0], "RRULE").is_none(),
        "occurrences are exported expanded"
    );
}

#[tokio::test]
async fn an_endless_rule_is_expanded_only_up_to_the_horizon() {
    let horizon_app = spawn_app_with(&[
        ("PARVIS_DEMO__LOAD", "false"),
        ("PARVIS_AGENDA__HORIZON_DAYS", "60"),
    ])
    .await;
    let default_app = empty_app().await;
    let feed = calendar(&[Ev::timed(
        "conseil@t",
        "Conseil municipal",
        at(day(1), 19, 0),
        at(day(1), 21, 0),
    )
    .rrule("FREQ=MONTHLY")
    .categories("Conseil municipal")]);
    import_ics(&horizon_app, &feed).await;
    let after_import = Utc::now();
    import_ics(&default_app, &feed).await;

    let short = events_between(&horizon_app, day(-30), day(369)).await;
    let long = events_between(&default_app, day(-30), day(369)).await;

    assert_eq!(horizon_app.config.agenda.horizon_days, 60);
    assert!((2..=3).contains(&short.len()), "{:?}", short);
    let limit = after_import + chrono::Duration::days(60);
    for e in &short {
        let start: DateTime<Utc> = e.start.parse().expect("RFC 3339");
        assert!(start < limit, "{} is beyond the 60-day horizon", e.start);
        assert_eq!(e.category, "conseil-municipal");
    }
    assert!(
        (11..=13).contains(&long.len()),
        "a year of months with the default horizon: {}",
        long.len()
    );
    let feed_body = horizon_app
        .get("/feeds/agenda.ics")
        .await
        .bytes()
        .await
        .expect("body");
    assert_eq!(parse_calendar(&feed_body).events.len(), short.len());
}

#[tokio::test]
async fn a_recurrence_id_override_moves_one_occurrence() {
    let app = empty_app().await;
    let first = at(day(2), 18, 0);
    let moved_from = first + chrono::Duration::weeks(2);
    let moved_to = at(shift(moved_from.date(), 1), 20, 0);
    import_ics(
        &app,
        &calendar(&[
            Ev::timed(
                "couture@t",
                "Atelier couture",
                first,
                first + chrono::Duration::hours(1),
            )
            .rrule("FREQ=WEEKLY;COUNT=5")
            .categories("Atelier"),
            Ev::timed(
                "couture@t",
                "Atelier couture (déplacé au jeudi)",
                moved_to,
                moved_to + chrono::Duration::minutes(90),
            )
            .recurrence_id(moved_from),
        ]),
    )
    .await;

    let listed = events_between(&app, day(0), day(40)).await;

    assert_eq!(listed.len(), 5, "{:?}", titles(&listed));
    let starts: Vec<&str> = listed.iter().map(|e| e.local_start.as_str()).collect();
    assert!(!starts.contains(&local_text(moved_from).as_str()));
    let moved = titled(&listed, "Atelier couture (déplacé au jeudi)");
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].local_start, local_text(moved_to));
    assert_eq!(
        moved[0].local_end.as_deref(),
        Some(local_text(moved_to + chrono::Duration::minutes(90)).as_str())
    );
    assert_eq!(
        moved[0].category, "atelier",
        "the master's categories apply"
    );
    assert_eq!(titled(&listed, "Atelier couture").len(), 4);
    assert!(listed.iter().all(|e| !e.cancelled));
}

#[tokio::test]
async fn a_cancelled_recurrence_id_cancels_only_that_occurrence() {
    let app = empty_app().await;
    let first = at(day(4), 14, 0);
    let cancelled_at = first + chrono::Duration::weeks(1);
    import_ics(
        &app,
        &calendar(&[
            Ev::timed(
                "lecture@t",
                "Club lecture",
                first,
                first + chrono::Duration::hours(2),
            )
            .rrule("FREQ=WEEKLY;COUNT=4"),
            Ev::timed(
                "lecture@t",
                "Club lecture",
                cancelled_at,
                cancelled_at + chrono::Duration::hours(2),
            )
            .recurrence_id(cancelled_at)
            .status("CANCELLED"),
        ]),
    )
    .await;

    let listed = events_between(&app, day(0), day(40)).await;

    assert_eq!(listed.len(), 4);
    let cancelled: Vec<&Event> = listed.iter().filter(|e| e.cancelled).collect();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].local_start, local_text(cancelled_at));
    assert_eq!(cancelled[0].title, "Club lecture");
}

#[tokio::test]
async fn paris_times_come_out_in_utc_across_daylight_saving_time() {
    let app = empty_app().await;
    let july = next_date(7, 14);
    let december = next_date(12, 14);
    let change = next_offset_change();
    let weekly_first = at(shift(change, -14), 10, 0);
    import_ics(
        &app,
        &calendar(&[
            Ev::timed(
                "ete@t",
                "Pique-nique d’été",
                at(july, 10, 0),
                at(july, 12, 0),
            ),
            Ev::timed(
                "hiver@t",
                "Marché d’hiver",
                at(december, 10, 0),
                at(december, 12, 0),
            ),
            Ev::timed(
                "yoga@t",
                "Yoga",
                weekly_first,
                weekly_first + chrono::Duration::hours(1),
            )
            .rrule("FREQ=WEEKLY;COUNT=4"),
            Ev::all_day("journee@t", "Journée du patrimoine", day(5), day(6)),
        ]),
    )
    .await;

    let summer = events_between(&app, july, july).await;
    let winter = events_between(&app, december, december).await;
    let yoga = events_between(&app, shift(change, -14), shift(change, 7)).await;
    let whole_day = events_between(&app, day(5), day(5)).await;

    let year = july.year();
    assert_eq!(summer.len(), 1);
    assert_eq!(summer[0].start, format!("{year}-07-14T08:00:00Z"));
    assert_eq!(
        summer[0].end.as_deref(),
        Some(format!("{year}-07-14T10:00:00Z").as_str())
    );
    assert_eq!(summer[0].local_start, format!("{year}-07-14T10:00:00"));
    let year = december.year();
    assert_eq!(winter.len(), 1);
    assert_eq!(winter[0].start, format!("{year}-12-14T09:00:00Z"));
    assert_eq!(winter[0].local_start, format!("{year}-12-14T10:00:00"));

    let yoga = titled(&yoga, "Yoga");
    assert_eq!(yoga.len(), 4);
    for e in &yoga {
        assert!(e.local_start.ends_with("T10:00:00"), "{}", e.local_start);
        let local =
            NaiveDateTime::parse_from_str(&e.local_start, "%Y-%m-%dT%H:%M:%S").expect("local time");
        assert_eq!(e.start, utc_text(local), "10:00 in Paris that day");
    }
    let utc_hours: HashSet<&str> = yoga.iter().map(|e| &e.start[11..13]).collect();
    assert_eq!(utc_hours.len(), 2, "the UTC hour changes with the clocks");

    assert_eq!(whole_day.len(), 1);
    let d = &whole_day[0];
    assert!(d.all_day);
    assert_eq!(d.local_start, local_text(at(day(5), 0, 0)));
    assert_eq!(d.start, utc_text(at(day(5), 0, 0)));
    assert_eq!(d.end.as_deref(), Some(utc_text(at(day(6), 0, 0)).as_str()));
    assert_eq!(d.local_last_date, date_text(day(5)));
}

#[tokio::test]
async fn utc_floating_and_foreign_times_and_durations_are_understood() {
    let app = empty_app().await;
    let d = day(9);
    let ymd = d.format("%Y%m%d").to_string();
    let raw = |rest: String| At::Raw(rest);
    import_ics(
        &app,
        &calendar(&[
            Ev::new(
                "utc@t",
                "En UTC",
                raw(format!(":{ymd}T090000Z")),
                Some(raw(format!(":{ymd}T100000Z"))),
            ),
            Ev::new(
                "flottant@t",
                "Flottant",
                raw(format!(":{ymd}T110000")),
                None,
            )
            .line("DURATION:PT1H30M"),
            Ev::new(
                "new-york@t",
                "À New York",
                raw(format!(";TZID=America/New_York:{ymd}T100000")),
                Some(raw(format!(";TZID=America/New_York:{ymd}T110000"))),
            ),
            Ev::new(
                "mozilla@t",
                "Zone à la Mozilla",
                raw(format!(
                    ";TZID=/mozilla.org/20050126_1/Europe/Paris:{ymd}T140000"
                )),
                None,
            ),
        ]),
    )
    .await;

    let listed = events_between(&app, d, d).await;

    let one = |title: &str| titled(&listed, title)[0].clone();
    let utc = one("En UTC");
    let offset = instant(at(d, 12, 0)).with_timezone(&PARIS).offset().fix();
    let paris = |h: u32| at(d, h, 0) + chrono::Duration::seconds(offset.local_minus_utc().into());
    assert_eq!(utc.start, format!("{}T09:00:00Z", date_text(d)));
    assert_eq!(utc.local_start, local_text(paris(9)));
    let floating = one("Flottant");
    assert_eq!(
        floating.local_start,
        local_text(at(d, 11, 0)),
        "floating is Paris time"
    );
    assert_eq!(floating.start, utc_text(at(d, 11, 0)));
    assert_eq!(
        floating.local_end.as_deref(),
        Some(local_text(at(d, 12, 30)).as_str()),
        "DURATION gives the end"
    );
    let new_york = one("À New York");
    let ny_start = chrono_tz::America::New_York
        .from_local_datetime(&at(d, 10, 0))
        .earliest()
        .expect("a New York time")
        .with_timezone(&Utc)
        .to_rfc3339_opts(SecondsFormat::Secs, true);
    assert_eq!(new_york.start, ny_start);
    assert_eq!(
        new_york.local_start,
        local_text(
            chrono_tz::America::New_York
                .from_local_datetime(&at(d, 10, 0))
                .earliest()
                .expect("a New York time")
                .with_timezone(&PARIS)
                .naive_local()
        ),
        "shown in the commune's time"
    );
    let mozilla = one("Zone à la Mozilla");
    assert_eq!(mozilla.start, utc_text(at(d, 14, 0)));
    assert_eq!(
        mozilla.end, None,
        "no DTEND, no DURATION: the end is unknown"
    );
}

#[tokio::test]
async fn rdates_add_occurrences_and_until_ends_a_rule_on_its_day() {
    let app = empty_app().await;
    let first = at(day(2), 10, 0);
    let until_day = shift(first.date(), 21);
    import_ics(
        &app,
        &calendar(&[
            Ev::timed(
                "rdate@t",
                "Visite guidée",
                first,
                first + chrono::Duration::hours(2),
            )
            .rdates(&[at(day(5), 15, 0), at(day(20), 15, 0)]),
            Ev::timed(
                "until-utc@t",
                "Jusqu’à une heure",
                first,
                first + chrono::Duration::hours(1),
            )
            .rrule(&format!(
                "FREQ=WEEKLY;UNTIL={}",
                instant(at(until_day, 10, 0)).format("%Y%m%dT%H%M%SZ")
            )),
            Ev::timed(
                "until-date@t",
                "Jusqu’à un jour",
                first,
                first + chrono::Duration::hours(1),
            )
            .rrule(&format!("FREQ=WEEKLY;UNTIL={}", until_day.format("%Y%m%d"))),
        ]),
    )
    .await;

    let listed = events_between(&app, day(0), day(60)).await;

    let starts = |title: &str| -> Vec<String> {
        titled(&listed, title)
            .iter()
            .map(|e| e.local_start.clone())
            .collect()
    };
    assert_eq!(
        starts("Visite guidée"),
        [
            local_text(first),
            local_text(at(day(5), 15, 0)),
            local_text(at(day(20), 15, 0))
        ],
        "DTSTART and each RDATE"
    );
    let weekly: Vec<String> = (0..4)
        .map(|w| local_text(first + chrono::Duration::weeks(w)))
        .collect();
    assert_eq!(starts("Jusqu’à une heure"), weekly, "UNTIL is inclusive");
    assert_eq!(
        starts("Jusqu’à un jour"),
        weekly,
        "an UNTIL date includes its day"
    );
}

#[tokio::test]
async fn a_rule_anchored_in_utc_keeps_its_utc_time_across_daylight_saving_time() {
    let app = empty_app().await;
    let change = next_offset_change();
    let first = shift(change, -14);
    let utc_start = instant(at(first, 10, 0));
    import_ics(
        &app,
        &calendar(&[Ev::new(
            "utc-weekly@t",
            "Permanence",
            At::Raw(format!(":{}", utc_start.format("%Y%m%dT%H%M%SZ"))),
            Some(At::Raw(format!(
                ":{}",
                (utc_start + chrono::Duration::hours(1)).format("%Y%m%dT%H%M%SZ")
            ))),
        )
        .rrule("FREQ=WEEKLY;COUNT=4")]),
    )
    .await;

    let listed = events_between(&app, first, shift(change, 7)).await;

    let starts: Vec<String> = listed.iter().map(|e| e.start.clone()).collect();
    let expected: Vec<String> = (0..4)
        .map(|w| {
            (utc_start + chrono::Duration::weeks(w)).to_rfc3339_opts(SecondsFormat::Secs, true)
        })
        .collect();
    assert_eq!(
        starts, expected,
        "RFC 5545: a DTSTART in UTC recurs at the same UTC time"
    );
}

#[tokio::test]
async fn a_rule_repeating_every_second_for_years_does_not_stall_the_import() {
    let app = empty_app().await;
    let long_ago = at(day(-700), 8, 0);
    let started = std::time::Instant::now();
    let report = import_ics(
        &app,
        &calendar(&[
            Ev::timed(
                "secondly@t",
                "Toutes les secondes",
                long_ago,
                long_ago + chrono::Duration::seconds(1),
            )
            .rrule("FREQ=SECONDLY"),
            Ev::timed("ok@t", "Normal", at(day(3), 10, 0), at(day(3), 11, 0)),
        ]),
    )
    .await;

    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(report.inserted.len(), 1, "{report}");
    assert_eq!(
        report.skipped, 1,
        "the runaway rule is left out, the rest imported"
    );
    assert_eq!(titled(&page(&app, "").await.items, "Normal").len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Cancelled and withdrawn events.

#[tokio::test]
async fn a_cancelled_event_is_listed_cancelled_and_exported_with_status_cancelled() {
    let app = empty_app().await;
    import_ics(
        &app,
        &calendar(&[
            Ev::timed(
                "ok@t",
                "Concert maintenu",
                at(day(6), 20, 0),
                at(day(6), 22, 0),
            ),
            Ev::timed(
                "ko@t",
                "Concert annulé",
                at(day(7), 20, 0),
                at(day(7), 22, 0),
            )
            .status("CANCELLED"),
        ]),
    )
    .await;

    let listed = page(&app, "").await.items;
    let cancelled = titled(&listed, "Concert annulé")[0];
    let kept = titled(&listed, "Concert maintenu")[0];
    let feed = parse_calendar(
        &app.get("/feeds/agenda.ics")
            .await
            .bytes()
            .await
            .expect("body"),
    );
    let single = parse_calendar(
        &app.get(&format!("/api/v1/events/{}.ics", cancelled.id))
            .await
            .bytes()
            .await
            .expect("body"),
    );

    assert!(cancelled.cancelled);
    assert!(!kept.cancelled);
    let status_of = |uid: &str| {
        feed.events
            .iter()
            .find(|e| value(e, "UID").as_deref() == Some(uid))
            .and_then(|e| value(e, "STATUS"))
    };
    assert_eq!(status_of("ko@t").as_deref(), Some("CANCELLED"));
    assert_eq!(status_of("ok@t").as_deref(), Some("CONFIRMED"));
    assert_eq!(
        value(&single.events[0], "STATUS").as_deref(),
        Some("CANCELLED")
    );
}

#[tokio::test]
async fn an_event_removed_from_the_feed_is_withdrawn_not_deleted() {
    let app = empty_app().await;
    let past = Ev::timed(
        "passe@t",
        "Déjà passé",
        at(day(-3), 10, 0),
        at(day(-3), 11, 0),
    );
    let stays = Ev::timed("reste@t", "Reste", at(day(5), 10, 0), at(day(5), 11, 0));
    let leaves = Ev::timed(
        "part@t",
        "Retiré du flux",
        at(day(9), 10, 0),
        at(day(9), 11, 0),
    );
    import_ics(
        &app,
        &calendar(&[past.clone(), stays.clone(), leaves.clone()]),
    )
    .await;
    let before = events_between(&app, day(-5), day(20)).await;

    let report = import_ics(&app, &calendar(std::slice::from_ref(&stays))).await;
    let after = events_between(&app, day(-5), day(20)).await;
    let withdrawn_id = titled(&after, "Retiré du flux")[0].id;
    let exported = parse_calendar(
        &app.get(&format!("/api/v1/events/{withdrawn_id}.ics"))
            .await
            .bytes()
            .await
            .expect("body"),
    );
    let back = import_ics(&app, &calendar(&[past, stays, leaves])).await;
    let revived = events_between(&app, day(-5), day(20)).await;
    let revived_ics = parse_calendar(
        &app.get(&format!("/api/v1/events/{withdrawn_id}.ics"))
            .await
            .bytes()
            .await
            .expect("body"),
    );

    assert_eq!(report.withdrawn, 1, "only the future event that left");
    assert_eq!(report.unchanged, 1);
    assert_eq!(
        report.to_string(),
        "0 nouveaux, 0 mis à jour, 1 inchangés, 1 annulés (retirés du flux)"
    );
    assert_eq!(after.len(), 3, "nothing is deleted");
    let withdrawn = titled(&after, "Retiré du flux")[0];
    assert!(withdrawn.cancelled);
    assert_eq!(withdrawn.id, titled(&before, "Retiré du flux")[0].id);
    assert!(
        !titled(&after, "Déjà passé")[0].cancelled,
        "the past is left alone"
    );
    assert!(!titled(&after, "Reste")[0].cancelled);
    assert_eq!(
        value(&exported.events[0], "STATUS").as_deref(),
        Some("CANCELLED")
    );
    assert_eq!(value(&exported.events[0], "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(back.updated, 1, "listed again, it comes back");
    assert!(revived.iter().all(|e| !e.cancelled));
    assert_eq!(
        value(&revived_ics.events[0], "SEQUENCE").as_deref(),
        Some("2"),
        "every change raises the sequence"
    );
}

// ---------------------------------------------------------------------------------------------
// The iCalendar feed.

/// A bit of everything: single, all-day over several days, recurring, an override, cancelled.
pub fn varied_calendar() -> String {
    let weekly = at(day(2), 9, 0);
    calendar(&[
        Ev::timed(
            "concert@t",
            "Concert d’automne",
            at(day(4), 20, 30),
            at(day(4), 22, 30),
        )
        .categories("Concert,Tout public")
        .line("LOCATION:Église Saint-Aubin\\, place de l’Église")
        .line("DESCRIPTION:Chœur et orgue.\\nEntrée libre."),
        Ev::all_day("expo@t", "Exposition de photos", day(1), day(15)).categories("Exposition"),
        Ev::timed(
            "marche@t",
            "Marché",
            weekly,
            weekly + chrono::Duration::hours(4),
        )
        .rrule("FREQ=WEEKLY;COUNT=6")
        .exdate(weekly + chrono::Duration::weeks(2))
        .categories("Marché"),
        Ev::timed(
            "marche@t",
            "Marché (sur le quai)",
            weekly + chrono::Duration::weeks(4),
            weekly + chrono::Duration::weeks(4) + chrono::Duration::hours(4),
        )
        .recurrence_id(weekly + chrono::Duration::weeks(4)),
        Ev::timed(
            "foot@t",
            "Match annulé",
            at(day(11), 15, 0),
            at(day(11), 17, 0),
        )
        .status("CANCELLED")
        .categories("Sport"),
        Ev::timed(
            "conf@t",
            "Conférence",
            at(day(60), 18, 0),
            at(day(60), 19, 30),
        )
        .categories("Conférence"),
    ])
}

#[tokio::test]
async fn the_agenda_feed_parses_back_with_the_same_events() {
    let app = empty_app().await;
    import_ics(&app, &varied_calendar()).await;
    let listed = page(&app, "?limit=500").await.items;

    let response = app.get("/feeds/agenda.ics").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    let etag = response.headers()[ETAG].to_str().expect("etag").to_owned();
    let body = response.bytes().await.expect("body");
    let text = String::from_utf8(body.to_vec()).expect("UTF-8");
    for needle in [
        "\r\nNAME:Agenda de Saint-Aubin-sur-Loire\r\n",
        "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT4H\r\n",
        "\r\nX-WR-TIMEZONE:Europe/Paris\r\n",
        "\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n",
    ] {
        assert!(text.contains(needle), "{needle:?} missing");
    }
    assert!(text.lines().all(|l| l.len() <= 75), "lines are folded");
    let calendar = parse_calendar(&body);
    assert_eq!(calendar.timezones.len(), 1);

    assert_eq!(listed.len(), 1 + 1 + 5 + 1 + 1, "{:?}", titles(&listed));
    assert_eq!(calendar.events.len(), listed.len());
    let by_id: HashMap<i64, &Event> = listed.iter().map(|e| (e.id, e)).collect();
    let mut uids = HashSet::new();
    for exported in &calendar.events {
        let url = value(exported, "URL").expect("URL");
        let id: i64 = url
            .strip_prefix(&format!("{}/agenda/", app.address))
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("an event page URL: {url}"));
        let event = by_id[&id];
        let uid = value(exported, "UID").expect("UID");
        assert!(uids.insert(uid.clone()), "{uid} twice");
        assert_eq!(
            value(exported, "SUMMARY").as_deref(),
            Some(event.title.as_str())
        );
        let status = if event.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        assert_eq!(value(exported, "STATUS").as_deref(), Some(status), "{uid}");
        assert_eq!(value(exported, "SEQUENCE").as_deref(), Some("0"), "{uid}");
        if event.all_day {
            assert_eq!(param(exported, "DTSTART", "VALUE").as_deref(), Some("DATE"));
            assert_eq!(
                value(exported, "DTSTART"),
                Some(event.local_start[..10].replace('-', ""))
            );
            let last: NaiveDate = event.local_last_date.parse().expect("date");
            assert_eq!(
                value(exported, "DTEND"),
                Some(shift(last, 1).format("%Y%m%d").to_string()),
                "DTEND is the day after the last one"
            );
        } else {
            assert_eq!(
                exported_instant(exported, "DTSTART"),
                Some(event.start.clone())
            );
            assert_eq!(exported_instant(exported, "DTEND"), event.end.clone());
        }
    }
    let marche: Vec<&String> = uids.iter().filter(|u| u.ends_with("/marche@t")).collect();
    assert_eq!(marche.len(), 5, "one UID per occurrence");
    let concert = calendar
        .events
        .iter()
        .find(|e| value(e, "UID").as_deref() == Some("concert@t"))
        .expect("the concert");
    assert_eq!(value(concert, "CATEGORIES").as_deref(), Some("Concert"));
    assert!(
        value(concert, "DESCRIPTION")
            .expect("description")
            .starts_with("Chœur et orgue.")
    );
    assert_eq!(
        get_with_etag(&app, "/feeds/agenda.ics", &etag)
            .await
            .status(),
        StatusCode::NOT_MODIFIED
    );
}

// ---------------------------------------------------------------------------------------------
// The demo.

#[tokio::test]
async fn the_demo_agenda_is_full_recurring_cancelled_and_categorised() {
    let app = spawn_app().await;

    let listed = events_between(&app, day(0), day(92)).await;
    let categories: Vec<EventCategory> = app
        .get("/api/v1/event-categories")
        .await
        .json()
        .await
        .expect("categories");

    assert!(listed.len() >= 150, "{} demo events", listed.len());
    let cancelled = listed.iter().filter(|e| e.cancelled).count();
    assert!(cancelled >= 3, "{cancelled} cancelled");
    let mut dates_by_title: BTreeMap<&str, HashSet<&str>> = BTreeMap::new();
    for e in &listed {
        dates_by_title
            .entry(e.title.as_str())
            .or_default()
            .insert(e.local_date());
    }
    let recurring = dates_by_title.values().filter(|d| d.len() >= 2).count();
    assert!(recurring >= 3, "{recurring} recurring titles");
    assert!(categories.len() >= 8);
    let slugs: HashSet<&str> = categories.iter().map(|c| c.slug.as_str()).collect();
    for e in &listed {
        assert!(
            slugs.contains(e.category.as_str()),
            "{}: {}",
            e.title,
            e.category
        );
    }
    let used: HashSet<&str> = listed.iter().map(|e| e.category.as_str()).collect();
    assert!(
        used.len() >= 5,
        "the demo uses several categories: {used:?}"
    );
    assert!(listed.iter().any(|e| e.all_day));
    let body = app
        .get("/feeds/agenda.ics")
        .await
        .bytes()
        .await
        .expect("body");
    assert!(parse_calendar(&body).events.len() >= listed.len());
}
