//! Screen: the list of municipal facilities with their live status and distance, filterable
//! ("Ouvert maintenant", category) and sorted by distance once the resident asked to be
//! located, else by name. The accessible alternative to the map, and what works offline.

use leptos::prelude::*;
use parvis_core::Locale;

use super::facility_filters::{FacilityFilterBar, LocateButton};
use crate::components::facility_status::push_status_html;
use crate::components::html::{escape, push_text};
use crate::components::{EmptyState, FreshnessNote, IconName, PageHeader};
use crate::i18n::{I18n, Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::format;
use crate::router::use_location;
use crate::state::facilities::{Facilities, FacilityFilters, distance_text, shown, use_facilities};
use crate::state::news::Freshness;
use crate::sync::use_connectivity;

/// "Hors ligne — mis à jour il y a 2 h", the last refresh's error, or nothing when fresh.
pub(crate) fn freshness_text(f: Facilities, i18n: I18n, online: bool) -> Option<String> {
    let synced_at = match f.freshness.get() {
        Freshness::Loading => return None,
        Freshness::Fresh if online && f.error.with(Option::is_none) => return None,
        Freshness::Fresh => Some(js_sys::Date::now()),
        Freshness::Cached { synced_at_ms } => synced_at_ms,
    };
    let error = f.error.get();
    let Some(synced_at) = synced_at else {
        return (!online || error.is_some()).then(|| i18n.t(Text::NeverSynced).to_owned());
    };
    let ago = format!(
        "{} {}",
        i18n.t(Text::UpdatedAgo),
        format::ago(synced_at, i18n.locale())
    );
    match (online, error) {
        (false, _) => Some(format!("{} — {ago}", i18n.t(Text::OfflineShort))),
        (true, Some(e)) => Some(format!("{} ({ago})", i18n.t(e.text()))),
        (true, None) => f.syncing.get().then(|| i18n.t(Text::Refreshing).to_owned()),
    }
}

/// Screen: the facilities as a list.
#[component]
pub fn FacilityListPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let facilities = use_facilities();
    let connectivity = use_connectivity();
    let location = use_location();
    facilities.watch_hours();

    let filters = Memo::new(move |_| FacilityFilters::of(location));
    let note = RwSignal::new(None::<Text>);
    let rows = Memo::new(move |_| {
        let list = facilities.list.get();
        let hours = facilities.hours.get();
        shown(&list, &hours, &filters.get(), facilities.position.get())
    });

    view! {
        <PageHeader title=i18n.tr(Text::FacilitiesTitle).to_owned() commune=identity.name_signal()/>
        <div class="toolbar">
            <FreshnessNote text=Signal::derive(move || freshness_text(facilities, i18n, connectivity.is_online()))/>
            <a class="button button--secondary" href=move || filters.get().url("/carte")>{i18n.tr(Text::SeeMap)}</a>
        </div>
        <FacilityFilterBar path="/carte/liste"/>
        <div class="locate">
            <LocateButton note=note/>
            <p class="locate__note" role="status">
                {move || match note.get() {
                    Some(text) => i18n.t(text),
                    None if facilities.position.get().is_some() => i18n.t(Text::SortedByDistance),
                    None => i18n.t(Text::SortedByName),
                }}
            </p>
        </div>
        <p class="results-count" role="status">
            {move || {
                let n = rows.with(Vec::len);
                (facilities.freshness.get() != Freshness::Loading).then(|| format!("{n} {}", i18n.t(Text::FacilitiesFound)))
            }}
        </p>
        {move || facilities.hours_failed.get().then(|| view! { <p class="notice notice--info">{i18n.t(Text::HoursUnavailable)}</p> })}
        {move || {
            let rows = rows.get();
            if rows.is_empty() {
                if facilities.freshness.get() == Freshness::Loading {
                    return view! { <p>{i18n.t(Text::Loading)}</p> }.into_any();
                }
                let filtered = filters.with(|f| *f != FacilityFilters::default());
                let message = if filtered { Text::NoFacilityForFilter } else { Text::MapEmpty };
                return view! {
                    <EmptyState icon=IconName::Map title=i18n.tr(Text::FacilitiesTitle) message=i18n.tr(message)/>
                }
                .into_any();
            }
            let html = list_html(&rows, facilities, i18n.locale());
            view! { <ul class="facility-list" inner_html=html></ul> }.into_any()
        }}
    }
}

/// The list as escaped HTML (see `components::html` for why).
fn list_html(
    rows: &[(parvis_core::Facility, Option<f64>)],
    facilities: Facilities,
    locale: Locale,
) -> String {
    let hours = facilities.hours.get();
    let mut out = String::with_capacity(rows.len() * 400);
    for (facility, distance) in rows {
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
        match hours.get(&facility.id) {
            Some(h) => push_status_html(&mut out, h.state, &h.line),
            None => push_text(
                &mut out,
                "p",
                "status status--unknown",
                Text::HoursComputing.get(locale),
            ),
        }
        out.push_str("</li>");
    }
    out
}
