//! The messages between the app and the opening-hours worker (`src/bin/hours_worker.rs`).
//!
//! The app sends a JSON string (written by hand: no serializer in the first-visit Wasm) that
//! reads as [`Request`]. The worker evaluates it into an [`Answer`], then replies
//! with what the screens show, already in the resident's language: per facility an array
//! `[id, state, status line, week as HTML]` ([`HoursView`]). The words and the week's table are
//! made in the worker so that neither the evaluator nor its formatting weighs on the app's
//! first-visit Wasm. Times are the commune's local wall-clock times, as text:
//! `YYYY-MM-DDTHH:MM` for instants, `YYYY-MM-DD` for days and `HH:MM` for times of day.

use parvis_core::{Closure, HolidayRules};
use serde::Deserialize;

/// The worker posts this string once it can take requests.
pub const READY: &str = "ready";

/// What the app asks: the state of these facilities at `now`, and their week.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Request {
    /// Local wall-clock time of the commune, `YYYY-MM-DDTHH:MM:SS`.
    pub now: String,
    /// The resident's language tag (`fr`, `en`) for the words of the answer.
    pub locale: String,
    pub rules: HolidayRules,
    pub facilities: Vec<HoursInput>,
}

/// The benchmark's request (`bench/facilities.mjs`, `cargo xtask bench facilities`): the state
/// and next change of every facility at each of `instants`, with a fresh parse of every
/// distinct value, and no week or words. The app never sends it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BenchRequest {
    /// Local wall-clock times of the commune, `YYYY-MM-DDTHH:MM`.
    pub instants: Vec<String>,
    pub rules: HolidayRules,
    pub facilities: Vec<HoursInput>,
}

/// The part of a facility the worker needs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HoursInput {
    pub id: i64,
    #[serde(default)]
    pub opening_hours: Option<String>,
    #[serde(default)]
    pub closures: Vec<Closure>,
}

/// The worker's answer to one [`Request`].
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The request's `now`, so a late answer is recognised.
    pub now: String,
    pub items: Vec<FacilityHours>,
}

/// Open or not, in four words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Open,
    ClosingSoon,
    Closed,
    Unknown,
}

impl State {
    /// The state's name in the worker's reply.
    pub fn tag(self) -> &'static str {
        match self {
            State::Open => "open",
            State::ClosingSoon => "closing_soon",
            State::Closed => "closed",
            State::Unknown => "unknown",
        }
    }

    /// Reads [`State::tag`]; anything else is unknown.
    pub fn from_tag(tag: &str) -> State {
        match tag {
            "open" => State::Open,
            "closing_soon" => State::ClosingSoon,
            "closed" => State::Closed,
            _ => State::Unknown,
        }
    }

    /// Open or closing soon.
    pub fn is_open(self) -> bool {
        matches!(self, State::Open | State::ClosingSoon)
    }
}

/// What the screens show of one facility's hours, as the worker replied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursView {
    pub id: i64,
    pub state: State,
    /// "Ouvert · ferme à 18:00".
    pub line: String,
    /// The "Horaires de la semaine" section, escaped HTML.
    pub week_html: String,
}

/// One facility's status at `now` and its week (Monday to Sunday).
#[derive(Debug, Clone, PartialEq)]
pub struct FacilityHours {
    pub id: i64,
    pub state: State,
    /// When it closes (open, closing soon); `None` when more than a week away.
    pub until: Option<String>,
    /// When it opens next (closed); `None` when unknown or more than a year away.
    pub next_open: Option<String>,
    /// The hours' comment in force ("sur rendez-vous").
    pub comment: Option<String>,
    /// The reason of the exceptional closure in force.
    pub closure_reason: Option<String>,
    /// The last day of that closure (inclusive).
    pub closure_until: Option<String>,
    /// Whether the hours could be read at all (otherwise the app shows them raw).
    pub readable: bool,
    pub week: Vec<Day>,
}

/// One day of the week's schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: String,
    pub slots: Vec<Slot>,
    pub closed: bool,
    pub comment: Option<String>,
    pub public_holiday: Option<String>,
    pub school_holidays: Option<String>,
    pub closure: Option<String>,
}

/// One opening of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub start: String,
    pub end: String,
    /// Ends the next day (`22:00–02:00`).
    pub next_day: bool,
    /// The hours say this period is uncertain.
    pub uncertain: bool,
    pub comment: Option<String>,
}
