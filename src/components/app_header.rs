//! The top bar: the commune's logo and name, and the way to the settings.

use leptos::prelude::*;

use crate::router::{aria_current, use_location};

use super::{Icon, IconName};

/// The banner at the top of every screen.
#[component]
pub fn AppHeader(
    /// The commune's name (falls back to the app's name until known).
    #[prop(into)]
    name: Signal<Option<String>>,
    /// The logo as a URL, if known.
    #[prop(into)]
    logo: Signal<Option<String>>,
    /// The settings link's label.
    #[prop(into)]
    settings_label: Signal<&'static str>,
) -> impl IntoView {
    let location = use_location();
    view! {
        <header class="app-header">
            <a href="/actualites" class="app-header__brand">
                {move || logo.get().map(|src| view! { <img class="app-header__logo" src=src alt="" width="32" height="32"/> })}
                <span class="app-header__name">{move || name.get().unwrap_or_else(|| "Parvis".to_owned())}</span>
            </a>
            <a href="/reglages" class="app-header__settings" aria-current=aria_current(location, "/reglages")>
                <Icon name=IconName::Settings/>
                <span class="app-header__settings-label">{move || settings_label.get()}</span>
            </a>
        </header>
    }
}
