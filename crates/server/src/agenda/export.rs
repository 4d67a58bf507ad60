//! The agenda as iCalendar (RFC 5545): the `icalendar` crate writes each event (escaping,
//! line folding); the calendar around them carries RFC 7986 `NAME`/`REFRESH-INTERVAL` and a
//! `VTIMEZONE` computed from the time-zone database, so times read as the commune's wall clock
//! in every calendar app.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Component, EventLike, EventStatus, Property};

use super::config::AgendaConfig;
use crate::db::events::Stored;

/// How often subscribed calendar apps should fetch the feed again.
pub const REFRESH_INTERVAL: &str = "PT4H";

/// What the calendar says about itself.
#[derive(Debug, Clone)]
pub struct CalendarInfo<'a> {
    /// `NAME`: "Agenda de Saint-Aubin-sur-Loire".
    pub name: &'a str,
    pub description: &'a str,
    /// The commune's time zone: local times are written in it.
    pub tz: Tz,
    /// Where the feed lives (`SOURCE`, RFC 7986), when the public URL is known.
    pub source: Option<&'a str>,
    /// The app's public address (`https://…/`, with the slash): an event without a link of its
    /// own links to its page there.
    pub public_url: Option<&'a str>,
    /// The categories, for their display names (`CATEGORIES`).
    pub agenda: &'a AgendaConfig,
}

/// A whole calendar of `events`.
pub fn calendar(info: &CalendarInfo<'_>, events: &[Stored]) -> String {
    let mut out = String::with_capacity(1024 + events.len() * 700);
    line(&mut out, "BEGIN", "VCALENDAR", false);
    line(&mut out, "VERSION", "2.0", false);
    line(
        &mut out,
        "PRODID",
        "-//Parvis//Agenda de la commune//FR",
        false,
    );
    line(&mut out, "CALSCALE", "GREGORIAN", false);
    line(&mut out, "METHOD", "PUBLISH", false);
    line(&mut out, "NAME", info.name, true);
    line(&mut out, "X-WR-CALNAME", info.name, true);
    line(&mut out, "DESCRIPTION", info.description, true);
    line(&mut out, "X-WR-CALDESC", info.description, true);
    line(&mut out, "X-WR-TIMEZONE", info.tz.name(), false);
    push_property(
        &mut out,
        Property::new("REFRESH-INTERVAL", REFRESH_INTERVAL)
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    line(&mut out, "X-PUBLISHED-TTL", REFRESH_INTERVAL, false);
    if let Some(source) = info.source {
        push_property(
            &mut out,
            Property::new("SOURCE", source)
                .add_parameter("VALUE", "URI")
                .done(),
        );
    }
    let years = year_range(events);
    out.push_str(&vtimezone(info.tz, years));
    for stored in events {
        out.push_str(&event(info, stored).to_string());
    }
    line(&mut out, "END", "VCALENDAR", false);
    out
}

/// The `UID` of an occurrence: the source's UID, with the original start of an occurrence of a
/// recurring event (each occurrence is exported as an event of its own).
pub fn export_uid(stored: &Stored) -> String {
    if stored.recurrence_id.is_empty() {
        stored.uid.clone()
    } else {
        format!("{}/{}", stored.recurrence_id, stored.uid)
    }
}

fn event(info: &CalendarInfo<'_>, stored: &Stored) -> icalendar::Event {
    let e = &stored.event;
    let mut out = icalendar::Event::new();
    out.uid(&export_uid(stored))
        .sequence(u32::try_from(stored.sequence).unwrap_or(0))
        .summary(&e.title)
        .status(if e.cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    let updated = utc(&e.updated_at);
    if let Some(updated) = updated {
        out.timestamp(updated).last_modified(updated);
    }
    if let Some(created) = utc(&stored.created_at) {
        out.created(created);
    }
    if e.all_day {
        let first = date(&e.local_start);
        let last = NaiveDate::parse_from_str(&e.local_last_date, "%Y-%m-%d").ok();
        if let Some(first) = first {
            out.append_property(date_property("DTSTART", first));
            let end = last.unwrap_or(first).succ_opt().unwrap_or(first);
            out.append_property(date_property("DTEND", end));
        }
    } else {
        let tzid = info.tz.name();
        if let Some(start) = local(&e.local_start) {
            out.append_property(local_property("DTSTART", start, tzid));
        }
        if let Some(end) = e.local_end.as_deref().and_then(local) {
            out.append_property(local_property("DTEND", end, tzid));
        }
    }
    let description = description_of(e);
    if !description.is_empty() {
        out.description(&description);
    }
    let location = [e.location_name.as_deref(), e.address.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    if !location.is_empty() {
        out.location(&location);
    }
    if let Some(p) = e.position {
        out.add_property("GEO", format!("{:.6};{:.6}", p.lat, p.lon));
    }
    let category = info
        .agenda
        .categories
        .iter()
        .find(|c| c.slug == e.category)
        .map_or(e.category.as_str(), |c| c.name_fr.as_str())
        .replace(',', " ");
    out.add_property("CATEGORIES", category);
    let url = e
        .url
        .clone()
        .or_else(|| info.public_url.map(|base| format!("{base}agenda/{}", e.id)));
    if let Some(url) = url {
        out.append_property(
            Property::new("URL", url)
                .add_parameter("VALUE", "URI")
                .done(),
        );
    }
    if let Some(image) = &e.image_url {
        out.append_property(
            Property::new("IMAGE", image.as_str())
                .add_parameter("VALUE", "URI")
                .add_parameter("DISPLAY", "BADGE")
                .done(),
        );
    }
    out.done()
}

/// The description with what iCalendar has no property for: price, registration,
/// accessibility.
fn description_of(e: &parvis_core::Event) -> String {
    let mut text = e.description.trim().to_owned();
    let mut extra = |label: &str, value: &str| {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let _ = write!(text, "{label} : {value}");
    };
    if e.cancelled {
        extra("Statut", "annulé");
    }
    match (&e.price, e.free) {
        (Some(price), _) => extra("Tarif", price),
        (None, true) => extra("Tarif", "gratuit"),
        _ => {}
    }
    if let Some(url) = &e.registration_url {
        extra("Inscription", url);
    }
    if let Some(note) = &e.accessibility {
        extra("Accessibilité", note);
    }
    text
}

fn date_property(key: &str, date: NaiveDate) -> Property {
    Property::new(key, date.format("%Y%m%d").to_string())
        .add_parameter("VALUE", "DATE")
        .done()
}

fn local_property(key: &str, local: NaiveDateTime, tzid: &str) -> Property {
    Property::new(key, local.format("%Y%m%dT%H%M%S").to_string())
        .add_parameter("TZID", tzid)
        .done()
}

fn utc(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn local(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").ok()
}

fn date(local_text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(local_text.get(..10)?, "%Y-%m-%d").ok()
}

/// Writes `KEY:VALUE` (escaped as text when `text`) folded at 75 octets.
fn line(out: &mut String, key: &str, value: &str, text: bool) {
    if text {
        push_property(out, Property::new(key, value));
    } else {
        out.push_str(key);
        out.push(':');
        out.push_str(value);
        out.push_str("\r\n");
    }
}

fn push_property(out: &mut String, property: Property) {
    let written: Result<String, _> = property.try_into();
    if let Ok(written) = written {
        out.push_str(&written);
    }
}

/// The years the events run in (the current one when there is none).
fn year_range(events: &[Stored]) -> (i32, i32) {
    let years = events
        .iter()
        .filter_map(|s| date(&s.event.local_start))
        .map(|d| d.year());
    let (min, max) = years.fold((i32::MAX, i32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if min > max {
        let year = Utc::now().year();
        (year, year)
    } else {
        (min, max)
    }
}

/// A `VTIMEZONE` for `tz` over the given years: one observance per offset change found in
/// the time-zone database (plus the one in force on January 1st of the first year), so it is
/// right for any zone, with or without daylight saving time.
pub fn vtimezone(tz: Tz, (first_year, last_year): (i32, i32)) -> String {
    let start = Utc
        .with_ymd_and_hms(first_year, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let end = Utc
        .with_ymd_and_hms(last_year + 1, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(start);
    let mut out = String::new();
    line(&mut out, "BEGIN", "VTIMEZONE", false);
    line(&mut out, "TZID", tz.name(), false);
    let initial = tz.offset_from_utc_datetime(&start.naive_utc());
    observance(&mut out, tz, start, initial, initial);
    let mut t = start;
    let mut before = initial;
    // Offsets change on the hour or half-hour: scan by hour, then find the minute.
    while t < end {
        let next = t + Duration::hours(1);
        let after = tz.offset_from_utc_datetime(&next.naive_utc());
        if after.fix() != before.fix() {
            let mut at = t;
            while tz.offset_from_utc_datetime(&at.naive_utc()).fix() == before.fix() {
                at += Duration::minutes(1);
            }
            observance(&mut out, tz, at, before, after);
            before = after;
        }
        t = next;
    }
    line(&mut out, "END", "VTIMEZONE", false);
    out
}

fn observance(
    out: &mut String,
    tz: Tz,
    at: DateTime<Utc>,
    from: <Tz as TimeZone>::Offset,
    to: <Tz as TimeZone>::Offset,
) {
    let _ = tz;
    let kind = if to.dst_offset().num_seconds() != 0 {
        "DAYLIGHT"
    } else {
        "STANDARD"
    };
    // DTSTART is the wall-clock time the change happens at, on the clock before it.
    let wall = at.naive_utc() + Duration::seconds(i64::from(from.fix().local_minus_utc()));
    line(out, "BEGIN", kind, false);
    line(
        out,
        "DTSTART",
        &wall.format("%Y%m%dT%H%M%S").to_string(),
        false,
    );
    line(
        out,
        "TZOFFSETFROM",
        &offset_text(from.fix().local_minus_utc()),
        false,
    );
    line(
        out,
        "TZOFFSETTO",
        &offset_text(to.fix().local_minus_utc()),
        false,
    );
    if let Some(name) = to.abbreviation() {
        line(out, "TZNAME", name, false);
    }
    line(out, "END", kind, false);
}

/// `+0100`, `-0330`.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_has_two_changes_a_year() {
        let text = vtimezone(chrono_tz::Europe::Paris, (2026, 2026));
        assert!(text.contains("TZID:Europe/Paris\r\n"));
        assert!(text.contains("DTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"));
        assert!(text.contains("DTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"));
        assert_eq!(text.matches("BEGIN:DAYLIGHT").count(), 1);
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 2);
    }

    #[test]
    fn zones_without_daylight_saving_have_one_observance() {
        let text = vtimezone(chrono_tz::Indian::Reunion, (2026, 2027));
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1);
        assert!(text.contains("TZOFFSETTO:+0400"));
        assert_eq!(offset_text(-12_600), "-0330");
    }
}
