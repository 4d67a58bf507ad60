//! The resident's reports on the device. A report is written here, with its photos, the moment
//! it is submitted: that is the outbox. It stays there, `Queued` or `Failed`, until the server
//! answered 2xx, then `Sent` with its receipt (the photos are dropped: the server has them)
//! and followed up with the server's latest status.

use js_sys::Array;
use parvis_core::reports::{NewReport, Report, ReportReceipt};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use super::Error;
use super::db::{
    REPORT_PHOTOS, REPORTS, decode, delete_everywhere, encode, get_all_json, get_value,
    put_json_with_value,
};

/// Where a report stands on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Waiting to be sent (offline, or the server failed: it is tried again).
    Queued,
    /// Refused for good (a 4xx): kept with the server's message until edited or deleted.
    Failed,
    /// Received by the server: `receipt` is set.
    Sent,
}

/// A report as the device keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalReport {
    /// A UUID made on the device: the outbox key and the `Idempotency-Key` of every attempt.
    pub key: String,
    /// When it was submitted, in milliseconds since the epoch.
    pub created_at_ms: f64,
    pub report: NewReport,
    /// How precise the position is, in metres, when it came from geolocation.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    /// How many photos go with it (kept in [`REPORT_PHOTOS`] until sent).
    #[serde(default)]
    pub photos: u32,
    pub delivery: Delivery,
    /// Failed attempts so far (the back-off grows with them).
    #[serde(default)]
    pub attempts: u32,
    /// Not to be tried again before this time (milliseconds since the epoch).
    #[serde(default)]
    pub next_try_ms: f64,
    /// The server's French explanation of the last failure.
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub receipt: Option<ReportReceipt>,
    /// The server's latest view of it (status and history), once asked.
    #[serde(default)]
    pub latest: Option<Report>,
    /// Followed after a « Moi aussi » on someone else's report, not filed from here.
    #[serde(default)]
    pub supported: bool,
}

impl LocalReport {
    /// A report just made on this device (now), `delivery` as given, nothing tried yet.
    pub fn new(key: String, report: NewReport, delivery: Delivery) -> LocalReport {
        LocalReport {
            key,
            created_at_ms: js_sys::Date::now(),
            report,
            accuracy_m: None,
            photos: 0,
            delivery,
            attempts: 0,
            next_try_ms: 0.0,
            error: None,
            receipt: None,
            latest: None,
            supported: false,
        }
    }
}

/// Every report on the device, newest first.
pub async fn all() -> Result<Vec<LocalReport>, Error> {
    let mut reports = get_all_json(REPORTS)
        .await?
        .iter()
        .map(|json| decode::<LocalReport>(json))
        .collect::<Result<Vec<_>, Error>>()?;
    reports.sort_by(|a, b| b.created_at_ms.total_cmp(&a.created_at_ms));
    Ok(reports)
}

/// Queues a report with its photos (JPEG Blobs), in one transaction: both or neither.
pub async fn queue(report: &LocalReport, photos: &[web_sys::Blob]) -> Result<(), Error> {
    let blobs: Array = photos.iter().collect();
    put_json_with_value(
        REPORTS,
        REPORT_PHOTOS,
        &report.key,
        encode(report)?,
        Some(&blobs),
    )
    .await
}

/// Saves a report's new state, its photos untouched.
pub async fn save(report: &LocalReport) -> Result<(), Error> {
    super::db::put_json(
        REPORTS,
        vec![(super::db::Key::Name(report.key.clone()), encode(report)?)],
    )
    .await
}

/// Saves a report the server received, and drops its photos, in one transaction.
pub async fn save_sent(report: &LocalReport) -> Result<(), Error> {
    put_json_with_value(REPORTS, REPORT_PHOTOS, &report.key, encode(report)?, None).await
}

/// The photos of a queued report, in order.
pub async fn photos(key: &str) -> Result<Vec<web_sys::Blob>, Error> {
    Ok(get_value(REPORT_PHOTOS, key)
        .await?
        .and_then(|v| v.dyn_into::<Array>().ok())
        .map(|a| a.iter().filter_map(|b| b.dyn_into().ok()).collect())
        .unwrap_or_default())
}

/// Forgets a report and its photos.
pub async fn remove(key: &str) -> Result<(), Error> {
    delete_everywhere([REPORTS, REPORT_PHOTOS], key).await
}
