//! The messages between the app and the opening-hours worker (`src/bin/hours_worker.rs`).
//!
//! The app sends a plain JS object (built field by field: no serializer in the first-visit
//! Wasm) that reads as [`Request`]; the worker answers a JSON string that reads as [`Answer`].
//! Times are the commune's local wall-clock times, as text: `YYYY-MM-DDTHH:MM` for instants,
//! `YYYY-MM-DD` for days and `HH:MM` for times of day, so the app needs no date library.

use parvis_core::{Closure, HolidayRules};
use serde::{Deserialize, Serialize};

/// The worker posts this string once it can take requests.
pub const READY: &str = "ready";

/// What the app asks: the state of these facilities at `now`, and their week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Local wall-clock time of the commune, `YYYY-MM-DDTHH:MM:SS`.
    pub now: String,
    pub rules: HolidayRules,
    pub facilities: Vec<HoursInput>,
}

/// The part of a facility the worker needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoursInput {
    pub id: i64,
    pub opening_hours: Option<String>,
    pub closures: Vec<Closure>,
}

/// The worker's answer to one [`Request`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The request's `now`, so a late answer is recognised.
    pub now: String,
    pub items: Vec<FacilityHours>,
}

/// Open or not, in four words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Open,
    ClosingSoon,
    Closed,
    Unknown,
}

/// One facility's status at `now` and its week (Monday to Sunday).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    pub start: String,
    pub end: String,
    /// Ends the next day (`22:00–02:00`).
    pub next_day: bool,
    /// The hours say this period is uncertain.
    pub uncertain: bool,
    pub comment: Option<String>,
}
