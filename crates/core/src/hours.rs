//! Opening status of a facility: its OSM `opening_hours` value (parsed and evaluated by the
//! `opening-hours` crate), its exceptional closures and French holidays give `Open`,
//! `ClosingSoon`, `Closed` or `Unknown` at a local instant, and the schedule of a week.
//!
//! All times are **local wall-clock times of the commune** (`NaiveDateTime`), as the hours are
//! written: the caller converts (the server with chrono-tz, the app with `Intl`), so no time-zone
//! database ships in the Wasm. Consequences on the two DST nights (Europe/Paris):
//! - a state is always right for the wall-clock time given (rules are wall-clock rules);
//! - `until`/`next_open` are wall-clock times, and the "closing soon" delay is counted in
//!   wall-clock minutes: across the spring-forward hour a closing 80 wall minutes away may be
//!   only 20 real minutes away and is still reported `Open` (it turns `ClosingSoon` at 03:00);
//! - a time skipped in spring (02:00–02:59) can be named as a `next_open`; the caller shows it,
//!   and at 03:00 the status is already `Open`.
//!
//! Never a wrong "open": an unparseable, empty or comment-only value, hours with a comment but no
//! explicit state (`Mo-Fr 09:00-12:00 "sur rendez-vous"`; `open "…"` stays open), an open end
//! (`10:00+`), a rule the crate evaluates as unknown, or an `SH` rule without a known school
//! calendar give [`OpeningStatus::Unknown`], with the value's comment when it has one.
//!
//! Parse once and evaluate many times: [`ParsedHours::parse`], then [`ParsedHours::status`] and
//! [`ParsedHours::week_schedule`]; [`status`] and [`week_schedule`] do both in one call.

mod expression;
mod holidays;
mod schedule;
mod status;

use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use opening_hours::Context;
use serde::{Deserialize, Serialize};

pub use expression::HoursError;
pub use holidays::{
    HolidayRules, SCHOOL_CALENDAR_END, SCHOOL_CALENDAR_START, SchoolZone, easter_sunday,
    public_holiday, school_holiday,
};

/// A facility that closes within this delay is [`OpeningStatus::ClosingSoon`].
pub const CLOSING_SOON_MINUTES: i64 = 30;
/// An opening that lasts longer than this many days is reported without an end (24/7).
pub const OPEN_UNTIL_HORIZON_DAYS: i64 = 7;
/// How far ahead the next opening is looked for.
pub const NEXT_OPEN_HORIZON_DAYS: i64 = 366;

/// Whether a facility is open, in local wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OpeningStatus {
    /// Open; `until` is the closing time, `None` when it is more than a week away (24/7).
    Open {
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2025-06-02T12:00:00"))]
        until: Option<NaiveDateTime>,
    },
    /// Open, and closing within [`CLOSING_SOON_MINUTES`].
    ClosingSoon {
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2025-06-02T12:00:00"))]
        until: NaiveDateTime,
    },
    /// Closed; `next_open` is the next certain opening within [`NEXT_OPEN_HORIZON_DAYS`], `None`
    /// when there is none or an uncertain period comes first.
    Closed {
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2025-06-02T13:30:00"))]
        next_open: Option<NaiveDateTime>,
    },
    /// Nothing certain can be said: show the comment or the raw hours instead.
    Unknown,
}

impl OpeningStatus {
    /// Open or closing soon.
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            OpeningStatus::Open { .. } | OpeningStatus::ClosingSoon { .. }
        )
    }
}

/// The status of a facility at one instant, with what explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Status {
    pub state: OpeningStatus,
    /// The `opening_hours` comment in force ("sur rendez-vous"), if any.
    pub comment: Option<String>,
    /// The reason of the exceptional closure in force, if any.
    pub closure_reason: Option<String>,
}

impl Status {
    /// Unknown, with nothing to explain it.
    pub fn unknown() -> Status {
        Status {
            state: OpeningStatus::Unknown,
            comment: None,
            closure_reason: None,
        }
    }
}

/// An exceptional closure: closed all day from `from` to `to` (local dates, inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExceptionalClosure {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2025-08-04"))]
    pub from: NaiveDate,
    /// Inclusive.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2025-08-24"))]
    pub to: NaiveDate,
    /// Shown to residents: "travaux", "vidange annuelle"…
    pub reason: String,
}

impl ExceptionalClosure {
    /// From the wire's `YYYY-MM-DD` strings.
    pub fn parse(from: &str, to: &str, reason: &str) -> Result<ExceptionalClosure, HoursError> {
        let date = |s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|e| HoursError::InvalidClosure(format!("{s:?}: {e}")))
        };
        let (from, to) = (date(from)?, date(to)?);
        if to < from {
            return Err(HoursError::InvalidClosure(format!("{to} is before {from}")));
        }
        Ok(ExceptionalClosure {
            from,
            to,
            reason: reason.to_owned(),
        })
    }

    /// Whether `date` is closed by this closure.
    pub fn covers(&self, date: NaiveDate) -> bool {
        (self.from..=self.to).contains(&date)
    }
}

/// Whether a slot of a day's schedule is certainly open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    Open,
    /// The hours say "unknown" here (open end, comment only, `unknown` rule…).
    Unknown,
}

/// One opening of a day, in local wall-clock time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeSlot {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "08:30:00"))]
    pub start: NaiveTime,
    /// With `ends_next_day`, on the next day: `22:00`–`02:00`, or `08:00`–`00:00` for midnight.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12:00:00"))]
    pub end: NaiveTime,
    pub ends_next_day: bool,
    pub kind: SlotKind,
    pub comment: Option<String>,
}

/// The schedule of one day, for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DaySchedule {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2025-06-02"))]
    pub date: NaiveDate,
    /// The openings that start this day (an overnight one ends the next day and is not repeated
    /// there), in order.
    pub slots: Vec<TimeSlot>,
    /// No slot at all, certain or not.
    pub closed: bool,
    /// The distinct comments of the day's hours, joined by " ; ".
    pub comment: Option<String>,
    /// The public holiday's name ("Lundi de Pâques").
    pub public_holiday: Option<String>,
    /// The school holidays' name ("Vacances d’hiver"), when the commune's zone is known.
    pub school_holidays: Option<String>,
    /// The reason of an exceptional closure that day.
    pub closure: Option<String>,
}

/// An `opening_hours` value parsed once, to be evaluated many times (cheap to clone).
#[derive(Debug, Clone)]
pub struct ParsedHours {
    expression: expression::Expression,
}

impl ParsedHours {
    /// Parses an OSM `opening_hours` value; the error carries the parser's message.
    pub fn parse(raw: &str) -> Result<ParsedHours, HoursError> {
        expression::parse(raw).map(|expression| ParsedHours { expression })
    }

    /// The status at `now` (local wall-clock time of the commune).
    pub fn status(
        &self,
        closures: &[ExceptionalClosure],
        rules: &HolidayRules,
        now: NaiveDateTime,
    ) -> Status {
        status::status(&self.with_rules(rules), closures, now)
    }

    /// The seven days of the week (Monday to Sunday) that contains `date`.
    pub fn week_schedule(
        &self,
        closures: &[ExceptionalClosure],
        rules: &HolidayRules,
        date: NaiveDate,
    ) -> Vec<DaySchedule> {
        self.days(closures, rules, week_start(date), 7)
    }

    /// `count` days from `first` (e.g. from today instead of Monday).
    pub fn days(
        &self,
        closures: &[ExceptionalClosure],
        rules: &HolidayRules,
        first: NaiveDate,
        count: u32,
    ) -> Vec<DaySchedule> {
        schedule::days(&self.with_rules(rules), closures, rules, first, count)
    }

    /// The expression as evaluated, traps rewritten (normalised spacing; one per weekday,
    /// `[Mo] … / [Tu] …`, when holidays and weekdays are intersected).
    pub fn evaluated_expression(&self) -> String {
        self.expression.to_string()
    }

    fn with_rules(&self, rules: &HolidayRules) -> expression::Expression {
        let calendars = holidays::calendars(rules);
        let context = Context::default()
            .with_holidays(calendars.known.clone())
            .with_holidays_unknown(calendars.uncertain.clone());
        self.expression.with_context(&context)
    }
}

/// The Monday of the week that contains `date`.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    let back = u64::from(date.weekday().num_days_from_monday());
    date.checked_sub_days(chrono::Days::new(back))
        .unwrap_or(date)
}

/// [`ParsedHours::parse`] then [`ParsedHours::status`]; `Unknown` when the hours do not parse.
pub fn status(
    hours: &str,
    closures: &[ExceptionalClosure],
    rules: &HolidayRules,
    now: NaiveDateTime,
) -> Status {
    match ParsedHours::parse(hours) {
        Ok(parsed) => parsed.status(closures, rules, now),
        Err(_) => Status::unknown(),
    }
}

/// [`ParsedHours::parse`] then [`ParsedHours::week_schedule`].
pub fn week_schedule(
    hours: &str,
    closures: &[ExceptionalClosure],
    rules: &HolidayRules,
    date: NaiveDate,
) -> Result<Vec<DaySchedule>, HoursError> {
    Ok(ParsedHours::parse(hours)?.week_schedule(closures, rules, date))
}

/// A non-empty comment as an owned string.
fn comment(text: &Arc<str>) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}
