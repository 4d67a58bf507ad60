//! What a screen shows when it has nothing yet: an honest sentence, never fake content.

use leptos::prelude::*;

use super::{Icon, IconName};

/// An empty state with an icon, a short title and an explanation.
#[component]
pub fn EmptyState(
    icon: IconName,
    #[prop(into)] title: Signal<&'static str>,
    #[prop(into)] message: Signal<&'static str>,
) -> impl IntoView {
    view! {
        <section class="empty-state">
            <Icon name=icon/>
            <h2 class="empty-state__title">{move || title.get()}</h2>
            <p>{move || message.get()}</p>
        </section>
    }
}
