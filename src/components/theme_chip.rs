//! A theme's coloured label (the colour is set through the CSSOM: the CSP forbids inline styles).

use leptos::prelude::*;

/// A theme chip: its name on its colour (configured colours pass 4.5:1 against white).
#[component]
pub fn ThemeChip(#[prop(into)] name: String, #[prop(into)] color: String) -> impl IntoView {
    view! { <span class="chip" style:background-color=color>{name}</span> }
}
