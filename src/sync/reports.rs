//! The reports outbox, flushed (see shared/DESIGN.md, "Sync up"): every queued report is sent
//! with its outbox key as `Idempotency-Key`, so the server answers a retry with the first
//! receipt — also when the first answer was lost after the server committed. A report leaves
//! the outbox only after a 2xx; a network failure, a 5xx or a 429 keeps it queued and backs
//! off exponentially, or as long as the server asks (`Retry-After`); any other refusal marks
//! it failed with the server's message, to be edited or deleted by the resident, never dropped.

use std::cell::Cell;

use crate::platform::network;
use crate::store::reports::{Delivery, LocalReport};
use crate::{api, store};

/// The first retry's delay; each failure doubles it.
const FIRST_RETRY_MS: f64 = 5_000.0;
/// The longest delay between two attempts.
const MAX_RETRY_MS: f64 = 15.0 * 60_000.0;
/// The longest wait a server's `Retry-After` can impose: a wrong value never strands a report.
const MAX_SERVER_WAIT_MS: f64 = 24.0 * 3_600_000.0;

/// How long to wait after `attempts` failed attempts: 5 s, 10 s, 20 s… up to 15 min.
pub fn backoff_ms(attempts: u32) -> f64 {
    (FIRST_RETRY_MS * 2f64.powi(attempts.saturating_sub(1).min(20) as i32)).min(MAX_RETRY_MS)
}

/// When to try again after `attempts` failed attempts: after our back-off, or later if the
/// server asked (`Retry-After`, on a 429 or a 503), up to a day.
pub fn next_try_ms(now: f64, attempts: u32, server_asked_ms: Option<f64>) -> f64 {
    now + backoff_ms(attempts).max(server_asked_ms.unwrap_or(0.0).min(MAX_SERVER_WAIT_MS))
}

thread_local! {
    /// A flush is running: another request only asks it to go round once more.
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
}

/// What a flush did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Flushed {
    /// Some report changed state (the screens reload).
    pub changed: bool,
    /// When the earliest report still queued may be tried again (ms since the epoch).
    pub retry_at_ms: Option<f64>,
}

impl Flushed {
    /// Keeps the earliest of the retry times seen.
    fn retry_at(&mut self, at: f64) {
        self.retry_at_ms = Some(self.retry_at_ms.map_or(at, |t| t.min(at)));
    }
}

/// Sends what the outbox holds, oldest first. Runs one at a time: a call during a flush makes
/// the running one go round again and returns at once.
pub async fn flush() -> Result<Flushed, store::Error> {
    if FLUSHING.replace(true) {
        AGAIN.set(true);
        return Ok(Flushed::default());
    }
    let mut total = Flushed::default();
    let result = loop {
        AGAIN.set(false);
        match flush_once().await {
            Ok(done) => {
                total.changed |= done.changed;
                total.retry_at_ms = done.retry_at_ms;
            }
            Err(e) => break Err(e),
        }
        if !AGAIN.get() {
            break Ok(total);
        }
    };
    FLUSHING.set(false);
    result
}

async fn flush_once() -> Result<Flushed, store::Error> {
    let mut done = Flushed::default();
    let mut queued: Vec<LocalReport> = store::reports::all()
        .await?
        .into_iter()
        .filter(|r| r.delivery == Delivery::Queued)
        .collect();
    queued.reverse();
    let mut offline = !network::is_online();
    for mut report in queued {
        let now = js_sys::Date::now();
        if offline {
            // The `online` event flushes again; no timer while there is no network.
            continue;
        }
        if report.next_try_ms > now {
            done.retry_at(report.next_try_ms);
            continue;
        }
        let photos = store::reports::photos(&report.key).await?;
        let json = store::db::encode(&report.report)?;
        let answer = api::post_report(&report.key, &json, &photos).await;
        done.changed = true;
        match answer {
            Ok(receipt) => {
                report.delivery = Delivery::Sent;
                report.receipt = Some(receipt);
                report.error = None;
                store::reports::save_sent(&report).await?;
            }
            Err(error) if error.is_retryable() => {
                report.attempts += 1;
                report.next_try_ms = next_try_ms(now, report.attempts, error.retry_after_ms());
                report.error = error.detail().map(str::to_owned);
                store::reports::save(&report).await?;
                done.retry_at(report.next_try_ms);
                // No network: the others would fail the same way; they wait with this one.
                offline = matches!(error, api::Error::Network(_));
            }
            Err(error) => {
                report.delivery = Delivery::Failed;
                report.attempts += 1;
                report.error = Some(
                    error
                        .detail()
                        .map_or_else(|| error.to_string(), str::to_owned),
                );
                store::reports::save(&report).await?;
            }
        }
    }
    Ok(done)
}

/// Asks the server for the latest status of every sent report, and keeps it on the device.
/// Returns whether anything was updated.
pub async fn refresh_statuses() -> Result<bool, super::SyncError> {
    let reports = store::reports::all().await?;
    let trackers: Vec<parvis_core::reports::ReportTracker> = reports
        .iter()
        .filter_map(|r| r.receipt.as_ref())
        .map(|receipt| parvis_core::reports::ReportTracker {
            id: receipt.id,
            token: receipt.token.clone(),
        })
        .collect();
    if trackers.is_empty() {
        return Ok(false);
    }
    let answer = api::report_statuses(&trackers).await?;
    let mut changed = false;
    for mut report in reports {
        let Some(id) = report.receipt.as_ref().map(|r| r.id) else {
            continue;
        };
        let latest = answer.items.iter().find(|r| r.id == id);
        if latest.is_some() && latest != report.latest.as_ref() {
            report.latest = latest.cloned();
            store::reports::save(&report).await?;
            changed = true;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{backoff_ms, next_try_ms};
    use crate::api::retry_after_seconds;

    #[wasm_bindgen_test]
    fn retries_back_off_exponentially_up_to_a_ceiling() {
        assert_eq!(backoff_ms(1), 5_000.0);
        assert_eq!(backoff_ms(2), 10_000.0);
        assert_eq!(backoff_ms(4), 40_000.0);
        assert_eq!(backoff_ms(30), 900_000.0);
        assert_eq!(backoff_ms(0), 5_000.0);
    }

    #[wasm_bindgen_test]
    fn a_server_asking_to_wait_longer_is_heard_up_to_a_day() {
        // Asked for 10 min after a first failure: 10 min, not 5 s.
        assert_eq!(next_try_ms(1_000.0, 1, Some(600_000.0)), 601_000.0);
        // Asked for less than our own back-off, or nothing: our back-off.
        assert_eq!(next_try_ms(0.0, 3, Some(1_000.0)), 20_000.0);
        assert_eq!(next_try_ms(0.0, 3, None), 20_000.0);
        // A week: a day at most.
        assert_eq!(next_try_ms(0.0, 1, Some(7.0 * 86_400_000.0)), 86_400_000.0);
    }

    #[wasm_bindgen_test]
    fn retry_after_reads_seconds() {
        assert_eq!(retry_after_seconds(" 120 "), Some(120));
        assert_eq!(retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT"), None);
        assert_eq!(retry_after_seconds("-5"), None);
    }
}
