//! The status at one instant: the crate's ranges from that instant on, with the exceptional
//! closures laid over them, read until the state changes.

use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDateTime, NaiveTime, TimeDelta};
use opening_hours::RuleKind;

use super::expression::Expression;

use super::{
    CLOSING_SOON_MINUTES, ExceptionalClosure, NEXT_OPEN_HORIZON_DAYS, OPEN_UNTIL_HORIZON_DAYS,
    OpeningStatus, Status,
};

/// A period of one state, local wall-clock time.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub kind: RuleKind,
    pub comment: Arc<str>,
    /// Index of the exceptional closure that makes this period closed.
    pub closure: Option<usize>,
}

/// The periods from `from` to `to`, in order and without holes, closures applied.
pub(crate) fn timeline<'a>(
    hours: &'a Expression,
    closures: &[ExceptionalClosure],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> impl Iterator<Item = Piece> + 'a {
    let mut closed: Vec<(NaiveDateTime, NaiveDateTime, usize)> = closures
        .iter()
        .enumerate()
        .filter(|(_, c)| c.from <= c.to)
        .map(|(i, c)| {
            let start = c.from.and_time(NaiveTime::MIN);
            let end =
                c.to.checked_add_days(Days::new(1))
                    .map_or(NaiveDateTime::MAX, |d| d.and_time(NaiveTime::MIN));
            (start, end, i)
        })
        .filter(|&(start, end, _)| start < to && end > from)
        .collect();
    closed.sort_unstable();
    ranges(hours, from, to).flat_map(move |range| {
        let mut pieces = Vec::with_capacity(1);
        let (mut cursor, end) = (range.start, range.end);
        let range = range.clone();
        while cursor < end {
            if let Some(&(_, closure_end, i)) =
                closed.iter().find(|(s, e, _)| *s <= cursor && cursor < *e)
            {
                let stop = closure_end.min(end);
                pieces.push(Piece {
                    start: cursor,
                    end: stop,
                    kind: RuleKind::Closed,
                    comment: Arc::from(""),
                    closure: Some(i),
                });
                cursor = stop;
            } else {
                let next_closure = closed.iter().map(|c| c.0).filter(|s| *s > cursor).min();
                let stop = next_closure.map_or(end, |s| s.min(end));
                pieces.push(Piece {
                    start: cursor,
                    end: stop,
                    kind: range.kind,
                    comment: range.comment.clone(),
                    closure: None,
                });
                cursor = stop;
            }
        }
        pieces
    })
}

/// The periods from `from` to `to`: the expression's own, with its fallback (`||`) laid over the
/// closed ones, where it says something (a period it leaves closed without a comment keeps the
/// earlier rules' closed period and comment).
fn ranges<'a>(
    hours: &'a Expression,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Box<dyn Iterator<Item = Piece> + 'a> {
    let own = own_ranges(hours, from, to);
    let Some(fallback) = hours.fallback() else {
        return own;
    };
    joined(own.flat_map(move |piece| -> Vec<Piece> {
        if piece.kind != RuleKind::Closed {
            return vec![piece];
        }
        ranges(fallback, piece.start, piece.end)
            .map(|f| {
                if f.kind == RuleKind::Closed && f.comment.is_empty() {
                    Piece {
                        start: f.start,
                        end: f.end,
                        ..piece.clone()
                    }
                } else {
                    f
                }
            })
            .collect()
    }))
}

/// The crate's periods from `from` to `to`; with one expression per weekday, day by day, joined
/// where the state goes on across midnight.
fn own_ranges<'a>(
    hours: &'a Expression,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Box<dyn Iterator<Item = Piece> + 'a> {
    let piece = |r: opening_hours::DateTimeRange| Piece {
        start: r.range.start,
        end: r.range.end,
        kind: r.kind,
        comment: r.comment,
        closure: None,
    };
    if let Some(single) = hours.single() {
        return Box::new(single.iter_range(from, to).map(piece));
    }
    let days = from
        .date()
        .iter_days()
        .take_while(move |d| d.and_time(NaiveTime::MIN) < to);
    joined(days.flat_map(move |day| {
        let start = day.and_time(NaiveTime::MIN).max(from);
        let end = day
            .checked_add_days(Days::new(1))
            .map_or(to, |next| next.and_time(NaiveTime::MIN).min(to));
        hours
            .for_weekday(day.weekday())
            .iter_range(start, end)
            .map(piece)
    }))
}

/// Consecutive periods of the same state and comment joined into one.
fn joined<'a>(pieces: impl Iterator<Item = Piece> + 'a) -> Box<dyn Iterator<Item = Piece> + 'a> {
    let mut pieces = pieces.peekable();
    Box::new(std::iter::from_fn(move || {
        let mut current = pieces.next()?;
        while let Some(next) = pieces.next_if(|n| {
            n.start == current.end && n.kind == current.kind && n.comment == current.comment
        }) {
            current.end = next.end;
        }
        Some(current)
    }))
}

pub(crate) fn status(
    hours: &Expression,
    closures: &[ExceptionalClosure],
    now: NaiveDateTime,
) -> Status {
    let horizon = now
        .checked_add_signed(TimeDelta::days(NEXT_OPEN_HORIZON_DAYS))
        .unwrap_or(NaiveDateTime::MAX);
    let limit = now
        .checked_add_signed(TimeDelta::days(OPEN_UNTIL_HORIZON_DAYS))
        .unwrap_or(NaiveDateTime::MAX)
        .min(horizon);
    // The crate joins equal periods before it yields one, so the first period costs as many days
    // as it lasts up to the end asked for: ask up to `limit` first (an opening is not followed
    // further), and look further only for the next opening of a closed facility.
    let mut pieces = timeline(hours, closures, now, limit);
    let Some(first) = pieces.next() else {
        return Status::unknown();
    };
    let state = match first.kind {
        RuleKind::Unknown => OpeningStatus::Unknown,
        RuleKind::Open => {
            let mut until = first.end;
            for piece in pieces {
                if until >= limit || piece.kind != RuleKind::Open || piece.start != until {
                    break;
                }
                until = piece.end;
            }
            if until >= limit {
                OpeningStatus::Open { until: None }
            } else if until - now <= TimeDelta::minutes(CLOSING_SOON_MINUTES) {
                OpeningStatus::ClosingSoon { until }
            } else {
                OpeningStatus::Open { until: Some(until) }
            }
        }
        RuleKind::Closed => {
            // The next opening only if nothing uncertain comes before it. Beyond the week,
            // from the first day a rule may apply (a closed season is skipped at once); from two
            // days before, as an overnight span may last up to 48 hours.
            let end = horizon.date().succ_opt().unwrap_or(horizon.date());
            let rest = limit
                .date()
                .checked_sub_days(Days::new(2))
                .and_then(|from| hours.first_possible_day(from, end))
                .map(|day| day.and_time(NaiveTime::MIN).max(limit));
            let rest = rest.map(|from| timeline(hours, closures, from, horizon));
            let next = pieces
                .chain(rest.into_iter().flatten())
                .find(|p| p.kind != RuleKind::Closed);
            let next_open = next.filter(|p| p.kind == RuleKind::Open).map(|p| p.start);
            OpeningStatus::Closed { next_open }
        }
    };
    Status {
        state,
        comment: super::comment(&first.comment),
        closure_reason: first.closure.map(|i| closures[i].reason.clone()),
    }
}
