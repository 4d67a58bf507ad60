//! Screen: the list of municipal facilities with their live status and distance, filterable
//! ("Ouvert maintenant", category) and sorted by distance once the resident asked to be
//! located, else by name. The accessible alternative to the map, and what works offline.

use leptos::prelude::*;
use parvis_core::Locale;

use super::facility_filters::{FacilityFilterBar, LocateButton};
use crate::components::facility_status::push_status_html;
use crate::components::freshness_note::freshness_text;
use crate::components::html::{escape, push_text};
use crate::components::{FreshnessNote, PageHeader};
use crate::i18n::{Text, use_i18n};
use crate::identity::use_identity;
use crate::router::use_location;
use crate::state::facilities::{
    Facilities, FacilityFilters, distance_text, hours_of, shown, use_facilities,
};
use crate::state::news::Freshness;
use crate::sync::use_connectivity;

/// Screen: the facilities as a list.
#[component]
pub fn FacilityListPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let facilities = use_facilities();
    let connectivity = use_connectivity();
    let location = use_location();
    facilities.watch_hours();
    let note = RwSignal::new(None::<Text>);

    view! {
        <PageHeader title=i18n.tr(Text::FacilitiesTitle).to_owned() commune=identity.name_signal()/>
        <div class="toolbar">
            <FreshnessNote text=Signal::derive(move || freshness_text(facilities.freshness, facilities.error, facilities.syncing, i18n, connectivity.is_online()))/>
            <a class="button button--secondary" href=move || FacilityFilters::of(location).url("/carte")>{i18n.tr(Text::SeeMap)}</a>
        </div>
        <FacilityFilterBar path="/carte/liste"/>
        <div class="locate">
            <LocateButton note=note/>
            <p class="locate__note" role="status">
                {move || match note.get() {
                    Some(text) => i18n.t(text),
                    None if facilities.data.with(|d| d.position.is_some()) => i18n.t(Text::SortedByDistance),
                    None => i18n.t(Text::SortedByName),
                }}
            </p>
        </div>
        <div class="facility-results" inner_html=move || results_html(facilities, &FacilityFilters::of(location), i18n.locale())></div>
    }
}

/// The count, then the list (or why it is empty), as escaped HTML (see `components::html`).
fn results_html(facilities: Facilities, filters: &FacilityFilters, locale: Locale) -> String {
    let t = |text: Text| text.get(locale);
    if facilities.freshness.get() == Freshness::Loading {
        return String::new();
    }
    let data = facilities.data.get();
    let hours = &data.hours;
    let rows = shown(&data.list, hours, filters, data.position);
    let mut out = String::with_capacity(rows.len() * 400 + 256);
    push_text(
        &mut out,
        "p",
        "results-count",
        &format!("{} {}", rows.len(), t(Text::FacilitiesFound)),
    );
    if data.hours_failed {
        push_text(
            &mut out,
            "p",
            "notice notice--info",
            t(Text::HoursUnavailable),
        );
    }
    if rows.is_empty() {
        let filtered = *filters != FacilityFilters::default();
        let message = if filtered {
            Text::NoFacilityForFilter
        } else {
            Text::MapEmpty
        };
        push_text(&mut out, "p", "empty-state", t(message));
        return out;
    }
    out.push_str("<ul class=\"facility-list\">");
    for (facility, distance) in &rows {
        out.push_str(
            "<li class=\"facility-card\"><h2 class=\"facility-card__title\"><a href=\"/carte/",
        );
        out.push_str(&facility.id.to_string());
        out.push_str("\">");
        out.push_str(&escape(&facility.name));
        out.push_str("</a></h2>");
        let mut meta = facilities
            .category(&facility.category)
            .map(|c| {
                if locale == Locale::En {
                    c.name_en
                } else {
                    c.name_fr
                }
            })
            .unwrap_or_default();
        if let Some(d) = distance {
            if !meta.is_empty() {
                meta.push_str(" · ");
            }
            meta.push_str(&distance_text(*d, locale));
        }
        if !meta.is_empty() {
            push_text(&mut out, "p", "facility-card__meta", &meta);
        }
        match hours_of(hours, facility.id) {
            Some(h) => push_status_html(&mut out, h.state, &h.line),
            None => push_text(
                &mut out,
                "p",
                "status status--unknown",
                t(Text::HoursComputing),
            ),
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}
