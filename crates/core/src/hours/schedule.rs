//! The schedule of a few days for display: each day's openings, overnight ones kept whole on the
//! day they start, with holidays, closures and comments noted.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use opening_hours::RuleKind;

use super::expression::Expression;
use super::holidays::{public_holiday, school_holiday};
use super::status::{Piece, timeline};
use super::{DaySchedule, ExceptionalClosure, HolidayRules, SlotKind, TimeSlot};

/// At most a year of days in one call.
const MAX_DAYS: u32 = 366;

pub(crate) fn days(
    hours: &Expression,
    closures: &[ExceptionalClosure],
    rules: &HolidayRules,
    first: NaiveDate,
    count: u32,
) -> Vec<DaySchedule> {
    let count = count.min(MAX_DAYS);
    let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
    // Two days of margin each side: an overnight opening from the day before is recognised.
    let (Some(from), Some(to)) = (
        first.checked_sub_days(Days::new(2)),
        first.checked_add_days(Days::new(u64::from(count) + 2)),
    ) else {
        return Vec::new();
    };
    let pieces: Vec<Piece> = timeline(hours, closures, midnight(from), midnight(to)).collect();

    first
        .iter_days()
        .take(count as usize)
        .map(|date| {
            let (start, end) = (midnight(date), midnight(date + Days::new(1)));
            let slots: Vec<TimeSlot> = pieces
                .iter()
                .filter(|p| p.kind != RuleKind::Closed && p.start < end && p.end > start)
                .filter_map(|p| slot(p, start, end))
                .collect();
            let mut comments: Vec<&str> = Vec::new();
            for p in pieces.iter().filter(|p| p.start < end && p.end > start) {
                if !p.comment.is_empty() && !comments.contains(&&*p.comment) {
                    comments.push(&p.comment);
                }
            }
            DaySchedule {
                date,
                closed: slots.is_empty(),
                slots,
                comment: (!comments.is_empty()).then(|| comments.join(" ; ")),
                public_holiday: public_holiday(date, rules.alsace_moselle).map(str::to_owned),
                school_holidays: rules
                    .school_zone
                    .and_then(|zone| school_holiday(date, zone))
                    .map(str::to_owned),
                closure: closures
                    .iter()
                    .find(|c| c.covers(date))
                    .map(|c| c.reason.clone()),
            }
        })
        .collect()
}

/// The slot that `piece` gives the day `start..end`, if it is shown on that day: a piece shorter
/// than a day is shown whole on the day it starts; a longer one is cut at midnights.
fn slot(piece: &Piece, start: NaiveDateTime, end: NaiveDateTime) -> Option<TimeSlot> {
    let short = piece.end - piece.start < TimeDelta::days(1);
    let (from, to) = if piece.start >= start {
        (
            piece.start,
            if short { piece.end } else { piece.end.min(end) },
        )
    } else if short {
        return None; // shown on the day it started
    } else {
        (start, piece.end.min(end))
    };
    Some(TimeSlot {
        start: from.time(),
        end: to.time(),
        ends_next_day: to.date() > from.date(),
        kind: if piece.kind == RuleKind::Open {
            SlotKind::Open
        } else {
            SlotKind::Unknown
        },
        comment: super::comment(&piece.comment),
    })
}
