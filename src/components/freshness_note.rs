//! "Hors ligne — mis à jour il y a 2 h": says where the data on screen comes from.

use leptos::prelude::*;

/// A status line about the data's freshness; empty when there is nothing to say.
#[component]
pub fn FreshnessNote(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="freshness" role="status">
            {move || text.get()}
        </p>
    }
}
