//! Screen: one facility's sheet at `/carte/{id}` (a deep link that works offline): its live
//! status, this week's hours with today marked, closures and holidays, how to reach it (call,
//! directions, website, email) and what it offers. Focus moves to its heading when it opens.

use leptos::html::H1;
use leptos::prelude::*;
use parvis_core::{Facility, Locale, Wheelchair};

use crate::components::FacilityStatus;
use crate::components::facility_status::status_text;
use crate::components::html::{escape, push_text};
use crate::i18n::{Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::hours::protocol::{Day, FacilityHours};
use crate::platform::{document, format};
use crate::state::facilities::use_facilities;
use crate::state::news::Freshness;

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
    let hours = Memo::new(move |_| facilities.hours.with(|h| h.get(&id).cloned()));
    let heading = NodeRef::<H1>::new();
    // Moves focus to the sheet's heading once it is drawn, so a screen reader starts there.
    Effect::new(move || {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    // Names the tab after the facility (writes to the document, not to a signal).
    Effect::new(move || {
        let title = facility.with(|f| f.as_ref().map(|f| f.name.clone()));
        let name = title.unwrap_or_else(|| i18n.t(Text::FacilitiesTitle).to_owned());
        match identity.name() {
            Some(commune) => document::set_title(&format!("{name} · {commune}")),
            None => document::set_title(&format!("{name} · Parvis")),
        }
    });
    let status = Signal::derive(move || {
        let now = facilities.evaluated_at.get()?;
        hours.with(|h| {
            h.as_ref()
                .map(|h| (h.state, status_text(h, &now, i18n.locale())))
        })
    });
    let pending = Signal::derive(move || {
        if facilities.hours_failed.get() {
            i18n.t(Text::HoursUnavailable)
        } else {
            i18n.t(Text::HoursComputing)
        }
    });

    view! {
        {move || match facility.get() {
            None if facilities.freshness.get() == Freshness::Loading => view! { <p>{i18n.tr(Text::Loading)}</p> }.into_any(),
            None => view! {
                <h1 class="page-header" tabindex="-1" node_ref=heading>{i18n.tr(Text::FacilitiesTitle)}</h1>
                <p>{i18n.tr(Text::FacilityNotFound)}</p>
                <p><a href="/carte/liste">{i18n.tr(Text::BackToFacilities)}</a></p>
            }
            .into_any(),
            Some(f) => {
                let locale = i18n.locale();
                let category = facilities
                    .category(&f.category)
                    .map(|c| if locale == Locale::En { c.name_en } else { c.name_fr });
                let week_of = f.clone();
                view! {
                    <article class="facility">
                        <p class="article__back">
                            <a href="/carte/liste">{i18n.tr(Text::BackToFacilities)}</a>
                            " · "
                            <a href="/carte">{i18n.tr(Text::SeeMap)}</a>
                        </p>
                        <h1 class="page-header" tabindex="-1" node_ref=heading>{f.name.clone()}</h1>
                        {category.map(|c| view! { <p class="facility__category"><span class="badge">{c}</span></p> })}
                        <FacilityStatus status=status pending=pending/>
                        <div class="actions" inner_html=actions_html(&f, locale)></div>
                        <div inner_html=move || week_html(&week_of, hours.get().as_ref(), facilities.evaluated_at.get().as_deref(), i18n.locale())></div>
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

/// One day's hours: "08:30–12:00, 13:30–17:30", "Fermé".
fn day_hours(day: &Day, locale: Locale) -> String {
    if day.slots.is_empty() {
        return Text::StatusClosed.get(locale).to_owned();
    }
    day.slots
        .iter()
        .map(|s| {
            let mut text = format!("{}–{}", s.start, s.end);
            if s.uncertain {
                text.push_str(&format!(" ({})", Text::ToConfirm.get(locale)));
            }
            text
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// This week as a table (Monday to Sunday), today marked in words and with
/// `aria-current="date"`; or the hours as published when they could not be read.
fn week_html(
    f: &Facility,
    hours: Option<&FacilityHours>,
    now: Option<&str>,
    locale: Locale,
) -> String {
    let t = |text: Text| text.get(locale);
    let mut out = String::with_capacity(2048);
    out.push_str("<section class=\"facility__week\" aria-labelledby=\"horaires\">");
    out.push_str("<h2 id=\"horaires\">");
    out.push_str(&escape(t(Text::WeekHours)));
    out.push_str("</h2>");
    let today = now.and_then(|n| n.get(0..10)).unwrap_or_default();
    match hours.filter(|h| !h.week.is_empty()) {
        Some(h) => {
            out.push_str("<table class=\"week\"><thead><tr><th scope=\"col\">");
            out.push_str(&escape(t(Text::DayColumn)));
            out.push_str("</th><th scope=\"col\">");
            out.push_str(&escape(t(Text::HoursColumn)));
            out.push_str("</th></tr></thead><tbody>");
            for day in &h.week {
                let is_today = day.date == today;
                out.push_str(if is_today {
                    "<tr class=\"week__today\" aria-current=\"date\"><th scope=\"row\">"
                } else {
                    "<tr><th scope=\"row\">"
                });
                out.push_str(&escape(&format::day_name(&day.date, locale, false)));
                if is_today {
                    push_text(
                        &mut out,
                        "span",
                        "week__today-mark",
                        &format!(" ({})", t(Text::TodayLower)),
                    );
                }
                out.push_str("</th><td>");
                out.push_str(&escape(&day_hours(day, locale)));
                let closure = day
                    .closure
                    .as_ref()
                    .map(|r| format!("{} — {r}", t(Text::ExceptionalClosure)));
                let notes = [
                    closure,
                    day.public_holiday.clone(),
                    day.school_holidays.clone(),
                    day.comment.clone(),
                ];
                for note in notes.into_iter().flatten() {
                    push_text(&mut out, "span", "week__note", &note);
                }
                out.push_str("</td></tr>");
            }
            out.push_str("</tbody></table>");
        }
        None => {
            let text = match f.opening_hours.as_deref().filter(|h| !h.trim().is_empty()) {
                Some(raw) if hours.is_some_and(|h| !h.readable) => {
                    format!("{} : {raw}", t(Text::DeclaredHours))
                }
                Some(_) if hours.is_none() => t(Text::HoursComputing).to_owned(),
                _ => t(Text::StatusUnknown).to_owned(),
            };
            push_text(&mut out, "p", "", &text);
        }
    }
    if !f.closures.is_empty() {
        out.push_str("<ul class=\"facility__closures\">");
        for c in &f.closures {
            let period = if c.from == c.to {
                format::day_month(&c.from, locale)
            } else {
                format!(
                    "{} → {}",
                    format::day_month(&c.from, locale),
                    format::day_month(&c.to, locale)
                )
            };
            push_text(
                &mut out,
                "li",
                "",
                &format!("{} : {period} — {}", t(Text::ExceptionalClosure), c.reason),
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
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
