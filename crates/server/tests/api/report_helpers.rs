//! What the report tests share: a server set up for reports, multipart bodies built by hand
//! (so a test controls every part's name, file name and declared type), and test images.

use std::path::{Path, PathBuf};

use image::{ImageEncoder, Rgb, RgbImage};
use parvis_core::{Problem, ReportReceipt};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with};

/// A key of `reports.agent_keys` in [`reports_app`].
pub const AGENT_KEY: &str = "agent-0123456789abcdef";
/// A key of `reports.open311_keys` in [`reports_app`].
pub const OPEN311_KEY: &str = "fixmystreet-0123456789abcdef";

/// The committed JPEG carrying EXIF GPS, a camera make and orientation 6 (see
/// [`jpeg_with_exif`]).
pub const GPS_JPEG: &[u8] = include_bytes!("fixtures/reports/gps-exif.jpg");
/// The camera make written in [`GPS_JPEG`]'s EXIF.
pub const GPS_MAKE: &str = "Parvis test camera";

/// Inside the demo commune (its centre).
pub const INSIDE: (f64, f64) = (47.3936, 0.6892);

/// A server without the demo, with agent and Open311 keys and a generous rate limit, plus
/// `overrides`.
pub async fn reports_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let mut env = vec![
        ("PARVIS_DEMO__LOAD", "false"),
        ("PARVIS_REPORTS__AGENT_KEYS", AGENT_KEY),
        ("PARVIS_REPORTS__OPEN311_KEYS", OPEN311_KEY),
        ("PARVIS_REPORTS__RATE_LIMIT_PER_HOUR", "1000"),
    ];
    env.extend_from_slice(overrides);
    spawn_app_with(&env).await
}

pub async fn reports_app() -> TestApp {
    reports_app_with(&[]).await
}

/// The photo directory of a test server.
pub fn photo_dir(app: &TestApp) -> PathBuf {
    app.config.reports.photo_dir(&app.config.data_dir)
}

/// The files in the photo directory (temporary files included), sorted.
pub fn stored_files(app: &TestApp) -> Vec<String> {
    let dir = photo_dir(app);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Part {
    pub fn text(name: &str, value: &str) -> Self {
        Self {
            name: name.into(),
            file_name: None,
            content_type: None,
            body: value.as_bytes().to_vec(),
        }
    }

    /// The `report` part: JSON.
    pub fn report(report: &Value) -> Self {
        Self {
            name: "report".into(),
            file_name: None,
            content_type: Some("application/json".into()),
            body: report.to_string().into_bytes(),
        }
    }

    /// A file part that claims to be a JPEG photo, whatever it holds.
    pub fn photo(name: &str, body: &[u8]) -> Self {
        Self {
            name: name.into(),
            file_name: Some("IMG_0042.jpg".into()),
            content_type: Some("image/jpeg".into()),
            body: body.to_vec(),
        }
    }
}

const BOUNDARY: &str = "parvis-test-boundary-7MA4YWxkTrZu0gW";

/// `(content type, body)` of a `multipart/form-data` request.
pub fn multipart(parts: &[Part]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some(file) = &part.file_name {
            disposition.push_str(&format!("; filename=\"{file}\""));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(ct) = &part.content_type {
            body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&part.body);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// A report's JSON part at `position`.
pub fn report_at(category: &str, description: &str, position: (f64, f64)) -> Value {
    json!({
        "category": category,
        "description": description,
        "position": { "lat": position.0, "lon": position.1 },
    })
}

/// A pothole inside the commune.
pub fn pothole() -> Value {
    report_at("voirie", "Nid-de-poule devant l’école", INSIDE)
}

/// `POST /api/v1/reports` with an `Idempotency-Key` (when given) and these parts.
pub async fn post_report(app: &TestApp, key: Option<&str>, parts: &[Part]) -> reqwest::Response {
    let (content_type, body) = multipart(parts);
    let mut request = app
        .client
        .post(app.url("/api/v1/reports"))
        .header("Content-Type", content_type)
        .body(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.expect("request sent")
}

/// Posts a report and returns its receipt (expects 201).
pub async fn create(app: &TestApp, key: &str, parts: &[Part]) -> ReportReceipt {
    let response = post_report(app, Some(key), parts).await;
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, 201, "{text}");
    serde_json::from_str(&text).expect("receipt JSON")
}

/// The problem of an answer with `status`.
pub async fn problem(response: reqwest::Response, status: u16) -> Problem {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    response.json().await.expect("problem JSON")
}

/// A `width`×`height` PNG, its left half red and its right half blue.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = two_halves(width, height);
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&image, width, height, image::ExtendedColorType::Rgb8)
        .expect("png");
    out
}

/// The same picture as a lossless WebP.
pub fn webp(width: u32, height: u32) -> Vec<u8> {
    let image = two_halves(width, height);
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .write_image(&image, width, height, image::ExtendedColorType::Rgb8)
        .expect("webp");
    out
}

fn two_halves(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    })
}

/// A JPEG of [`two_halves`] with an APP1 EXIF segment right after SOI: camera make, orientation
/// 6 (turn 90° clockwise to view), and a GPS position (47°23'37" N, 0°41'21" E). This is how
/// the committed fixture was made (`regenerate_the_gps_fixture`).
pub fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .encode_image(&two_halves(width, height))
        .expect("jpeg");
    let exif = exif_tiff();
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&exif);
    let length = u16::try_from(app1.len() + 2).expect("small segment");
    let mut out = vec![0xff, 0xd8, 0xff, 0xe1];
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

/// A little-endian TIFF structure: IFD0 (Make, Orientation, GPS IFD pointer) and a GPS IFD.
fn exif_tiff() -> Vec<u8> {
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = Vec::with_capacity(12);
        e.extend_from_slice(&tag.to_le_bytes());
        e.extend_from_slice(&kind.to_le_bytes());
        e.extend_from_slice(&count.to_le_bytes());
        e.extend_from_slice(&value);
        e
    };
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    let make = format!("{GPS_MAKE}\0");
    let make_offset: u32 = 8 + 2 + 3 * 12 + 4;
    let gps_offset = make_offset + u32::try_from(make.len()).expect("short") + 1;
    let lat_offset = gps_offset + 2 + 4 * 12 + 4;
    let lon_offset = lat_offset + 24;

    let mut tiff = b"II\x2a\x00".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&3u16.to_le_bytes());
    tiff.extend(entry(
        0x010f,
        ASCII,
        u32::try_from(make.len()).expect("short"),
        make_offset.to_le_bytes(),
    ));
    tiff.extend(entry(0x0112, SHORT, 1, [6, 0, 0, 0]));
    tiff.extend(entry(0x8825, LONG, 1, gps_offset.to_le_bytes()));
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(make.as_bytes());
    tiff.push(0);
    assert_eq!(tiff.len() as u32, gps_offset);
    tiff.extend_from_slice(&4u16.to_le_bytes());
    tiff.extend(entry(0x0001, ASCII, 2, *b"N\0\0\0"));
    tiff.extend(entry(0x0002, RATIONAL, 3, lat_offset.to_le_bytes()));
    tiff.extend(entry(0x0003, ASCII, 2, *b"E\0\0\0"));
    tiff.extend(entry(0x0004, RATIONAL, 3, lon_offset.to_le_bytes()));
    tiff.extend_from_slice(&0u32.to_le_bytes());
    for (num, den) in [(47u32, 1u32), (23, 1), (37, 1), (0, 1), (41, 1), (21, 1)] {
        tiff.extend_from_slice(&num.to_le_bytes());
        tiff.extend_from_slice(&den.to_le_bytes());
    }
    tiff
}

/// The JPEG segments before the image data, as (marker, payload).
pub fn jpeg_segments(jpeg: &[u8]) -> Vec<(u8, Vec<u8>)> {
    assert_eq!(&jpeg[..2], b"\xff\xd8", "starts with SOI");
    let mut segments = Vec::new();
    let mut at = 2;
    while at + 4 <= jpeg.len() && jpeg[at] == 0xff {
        let marker = jpeg[at + 1];
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        segments.push((marker, jpeg[at + 4..at + 2 + length].to_vec()));
        if marker == 0xda {
            break;
        }
        at += 2 + length;
    }
    segments
}

/// Whether a JPEG carries an EXIF (APP1 `Exif`) segment.
pub fn has_exif(jpeg: &[u8]) -> bool {
    jpeg_segments(jpeg)
        .iter()
        .any(|(marker, payload)| *marker == 0xe1 && payload.starts_with(b"Exif"))
}

/// A PNG whose header claims `width`×`height` pixels, with almost no data: a decompression
/// bomb's shape, refused before anything is decoded.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    // A deflate stream of a few zero bytes: nowhere near the pixels announced.
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).expect("small").to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// CRC-32 (IEEE), bit by bit: PNG chunks need it, speed does not matter here.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Where the fixture lives in the source tree.
pub fn fixture_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/fixtures/reports/gps-exif.jpg")
}

#[test]
#[ignore = "writes the committed fixture; run it by hand to regenerate it"]
fn regenerate_the_gps_fixture() {
    let path = fixture_path();
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
    std::fs::write(&path, jpeg_with_exif(80, 40)).expect("written");
}

#[test]
fn the_png_crc_is_right() {
    // The CRC of "IEND" with no data, as in every PNG.
    assert_eq!(crc32(b"IEND"), 0xae42_6082);
}
