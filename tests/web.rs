//! The app's store layer in a real browser (headless Chromium via wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use parvis::store::{self, kv, prefs};
use parvis_core::{Locale, Problem};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_stored_value_reads_back_after_reopening_the_database() {
    let problem = Problem::new(422, "Champ invalide", "Le titre est obligatoire.");
    kv::put("test.roundtrip", &problem).await.expect("put");

    let back: Option<Problem> = kv::get("test.roundtrip").await.expect("get");

    assert_eq!(back, Some(problem));
}

#[wasm_bindgen_test]
async fn a_missing_key_reads_as_none() {
    let back: Option<String> = kv::get("test.never-written").await.expect("get");
    assert_eq!(back, None);
}

#[wasm_bindgen_test]
async fn putting_again_replaces_and_delete_removes() {
    kv::put("test.replace", &"première".to_owned())
        .await
        .expect("first put");
    kv::put("test.replace", &"seconde".to_owned())
        .await
        .expect("second put");
    assert_eq!(
        kv::get::<String>("test.replace").await.expect("get"),
        Some("seconde".to_owned())
    );

    kv::delete("test.replace").await.expect("delete");

    assert_eq!(kv::get::<String>("test.replace").await.expect("get"), None);
}

#[wasm_bindgen_test]
async fn a_value_of_another_shape_is_a_decode_error_not_a_panic() {
    kv::put("test.shape", &vec![1, 2, 3]).await.expect("put");

    let back = kv::get::<Problem>("test.shape").await;

    assert!(matches!(back, Err(store::Error::Decode(_))), "got {back:?}");
}

#[wasm_bindgen_test]
async fn many_writes_in_sequence_all_land() {
    for i in 0..50u32 {
        kv::put(&format!("test.many.{i}"), &i).await.expect("put");
    }
    for i in 0..50u32 {
        assert_eq!(
            kv::get::<u32>(&format!("test.many.{i}"))
                .await
                .expect("get"),
            Some(i)
        );
    }
}

#[wasm_bindgen_test]
fn the_chosen_language_is_remembered() {
    assert!(prefs::set_locale(Locale::En));
    assert_eq!(prefs::locale(), Some(Locale::En));
    assert!(prefs::set_locale(Locale::Fr));
    assert_eq!(prefs::locale(), Some(Locale::Fr));
}

fn article(id: i64, published_at: &str, themes: &[&str]) -> parvis_core::Article {
    parvis_core::Article {
        id,
        title: format!("Article {id}"),
        summary: "Résumé.".to_owned(),
        body_html: "<p>Texte</p>".to_owned(),
        image_url: None,
        image_alt: None,
        published_at: published_at.to_owned(),
        updated_at: published_at.to_owned(),
        themes: themes.iter().map(|t| (*t).to_owned()).collect(),
        source_url: None,
    }
}

#[wasm_bindgen_test]
async fn stored_articles_read_back_newest_first_and_updates_replace() {
    use parvis::store::news;
    news::put_articles(&[
        article(9001, "2026-10-01T08:00:00Z", &["travaux"]),
        article(9002, "2026-11-01T08:00:00Z", &["culture"]),
    ])
    .await
    .expect("put");
    let mut changed = article(9001, "2026-10-01T08:00:00Z", &["travaux"]);
    changed.title = "Travaux prolongés".to_owned();
    news::put_articles(&[changed.clone()])
        .await
        .expect("update");

    let all = news::articles().await.expect("all");
    let ours: Vec<_> = all
        .iter()
        .filter(|a| a.id >= 9001 && a.id <= 9002)
        .collect();

    assert_eq!(
        ours.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![9002, 9001]
    );
    assert_eq!(news::article(9001).await.expect("one"), Some(changed));
    assert_eq!(news::article(424242).await.expect("missing"), None);
}

#[wasm_bindgen_test]
async fn followed_themes_and_sync_state_are_remembered() {
    use parvis::store::news::{self, Followed, SyncState};
    let followed = Followed {
        themes: vec!["dechets".to_owned()],
        chosen: true,
    };
    news::put_followed(&followed).await.expect("put followed");
    let state = SyncState {
        token: Some("42".to_owned()),
        synced_at: Some(1),
    };
    news::put_sync_state(&state).await.expect("put state");

    assert_eq!(news::followed().await.expect("followed"), followed);
    assert_eq!(news::sync_state().await.expect("state"), state);
}

fn event(id: i64, day: u32, title: &str) -> parvis_core::Event {
    let local_start = format!("2027-01-{day:02}T18:00:00");
    parvis_core::Event {
        id,
        title: title.to_owned(),
        description: "Entrée libre.".to_owned(),
        start: format!("2027-01-{day:02}T17:00:00Z"),
        end: None,
        local_start: local_start.clone(),
        local_end: None,
        local_last_date: local_start[..10].to_owned(),
        all_day: false,
        location_name: Some("Salle des fêtes".to_owned()),
        address: None,
        position: None,
        facility_id: None,
        category: if id % 2 == 0 { "concert" } else { "sport" }.to_owned(),
        audiences: vec![parvis_core::Audience::Everyone],
        free: id % 3 == 0,
        price: None,
        registration_url: None,
        image_url: None,
        accessibility: None,
        cancelled: false,
        url: None,
        updated_at: "2026-11-01T00:00:00Z".to_owned(),
    }
}

#[wasm_bindgen_test]
async fn the_store_keeps_and_queries_two_thousand_events() {
    use parvis::store::agenda;
    use parvis_core::agenda::EventFilter;
    let events: Vec<_> = (1..=2000)
        .map(|i| {
            event(
                100_000 + i,
                (i % 28 + 1) as u32,
                if i == 1234 {
                    "Théâtre de Noël"
                } else {
                    "Rencontre"
                },
            )
        })
        .collect();
    agenda::put_events(&events).await.expect("put 2000");

    let stored = agenda::events().await.expect("read back");
    let ours: Vec<_> = stored.iter().filter(|e| e.id > 100_000).collect();
    assert_eq!(ours.len(), 2000);
    assert!(
        ours.windows(2).all(|w| w[0].start <= w[1].start),
        "in start order"
    );

    let search = EventFilter {
        query: "THEATRE noel".to_owned(),
        ..Default::default()
    };
    let found: Vec<_> = ours
        .iter()
        .filter(|e| search.matches(e, &e.search_text()))
        .map(|e| e.id)
        .collect();
    assert_eq!(found, vec![101_234]);
    let concerts_free = EventFilter {
        category: Some("concert".to_owned()),
        free_only: true,
        ..Default::default()
    };
    let expected = (100_001..=102_000i64).filter(|i| i % 6 == 0).count();
    assert_eq!(
        ours.iter().filter(|e| concerts_free.matches(e, "")).count(),
        expected
    );

    let removed = agenda::remove_ended_before("2027-01-15")
        .await
        .expect("prune");
    assert!(removed >= 900, "ended events are dropped ({removed})");
    let left = agenda::events().await.expect("after prune");
    assert!(
        left.iter()
            .all(|e| e.local_last_date.as_str() >= "2027-01-15")
    );
}

#[wasm_bindgen_test]
async fn the_one_record_snapshot_reads_like_the_events_and_never_goes_stale() {
    use parvis::store::agenda;

    agenda::put_events(&[event(900_001, 3, "Loto"), event(900_002, 2, "Bal")])
        .await
        .expect("put");
    agenda::save_snapshot(2).await.expect("snapshot");
    let ids = |events: Vec<parvis_core::Event>| -> Vec<i64> {
        events
            .into_iter()
            .map(|e| e.id)
            .filter(|id| *id > 900_000)
            .collect()
    };
    assert_eq!(
        ids(agenda::events().await.expect("read")),
        vec![900_002, 900_001],
        "from the snapshot, in start order"
    );

    // A write outside a sync drops the snapshot: the next read sees it at once.
    agenda::put_events(&[event(900_003, 1, "Vide-grenier")])
        .await
        .expect("put more");
    assert_eq!(
        ids(agenda::events().await.expect("read again")),
        vec![900_003, 900_002, 900_001]
    );
    agenda::save_snapshot(1).await.expect("snapshot again");
    let pruned = agenda::remove_ended_before("2027-01-03")
        .await
        .expect("prune");
    assert!(
        pruned >= 2,
        "the two events of 1 and 2 January go ({pruned})"
    );
    assert_eq!(
        ids(agenda::events().await.expect("after prune")),
        vec![900_001]
    );

    // A sync that changed nothing leaves the copy as it is, but writes it again when it is
    // missing: one cut short after dropping it (before its first change), or an older app's.
    use parvis::store::db;
    agenda::save_snapshot(0).await.expect("nothing changed");
    assert!(
        db::snapshot(agenda::SNAPSHOT_KEY)
            .await
            .expect("read")
            .is_some()
    );
    db::drop_snapshot(agenda::SNAPSHOT_KEY)
        .await
        .expect("cut short");
    agenda::save_snapshot(0)
        .await
        .expect("nothing changed since");
    assert!(
        db::snapshot(agenda::SNAPSHOT_KEY)
            .await
            .expect("read again")
            .is_some(),
        "a missing copy is written again"
    );
}

// ── Facilities: store, the worker's evaluation, status texts ──────────────────────────────

fn facility(id: i64, name: &str, hours: Option<&str>) -> parvis_core::Facility {
    parvis_core::Facility {
        id,
        name: name.to_owned(),
        category: "mairie".to_owned(),
        address: Some("2 place de la Mairie".to_owned()),
        position: parvis_core::LatLon {
            lat: 47.3931,
            lon: 0.6889,
        },
        phone: Some("+33 2 47 52 10 00".to_owned()),
        email: None,
        website: None,
        description: None,
        opening_hours: hours.map(str::to_owned),
        closures: Vec::new(),
        wheelchair: Some(parvis_core::Wheelchair::Yes),
        services: vec!["Wi-Fi".to_owned()],
        photo_url: None,
        updated_at: "2026-11-01T00:00:00Z".to_owned(),
    }
}

/// A wire facility as the app's screens read it (from the same JSON).
fn as_read(f: &parvis_core::Facility) -> store::facilities::Facility {
    serde_json::from_str(&serde_json::to_string(f).expect("json")).expect("reads")
}

const TOWN_HALL: &str = "Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off";

#[wasm_bindgen_test]
async fn stored_facilities_read_back_by_id_and_updates_replace() {
    use parvis::store::facilities;
    let mut pool = facility(700_002, "Piscine", Some("Mo-Su 09:00-19:00"));
    facilities::put_facilities(&[facility(700_001, "Mairie", Some(TOWN_HALL)), pool.clone()])
        .await
        .expect("put");
    pool.closures.push(parvis_core::Closure {
        from: "2027-01-02".to_owned(),
        to: "2027-01-10".to_owned(),
        reason: "vidange annuelle".to_owned(),
    });
    facilities::put_facility_json(vec![(pool.id, serde_json::to_string(&pool).expect("json"))])
        .await
        .expect("update as the server sent it");

    let all = facilities::facilities().await.expect("all");
    let ours: Vec<_> = all.iter().filter(|f| f.id > 700_000).collect();
    assert_eq!(
        ours.iter().map(|f| f.id).collect::<Vec<_>>(),
        vec![700_001, 700_002]
    );
    assert_eq!(
        facilities::facility(700_002).await.expect("one"),
        Some(as_read(&pool))
    );
    let (_, json) = facilities::facilities_with_json().await.expect("with JSON");
    assert!(
        json.contains("vidange annuelle"),
        "the hours worker gets the closures as stored"
    );
    assert_eq!(facilities::facility(1).await.expect("missing"), None);
    let state = store::news::SyncState {
        token: Some("f-42".to_owned()),
        synced_at: Some(7),
    };
    facilities::put_sync_state(&state).await.expect("state");
    assert_eq!(facilities::sync_state().await.expect("state back"), state);
}

#[wasm_bindgen_test]
async fn facilities_are_read_from_their_one_record_copy_rewritten_when_a_sync_changed_them() {
    use parvis::store::db::{FACILITIES, Key, put_json};
    use parvis::store::facilities;
    let ids = |list: Vec<facilities::Facility>| -> Vec<i64> {
        list.into_iter()
            .map(|f| f.id)
            .filter(|id| *id > 800_000)
            .collect()
    };
    let as_sent = |f: &parvis_core::Facility| {
        vec![(
            Key::Id(f.id as f64),
            serde_json::to_string(f).expect("json"),
        )]
    };
    facilities::put_facilities(&[facility(800_001, "Mairie", Some(TOWN_HALL))])
        .await
        .expect("put");
    facilities::save_snapshot(1).await.expect("snapshot");
    assert_eq!(
        ids(facilities::facilities().await.expect("read")),
        vec![800_001]
    );

    // A sync stores facilities as the server sent them: the copy is rewritten only when it
    // stored some, so what is read is the copy, not the store.
    put_json(FACILITIES, as_sent(&facility(800_002, "Piscine", None)))
        .await
        .expect("stored by a sync");
    facilities::save_snapshot(0).await.expect("nothing changed");
    assert_eq!(
        ids(facilities::facilities().await.expect("copy")),
        vec![800_001]
    );
    facilities::save_snapshot(1).await.expect("one changed");
    assert_eq!(
        ids(facilities::facilities().await.expect("rewritten")),
        vec![800_001, 800_002]
    );

    // A write outside a sync drops the copy: the next read sees it at once.
    facilities::put_facilities(&[facility(800_003, "Médiathèque", None)])
        .await
        .expect("put more");
    assert_eq!(
        ids(facilities::facilities().await.expect("from the store")),
        vec![800_001, 800_002, 800_003]
    );
}

#[wasm_bindgen_test]
async fn facility_categories_come_from_the_key_value_store() {
    use parvis::store::{facilities, kv};
    let json = r##"[{"slug":"piscine","name_fr":"Piscine","name_en":"Swimming pool","color":"#0b5394","icon":"pool"}]"##;
    kv::put_json_text(facilities::CATEGORIES_KEY, json.to_owned())
        .await
        .expect("put");
    let categories = facilities::categories().await.expect("read");
    assert_eq!(categories.len(), 1);
    assert_eq!(categories[0].name_en, "Swimming pool");
}

fn hours_at(
    now: &str,
    facilities: &[parvis_core::Facility],
    cache: &mut parvis::platform::hours::evaluate::ParsedCache,
) -> Vec<parvis::platform::hours::protocol::FacilityHours> {
    use parvis::platform::hours::protocol::{HoursInput, Request};
    let request = Request {
        now: now.to_owned(),
        locale: "fr".to_owned(),
        rules: parvis_core::HolidayRules::default(),
        facilities: facilities
            .iter()
            .map(|f| HoursInput {
                id: f.id,
                opening_hours: f.opening_hours.clone(),
                closures: f.closures.clone(),
            })
            .collect(),
    };
    parvis::platform::hours::evaluate::evaluate(&request, cache).items
}

#[wasm_bindgen_test]
fn the_worker_evaluates_a_town_hall_through_a_day_and_on_a_public_holiday() {
    use parvis::platform::hours::protocol::State;
    let town_hall = [facility(1, "Mairie", Some(TOWN_HALL))];
    let mut cache = Default::default();

    // Tuesday 9 March 2027.
    let morning = &hours_at("2027-03-09T10:00:00", &town_hall, &mut cache)[0];
    assert_eq!(morning.state, State::Open);
    assert_eq!(morning.until.as_deref(), Some("2027-03-09T12:00"));
    assert_eq!(morning.week.len(), 7);
    assert_eq!(
        morning.week[0].date, "2027-03-08",
        "the week starts on Monday"
    );
    assert_eq!(morning.week[1].slots.len(), 2);
    assert_eq!(morning.week[1].slots[1].start, "13:30");
    assert!(morning.week[6].closed, "closed on Sunday");

    let soon = &hours_at("2027-03-09T11:48:00", &town_hall, &mut cache)[0];
    assert_eq!(soon.state, State::ClosingSoon);

    let lunch = &hours_at("2027-03-09T12:15:00", &town_hall, &mut cache)[0];
    assert_eq!(lunch.state, State::Closed);
    assert_eq!(lunch.next_open.as_deref(), Some("2027-03-09T13:30"));

    // Wednesday 14 July 2027: "PH off".
    let national_day = &hours_at("2027-07-14T10:00:00", &town_hall, &mut cache)[0];
    assert_eq!(national_day.state, State::Closed);
    assert_eq!(national_day.next_open.as_deref(), Some("2027-07-15T08:30"));
    let wednesday = &national_day.week[2];
    assert_eq!(wednesday.public_holiday.as_deref(), Some("Fête nationale"));
    assert!(wednesday.closed);

    assert_eq!(
        cache.len(),
        1,
        "the hours were parsed once for four evaluations"
    );
}

#[wasm_bindgen_test]
fn the_worker_answers_the_benchmark_with_a_state_and_next_change_per_instant() {
    use parvis::platform::hours::protocol::{BenchRequest, HoursInput};
    let input = |id, hours: &str| HoursInput {
        id,
        opening_hours: Some(hours.to_owned()),
        closures: Vec::new(),
    };
    let request = BenchRequest {
        instants: vec!["2027-03-09T11:48".to_owned(), "2027-03-09T12:15".to_owned()],
        rules: parvis_core::HolidayRules::default(),
        facilities: vec![
            input(1, TOWN_HALL),
            input(2, "\"sur rendez-vous\""),
            input(3, "Mo-Fr 25:00-26:00 nonsense"),
        ],
    };
    assert_eq!(
        parvis::platform::hours::evaluate::bench(&request),
        "open 2027-03-09T12:00\nunknown -\nrejected\n\
         closed 2027-03-09T13:30\nunknown -\nrejected\n",
        "closing soon reads as open; instant by instant, facility by facility"
    );
}

#[wasm_bindgen_test]
fn the_worker_reports_closures_unknown_and_unreadable_hours() {
    use parvis::platform::hours::protocol::State;
    let mut closed = facility(2, "Piscine", Some("Mo-Su 09:00-19:00"));
    closed.closures = vec![
        parvis_core::Closure {
            from: "2027-12-20".to_owned(),
            to: "2027-12-31".to_owned(),
            reason: "travaux".to_owned(),
        },
        parvis_core::Closure {
            from: "2028-01-01".to_owned(),
            to: "2028-01-03".to_owned(),
            reason: "travaux".to_owned(),
        },
    ];
    let appointment = facility(3, "CCAS", Some("\"sur rendez-vous\""));
    let broken = facility(4, "Salle", Some("Mo-Fr 25:00-26:00 nonsense"));
    let none = facility(5, "Stade", None);
    let mut cache = Default::default();
    let all = hours_at(
        "2027-12-22T10:00:00",
        &[closed, appointment, broken, none],
        &mut cache,
    );

    assert_eq!(all[0].state, State::Closed);
    assert_eq!(all[0].closure_reason.as_deref(), Some("travaux"));
    assert_eq!(
        all[0].closure_until.as_deref(),
        Some("2028-01-03"),
        "closures that follow each other read as one"
    );
    assert_eq!(all[1].state, State::Unknown);
    assert_eq!(all[1].comment.as_deref(), Some("sur rendez-vous"));
    assert_eq!(all[2].state, State::Unknown);
    assert!(!all[2].readable);
    assert!(all[2].week.is_empty());
    assert_eq!(all[3].state, State::Unknown);
}

fn status(
    state: parvis::platform::hours::protocol::State,
) -> parvis::platform::hours::protocol::FacilityHours {
    parvis::platform::hours::protocol::FacilityHours {
        id: 1,
        state,
        until: None,
        next_open: None,
        comment: None,
        closure_reason: None,
        closure_until: None,
        readable: true,
        week: Vec::new(),
    }
}

#[wasm_bindgen_test]
fn status_lines_read_naturally_in_french_and_english() {
    use parvis::components::facility_status::status_text;
    use parvis::platform::hours::protocol::State;
    use parvis_core::Locale::{En, Fr};
    let now = "2027-03-09T10:00:00"; // a Tuesday

    let mut open = status(State::Open);
    open.until = Some("2027-03-09T18:00".to_owned());
    assert_eq!(status_text(&open, now, Fr), "Ouvert · ferme à 18:00");
    assert_eq!(status_text(&open, now, En), "Open · closes at 18:00");
    open.until = Some("2027-03-10T02:00".to_owned());
    assert_eq!(status_text(&open, now, Fr), "Ouvert · ferme demain à 02:00");
    open.until = None;
    assert_eq!(status_text(&open, now, Fr), "Ouvert");

    let mut soon = status(State::ClosingSoon);
    soon.until = Some("2027-03-09T10:12".to_owned());
    assert_eq!(status_text(&soon, now, Fr), "Ferme dans 12 min");
    assert_eq!(status_text(&soon, now, En), "Closes in 12 min");

    let mut closed = status(State::Closed);
    closed.next_open = Some("2027-03-09T13:30".to_owned());
    assert_eq!(status_text(&closed, now, Fr), "Fermé · ouvre à 13:30");
    closed.next_open = Some("2027-03-10T08:30".to_owned());
    assert_eq!(
        status_text(&closed, now, Fr),
        "Fermé · ouvre demain à 08:30"
    );
    assert_eq!(
        status_text(&closed, now, En),
        "Closed · opens tomorrow at 08:30"
    );
    closed.next_open = Some("2027-03-15T08:30".to_owned());
    assert_eq!(status_text(&closed, now, Fr), "Fermé · ouvre lundi à 08:30");
    assert_eq!(
        status_text(&closed, now, En),
        "Closed · opens Monday at 08:30"
    );
    closed.next_open = None;
    assert_eq!(status_text(&closed, now, Fr), "Fermé");

    let mut works = status(State::Closed);
    works.closure_reason = Some("travaux".to_owned());
    works.closure_until = Some("2028-01-03".to_owned());
    assert_eq!(
        status_text(&works, now, Fr),
        "Fermeture exceptionnelle jusqu’au 3 janvier — travaux"
    );
    assert_eq!(
        status_text(&works, now, En),
        // British English dates: day then month, as in French.
        "Exceptionally closed until 3 January — travaux"
    );

    // Uncertain because of its comment: the comment says why, the week shows the hours.
    let mut unknown = status(State::Unknown);
    assert_eq!(status_text(&unknown, now, Fr), "Horaires inconnus");
    assert_eq!(status_text(&unknown, now, En), "Hours unknown");
    unknown.comment = Some("sur rendez-vous".to_owned());
    assert_eq!(status_text(&unknown, now, Fr), "Sur rendez-vous");
    assert_eq!(status_text(&unknown, now, En), "Sur rendez-vous");
}

#[wasm_bindgen_test]
fn the_commune_clock_and_distances_are_formatted_without_the_device_zone() {
    use parvis::platform::format;
    use parvis::state::facilities::distance_text;
    let now = format::local_now_in("Europe/Paris");
    assert_eq!(now.len(), 19, "{now}");
    assert_eq!(&now[10..11], "T");
    let tokyo = format::local_now_in("Asia/Tokyo");
    assert_ne!(now[11..13], tokyo[11..13], "another zone, another hour");
    assert_eq!(
        format::minutes_between("2027-03-09T23:50:00", "2027-03-10T00:20"),
        Some(30)
    );
    assert_eq!(distance_text(348.0, Locale::Fr), "350 m");
    assert_eq!(distance_text(1_249.0, Locale::Fr), "1,2 km");
    assert_eq!(distance_text(1_249.0, Locale::En), "1.2 km");
    assert_eq!(distance_text(12_400.0, Locale::Fr), "12 km");
}

#[wasm_bindgen_test]
fn the_list_sorts_by_distance_once_located_else_by_name_and_filters_open_ones() {
    use parvis::platform::hours::protocol::State;
    use parvis::state::facilities::{FacilityFilters, shown};
    let mut near = facility(1, "Zoo municipal", None);
    near.position = parvis_core::LatLon {
        lat: 47.3932,
        lon: 0.6889,
    };
    let mut far = facility(2, "École de musique", None);
    far.position = parvis_core::LatLon {
        lat: 47.4100,
        lon: 0.7000,
    };
    far.category = "culture".to_owned();
    let list = vec![as_read(&near), as_read(&far)];
    let view = |id, state| parvis::platform::hours::protocol::HoursView {
        id,
        state,
        line: String::new(),
        week_html: String::new(),
    };
    let hours = vec![view(1, State::Closed), view(2, State::ClosingSoon)];
    let here = parvis_core::LatLon {
        lat: 47.3931,
        lon: 0.6889,
    };

    let by_name = shown(&list, &hours, &FacilityFilters::default(), None);
    assert_eq!(
        by_name.iter().map(|(f, _)| f.id).collect::<Vec<_>>(),
        vec![2, 1],
        "École before Zoo, accents ignored"
    );
    let by_distance = shown(&list, &hours, &FacilityFilters::default(), Some(here));
    assert_eq!(by_distance[0].0.id, 1);
    assert!(by_distance[0].1.is_some_and(|d| d < 20.0));
    let open = FacilityFilters {
        open_now: true,
        category: None,
    };
    assert_eq!(
        shown(&list, &hours, &open, None)
            .iter()
            .map(|(f, _)| f.id)
            .collect::<Vec<_>>(),
        vec![2]
    );
    let culture = FacilityFilters {
        open_now: false,
        category: Some("culture".to_owned()),
    };
    assert_eq!(culture.url("/carte"), "/carte?categorie=culture");
    assert_eq!(shown(&list, &hours, &culture, None).len(), 1);
}

#[wasm_bindgen_test]
fn the_week_table_marks_today_and_names_holidays_and_closures() {
    use parvis::components::facility_status::week_html;
    let mut town_hall = facility(1, "Mairie", Some(TOWN_HALL));
    town_hall.closures = vec![parvis_core::Closure {
        from: "2027-07-16".to_owned(),
        to: "2027-07-16".to_owned(),
        reason: "inventaire".to_owned(),
    }];
    let mut cache = Default::default();
    let hours = &hours_at(
        "2027-07-14T10:00:00",
        std::slice::from_ref(&town_hall),
        &mut cache,
    )[0];

    let html = week_html(
        hours,
        town_hall.opening_hours.as_deref(),
        &town_hall.closures,
        "2027-07-14T10:00:00",
        Locale::Fr,
    );

    assert_eq!(
        html.matches("<tr").count(),
        8,
        "a header row and seven days: {html}"
    );
    assert_eq!(html.matches("aria-current=\"date\"").count(), 1);
    let today = html
        .split("aria-current=\"date\"")
        .nth(1)
        .unwrap_or_default();
    let today = today.split("</tr>").next().unwrap_or_default();
    assert!(today.contains("mercredi 14 juillet"), "{today}");
    assert!(today.contains("(aujourd’hui)"), "{today}");
    assert!(
        today.contains("Fermé") && today.contains("Fête nationale"),
        "{today}"
    );
    assert!(html.contains("08:30–12:00, 13:30–17:30"));
    assert!(html.contains("Fermeture exceptionnelle — inventaire"));
    assert!(html.contains("Fermeture exceptionnelle : 16 juillet — inventaire"));
}

#[wasm_bindgen_test]
fn dates_read_the_same_from_a_kept_formatter() {
    use parvis::platform::format;
    for _ in 0..2 {
        assert_eq!(
            format::day_name("2026-11-28", Locale::Fr, false),
            "samedi 28 novembre"
        );
        assert_eq!(format::day_name("2026-11-28", Locale::Fr, true), "sam. 28");
        assert_eq!(format::day_name("2026-11-29", Locale::Fr, true), "dim. 29");
        assert_eq!(format::weekday_name("2026-11-30", Locale::Fr), "lundi");
        assert_eq!(format::day_month("2027-01-03", Locale::Fr), "3 janvier");
        // The English formatter, not the French one kept first.
        let english = format::day_name("2026-11-28", Locale::En, false);
        assert_eq!(english, "Saturday 28 November");
        assert_eq!(format::day_month("2027-01-03", Locale::En), "3 January");
    }
    assert_eq!(
        format::day_name("not a date", Locale::Fr, true),
        "not a date"
    );
}
