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
    agenda::save_snapshot().await.expect("snapshot");
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
    agenda::save_snapshot().await.expect("snapshot again");
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
}
