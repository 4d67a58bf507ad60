//! The filters shared by the map and the list ("Ouvert maintenant", one category) and the
//! "Me localiser" button; both live in the URL or the facilities context, so they follow the
//! resident from one screen to the other.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::Locale;

use crate::components::html::escape;
use crate::i18n::{Text, use_i18n};
use crate::platform::geolocation::{self, GeoError};
use crate::router::use_location;
use crate::state::facilities::{FacilityFilters, use_facilities};

/// The filter chips of the screen at `path` (`/carte` or `/carte/liste`): links that change
/// the URL's query, the chosen ones marked `aria-current`. Drawn as one escaped HTML string
/// (see `components::html`): chips are static links, and every distinct view costs Wasm.
#[component]
pub fn FacilityFilterBar(path: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let facilities = use_facilities();
    let location = use_location();
    let html = move || {
        let filters = FacilityFilters::of(location);
        let locale = i18n.locale();
        let mut out = String::with_capacity(1024);
        let mut chip = |f: FacilityFilters, current: bool, label: &str| {
            out.push_str("<a class=\"chip-filter__item\" href=\"");
            out.push_str(&escape(&f.url(path)));
            out.push('"');
            if current {
                out.push_str(" aria-current=\"true\"");
            }
            out.push('>');
            out.push_str(&escape(label));
            out.push_str("</a>");
        };
        let toggled = FacilityFilters {
            open_now: !filters.open_now,
            ..filters.clone()
        };
        chip(toggled, filters.open_now, Text::OpenNow.get(locale));
        let all = FacilityFilters {
            category: None,
            ..filters.clone()
        };
        chip(
            all,
            filters.category.is_none(),
            Text::AllFacilities.get(locale),
        );
        facilities.data.with(|d| {
            for c in d.categories.iter() {
                let name = if locale == Locale::En {
                    &c.name_en
                } else {
                    &c.name_fr
                };
                let current = filters.category.as_deref() == Some(c.slug.as_str());
                let one = FacilityFilters {
                    category: Some(c.slug.clone()),
                    ..filters.clone()
                };
                chip(one, current, name);
            }
        });
        out
    };
    view! { <nav class="chip-filter" aria-label=i18n.tr(Text::FilterFacilities) inner_html=html></nav> }
}

/// "Me localiser": asks for the position once, on the resident's request only; `note` says
/// what happened (and how the list is sorted).
#[component]
pub fn LocateButton(
    /// Where the outcome is written for the screen (read by screen readers).
    note: RwSignal<Option<Text>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let facilities = use_facilities();
    let busy = RwSignal::new(false);
    let on_click = move |_| {
        busy.set(true);
        note.set(Some(Text::Locating));
        spawn_local(async move {
            match geolocation::locate().await {
                Ok(position) => {
                    facilities.set_position(position);
                    note.set(Some(Text::SortedByDistance));
                }
                Err(GeoError::Denied) => note.set(Some(Text::LocationDenied)),
                Err(_) => note.set(Some(Text::LocationUnavailable)),
            }
            busy.set(false);
        });
    };
    view! {
        <button type="button" class="button button--secondary" on:click=on_click disabled=move || busy.get()>
            {i18n.tr(Text::LocateMe)}
        </button>
    }
}
