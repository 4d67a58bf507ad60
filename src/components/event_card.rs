//! One event in the agenda list: time, title (the link), place, badges.

use leptos::prelude::*;

/// An event's card; a cancelled event stays listed, marked and struck through.
#[component]
pub fn EventCard(
    #[prop(into)] href: String,
    #[prop(into)] title: String,
    /// "20:30" or "Toute la journée".
    #[prop(into)]
    when: String,
    #[prop(into)] place: Option<String>,
    #[prop(into)] category: Option<String>,
    /// The "Gratuit" badge's text, when free.
    #[prop(into)]
    free: Option<&'static str>,
    /// The "Annulé" badge's text, when cancelled.
    #[prop(into)]
    cancelled: Option<&'static str>,
) -> impl IntoView {
    let class = if cancelled.is_some() {
        "event-card event-card--cancelled"
    } else {
        "event-card"
    };
    view! {
        <li class=class>
            <p class="event-card__when">{when}</p>
            <div class="event-card__body">
                <h3 class="event-card__title"><a href=href>{title}</a></h3>
                {place.map(|p| view! { <p class="event-card__place">{p}</p> })}
                <p class="event-card__badges">
                    {cancelled.map(|t| view! { <span class="badge badge--cancelled">{t}</span> })}
                    {category.map(|c| view! { <span class="badge">{c}</span> })}
                    {free.map(|t| view! { <span class="badge badge--free">{t}</span> })}
                </p>
            </div>
        </li>
    }
}
