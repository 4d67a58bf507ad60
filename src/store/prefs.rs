//! Small preferences kept in `localStorage`: read synchronously at start-up, before the first
//! render, so the app never flashes in the wrong language.

use parvis_core::Locale;

const LOCALE_KEY: &str = "parvis.locale";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language the resident chose, if they chose one.
pub fn locale() -> Option<Locale> {
    storage()?
        .get_item(LOCALE_KEY)
        .ok()
        .flatten()
        .and_then(|tag| Locale::from_tag(&tag))
}

/// Remembers the resident's language. Returns false when storage is unavailable (private mode).
pub fn set_locale(locale: Locale) -> bool {
    storage().is_some_and(|s| s.set_item(LOCALE_KEY, locale.tag()).is_ok())
}

const REPORTS_PENDING_KEY: &str = "parvis.reports.pending";

/// Whether the reports outbox held a report to send when last looked at (read at start-up,
/// before the lazy module is loaded, to know whether to load it).
pub fn reports_pending() -> bool {
    storage().is_some_and(|s| s.get_item(REPORTS_PENDING_KEY).ok().flatten().is_some())
}

/// Remembers whether the reports outbox holds a report to send.
pub fn set_reports_pending(pending: bool) {
    if let Some(storage) = storage() {
        let _ = if pending {
            storage.set_item(REPORTS_PENDING_KEY, "1")
        } else {
            storage.remove_item(REPORTS_PENDING_KEY)
        };
    }
}
