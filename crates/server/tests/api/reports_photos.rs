//! Bad photos, each refused with its own problem and nothing stored: a file that is not an
//! image whatever its name says (415), one over 10 MB (413), a decompression bomb (422) and a
//! corrupt image (422).

use crate::report_helpers::{
    Part, png, png_claiming, post_report, pothole, problem, reports_app, stored_files,
};

async fn report_count(app: &crate::helpers::TestApp) -> i64 {
    parvis_server::db::reports::count(&app.state.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_file_that_is_not_a_jpeg_png_or_webp_is_refused_by_its_content() {
    let app = reports_app().await;
    let cases: [(&str, &[u8]); 3] = [
        ("gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"),
        ("svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
        ("text", b"Ceci n'est pas une photo."),
    ];

    for (what, body) in cases {
        // Named IMG_0042.jpg and declared image/jpeg: only the bytes count.
        let response = post_report(
            &app,
            Some(what),
            &[Part::report(&pothole()), Part::photo("photo", body)],
        )
        .await;
        let problem = problem(response, 415).await;
        assert_eq!(problem.errors[0].field, "photo", "{what}");
        assert!(
            problem
                .detail
                .expect("detail")
                .contains("JPEG, PNG ou WebP")
        );
    }
    assert_eq!(report_count(&app).await, 0);
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn a_photo_over_10_mb_is_refused_while_streaming() {
    let app = reports_app().await;
    let mut big = png(16, 16);
    big.resize(10 * 1024 * 1024 + 1, 0);

    let response = post_report(
        &app,
        Some("k-big"),
        &[Part::report(&pothole()), Part::photo("photo2", &big)],
    )
    .await;

    let problem = problem(response, 413).await;
    let detail = problem.detail.expect("detail");
    assert!(
        detail.contains("photo2") && detail.contains("10 Mo"),
        "{detail}"
    );
    assert_eq!(report_count(&app).await, 0);
}

#[tokio::test]
async fn a_body_announced_over_the_upload_limit_is_refused_before_reading() {
    let app = reports_app().await;
    let limit = app.config.reports.max_upload_bytes();

    let response = app
        .client
        .post(app.url("/api/v1/reports"))
        .header("Idempotency-Key", "k-huge")
        .header("Content-Type", "multipart/form-data; boundary=x")
        .header("Content-Length", (limit + 1).to_string())
        .body(vec![0u8; 16])
        .send()
        .await;

    // The server answers at once; the client may also see the connection closed under it.
    if let Ok(response) = response {
        assert_eq!(response.status(), 413);
    }
    assert_eq!(report_count(&app).await, 0);
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_from_its_header() {
    let app = reports_app().await;
    // 50,000 × 50,000 pixels would take 7.5 GB once decoded; the file has a few bytes.
    let bomb = png_claiming(50_000, 50_000);
    assert!(bomb.len() < 100);

    let response = post_report(
        &app,
        Some("k-bomb"),
        &[Part::report(&pothole()), Part::photo("photo", &bomb)],
    )
    .await;

    let problem = problem(response, 422).await;
    assert!(problem.detail.expect("detail").contains("pixels"));
    assert_eq!(report_count(&app).await, 0);
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn a_corrupt_image_is_refused() {
    let app = reports_app().await;
    let mut truncated = png(64, 64);
    truncated.truncate(50);
    let cases: [(&str, Vec<u8>); 2] = [
        (
            "k-jpeg",
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 broken beyond repair".to_vec(),
        ),
        ("k-png", truncated),
    ];

    for (key, body) in cases {
        let response = post_report(
            &app,
            Some(key),
            &[Part::report(&pothole()), Part::photo("photo", &body)],
        )
        .await;
        let problem = problem(response, 422).await;
        assert!(
            problem.detail.expect("detail").contains("illisible"),
            "{key}"
        );
    }
    assert_eq!(report_count(&app).await, 0);
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn a_good_photo_after_a_bad_one_in_the_same_report_stores_nothing() {
    let app = reports_app().await;
    let mut truncated = png(64, 64);
    truncated.truncate(50);

    let response = post_report(
        &app,
        Some("k-mixed"),
        &[
            Part::report(&pothole()),
            Part::photo("photo1", &png(20, 20)),
            Part::photo("photo2", &truncated),
        ],
    )
    .await;

    let problem = problem(response, 422).await;
    assert_eq!(problem.errors[0].field, "photo2");
    assert!(stored_files(&app).is_empty());
}
