//! Screen: the map of municipal facilities (`/carte`): Leaflet, loaded when this screen first
//! opens, with one marker per facility coloured by category and clustered when close, the
//! filters shared with the list, a locate-me button, a legend, and "Voir la liste", the
//! accessible alternative one tap away. Tiles seen once stay on the phone (service worker).

use std::rc::Rc;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::Locale;
use wasm_bindgen::JsCast;

use super::facility_filters::{FacilityFilterBar, LocateButton};
use super::facility_list_page::freshness_text;
use crate::components::{FreshnessNote, PageHeader};
use crate::i18n::{Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::leaflet::{self, FacilityMap, MarkerSpec};
use crate::router::use_location;
use crate::state::facilities::{FacilityFilters, use_facilities};
use crate::sync::use_connectivity;

/// Where the map is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MapState {
    Loading,
    Ready,
    Failed,
}

/// Screen: the facilities map.
#[component]
pub fn MapPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let facilities = use_facilities();
    let connectivity = use_connectivity();
    let location = use_location();
    facilities.watch_hours();

    let filters = Memo::new(move |_| FacilityFilters::of(location));
    let note = RwSignal::new(None::<Text>);
    let state = RwSignal::new(MapState::Loading);
    let container = NodeRef::<Div>::new();
    let map: StoredValue<Option<FacilityMap>, LocalStorage> = StoredValue::new_local(None);

    // Leaflet arrives with this screen; the map is made once it is there and the commune
    // (bounds, tiles) is known.
    Effect::new(move || {
        let (Some(element), Some(commune)) = (container.get(), identity.commune()) else {
            return;
        };
        if map.with_value(Option::is_some) {
            return;
        }
        spawn_local(async move {
            let made = match leaflet::load().await {
                Ok(()) => FacilityMap::new(
                    element.unchecked_ref(),
                    commune.bounds,
                    &commune.tile_url,
                    &commune.tile_attribution,
                ),
                Err(e) => Err(e),
            };
            match made {
                Ok(made) if map.with_value(Option::is_none) => {
                    map.set_value(Some(made));
                    state.set(MapState::Ready);
                }
                Ok(extra) => extra.remove(),
                Err(_) => state.set(MapState::Failed),
            }
        });
    });
    // The markers follow the facilities, their statuses (open-now filter) and the filters.
    Effect::new(move || {
        if state.get() != MapState::Ready {
            return;
        }
        let f = filters.get();
        let hours = facilities.hours.get();
        let categories = facilities.categories.get();
        let markers: Vec<MarkerSpec> = facilities.list.with(|list| {
            list.iter()
                .filter(|x| f.keeps(x, &hours))
                .map(|x| MarkerSpec {
                    id: x.id,
                    position: x.position,
                    title: x.name.clone(),
                    color: categories
                        .iter()
                        .find(|c| c.slug == x.category)
                        .map_or_else(|| "#4a5361".to_owned(), |c| c.color.clone()),
                })
                .collect()
        });
        let open: Rc<dyn Fn(i64)> =
            Rc::new(move |id| location.navigate(&format!("/carte/{id}"), false));
        map.with_value(|m| {
            if let Some(m) = m {
                m.set_markers(&markers, open);
            }
        });
    });
    // Centres on the resident once located.
    Effect::new(move || {
        if state.get() != MapState::Ready {
            return;
        }
        if let Some(position) = facilities.position.get() {
            map.with_value(|m| {
                if let Some(m) = m {
                    m.show_position(position);
                }
            });
        }
    });
    on_cleanup(move || {
        map.with_value(|m| {
            if let Some(m) = m {
                m.remove();
            }
        });
        map.set_value(None);
    });

    view! {
        <PageHeader title=i18n.tr(Text::MapTitle).to_owned() commune=identity.name_signal()/>
        <div class="toolbar">
            <FreshnessNote text=Signal::derive(move || freshness_text(facilities, i18n, connectivity.is_online()))/>
            <a class="button button--secondary" href=move || filters.get().url("/carte/liste")>{i18n.tr(Text::SeeList)}</a>
        </div>
        <FacilityFilterBar path="/carte"/>
        <div class="locate">
            <LocateButton note=note/>
            <p class="locate__note" role="status">
                {move || match (note.get(), state.get()) {
                    (Some(text), _) => i18n.t(text),
                    (None, MapState::Loading) => i18n.t(Text::MapLoading),
                    (None, MapState::Failed) => i18n.t(Text::MapFailed),
                    (None, MapState::Ready) => i18n.t(Text::MapHint),
                }}
            </p>
        </div>
        <div class="facility-map" node_ref=container role="region" aria-label=i18n.tr(Text::MapTitle)></div>
        <section class="map-legend" aria-labelledby="legende">
            <h2 id="legende">{i18n.tr(Text::Legend)}</h2>
            <ul class="map-legend__list">
                {move || {
                    facilities
                        .categories
                        .get()
                        .into_iter()
                        .map(|c| {
                            let name = if i18n.locale() == Locale::En { c.name_en } else { c.name_fr };
                            view! {
                                <li>
                                    <span class="map-legend__swatch" style:background-color=c.color aria-hidden="true"></span>
                                    {name}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
