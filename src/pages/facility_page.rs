//! Screen: one facility's sheet at `/carte/{id}` (a deep link that works offline): its live
//! status, this week's hours with today marked, closures and holidays, how to reach it (call,
//! directions, website, email) and what it offers. Focus moves to its heading when it opens.

use leptos::prelude::*;
use parvis_core::{Locale, Wheelchair};

use crate::components::facility_status::push_status_html;
use crate::components::html::{escape, push_text};
use crate::i18n::{Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::document;
use crate::state::facilities::{hours_of, use_facilities};
use crate::state::news::Freshness;
use crate::store::facilities::Facility;

/// Screen: a facility.
#[component]
pub fn FacilityPage(
    /// The id from the path.
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let facilities = use_facilities();
    facilities.watch_hours();
    let facility = Memo::new(move |_| facilities.facility(id));
    // Once the sheet is drawn (effects run after rendering): names the tab after the
    // facility and moves focus to its heading, so a screen reader starts there. Writes to the
    // document, not to a signal.
    Effect::new(move || {
        let title = facility.with(|f| f.as_ref().map(|f| f.name.clone()));
        let name = title.unwrap_or_else(|| i18n.t(Text::FacilitiesTitle).to_owned());
        match identity.name() {
            Some(commune) => document::set_title(&format!("{name} · {commune}")),
            None => document::set_title(&format!("{name} · Parvis")),
        }
        document::focus_first("main h1");
    });
    // The live status line, or why there is none yet.
    let status = move || {
        let mut out = String::new();
        match facilities.data.with(|d| hours_of(&d.hours, id).cloned()) {
            Some(h) => push_status_html(&mut out, h.state, &h.line),
            None if facilities.data.with(|d| d.hours_failed) => {
                push_text(
                    &mut out,
                    "p",
                    "status status--unknown",
                    i18n.t(Text::HoursUnavailable),
                );
            }
            None => push_text(
                &mut out,
                "p",
                "status status--unknown",
                i18n.t(Text::HoursComputing),
            ),
        }
        out
    };

    view! {
        {move || match facility.get() {
            None if facilities.freshness.get() == Freshness::Loading => view! { <p>{i18n.tr(Text::Loading)}</p> }.into_any(),
            None => view! {
                <h1 class="page-header" tabindex="-1">{i18n.tr(Text::FacilitiesTitle)}</h1>
                <p>{i18n.tr(Text::FacilityNotFound)}</p>
                <p><a href="/carte/liste">{i18n.tr(Text::BackToFacilities)}</a></p>
            }
            .into_any(),
            Some(f) => {
                let locale = i18n.locale();
                let category = facilities
                    .category(&f.category)
                    .map(|c| if locale == Locale::En { c.name_en } else { c.name_fr });
                view! {
                    <article class="facility">
                        <p class="article__back">
                            <a href="/carte/liste">{i18n.tr(Text::BackToFacilities)}</a>
                            " · "
                            <a href="/carte">{i18n.tr(Text::SeeMap)}</a>
                        </p>
                        <h1 class="page-header" tabindex="-1">{f.name.clone()}</h1>
                        {category.map(|c| view! { <p class="facility__category"><span class="badge">{c}</span></p> })}
                        <div class="facility__status" role="status" inner_html=status></div>
                        <div class="actions" inner_html=actions_html(&f, locale)></div>
                        <div inner_html=move || facilities.data.with(|d| hours_of(&d.hours, id).map(|h| h.week_html.clone()))></div>
                        <div inner_html=details_html(&f, locale)></div>
                    </article>
                }
                .into_any()
            }
        }}
    }
}

/// A coordinate with six decimals (about 10 cm), without the float formatter.
fn coordinate(value: f64) -> String {
    let micro = (value * 1_000_000.0).round() as i64;
    let sign = if micro < 0 { "-" } else { "" };
    let micro = micro.unsigned_abs();
    format!("{sign}{}.{:06}", micro / 1_000_000, micro % 1_000_000)
}

fn push_link(out: &mut String, href: &str, class: &str, label: &str) {
    out.push_str("<a class=\"");
    out.push_str(class);
    out.push_str("\" href=\"");
    out.push_str(&escape(href));
    out.push_str("\" rel=\"external noopener\">");
    out.push_str(&escape(label));
    out.push_str("</a>");
}

/// Call, directions, open in a maps app, website, email.
fn actions_html(f: &Facility, locale: Locale) -> String {
    let mut out = String::with_capacity(1024);
    let primary = "button button--primary";
    let secondary = "button button--secondary";
    if let Some(phone) = f.phone.as_deref() {
        let digits: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        push_link(
            &mut out,
            &format!("tel:{digits}"),
            primary,
            &format!("{} {phone}", Text::Call.get(locale)),
        );
    }
    let (lat, lon) = (coordinate(f.position.lat), coordinate(f.position.lon));
    push_link(
        &mut out,
        &format!("https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}"),
        secondary,
        Text::Directions.get(locale),
    );
    push_link(
        &mut out,
        &format!("geo:{lat},{lon}"),
        secondary,
        Text::OpenInMapsApp.get(locale),
    );
    if let Some(site) = f
        .website
        .as_deref()
        .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
    {
        push_link(&mut out, site, secondary, Text::Website.get(locale));
    }
    if let Some(email) = f.email.as_deref() {
        push_link(
            &mut out,
            &format!("mailto:{email}"),
            secondary,
            Text::Email.get(locale),
        );
    }
    out
}

/// Address, phone, access, services and description.
fn details_html(f: &Facility, locale: Locale) -> String {
    let t = |text: Text| text.get(locale);
    let mut out = String::with_capacity(1024);
    out.push_str("<dl class=\"facts\">");
    let mut fact = |label: Text, value: &str| {
        if !value.is_empty() {
            push_text(&mut out, "dt", "", t(label));
            push_text(&mut out, "dd", "", value);
        }
    };
    fact(Text::Address, f.address.as_deref().unwrap_or_default());
    fact(Text::Phone, f.phone.as_deref().unwrap_or_default());
    fact(Text::Email, f.email.as_deref().unwrap_or_default());
    let access = match f.wheelchair {
        Some(Wheelchair::Yes) => t(Text::WheelchairYes),
        Some(Wheelchair::Limited) => t(Text::WheelchairLimited),
        Some(Wheelchair::No) => t(Text::WheelchairNo),
        None => "",
    };
    fact(Text::Accessibility, access);
    fact(Text::Services, &f.services.join(", "));
    out.push_str("</dl>");
    if let Some(description) = f.description.as_deref().filter(|d| !d.trim().is_empty()) {
        out.push_str("<section class=\"prose\"><h2>");
        out.push_str(&escape(t(Text::Description)));
        out.push_str("</h2>");
        for paragraph in description.split("\n\n").filter(|p| !p.trim().is_empty()) {
            push_text(&mut out, "p", "", paragraph);
        }
        out.push_str("</section>");
    }
    out
}
