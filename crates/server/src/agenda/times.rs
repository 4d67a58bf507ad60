//! From instants and dates to the stored forms: UTC instants, wall-clock times in the commune's
//! time zone and the last local day an event runs.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

/// When an occurrence happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// At given instants; `end` exclusive, `None` when unknown.
    Timed {
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
    },
    /// Whole days, `end` exclusive (the day after the last one).
    AllDay { first: NaiveDate, end: NaiveDate },
}

/// The stored times of a [`Span`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Times {
    pub start_at: String,
    pub end_at: Option<String>,
    pub local_start: String,
    pub local_end: Option<String>,
    pub local_last_date: String,
    pub all_day: bool,
}

/// RFC 3339, UTC, whole seconds, `Z`.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `YYYY-MM-DDTHH:MM:SS`.
pub fn local_text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// The instant of a wall-clock time in `tz`: the earlier one when the clock goes back, the
/// time an hour later when it falls in the gap of a clock going forward.
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

/// Local midnight starting `date` in `tz`, as an instant.
pub fn local_midnight(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    resolve_local(tz, date.and_time(chrono::NaiveTime::MIN))
}

impl Span {
    /// The span's first instant.
    pub fn start(&self, tz: Tz) -> DateTime<Utc> {
        match *self {
            Span::Timed { start, .. } => start,
            Span::AllDay { first, .. } => local_midnight(tz, first),
        }
    }

    /// The stored times, wall-clock ones in `tz`.
    pub fn times(&self, tz: Tz) -> Times {
        match *self {
            Span::Timed { start, end } => {
                let end = end.filter(|e| *e >= start);
                let local_start = start.with_timezone(&tz).naive_local();
                let local_end = end.map(|e| e.with_timezone(&tz).naive_local());
                let last = match local_end {
                    // An exclusive end at midnight belongs to the day before.
                    Some(e) if e > local_start => {
                        let date = e.date();
                        if e.time() == chrono::NaiveTime::MIN {
                            date.pred_opt().unwrap_or(date)
                        } else {
                            date
                        }
                    }
                    _ => local_start.date(),
                }
                .max(local_start.date());
                Times {
                    start_at: timestamp(start),
                    end_at: end.map(timestamp),
                    local_start: local_text(local_start),
                    local_end: local_end.map(local_text),
                    local_last_date: last.format("%Y-%m-%d").to_string(),
                    all_day: false,
                }
            }
            Span::AllDay { first, end } => {
                let end = if end > first {
                    end
                } else {
                    first.checked_add_days(Days::new(1)).unwrap_or(first)
                };
                let last = end.pred_opt().unwrap_or(first).max(first);
                Times {
                    start_at: timestamp(local_midnight(tz, first)),
                    end_at: Some(timestamp(local_midnight(tz, end))),
                    local_start: local_text(first.and_time(chrono::NaiveTime::MIN)),
                    local_end: Some(local_text(end.and_time(chrono::NaiveTime::MIN))),
                    local_last_date: last.format("%Y-%m-%d").to_string(),
                    all_day: true,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().expect("instant")
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn timed_spans_get_paris_wall_clock_times() {
        let span = Span::Timed {
            start: utc("2026-07-14T20:00:00Z"),
            end: Some(utc("2026-07-14T22:00:00Z")),
        };
        let t = span.times(chrono_tz::Europe::Paris);
        assert_eq!(t.local_start, "2026-07-14T22:00:00");
        assert_eq!(t.local_end.as_deref(), Some("2026-07-15T00:00:00"));
        assert_eq!(t.local_last_date, "2026-07-14");
    }

    #[test]
    fn all_day_spans_run_from_local_midnight_to_local_midnight() {
        let span = Span::AllDay {
            first: date("2026-03-28"),
            end: date("2026-03-30"),
        };
        let t = span.times(chrono_tz::Europe::Paris);
        assert_eq!(t.start_at, "2026-03-27T23:00:00Z");
        // The clocks went forward on the 29th.
        assert_eq!(t.end_at.as_deref(), Some("2026-03-29T22:00:00Z"));
        assert_eq!(t.local_last_date, "2026-03-29");
        assert!(t.all_day);
    }
}
