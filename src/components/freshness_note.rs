//! "Hors ligne — mis à jour il y a 2 h": says where the data on screen comes from.

use leptos::prelude::*;

use crate::i18n::{I18n, Text};
use crate::platform::format;
use crate::state::news::Freshness;
use crate::sync::SyncError;

/// "Hors ligne — mis à jour il y a 2 h", the last refresh's error, "Mise à jour…", or nothing
/// when the data is fresh; one function for every synced screen (tracked).
pub fn freshness_text(
    freshness: RwSignal<Freshness>,
    error: RwSignal<Option<SyncError>>,
    syncing: RwSignal<bool>,
    i18n: I18n,
    online: bool,
) -> Option<String> {
    let error = error.get();
    let synced_at = match freshness.get() {
        Freshness::Loading => return None,
        Freshness::Fresh if online && error.is_none() => return None,
        Freshness::Fresh => Some(js_sys::Date::now()),
        Freshness::Cached { synced_at_ms } => synced_at_ms,
    };
    let Some(synced_at) = synced_at else {
        return (!online || error.is_some()).then(|| i18n.t(Text::NeverSynced).to_owned());
    };
    let ago = format!(
        "{} {}",
        i18n.t(Text::UpdatedAgo),
        format::ago(synced_at, i18n.locale())
    );
    match (online, error) {
        (false, _) => Some(format!("{} — {ago}", i18n.t(Text::OfflineShort))),
        (true, Some(e)) => Some(format!("{} ({ago})", i18n.t(e.text()))),
        (true, None) => syncing.get().then(|| i18n.t(Text::Refreshing).to_owned()),
    }
}

/// A status line about the data's freshness; empty when there is nothing to say.
#[component]
pub fn FreshnessNote(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="freshness" role="status">
            {move || text.get()}
        </p>
    }
}
