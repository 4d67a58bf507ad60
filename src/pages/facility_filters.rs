//! The filters shared by the map and the list ("Ouvert maintenant", one category) and the
//! "Me localiser" button; both live in the URL or the facilities context, so they follow the
//! resident from one screen to the other.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::Locale;

use crate::i18n::{Text, use_i18n};
use crate::platform::geolocation::{self, GeoError};
use crate::router::use_location;
use crate::state::facilities::{FacilityFilters, use_facilities};

/// The filter chips of the screen at `path` (`/carte` or `/carte/liste`).
#[component]
pub fn FacilityFilterBar(path: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let facilities = use_facilities();
    let location = use_location();
    let filters = Memo::new(move |_| FacilityFilters::of(location));
    let go = move |f: FacilityFilters| location.navigate(&f.url(path), true);
    let pressed = |on: bool| if on { "true" } else { "false" };
    view! {
        <div class="chip-filter" role="group" aria-label=i18n.tr(Text::FilterFacilities)>
            <button
                type="button"
                class="chip-filter__item"
                aria-pressed=move || pressed(filters.with(|f| f.open_now))
                on:click=move |_| {
                    let mut f = filters.get_untracked();
                    f.open_now = !f.open_now;
                    go(f);
                }
            >
                {i18n.tr(Text::OpenNow)}
            </button>
            <button
                type="button"
                class="chip-filter__item"
                aria-pressed=move || pressed(filters.with(|f| f.category.is_none()))
                on:click=move |_| {
                    let mut f = filters.get_untracked();
                    f.category = None;
                    go(f);
                }
            >
                {i18n.tr(Text::AllFacilities)}
            </button>
            {move || {
                facilities
                    .categories
                    .get()
                    .into_iter()
                    .map(|c| {
                        let slug = c.slug.clone();
                        let on = {
                            let slug = slug.clone();
                            move || pressed(filters.with(|f| f.category.as_deref() == Some(slug.as_str())))
                        };
                        let name = if i18n.locale() == Locale::En { c.name_en } else { c.name_fr };
                        view! {
                            <button
                                type="button"
                                class="chip-filter__item"
                                aria-pressed=on
                                on:click=move |_| {
                                    let mut f = filters.get_untracked();
                                    f.category = Some(slug.clone());
                                    go(f);
                                }
                            >
                                {name}
                            </button>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
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
                    facilities.position.set(Some(position));
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
