//! One event in the agenda list: time, title (the link), place, badges — as escaped HTML
//! (see `html`: the list can hold hundreds of entries).

use super::html::{escape, push_text};

/// What a card shows; every text is escaped when rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCard<'a> {
    pub href: &'a str,
    pub title: &'a str,
    /// "20:30" or "Toute la journée".
    pub when: &'a str,
    pub place: Option<&'a str>,
    pub category: Option<&'a str>,
    /// The "Gratuit" badge's text, when free.
    pub free: Option<&'a str>,
    /// The "Annulé" badge's text, when cancelled (the card stays, struck through).
    pub cancelled: Option<&'a str>,
}

impl EventCard<'_> {
    /// Appends the card as an `<li>`.
    pub fn push_html(&self, out: &mut String) {
        out.push_str(if self.cancelled.is_some() {
            "<li class=\"event-card event-card--cancelled\">"
        } else {
            "<li class=\"event-card\">"
        });
        push_text(out, "p", "event-card__when", self.when);
        out.push_str("<div class=\"event-card__body\"><h3 class=\"event-card__title\"><a href=\"");
        out.push_str(&escape(self.href));
        out.push_str("\">");
        out.push_str(&escape(self.title));
        out.push_str("</a></h3>");
        if let Some(place) = self.place {
            push_text(out, "p", "event-card__place", place);
        }
        out.push_str("<p class=\"event-card__badges\">");
        if let Some(t) = self.cancelled {
            push_text(out, "span", "badge badge--cancelled", t);
        }
        if let Some(t) = self.category {
            push_text(out, "span", "badge", t);
        }
        if let Some(t) = self.free {
            push_text(out, "span", "badge badge--free", t);
        }
        out.push_str("</p></div></li>");
    }
}
