//! Screen: one event, from the device's copy (readable offline).

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::Locale;

use crate::api;
use crate::components::PageHeader;
use crate::components::html::{escape, push_text};
use crate::i18n::{I18n, Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::{format, share};
use crate::state::agenda::use_agenda;
use crate::state::news::Freshness;

/// "samedi 5 décembre, 20:30 – 22:00" in the resident's language.
fn when_text(e: &parvis_core::Event, locale: Locale, all_day: &str) -> String {
    let first = format::day_name(e.local_date(), locale, false);
    let last = e.local_last_date.as_str();
    let time = |t: &str| t.get(11..16).unwrap_or_default().to_owned();
    if e.all_day {
        if last == e.local_date() {
            format!("{first} — {all_day}")
        } else {
            format!("{first} → {}", format::day_name(last, locale, false))
        }
    } else {
        match &e.local_end {
            Some(end) if last == e.local_date() => {
                format!("{first}, {} – {}", time(&e.local_start), time(end))
            }
            Some(end) => format!(
                "{first}, {} → {}, {}",
                time(&e.local_start),
                format::day_name(last, locale, false),
                time(end)
            ),
            None => format!("{first}, {}", time(&e.local_start)),
        }
    }
}

/// Screen: an event.
#[component]
pub fn EventPage(
    /// The id from the path.
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let agenda = use_agenda();
    let event = Memo::new(move |_| {
        agenda
            .events
            .with(|all| all.iter().find(|e| e.id == id).cloned())
    });
    let title = Signal::derive(move || match event.get() {
        Some(e) => e.title,
        None => i18n.t(Text::AgendaTitle).to_owned(),
    });
    let share_result = RwSignal::new(None::<Text>);

    view! {
        {move || match event.get() {
            None if agenda.freshness.get() == Freshness::Loading => view! { <p>{i18n.tr(Text::Loading)}</p> }.into_any(),
            None => view! {
                <PageHeader title=title commune=identity.name_signal()/>
                <p>{i18n.tr(Text::EventNotFound)}</p>
                <p><a href="/agenda">{i18n.tr(Text::BackToAgenda)}</a></p>
            }
            .into_any(),
            Some(e) => {
                let locale = i18n.locale();
                let category = agenda.category(&e.category).map(|c| if locale == Locale::En { c.name_en } else { c.name_fr });
                let audiences = e
                    .audiences
                    .iter()
                    .map(|a| i18n.t(match a {
                        parvis_core::Audience::Everyone => Text::AudienceEveryone,
                        parvis_core::Audience::Family => Text::AudienceFamily,
                        parvis_core::Audience::Children => Text::AudienceChildren,
                        parvis_core::Audience::Seniors => Text::AudienceSeniors,
                    }))
                    .collect::<Vec<_>>()
                    .join(", ");
                let price = if e.free { Some(i18n.t(Text::FreeOnly).to_owned()) } else { e.price.clone() };
                let path = format!("/agenda/{}", e.id);
                let share_title = e.title.clone();
                let on_share = move |_| {
                    let url = share::absolute_url(&path);
                    let share_title = share_title.clone();
                    spawn_local(async move {
                        let result = match share::share(&share_title, &url).await {
                            share::Shared::Sheet => None,
                            share::Shared::Copied => Some(Text::LinkCopied),
                            share::Shared::Failed => Some(Text::ShareFailed),
                        };
                        share_result.set(result);
                    });
                };
                view! {
                    <article class="event">
                        <p class="article__back"><a href="/agenda">{i18n.tr(Text::BackToAgenda)}</a></p>
                        <PageHeader title=title commune=identity.name_signal()/>
                        {e.cancelled.then(|| view! { <p class="notice notice--cancelled">{i18n.t(Text::CancelledNotice)}</p> })}
                        <div inner_html=details_html(&e, category.as_deref(), &audiences, price.as_deref(), i18n)></div>
                        <div class="actions">
                            <a class="button button--primary" href=api::event_ics_url(e.id) download=format!("evenement-{}.ics", e.id) rel="external">
                                {i18n.t(Text::AddToCalendar)}
                            </a>
                            {e.facility_id.map(|id| view! {
                                <a class="button button--secondary" href=format!("/carte/{id}")>{i18n.t(Text::SeeOnMap)}</a>
                            })}
                            <button type="button" class="button button--secondary" on:click=on_share>{i18n.t(Text::Share)}</button>
                            {e.url.clone().map(|url| view! { <a class="button button--secondary" href=url rel="noopener">{i18n.t(Text::MoreInfo)}</a> })}
                        </div>
                        <p class="share-result" role="status">{move || share_result.get().map(|t| i18n.t(t))}</p>
                    </article>
                }
                .into_any()
            }
        }}
    }
}

/// The event's facts and description as escaped HTML (see `components::html` for why).
fn details_html(
    e: &parvis_core::Event,
    category: Option<&str>,
    audiences: &str,
    price: Option<&str>,
    i18n: I18n,
) -> String {
    let mut out = String::with_capacity(1024 + e.description.len());
    out.push_str("<dl class=\"facts\">");
    let mut fact = |label: Text, value: &str| {
        if !value.is_empty() {
            push_text(&mut out, "dt", "", i18n.tr(label));
            push_text(&mut out, "dd", "", value);
        }
    };
    fact(
        Text::When,
        &when_text(e, i18n.locale(), i18n.tr(Text::AllDay)),
    );
    let place = [e.location_name.as_deref(), e.address.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    fact(Text::Where, &place);
    fact(Text::Category, category.unwrap_or_default());
    fact(Text::For, audiences);
    fact(Text::Price, price.unwrap_or_default());
    fact(
        Text::Accessibility,
        e.accessibility.as_deref().unwrap_or_default(),
    );
    if let Some(url) = &e.registration_url {
        push_text(&mut out, "dt", "", i18n.tr(Text::Registration));
        let url = escape(url);
        out.push_str(&format!(
            "<dd><a href=\"{url}\" rel=\"noopener\">{url}</a></dd>"
        ));
    }
    out.push_str("</dl>");
    if let Some(src) = e.image_url.as_deref().filter(|u| u.starts_with('/')) {
        out.push_str(&format!(
            "<img class=\"article__image\" src=\"{}\" alt=\"\" loading=\"lazy\">",
            escape(src)
        ));
    }
    out.push_str("<div class=\"prose\">");
    for paragraph in e.description.split("\n\n").filter(|p| !p.trim().is_empty()) {
        push_text(&mut out, "p", "", paragraph);
    }
    out.push_str("</div>");
    out
}
