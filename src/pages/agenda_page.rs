//! Screen: the upcoming agenda, grouped by day, with a day strip, filters and a search that
//! ignores case and accents. Everything reads the device's copy, so it all works offline; the
//! filters live in the URL (`?q=…&jour=…&categorie=…&public=…&gratuit=1`).

use std::sync::Arc;

use leptos::prelude::*;
use parvis_core::Event;
use parvis_core::agenda::{Audience, EventFilter};
use wasm_bindgen::JsCast;

use crate::components::freshness_note::freshness_text;
use crate::components::html::{escape, push_text};
use crate::components::{EmptyState, EventCard, FreshnessNote, IconName, PageHeader};
use crate::i18n::{I18n, Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::format;
use crate::router::use_location;
use crate::state::agenda::{Agenda, use_agenda};
use crate::state::news::Freshness;
use crate::sync::use_connectivity;

/// How many events are rendered before "Afficher plus": some three phone screens. Every
/// rendered card costs at each keystroke, in the first screen, and in the style work the
/// browser redoes on the whole page when another page opens (60 made the page 650 elements).
const PAGE_SIZE: usize = 20;
/// Days offered in the day strip.
const STRIP_DAYS: i32 = 14;

/// The filters as they appear in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct UrlFilters {
    q: String,
    day: Option<String>,
    category: Option<String>,
    audience: Option<Audience>,
    free: bool,
}

impl UrlFilters {
    fn to_url(&self) -> String {
        let enc = |v: &str| String::from(js_sys::encode_uri_component(v));
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", enc(&self.q)));
        }
        if let Some(day) = &self.day {
            parts.push(format!("jour={}", enc(day)));
        }
        if let Some(c) = &self.category {
            parts.push(format!("categorie={}", enc(c)));
        }
        if let Some(a) = self.audience {
            parts.push(format!("public={}", a.slug()));
        }
        if self.free {
            parts.push("gratuit=1".to_owned());
        }
        if parts.is_empty() {
            "/agenda".to_owned()
        } else {
            format!("/agenda?{}", parts.join("&"))
        }
    }

    fn is_empty(&self) -> bool {
        *self == UrlFilters::default()
    }
}

fn audience_text(a: Audience) -> Text {
    match a {
        Audience::Everyone => Text::AudienceEveryone,
        Audience::Family => Text::AudienceFamily,
        Audience::Children => Text::AudienceChildren,
        Audience::Seniors => Text::AudienceSeniors,
    }
}

/// The heading of a day's group: "Aujourd’hui", "Demain", "Ce week-end · samedi 28 novembre"…
fn day_heading(day: &str, today: &str, i18n: I18n) -> String {
    let locale = i18n.locale();
    if day == today {
        return i18n.t(Text::Today).to_owned();
    }
    if day == format::add_days(today, 1) {
        return i18n.t(Text::Tomorrow).to_owned();
    }
    let name = format::day_name(day, locale, false);
    let weekend = matches!(format::weekday(day), 0 | 6);
    if weekend && day <= format::add_days(today, 6).as_str() {
        format!("{} · {name}", i18n.t(Text::ThisWeekend))
    } else {
        name
    }
}

/// Marks the first screen of results for the agenda benchmark (`performance.mark`).
fn mark_results_shown() {
    crate::platform::mark("parvis:agenda-results");
}

/// Screen: the agenda.
#[component]
pub fn AgendaPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let agenda = use_agenda();
    let connectivity = use_connectivity();
    let location = use_location();

    let filters = Memo::new(move |_| {
        let q = |name| location.query(name);
        UrlFilters {
            q: q("q").unwrap_or_default(),
            day: q("jour").filter(|d| d.len() == 10),
            category: q("categorie").filter(|c| !c.is_empty()),
            audience: q("public").and_then(|a| Audience::from_slug(&a)),
            free: q("gratuit").as_deref() == Some("1"),
        }
    });
    let today = Memo::new(move |_| {
        // Re-read when the identity (and so the time zone) arrives.
        identity.commune();
        agenda.today()
    });
    let shown = RwSignal::new(PAGE_SIZE);
    // Each change of filters starts from the first page again.
    let go = move |f: UrlFilters| {
        shown.set(PAGE_SIZE);
        location.navigate(&f.to_url(), true);
    };

    let search_index: StoredValue<Option<SearchIndex>> = StoredValue::new(None);
    // The folded text of every event, for a search: made at the first search of these events
    // (not before the first screen), then kept while they stay the same.
    let index_for = move |events: &Arc<Vec<Event>>, f: &UrlFilters| {
        (!f.q.trim().is_empty()).then(|| {
            search_index
                .with_value(|cached| match cached {
                    Some((of, index)) if Arc::ptr_eq(of, events) => Some(Arc::clone(index)),
                    _ => None,
                })
                .unwrap_or_else(|| {
                    let index: Arc<Vec<String>> =
                        Arc::new(events.iter().map(Event::search_text).collect());
                    search_index.set_value(Some((Arc::clone(events), Arc::clone(&index))));
                    index
                })
        })
    };
    let results = Memo::new(move |_| {
        let f = filters.get();
        let events = agenda.events.get();
        let index = index_for(&events, &f);
        find(events, &f, &today.get(), index)
    });

    // The first opens of the coming days: when preview.js keeps this screen (README,
    // preview.js), it also keeps a copy for each day ahead it asks for (`detail`: one empty
    // array per day, tomorrow first), with these parts as they will read that day.
    let days_ahead = window_event_listener_untyped("parvis:save", move |event| {
        let Ok(days) = js_sys::Reflect::get(&event, &"detail".into())
            .and_then(|d| d.dyn_into::<js_sys::Array>())
        else {
            return;
        };
        let f = filters.get_untracked();
        let today = today.get_untracked();
        let events = agenda.events.get_untracked();
        let index = index_for(&events, &f);
        for (ahead, parts) in (1..).zip(days.iter()) {
            let Ok(parts) = parts.dyn_into::<js_sys::Array>() else {
                continue;
            };
            let day = format::add_days(&today, ahead);
            let list = find(Arc::clone(&events), &f, &day, index.clone());
            for part in parts_on(&list, &f, &day, agenda, i18n) {
                parts.push(&part.into());
            }
        }
    });
    on_cleanup(move || days_ahead.remove());

    let on_search = {
        move |ev: leptos::ev::Event| {
            let mut f = filters.get_untracked();
            f.q = event_target_value(&ev);
            go(f);
        }
    };
    let on_category = {
        move |ev: leptos::ev::Event| {
            let mut f = filters.get_untracked();
            f.category = Some(event_target_value(&ev)).filter(|v| !v.is_empty());
            go(f);
        }
    };
    let on_audience = {
        move |ev: leptos::ev::Event| {
            let mut f = filters.get_untracked();
            f.audience = Audience::from_slug(&event_target_value(&ev));
            go(f);
        }
    };
    let on_free = {
        move |ev: leptos::ev::Event| {
            let mut f = filters.get_untracked();
            f.free = event_target_checked(&ev);
            go(f);
        }
    };
    let on_date = {
        move |ev: leptos::ev::Event| {
            let mut f = filters.get_untracked();
            f.day = Some(event_target_value(&ev)).filter(|v| v.len() == 10);
            go(f);
        }
    };
    Effect::new(move || {
        if results.with(|r| !r.items.is_empty()) {
            mark_results_shown();
        }
    });

    view! {
        <PageHeader title=i18n.tr(Text::AgendaTitle).to_owned() commune=identity.name_signal()/>
        <div class="toolbar">
            <FreshnessNote text=Signal::derive(move || freshness_text(agenda.freshness, agenda.error, agenda.syncing, i18n, connectivity.is_online()))/>
        </div>
        <search class="agenda-filters">
            <div class="field">
                <label for="agenda-recherche">{i18n.tr(Text::SearchEvents)}</label>
                <input id="agenda-recherche" type="search" autocomplete="off" prop:value=move || filters.with(|f| f.q.clone()) on:input=on_search/>
            </div>
            <div class="agenda-filters__row">
                <div class="field">
                    <label for="agenda-categorie">{i18n.tr(Text::Category)}</label>
                    <select id="agenda-categorie" on:change=on_category prop:value=move || filters.with(|f| f.category.clone().unwrap_or_default())>
                        <option value="">{i18n.tr(Text::AllCategories)}</option>
                        {move || {
                            let current = filters.with(|f| f.category.clone());
                            agenda
                                .categories
                                .get()
                                .into_iter()
                                .map(|c| {
                                    let selected = current.as_deref() == Some(c.slug.as_str());
                                    let name = if i18n.locale() == parvis_core::Locale::En { c.name_en } else { c.name_fr };
                                    view! { <option value=c.slug selected=selected>{name}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for="agenda-public">{i18n.tr(Text::AudienceLabel)}</label>
                    <select id="agenda-public" on:change=on_audience prop:value=move || filters.with(|f| f.audience.map(Audience::slug).unwrap_or_default())>
                        <option value="">{i18n.tr(Text::AllAudiences)}</option>
                        {Audience::ALL
                            .into_iter()
                            .map(|a| view! {
                                <option value=a.slug() selected=filters.with_untracked(|f| f.audience == Some(a))>{i18n.tr(audience_text(a))}</option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="switch">
                    <input id="agenda-gratuit" type="checkbox" prop:checked=move || filters.with(|f| f.free) on:change=on_free/>
                    <label for="agenda-gratuit">{i18n.tr(Text::FreeOnly)}</label>
                </div>
            </div>
        </search>
        <nav class="day-strip" aria-label=i18n.tr(Text::Days)>
            <span class="day-strip__days" inner_html=move || strip_html(&filters.get(), &today.get(), i18n)></span>
            <label class="day-strip__picker">
                <span class="visually-hidden">{i18n.tr(Text::ChooseDate)}</span>
                <input type="date" min=move || today.get() prop:value=move || filters.with(|f| f.day.clone().unwrap_or_default()) on:change=on_date/>
            </label>
        </nav>
        <p class="results-count" role="status">
            {move || {
                let n = results.with(|r| r.items.len());
                (agenda.freshness.get() != Freshness::Loading).then(|| count_text(n, i18n))
            }}
        </p>
        <div class="agenda-results">{move || {
            let list = results.get();
            if list.items.is_empty() {
                // Not « no event » while the device's copy is still being read.
                if agenda.freshness.with(|f| *f == Freshness::Loading) {
                    return ().into_any();
                }
                let filtered = !filters.with(UrlFilters::is_empty);
                let message = if filtered { Text::NoEventForFilter } else { Text::AgendaEmpty };
                return view! {
                    <EmptyState icon=IconName::Agenda title=i18n.tr(Text::AgendaTitle) message=i18n.tr(message)/>
                    {filtered.then(|| view! { <p class="center"><a href="/agenda" class="button button--secondary">{i18n.tr(Text::ClearFilters)}</a></p> })}
                }
                .into_any();
            }
            let today = today.get();
            let total = list.items.len();
            let limit = shown.get();
            let html = list_html(&list, total.min(limit), &today, agenda, i18n);
            view! {
                <div class="agenda-list" inner_html=html></div>
                {(total > limit).then(|| view! {
                    <p class="center">
                        <button type="button" class="button button--secondary" on:click=move |_| shown.update(|n| *n += PAGE_SIZE)>
                            {i18n.tr(Text::ShowMore)}
                        </button>
                    </p>
                })}
            }
            .into_any()
        }}</div>
    }
}

/// "12 événement(s)": the results line.
fn count_text(n: usize, i18n: I18n) -> String {
    format!("{n} {}", i18n.t(Text::EventsFound))
}

/// The events `f` keeps, listed from `today` on, in day then start order.
fn find(
    events: Arc<Vec<Event>>,
    f: &UrlFilters,
    today: &str,
    index: Option<Arc<Vec<String>>>,
) -> Matches {
    let filter = EventFilter {
        from_date: Some(today.to_owned()),
        on_date: f.day.clone(),
        category: f.category.clone(),
        audience: f.audience,
        free_only: f.free,
        query: f.q.clone(),
    };
    let floor = f.day.as_deref().unwrap_or(today);
    let matches = filter.matcher();
    let mut items: Vec<(String, usize)> = events
        .iter()
        .enumerate()
        .filter(|(i, e)| matches(e, index.as_ref().map_or("", |x| x[*i].as_str())))
        .map(|(i, e)| {
            // A multi-day event still running is listed on the first day shown.
            (e.local_date().max(floor).to_owned(), i)
        })
        .collect();
    items.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(events[a.1].local_start.cmp(&events[b.1].local_start))
    });
    Matches {
        events,
        items: Arc::new(items),
    }
}

/// The folded search text of each event of a list (same order), and the list it was made for.
type SearchIndex = (Arc<Vec<Event>>, Arc<Vec<String>>);

/// The events a filter keeps: indices into the shared list, never copies of the events.
#[derive(Debug, Clone)]
struct Matches {
    events: Arc<Vec<Event>>,
    /// (day the event is listed under, index in `events`).
    items: Arc<Vec<(String, usize)>>,
}

impl PartialEq for Matches {
    // Each computation makes new lists: identity is enough, and never walks thousands of
    // events to compare them.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.events, &other.events) && Arc::ptr_eq(&self.items, &other.items)
    }
}

/// The parts of the screen that change with the day, as `[selector, markup, …]`, as they
/// read on `day` (the day strip, the results and their count); none when no event is left.
fn parts_on(list: &Matches, f: &UrlFilters, day: &str, agenda: Agenda, i18n: I18n) -> Vec<String> {
    let total = list.items.len();
    if total == 0 {
        return Vec::new();
    }
    let mut html = String::from("<div class=\"agenda-list\">");
    html.push_str(&list_html(list, total.min(PAGE_SIZE), day, agenda, i18n));
    html.push_str("</div>");
    if total > PAGE_SIZE {
        html.push_str("<p class=\"center\">");
        push_text(
            &mut html,
            "button",
            "button button--secondary",
            i18n.t(Text::ShowMore),
        );
        html.push_str("</p>");
    }
    vec![
        ".results-count".into(),
        escape(&count_text(total, i18n)),
        ".agenda-results".into(),
        html,
        ".day-strip__days".into(),
        strip_html(f, day, i18n),
    ]
}

/// The list grouped by day, as escaped HTML (see `components::html` for why).
fn list_html(list: &Matches, count: usize, today: &str, agenda: Agenda, i18n: I18n) -> String {
    let mut out = String::with_capacity(count * 400);
    let mut current: Option<&str> = None;
    for (day, i) in &list.items[..count] {
        let event = &list.events[*i];
        if current != Some(day.as_str()) {
            if current.is_some() {
                out.push_str("</ul></section>");
            }
            out.push_str("<section class=\"agenda-day\">");
            push_text(
                &mut out,
                "h2",
                "agenda-day__heading",
                &day_heading(day, today, i18n),
            );
            out.push_str("<ul class=\"agenda-day__events\">");
            current = Some(day);
        }
        push_card(&mut out, event, agenda, i18n);
    }
    if current.is_some() {
        out.push_str("</ul></section>");
    }
    out
}

fn push_card(out: &mut String, event: &Event, agenda: Agenda, i18n: I18n) {
    let when = if event.all_day {
        i18n.t(Text::AllDay).to_owned()
    } else {
        event.local_start.get(11..16).unwrap_or_default().to_owned()
    };
    let category = agenda.category(&event.category).map(|c| {
        if i18n.locale() == parvis_core::Locale::En {
            c.name_en
        } else {
            c.name_fr
        }
    });
    let href = format!("/agenda/{}", event.id);
    EventCard {
        href: &href,
        title: &event.title,
        when: &when,
        place: event.location_name.as_deref(),
        category: category.as_deref(),
        free: event.free.then(|| i18n.t(Text::FreeOnly)),
        cancelled: event.cancelled.then(|| i18n.t(Text::Cancelled)),
    }
    .push_html(out);
}

/// The day strip's links ("Toutes les dates", "Aujourd’hui", "Demain", "sam. 28"…) as HTML.
fn strip_html(filters: &UrlFilters, today: &str, i18n: I18n) -> String {
    let mut out = String::with_capacity(2048);
    let mut link = |day: Option<String>, label: &str| {
        let current = filters.day == day;
        let url = UrlFilters {
            day,
            ..filters.clone()
        }
        .to_url();
        out.push_str("<a class=\"day-strip__day\" href=\"");
        out.push_str(&escape(&url));
        out.push('"');
        if current {
            out.push_str(" aria-current=\"page\"");
        }
        out.push('>');
        out.push_str(&escape(label));
        out.push_str("</a>");
    };
    link(None, i18n.t(Text::AllDates));
    for n in 0..STRIP_DAYS {
        let day = format::add_days(today, n);
        let label = match n {
            0 => i18n.t(Text::Today).to_owned(),
            1 => i18n.t(Text::Tomorrow).to_owned(),
            _ => format::day_name(&day, i18n.locale(), true),
        };
        link(Some(day), &label);
    }
    out
}
