//! The reports outbox's storage and the photo worker's EXIF reading, in a real browser
//! (headless Chromium via wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use parvis::platform::photo::prepare::gps_position;
use parvis::store::reports::{self, Delivery, LocalReport};
use parvis_core::LatLon;
use parvis_core::reports::{NewReport, ReportReceipt};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The server tests' fixture: GPS 47°23'37" N, 0°41'21" E, orientation 6.
const GPS_JPEG: &[u8] = include_bytes!("../crates/server/tests/api/fixtures/reports/gps-exif.jpg");

fn report(key: &str, created_at_ms: f64) -> LocalReport {
    LocalReport {
        key: key.to_owned(),
        created_at_ms,
        report: NewReport {
            category: "voirie".into(),
            description: "Nid-de-poule".into(),
            position: LatLon {
                lat: 47.39,
                lon: 0.69,
            },
            address: None,
            email: None,
            device_id: None,
        },
        accuracy_m: Some(12.0),
        photos: 2,
        delivery: Delivery::Queued,
        attempts: 0,
        next_try_ms: 0.0,
        error: None,
        receipt: None,
        latest: None,
        supported: false,
    }
}

fn blob(text: &str) -> web_sys::Blob {
    let parts = js_sys::Array::of1(&text.into());
    web_sys::Blob::new_with_str_sequence(&parts).expect("blob")
}

#[wasm_bindgen_test]
fn the_exif_gps_position_of_a_photo_is_read() {
    let place = gps_position(GPS_JPEG).expect("the fixture has a GPS position");
    assert!((place.lat - (47.0 + 23.0 / 60.0 + 37.0 / 3600.0)).abs() < 1e-9);
    assert!((place.lon - (0.0 + 41.0 / 60.0 + 21.0 / 3600.0)).abs() < 1e-9);
    assert_eq!(gps_position(b"not a photo"), None);
    // The same photo without its EXIF segment (APP1 right after SOI).
    let length = usize::from(u16::from_be_bytes([GPS_JPEG[4], GPS_JPEG[5]]));
    let mut stripped = GPS_JPEG[..2].to_vec();
    stripped.extend_from_slice(&GPS_JPEG[4 + length..]);
    assert_eq!(gps_position(&stripped), None);
}

#[wasm_bindgen_test]
async fn a_queued_report_keeps_its_photos_until_it_is_sent() {
    let queued = report("test-outbox-1", 1000.0);
    reports::queue(&queued, &[blob("un"), blob("deux")])
        .await
        .expect("queue");
    let all = reports::all().await.expect("all");
    assert!(all.contains(&queued));
    let photos = reports::photos("test-outbox-1").await.expect("photos");
    assert_eq!(photos.len(), 2);
    assert_eq!(photos[0].size(), 2.0);

    // A retry's state leaves the photos alone.
    let mut retried = queued.clone();
    retried.attempts = 1;
    reports::save(&retried).await.expect("save");
    assert_eq!(
        reports::photos("test-outbox-1")
            .await
            .expect("photos")
            .len(),
        2
    );

    // Sent: the receipt is kept, the photos go (the server has them).
    let mut sent = retried;
    sent.delivery = Delivery::Sent;
    sent.receipt = Some(ReportReceipt {
        id: 7,
        token: "secret".into(),
        created_at: "2026-11-29T10:00:00Z".into(),
    });
    reports::save_sent(&sent).await.expect("save sent");
    let back = reports::all().await.expect("all");
    assert!(back.contains(&sent));
    assert!(
        reports::photos("test-outbox-1")
            .await
            .expect("photos")
            .is_empty()
    );

    reports::remove("test-outbox-1").await.expect("remove");
    assert!(
        !reports::all()
            .await
            .expect("all")
            .iter()
            .any(|r| r.key == "test-outbox-1")
    );
}

#[wasm_bindgen_test]
async fn reports_read_back_newest_first() {
    reports::queue(&report("test-order-old", 10.0), &[])
        .await
        .expect("old");
    reports::queue(&report("test-order-new", 20.0), &[])
        .await
        .expect("new");
    let keys: Vec<String> = reports::all()
        .await
        .expect("all")
        .into_iter()
        .map(|r| r.key)
        .filter(|k| k.starts_with("test-order-"))
        .collect();
    assert_eq!(keys, ["test-order-new", "test-order-old"]);
    reports::remove("test-order-old").await.expect("remove");
    reports::remove("test-order-new").await.expect("remove");
}
