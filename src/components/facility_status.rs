//! A facility's opening status in words: "Ouvert · ferme à 18:00", "Ferme dans 12 min",
//! "Fermé · ouvre lundi à 08:30", "Fermeture exceptionnelle jusqu’au 3 janvier — travaux",
//! "Sur rendez-vous" (uncertain, as its comment says), "Horaires inconnus". The words carry the meaning; the colour of the badge
//! only repeats it.

use parvis_core::{Closure, Locale};

use super::html::{escape, push_text};
use crate::i18n::HoursText;
use crate::platform::format;
use crate::platform::hours::protocol::{Day, FacilityHours, State};

/// The CSS modifier of a state (`status--open`…).
pub fn state_class(state: State) -> &'static str {
    match state {
        State::Open => "status status--open",
        State::ClosingSoon => "status status--soon",
        State::Closed => "status status--closed",
        State::Unknown => "status status--unknown",
    }
}

/// "à 18:00", "demain à 08:30", "lundi à 08:30" or "lundi 3 janvier à 08:30", for an instant
/// `when` (`YYYY-MM-DDTHH:MM`) seen from `now` (local, same format).
fn when_text(when: &str, now: &str, locale: Locale) -> String {
    let at = HoursText::StatusAt.get(locale);
    let time = when.get(11..16).unwrap_or_default();
    let (day, today) = (
        when.get(0..10).unwrap_or_default(),
        now.get(0..10).unwrap_or_default(),
    );
    if day == today {
        format!("{at} {time}")
    } else if day == format::add_days(today, 1) {
        format!("{} {at} {time}", HoursText::TomorrowLower.get(locale))
    } else if day < format::add_days(today, 7).as_str() {
        format!("{} {at} {time}", format::weekday_name(day, locale))
    } else {
        format!(
            "{} {} {at} {time}",
            format::weekday_name(day, locale),
            format::day_month(day, locale)
        )
    }
}

/// The status line of a facility at `now` (the local time the status was computed for).
pub fn status_text(hours: &FacilityHours, now: &str, locale: Locale) -> String {
    let t = |text: HoursText| text.get(locale);
    let comment = hours
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let mut line = match (hours.state, &hours.closure_reason) {
        (State::Closed, Some(reason)) => {
            let until = hours
                .closure_until
                .as_deref()
                .map(|d| format!(" {}", format::day_month(d, locale)))
                .unwrap_or_default();
            let mut text = format!("{}{until}", t(HoursText::ClosedUntil));
            if until.is_empty() {
                text = t(HoursText::ExceptionalClosure).to_owned();
            }
            if !reason.trim().is_empty() {
                text.push_str(" — ");
                text.push_str(reason.trim());
            }
            text
        }
        (State::Open, _) => match &hours.until {
            Some(until) => format!(
                "{} · {} {}",
                t(HoursText::StatusOpen),
                t(HoursText::StatusCloses),
                when_text(until, now, locale)
            ),
            None => t(HoursText::StatusOpen).to_owned(),
        },
        (State::ClosingSoon, _) => {
            let minutes = hours
                .until
                .as_deref()
                .and_then(|until| format::minutes_between(now, until))
                .unwrap_or(0)
                .max(1);
            format!("{} {minutes} min", t(HoursText::StatusClosesIn))
        }
        (State::Closed, None) => match &hours.next_open {
            Some(next) => format!(
                "{} · {} {}",
                t(HoursText::StatusClosed),
                t(HoursText::StatusOpens),
                when_text(next, now, locale)
            ),
            None => t(HoursText::StatusClosed).to_owned(),
        },
        // Uncertain because of what the comment says ("sur rendez-vous"): the comment is the
        // status, the week shows the hours it applies to.
        (State::Unknown, _) => match comment {
            Some(comment) => return capitalised(comment),
            None => t(HoursText::StatusUnknown).to_owned(),
        },
    };
    if let Some(comment) = comment {
        line.push_str(" · ");
        line.push_str(comment);
    }
    line
}

/// `text` with its first letter in upper case: "Sur rendez-vous".
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Appends the status as `<p class="status …">…</p>` (for lists rendered as HTML).
pub fn push_status_html(out: &mut String, state: State, line: &str) {
    out.push_str("<p class=\"");
    out.push_str(state_class(state));
    out.push_str("\"><span class=\"status__mark\" aria-hidden=\"true\"></span>");
    out.push_str(&escape(line));
    out.push_str("</p>");
}

/// One day's hours: "08:30–12:00, 13:30–17:30", "Fermé".
fn day_hours(day: &Day, locale: Locale) -> String {
    if day.slots.is_empty() {
        return HoursText::StatusClosed.get(locale).to_owned();
    }
    day.slots
        .iter()
        .map(|s| {
            let mut text = format!("{}–{}", s.start, s.end);
            if s.uncertain {
                text.push_str(&format!(" ({})", HoursText::ToConfirm.get(locale)));
            }
            text
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The "Horaires de la semaine" section: this week as a table (Monday to Sunday), today marked
/// in words and with `aria-current="date"`, or the hours as published when they could not be
/// read; then the exceptional closures to come.
pub fn week_html(
    hours: &FacilityHours,
    opening_hours: Option<&str>,
    closures: &[Closure],
    now: &str,
    locale: Locale,
) -> String {
    let t = |text: HoursText| text.get(locale);
    let mut out = String::with_capacity(2048);
    out.push_str("<section class=\"facility__week\" aria-labelledby=\"horaires\">");
    out.push_str("<h2 id=\"horaires\">");
    out.push_str(&escape(t(HoursText::WeekHours)));
    out.push_str("</h2>");
    let today = now.get(0..10).unwrap_or_default();
    match Some(hours).filter(|h| !h.week.is_empty()) {
        Some(h) => {
            out.push_str("<table class=\"week\"><thead><tr><th scope=\"col\">");
            out.push_str(&escape(t(HoursText::DayColumn)));
            out.push_str("</th><th scope=\"col\">");
            out.push_str(&escape(t(HoursText::HoursColumn)));
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
                        &format!(" ({})", t(HoursText::TodayLower)),
                    );
                }
                out.push_str("</th><td>");
                out.push_str(&escape(&day_hours(day, locale)));
                let closure = day
                    .closure
                    .as_ref()
                    .map(|r| format!("{} — {r}", t(HoursText::ExceptionalClosure)));
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
            let text = match opening_hours.filter(|h| !h.trim().is_empty()) {
                Some(raw) if !hours.readable => format!("{} : {raw}", t(HoursText::DeclaredHours)),
                _ => t(HoursText::StatusUnknown).to_owned(),
            };
            push_text(&mut out, "p", "", &text);
        }
    }
    if !closures.is_empty() {
        out.push_str("<ul class=\"facility__closures\">");
        for c in closures {
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
                &format!(
                    "{} : {period} — {}",
                    t(HoursText::ExceptionalClosure),
                    c.reason
                ),
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    out
}
