//! The resident's reports as the screens see them (the outbox and the ones sent, with their
//! latest status) and the report categories; the outbox flushed on start, when the network
//! returns, when the app comes back to the foreground, after each new report, when the service
//! worker's Background Sync asks, and after each back-off delay.
//!
//! It lives in the lazy module (`src/bin/lazy_module.rs`), for the page's lifetime once
//! loaded. The app loads that module at start when `prefs::reports_pending` says the outbox
//! holds something, so a queued report is sent even if the resident never opens its screens
//! again.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::Locale;
use parvis_core::reports::ReportCategory;

use crate::platform::{network, service_worker};
use crate::store::reports::LocalReport;
use crate::{store, sync};

/// Where the report categories are kept in the key/value store.
pub const CATEGORIES_KEY: &str = "reports.categories";

/// The reports context; `Copy`.
#[derive(Debug, Clone, Copy)]
pub struct Reports {
    /// Newest first.
    pub list: RwSignal<Vec<LocalReport>>,
    pub categories: RwSignal<Vec<ReportCategory>>,
    /// The device's copy has been read.
    pub loaded: RwSignal<bool>,
    /// The device's storage failed.
    pub storage_failed: RwSignal<bool>,
    retry: StoredValue<Option<TimeoutHandle>>,
}

impl Reports {
    /// A category's name in `locale`, or its code if unknown here.
    pub fn category_name(self, code: &str, locale: Locale) -> String {
        self.categories.with(|all| {
            all.iter().find(|c| c.service_code == code).map_or_else(
                || code.to_owned(),
                |c| match locale {
                    Locale::En => c.name_en.clone(),
                    _ => c.name.clone(),
                },
            )
        })
    }

    /// Reads the device's copy again.
    pub async fn reload(self) {
        match store::reports::all().await {
            Ok(list) => {
                let pending = list
                    .iter()
                    .any(|r| r.delivery == store::reports::Delivery::Queued);
                store::prefs::set_reports_pending(pending);
                self.list.set(list);
                self.storage_failed.set(false);
            }
            Err(_) => self.storage_failed.set(true),
        }
        self.loaded.set(true);
    }

    /// Sends what waits in the outbox, then shows the outcome; schedules the next attempt.
    pub fn flush(self) {
        spawn_local(async move {
            let Ok(done) = sync::reports::flush().await else {
                return self.storage_failed.set(true);
            };
            if done.changed {
                self.reload().await;
            }
            if let Some(handle) = self.retry.get_value() {
                handle.clear();
            }
            let wait = done
                .retry_at_ms
                .map(|at| (at - js_sys::Date::now()).max(1_000.0));
            let handle = wait.and_then(|ms| {
                set_timeout_with_handle(move || self.flush(), Duration::from_millis(ms as u64)).ok()
            });
            self.retry.set_value(handle);
        });
    }

    /// Pulls the latest status of the sent reports (online only).
    pub fn refresh_statuses(self) {
        if !network::is_online() {
            return;
        }
        spawn_local(async move {
            if let Ok(true) = sync::reports::refresh_statuses().await {
                self.reload().await;
            }
        });
    }

    /// Queues a new report with its photos, shows it at once, and tries to send it. The first
    /// queued report also asks the browser to keep the app's storage.
    pub async fn submit(
        self,
        report: &LocalReport,
        photos: &[web_sys::Blob],
    ) -> Result<(), store::Error> {
        let first = self.list.with_untracked(Vec::is_empty);
        store::reports::queue(report, photos).await?;
        if first {
            crate::platform::request_persistent_storage();
        }
        self.reload().await;
        self.flush();
        spawn_local(service_worker::request_reports_sync());
        Ok(())
    }

    /// Forgets a report (and its photos) on the device.
    pub async fn remove(self, key: &str) -> Result<(), store::Error> {
        store::reports::remove(key).await?;
        self.reload().await;
        Ok(())
    }

    /// A report of the list by its key (tracked).
    pub fn find(self, key: &str) -> Option<LocalReport> {
        self.list.with(|l| l.iter().find(|r| r.key == key).cloned())
    }
}

/// Starts the reports state for the page's lifetime: the device's copy, then a flush, a
/// refresh, and the outbox's triggers. Provide it as a context to the screens.
pub fn start_reports() -> Reports {
    let reports = Reports {
        list: RwSignal::new(Vec::new()),
        categories: RwSignal::new(Vec::new()),
        loaded: RwSignal::new(false),
        storage_failed: RwSignal::new(false),
        retry: StoredValue::new(None),
    };
    spawn_local(async move {
        if let Ok(Some(categories)) = store::kv::get::<Vec<ReportCategory>>(CATEGORIES_KEY).await {
            reports.categories.set(categories);
        }
        reports.reload().await;
        reports.flush();
        reports.refresh_statuses();
        if network::is_online()
            && sync::sync_list::<ReportCategory>("/report-categories", CATEGORIES_KEY)
                .await
                .is_ok()
            && let Ok(Some(categories)) =
                store::kv::get::<Vec<ReportCategory>>(CATEGORIES_KEY).await
        {
            reports.categories.set(categories);
        }
    });
    network::on_change(move |online| {
        if online {
            reports.flush();
            reports.refresh_statuses();
        }
    });
    network::on_visible(move || reports.flush());
    service_worker::on_flush_request(move || reports.flush());
    reports
}

/// The reports context provided to the reporting screens.
pub fn use_reports() -> Reports {
    expect_context::<Reports>()
}
