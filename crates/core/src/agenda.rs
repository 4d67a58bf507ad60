//! The agenda: wire types of `/api/v1/events` and the filters the app applies offline.
//!
//! Each event carries its start and end both as UTC instants and as wall-clock times in the
//! commune's time zone (`local_start`, `local_end`), so the app groups by day and shows times
//! without a time-zone database in the Wasm.

use serde::{Deserialize, Serialize};

use crate::LatLon;
use crate::text;

/// Who an event is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Everyone,
    Family,
    Children,
    Seniors,
}

impl Audience {
    pub const ALL: [Audience; 4] = [
        Audience::Everyone,
        Audience::Family,
        Audience::Children,
        Audience::Seniors,
    ];

    /// The value used in URLs and JSON.
    pub fn slug(self) -> &'static str {
        match self {
            Audience::Everyone => "everyone",
            Audience::Family => "family",
            Audience::Children => "children",
            Audience::Seniors => "seniors",
        }
    }

    /// Parses [`Audience::slug`].
    pub fn from_slug(slug: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.slug() == slug)
    }
}

/// A category of events (concert, market, council meeting, sport…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventCategory {
    pub slug: String,
    pub name_fr: String,
    pub name_en: String,
}

/// An event of the agenda (one occurrence: recurring events are expanded by the server).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: i64,
    pub title: String,
    /// Plain text; paragraphs separated by blank lines.
    pub description: String,
    /// RFC 3339 UTC instant (for an all-day event: local midnight of its first day).
    pub start: String,
    /// RFC 3339 UTC instant, exclusive; absent when unknown.
    pub end: Option<String>,
    /// `YYYY-MM-DDTHH:MM:SS` wall-clock time in the commune's time zone.
    pub local_start: String,
    pub local_end: Option<String>,
    /// `YYYY-MM-DD`: the last local day the event runs (inclusive; an exclusive end at
    /// midnight belongs to the day before). Equals the first day for a one-day event.
    pub local_last_date: String,
    pub all_day: bool,
    pub location_name: Option<String>,
    pub address: Option<String>,
    pub position: Option<LatLon>,
    /// The municipal facility where it happens, for the map.
    pub facility_id: Option<i64>,
    /// Slug of an [`EventCategory`].
    pub category: String,
    pub audiences: Vec<Audience>,
    pub free: bool,
    /// Free text ("5 €, gratuit pour les moins de 12 ans").
    pub price: Option<String>,
    pub registration_url: Option<String>,
    pub image_url: Option<String>,
    pub accessibility: Option<String>,
    pub cancelled: bool,
    /// The page the event came from, if imported.
    pub url: Option<String>,
    /// RFC 3339 UTC.
    pub updated_at: String,
}

impl Event {
    /// The local date of the first day (`YYYY-MM-DD`).
    pub fn local_date(&self) -> &str {
        self.local_start.get(..10).unwrap_or(&self.local_start)
    }

    /// The folded text searched by the agenda's search box.
    pub fn search_text(&self) -> String {
        let mut hay = String::with_capacity(self.title.len() + self.description.len() + 64);
        hay.push_str(&self.title);
        for part in [&self.location_name, &self.address].into_iter().flatten() {
            hay.push(' ');
            hay.push_str(part);
        }
        hay.push(' ');
        hay.push_str(&self.description);
        text::fold(&hay)
    }
}

/// One page of `GET /api/v1/events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventPage {
    pub items: Vec<Event>,
    /// Opaque; pass it as `cursor` for the next page. `None` on the last page.
    pub next_cursor: Option<String>,
    /// Opaque; pass it as `since` later to get only what changed after this answer.
    pub sync_token: String,
}

/// The agenda's filters, as they live in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Only events running on or after this local date (`YYYY-MM-DD`).
    pub from_date: Option<String>,
    /// Only this local date.
    pub on_date: Option<String>,
    pub category: Option<String>,
    pub audience: Option<Audience>,
    pub free_only: bool,
    /// Free text: every word must appear, ignoring case and accents.
    pub query: String,
}

impl EventFilter {
    /// Whether `event` (with its precomputed [`Event::search_text`]) passes the filters.
    pub fn matches(&self, event: &Event, folded: &str) -> bool {
        self.matcher()(event, folded)
    }

    /// [`EventFilter::matches`] for many events: the query is folded once, not per event (a
    /// keystroke of search filters thousands of them).
    pub fn matcher(&self) -> impl Fn(&Event, &str) -> bool + '_ {
        let words = text::fold(&self.query);
        move |event, folded| {
            if let Some(day) = &self.on_date {
                if event.local_date() > day.as_str()
                    || event.local_last_date.as_str() < day.as_str()
                {
                    return false;
                }
            } else if let Some(from) = &self.from_date
                && event.local_last_date.as_str() < from.as_str()
            {
                return false;
            }
            self.category.as_ref().is_none_or(|c| *c == event.category)
                && self.audience.is_none_or(|a| {
                    event.audiences.contains(&a) || event.audiences.contains(&Audience::Everyone)
                })
                && (!self.free_only || event.free)
                && words.split_whitespace().all(|word| folded.contains(word))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(local_start: &str, local_end: Option<&str>) -> Event {
        let last = local_end.unwrap_or(local_start)[..10].to_owned();
        Event {
            id: 1,
            title: "Théâtre : « Le Malade imaginaire »".into(),
            description: "Par la troupe du Parvis.".into(),
            start: "2026-12-05T19:30:00Z".into(),
            end: None,
            local_start: local_start.into(),
            local_end: local_end.map(Into::into),
            local_last_date: last,
            all_day: false,
            location_name: Some("Salle des fêtes".into()),
            address: None,
            position: None,
            facility_id: None,
            category: "spectacle".into(),
            audiences: vec![Audience::Family],
            free: false,
            price: Some("8 €".into()),
            registration_url: None,
            image_url: None,
            accessibility: None,
            cancelled: false,
            url: None,
            updated_at: "2026-11-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn search_ignores_case_and_accents_and_looks_at_the_place() {
        let e = event("2026-12-05T20:30:00", None);
        let hay = e.search_text();
        let f = |q: &str| EventFilter {
            query: q.into(),
            ..Default::default()
        };
        assert!(f("theatre").matches(&e, &hay));
        assert!(f("MALADE salle").matches(&e, &hay));
        assert!(!f("concert").matches(&e, &hay));
    }

    #[test]
    fn a_multi_day_event_shows_on_each_of_its_days() {
        let e = event("2026-12-05T10:00:00", Some("2026-12-07T18:00:00"));
        let on = |d: &str| EventFilter {
            on_date: Some(d.into()),
            ..Default::default()
        };
        assert!(on("2026-12-05").matches(&e, ""));
        assert!(on("2026-12-06").matches(&e, ""));
        assert!(on("2026-12-07").matches(&e, ""));
        assert!(!on("2026-12-08").matches(&e, ""));
        assert!(!on("2026-12-04").matches(&e, ""));
    }

    #[test]
    fn audience_everyone_matches_any_audience_and_free_filters() {
        let mut e = event("2026-12-05T10:00:00", None);
        let children = EventFilter {
            audience: Some(Audience::Children),
            ..Default::default()
        };
        assert!(!children.matches(&e, ""));
        e.audiences.push(Audience::Everyone);
        assert!(children.matches(&e, ""));
        let free = EventFilter {
            free_only: true,
            ..Default::default()
        };
        assert!(!free.matches(&e, ""));
        e.free = true;
        assert!(free.matches(&e, ""));
    }

    #[test]
    fn past_events_drop_out_of_from_date() {
        let e = event("2026-12-05T10:00:00", Some("2026-12-06T12:00:00"));
        let from = |d: &str| EventFilter {
            from_date: Some(d.into()),
            ..Default::default()
        };
        assert!(from("2026-12-06").matches(&e, ""));
        assert!(!from("2026-12-07").matches(&e, ""));
    }
}
