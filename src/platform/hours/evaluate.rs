//! The worker's side of the protocol: statuses and weeks from `parvis_core::hours`. Only the
//! worker binary calls this, so the evaluator never reaches the app's own Wasm.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use parvis_core::hours::{DaySchedule, SlotKind};
use parvis_core::{ExceptionalClosure, OpeningStatus, ParsedHours, Status};

use super::protocol::{Answer, BenchRequest, Day, FacilityHours, HoursInput, Request, Slot, State};

/// Parsed hours by their text; `None` for a value that does not parse.
pub type ParsedCache = HashMap<String, Option<ParsedHours>>;

/// Answers a request, parsing only the hours not seen before.
pub fn evaluate(request: &Request, parsed: &mut ParsedCache) -> Answer {
    let now = NaiveDateTime::parse_from_str(request.now.trim(), "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(request.now.trim(), "%Y-%m-%dT%H:%M"));
    let items = match now {
        Ok(now) => request
            .facilities
            .iter()
            .map(|f| facility(f, request, now, parsed))
            .collect(),
        // A bad clock gives no status rather than a wrong one.
        Err(_) => Vec::new(),
    };
    Answer {
        now: request.now.clone(),
        items,
    }
}

/// Answers the benchmark's request: one line per instant and facility (instant by instant),
/// `state change`, where `state` is `open`, `closed` or `unknown` (closing soon is open),
/// `change` the closing time when open, the next opening when closed (`-` when none), and
/// `rejected` for a value that does not parse. Each distinct value is parsed once.
pub fn bench(request: &BenchRequest) -> String {
    let mut parsed = ParsedCache::new();
    let mut out = String::with_capacity(request.instants.len() * request.facilities.len() * 24);
    for text in &request.instants {
        let Ok(now) = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M") else {
            continue;
        };
        for input in &request.facilities {
            let raw = input.opening_hours.as_deref().unwrap_or("").trim();
            let Some(hours) = parse_once(&mut parsed, raw) else {
                out.push_str("rejected\n");
                continue;
            };
            let (state, change) = match hours.status(&[], &request.rules, now).state {
                OpeningStatus::Open { until } => ("open", until),
                OpeningStatus::ClosingSoon { until } => ("open", Some(until)),
                OpeningStatus::Closed { next_open } => ("closed", next_open),
                OpeningStatus::Unknown => ("unknown", None),
            };
            out.push_str(state);
            out.push(' ');
            match change {
                Some(t) => out.push_str(&instant(t)),
                None => out.push('-'),
            }
            out.push('\n');
        }
    }
    out
}

/// `raw` parsed, once per distinct text; `None` when it does not parse.
fn parse_once<'c>(parsed: &'c mut ParsedCache, raw: &str) -> Option<&'c ParsedHours> {
    parsed
        .entry(raw.to_owned())
        .or_insert_with(|| ParsedHours::parse(raw).ok())
        .as_ref()
}

fn facility(
    input: &HoursInput,
    request: &Request,
    now: NaiveDateTime,
    parsed: &mut ParsedCache,
) -> FacilityHours {
    let closures: Vec<ExceptionalClosure> = input
        .closures
        .iter()
        .filter_map(|c| ExceptionalClosure::parse(&c.from, &c.to, &c.reason).ok())
        .collect();
    let hours = input
        .opening_hours
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty());
    let hours = hours.and_then(|raw| parse_once(parsed, raw));
    let today = now.date();
    let (status, week) = match &hours {
        Some(h) => (
            h.status(&closures, &request.rules, now),
            h.week_schedule(&closures, &request.rules, today),
        ),
        None => (without_hours(&closures, today), Vec::new()),
    };
    let closure_until = status
        .closure_reason
        .as_ref()
        .and_then(|_| closure_end(&closures, today))
        .map(|d| d.to_string());
    let (state, until, next_open) = match status.state {
        OpeningStatus::Open { until } => (State::Open, until, None),
        OpeningStatus::ClosingSoon { until } => (State::ClosingSoon, Some(until), None),
        OpeningStatus::Closed { next_open } => (State::Closed, None, next_open),
        OpeningStatus::Unknown => (State::Unknown, None, None),
    };
    FacilityHours {
        id: input.id,
        state,
        until: until.map(instant),
        next_open: next_open.map(instant),
        comment: status.comment,
        closure_reason: status.closure_reason,
        closure_until,
        readable: hours.is_some(),
        week: week.into_iter().map(day).collect(),
    }
}

/// Without readable hours nothing is certain, except an exceptional closure today.
fn without_hours(closures: &[ExceptionalClosure], today: NaiveDate) -> Status {
    match closures.iter().find(|c| c.covers(today)) {
        Some(c) => Status {
            state: OpeningStatus::Closed { next_open: None },
            comment: None,
            closure_reason: Some(c.reason.clone()),
        },
        None => Status::unknown(),
    }
}

/// The last day of the closures in force on `today`, following closures that touch or overlap.
fn closure_end(closures: &[ExceptionalClosure], today: NaiveDate) -> Option<NaiveDate> {
    let mut end = closures.iter().find(|c| c.covers(today))?.to;
    while let Some(next) = closures
        .iter()
        .filter(|c| c.to > end && c.from <= end.succ_opt().unwrap_or(end))
        .map(|c| c.to)
        .max()
    {
        end = next;
    }
    Some(end)
}

fn instant(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

fn day(d: DaySchedule) -> Day {
    Day {
        date: d.date.to_string(),
        slots: d
            .slots
            .into_iter()
            .map(|s| Slot {
                start: s.start.format("%H:%M").to_string(),
                end: s.end.format("%H:%M").to_string(),
                next_day: s.ends_next_day,
                uncertain: s.kind == SlotKind::Unknown,
                comment: s.comment,
            })
            .collect(),
        closed: d.closed,
        comment: d.comment,
        public_holiday: d.public_holiday,
        school_holidays: d.school_holidays,
        closure: d.closure,
    }
}
