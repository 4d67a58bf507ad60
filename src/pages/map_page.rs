//! Screen: the map of municipal facilities (`/carte`): Leaflet, loaded when this screen first
//! opens, with one marker per facility coloured by category and clustered when close, the
//! filters shared with the list, a locate-me button, a legend, and "Voir la liste", the
//! accessible alternative one tap away. Tiles seen once stay on the phone (service worker).

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::Locale;
use wasm_bindgen::JsCast;

use super::facility_filters::{FacilityFilterBar, LocateButton};
use crate::components::freshness_note::freshness_text;
use crate::components::html::escape;
use crate::components::{FreshnessNote, PageHeader};
use crate::i18n::{Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::leaflet::FacilityMap;
use crate::router::use_location;
use crate::state::facilities::{FacilityFilters, use_facilities};
use crate::sync::use_connectivity;

/// Screen: the facilities map.
#[component]
pub fn MapPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let facilities = use_facilities();
    let connectivity = use_connectivity();
    let location = use_location();
    facilities.watch_hours();

    let note = RwSignal::new(None::<Text>);
    // What the map says of itself: loading, failed, or (ready) how to use it.
    let state = RwSignal::new(Some(Text::MapLoading));
    let ready = move || state.get() == Some(Text::MapHint);
    let container = NodeRef::<Div>::new();
    // The map, and what it shows: the markers' ids and the resident's position.
    let map: StoredValue<Option<Shown>, LocalStorage> = StoredValue::new_local(None);

    // Leaflet arrives with this screen; the map is made once it is there and the commune
    // (bounds, tiles) is known. A tapped marker opens the facility's sheet.
    Effect::new(move || {
        let (Some(element), Some(commune)) = (container.get(), identity.commune()) else {
            return;
        };
        if map.with_value(Option::is_some) {
            return;
        }
        spawn_local(async move {
            let made = FacilityMap::load_for(element.unchecked_ref(), &commune).await;
            match made {
                Ok(made) if map.with_value(Option::is_none) => {
                    made.on_open(move |id| location.navigate(&format!("/carte/{id}"), false));
                    map.set_value(Some((made, Vec::new(), None)));
                    state.set(Some(Text::MapHint));
                }
                Ok(extra) => extra.remove(),
                Err(_) => state.set(Some(Text::MapFailed)),
            }
        });
    });
    // The markers follow the facilities, the filters and (for "Ouvert maintenant") the
    // statuses; they are redrawn only when the set shown changes, so the minute's
    // re-evaluation does not disturb a resident using the map. Centres on the resident once
    // located.
    Effect::new(move || {
        if !ready() {
            return;
        }
        let f = FacilityFilters::of(location);
        let data = facilities.data.get();
        let kept: Vec<&crate::store::facilities::Facility> = data
            .list
            .iter()
            .filter(|x| f.keeps(x, &data.hours))
            .collect();
        let ids: Vec<i64> = kept.iter().map(|x| x.id).collect();
        map.update_value(|shown| {
            let Some((m, shown_ids, shown_position)) = shown else {
                return;
            };
            if *shown_ids != ids {
                let (points, names, colours) = map_points(&kept, &data.categories);
                m.show(&points, &names, &colours);
                *shown_ids = ids;
            }
            if let Some(position) = data.position.filter(|p| Some(*p) != *shown_position) {
                m.show_position(position);
                *shown_position = Some(position);
            }
        });
    });
    on_cleanup(move || {
        map.with_value(|shown| {
            if let Some((m, _, _)) = shown {
                m.remove();
            }
        });
        map.set_value(None);
    });

    view! {
        <PageHeader title=i18n.tr(Text::MapTitle).to_owned() commune=identity.name_signal()/>
        <div class="toolbar">
            <FreshnessNote text=Signal::derive(move || freshness_text(facilities.freshness, facilities.error, facilities.syncing, i18n, connectivity.is_online()))/>
            <a class="button button--secondary" href=move || FacilityFilters::of(location).url("/carte/liste")>{i18n.tr(Text::SeeList)}</a>
        </div>
        <FacilityFilterBar path="/carte"/>
        <div class="locate">
            <LocateButton note=note/>
            <p class="locate__note" role="status">
                {move || note.get().or(state.get()).map(|text| i18n.t(text))}
            </p>
        </div>
        <div class="facility-map" node_ref=container role="region" aria-label=i18n.tr(Text::MapTitle)></div>
        <section class="map-legend facility" aria-labelledby="legende">
            <h2 id="legende">{i18n.tr(Text::Legend)}</h2>
            <ul class="map-legend__list" inner_html=move || facilities.data.with(|d| legend_html(&d.categories, i18n.locale()))></ul>
        </section>
    }
}

/// The map with the markers' ids and the position it shows.
type Shown = (FacilityMap, Vec<i64>, Option<parvis_core::LatLon>);

/// The facilities as the map code takes them in one call (see `FacilityMap::show`): four
/// numbers each (id, latitude, longitude, index of its category's colour), their names one a
/// line, and the categories' colours.
fn map_points(
    kept: &[&crate::store::facilities::Facility],
    categories: &[parvis_core::FacilityCategory],
) -> (Vec<f64>, String, String) {
    let mut points = Vec::with_capacity(kept.len() * 4);
    let mut names = String::with_capacity(kept.len() * 32);
    for x in kept {
        let colour = categories.iter().position(|c| c.slug == x.category);
        points.extend([
            x.id as f64,
            x.position.lat,
            x.position.lon,
            colour.unwrap_or(categories.len()) as f64,
        ]);
        names.push_str(&x.name.replace('\n', " "));
        names.push('\n');
    }
    let colours: Vec<&str> = categories.iter().map(|c| safe_color(&c.color)).collect();
    (points, names, colours.join(" "))
}

/// A category's colour if it is `#rrggbb` (it goes into SVG markup), else a neutral grey.
pub(crate) fn safe_color(color: &str) -> &str {
    let ok = color.len() == 7
        && color.starts_with('#')
        && color[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok { color } else { "#4a5361" }
}

/// The legend's entries as HTML: a disc of each category's colour, drawn with an SVG `fill`
/// attribute (the CSP forbids inline styles, not presentation attributes), and its name.
fn legend_html(categories: &[parvis_core::FacilityCategory], locale: Locale) -> String {
    let mut out = String::with_capacity(categories.len() * 160);
    for c in categories {
        let name = if locale == Locale::En {
            &c.name_en
        } else {
            &c.name_fr
        };
        out.push_str("<li><svg class=\"map-legend__swatch\" viewBox=\"0 0 14 14\" aria-hidden=\"true\"><circle cx=\"7\" cy=\"7\" r=\"6\" fill=\"");
        out.push_str(safe_color(&c.color));
        out.push_str("\"/></svg>");
        out.push_str(&escape(name));
        out.push_str("</li>");
    }
    out
}
