//! A screen's heading, which also names the browser tab after the screen and the commune.

use leptos::prelude::*;

use crate::platform::document;

/// The `<h1>` of a screen.
#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    /// The commune's name, for the tab's title.
    #[prop(into)]
    commune: Signal<Option<String>>,
) -> impl IntoView {
    // Writes to the document, not to a signal.
    Effect::new(move || match commune.get() {
        Some(name) => document::set_title(&format!("{} · {name}", title.get())),
        None => document::set_title(&format!("{} · Parvis", title.get())),
    });
    view! { <h1 class="page-header">{move || title.get()}</h1> }
}
