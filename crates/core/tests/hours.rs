//! Opening status and week schedules through the public API: the cases of issue 5 (town hall
//! with a lunch break, holidays, overnight and seasonal hours, school holidays, closures, the
//! crate's traps, DST nights) and property tests.

use chrono::{NaiveDate, NaiveDateTime};
use parvis_core::hours::{
    self, DaySchedule, ExceptionalClosure, HolidayRules, HoursError, OpeningStatus, ParsedHours,
    SchoolZone, SlotKind, Status,
};

const TOWN_HALL: &str = "Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off";
const NO_RULES: HolidayRules = HolidayRules {
    school_zone: None,
    alsace_moselle: false,
};
const ALSACE: HolidayRules = HolidayRules {
    school_zone: None,
    alsace_moselle: true,
};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test instant")
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn state(hours: &str, now: &str) -> OpeningStatus {
    hours::status(hours, &[], &NO_RULES, at(now)).state
}

fn state_with(hours: &str, rules: &HolidayRules, now: &str) -> OpeningStatus {
    hours::status(hours, &[], rules, at(now)).state
}

fn open_until(s: &str) -> OpeningStatus {
    OpeningStatus::Open { until: Some(at(s)) }
}

fn closing_soon(s: &str) -> OpeningStatus {
    OpeningStatus::ClosingSoon { until: at(s) }
}

fn closed_until(s: &str) -> OpeningStatus {
    OpeningStatus::Closed {
        next_open: Some(at(s)),
    }
}

fn week(
    hours: &str,
    rules: &HolidayRules,
    closures: &[ExceptionalClosure],
    day: &str,
) -> Vec<DaySchedule> {
    hours::week_schedule(hours, closures, rules, date(day)).expect("valid hours")
}

fn slots(day: &DaySchedule) -> Vec<String> {
    day.slots
        .iter()
        .map(|s| {
            let next = if s.ends_next_day { "+1" } else { "" };
            let unknown = if s.kind == SlotKind::Unknown { "?" } else { "" };
            format!(
                "{}-{}{next}{unknown}",
                s.start.format("%H:%M"),
                s.end.format("%H:%M")
            )
        })
        .collect()
}

// --- Town hall with a lunch break (2025-06-02 is a Monday) ---

#[test]
fn a_town_hall_is_open_until_lunch_on_a_weekday_morning() {
    assert_eq!(
        state(TOWN_HALL, "2025-06-02 10:00"),
        open_until("2025-06-02 12:00")
    );
}

#[test]
fn a_town_hall_is_closing_soon_within_thirty_minutes_of_lunch() {
    assert_eq!(
        state(TOWN_HALL, "2025-06-02 11:45"),
        closing_soon("2025-06-02 12:00")
    );
    assert_eq!(
        state(TOWN_HALL, "2025-06-02 11:30"),
        closing_soon("2025-06-02 12:00")
    );
    assert_eq!(
        state(TOWN_HALL, "2025-06-02 11:29"),
        open_until("2025-06-02 12:00")
    );
}

#[test]
fn a_town_hall_at_lunch_reopens_at_half_past_one() {
    assert_eq!(
        state(TOWN_HALL, "2025-06-02 12:15"),
        closed_until("2025-06-02 13:30")
    );
}

#[test]
fn a_town_hall_on_saturday_afternoon_reopens_on_monday_morning() {
    assert_eq!(
        state(TOWN_HALL, "2025-06-14 14:00"),
        closed_until("2025-06-16 08:30")
    );
}

#[test]
fn a_town_hall_skips_a_public_holiday_when_looking_for_the_next_opening() {
    // Whit Monday 2025 is 9 June.
    assert_eq!(
        state(TOWN_HALL, "2025-06-07 14:00"),
        closed_until("2025-06-10 08:30")
    );
}

#[test]
fn a_town_hall_is_closed_on_bastille_day() {
    assert_eq!(
        state(TOWN_HALL, "2025-07-14 10:00"),
        closed_until("2025-07-15 08:30")
    );
}

#[test]
fn a_town_hall_is_closed_on_easter_monday() {
    assert_eq!(
        state(TOWN_HALL, "2025-04-21 10:00"),
        closed_until("2025-04-22 08:30")
    );
}

#[test]
fn good_friday_and_saint_stephen_are_closed_only_in_alsace_moselle() {
    assert_eq!(
        state_with(TOWN_HALL, &NO_RULES, "2025-04-18 10:00"),
        open_until("2025-04-18 12:00")
    );
    assert_eq!(
        state_with(TOWN_HALL, &ALSACE, "2025-04-18 10:00"),
        closed_until("2025-04-19 09:00")
    );
    assert_eq!(
        state_with(TOWN_HALL, &NO_RULES, "2025-12-26 10:00"),
        open_until("2025-12-26 12:00")
    );
    assert_eq!(
        state_with(TOWN_HALL, &ALSACE, "2025-12-26 10:00"),
        closed_until("2025-12-27 09:00")
    );
}

#[test]
fn public_holidays_only_close_when_the_hours_say_so() {
    assert_eq!(
        state("Mo-Fr 08:30-12:00", "2025-07-14 10:00"),
        open_until("2025-07-14 12:00")
    );
    assert_eq!(
        state("Mo-Fr 08:30-12:00; PH 10:00-11:00", "2025-07-14 09:00"),
        closed_until("2025-07-14 10:00")
    );
}

// --- Overnight and seasonal hours ---

const BAR: &str = "Fr-Sa 22:00-02:00";

#[test]
fn an_overnight_opening_runs_past_midnight() {
    assert_eq!(
        state(BAR, "2025-06-06 23:00"),
        open_until("2025-06-07 02:00")
    );
    assert_eq!(
        state(BAR, "2025-06-07 01:45"),
        closing_soon("2025-06-07 02:00")
    );
    assert_eq!(
        state(BAR, "2025-06-07 03:00"),
        closed_until("2025-06-07 22:00")
    );
    assert_eq!(
        state(BAR, "2025-06-08 01:00"),
        open_until("2025-06-08 02:00")
    );
    assert_eq!(
        state(BAR, "2025-06-08 03:00"),
        closed_until("2025-06-13 22:00")
    );
}

const SEASONAL: &str = "Jun-Aug Mo-Su 10:00-20:00; Sep-May Tu-Su 12:00-18:00";

#[test]
fn seasonal_hours_follow_the_month() {
    assert_eq!(
        state(SEASONAL, "2025-07-07 11:00"),
        open_until("2025-07-07 20:00")
    );
    assert_eq!(
        state(SEASONAL, "2025-10-06 13:00"),
        closed_until("2025-10-07 12:00")
    );
    assert_eq!(
        state(SEASONAL, "2025-10-07 13:00"),
        open_until("2025-10-07 18:00")
    );
}

#[test]
fn seasonal_hours_change_at_the_season_boundary() {
    assert_eq!(
        state(SEASONAL, "2025-05-31 19:00"),
        closed_until("2025-06-01 10:00")
    );
    assert_eq!(
        state(SEASONAL, "2025-08-31 21:00"),
        closed_until("2025-09-02 12:00")
    );
}

// --- School holidays (SH) ---

const LEISURE_CENTRE: &str = "Mo-Fr 16:30-18:30; SH Mo-Fr 10:00-18:00";
const LIBRARY: &str = "Tu-Sa 10:00-18:00; SH off";

fn zone(z: SchoolZone) -> HolidayRules {
    HolidayRules {
        school_zone: Some(z),
        alsace_moselle: false,
    }
}

#[test]
fn school_holiday_hours_apply_in_the_communes_zone() {
    // Winter 2026: zone A from 7 to 22 February, zone C from 21 February.
    let monday = "2026-02-09 11:00";
    assert_eq!(
        state_with(LEISURE_CENTRE, &zone(SchoolZone::A), monday),
        open_until("2026-02-09 18:00")
    );
    assert_eq!(
        state_with(LEISURE_CENTRE, &zone(SchoolZone::C), monday),
        closed_until("2026-02-09 16:30")
    );
}

#[test]
fn school_holidays_close_a_library_only_in_its_zone() {
    let tuesday = "2026-02-17 11:00"; // zone B from 14 February to 1 March
    assert!(matches!(
        state_with(LIBRARY, &zone(SchoolZone::B), tuesday),
        OpeningStatus::Closed { .. }
    ));
    assert_eq!(
        state_with(LIBRARY, &zone(SchoolZone::C), tuesday),
        open_until("2026-02-17 18:00")
    );
}

#[test]
fn without_a_school_zone_sh_is_unknown_unless_all_zones_agree() {
    assert_eq!(
        state_with(LEISURE_CENTRE, &NO_RULES, "2026-02-09 11:00"),
        OpeningStatus::Unknown
    );
    assert_eq!(
        state_with(LIBRARY, &NO_RULES, "2026-02-17 11:00"),
        OpeningStatus::Unknown
    );
    // Christmas holidays are the same everywhere.
    assert_eq!(
        state_with(LEISURE_CENTRE, &NO_RULES, "2025-12-22 11:00"),
        open_until("2025-12-22 18:00")
    );
    // Out of holidays everywhere.
    assert_eq!(
        state_with(LIBRARY, &NO_RULES, "2026-03-17 11:00"),
        open_until("2026-03-17 18:00")
    );
}

#[test]
fn school_holiday_weekdays_do_not_open_a_pool_on_school_days() {
    // `SH Mo-Fr` is "weekdays during school holidays", not "school holidays or weekdays".
    let pool = "Mo-Fr 12:00-13:30,17:00-19:00; Sa 14:00-18:00; SH Mo-Fr 10:00-19:00";
    let a = zone(SchoolZone::A);
    assert_eq!(
        state_with(pool, &a, "2026-03-10 10:30"),
        closed_until("2026-03-10 12:00")
    );
    assert_eq!(
        state_with(pool, &a, "2026-02-10 10:30"),
        open_until("2026-02-10 19:00")
    );
    assert_eq!(
        state_with(pool, &a, "2026-02-14 10:30"),
        closed_until("2026-02-14 14:00")
    );
    let days = week(pool, &a, &[], "2026-02-09");
    assert_eq!(slots(&days[0]), ["10:00-19:00"]);
    assert_eq!(slots(&days[5]), ["14:00-18:00"]);
    let school_week = week(pool, &a, &[], "2026-03-09");
    assert_eq!(slots(&school_week[0]), ["12:00-13:30", "17:00-19:00"]);
}

#[test]
fn beyond_the_embedded_school_calendar_sh_is_unknown() {
    assert_eq!(
        state_with(LEISURE_CENTRE, &zone(SchoolZone::A), "2027-10-04 11:00"),
        OpeningStatus::Unknown
    );
    // Hours without SH are not affected.
    assert_eq!(
        state_with(TOWN_HALL, &zone(SchoolZone::A), "2027-10-04 10:00"),
        open_until("2027-10-04 12:00")
    );
}

// --- Exceptional closures ---

fn closure(from: &str, to: &str, reason: &str) -> ExceptionalClosure {
    ExceptionalClosure::parse(from, to, reason).expect("valid closure")
}

#[test]
fn an_exceptional_closure_closes_and_gives_its_reason_and_the_reopening() {
    let pool = "Mo-Su 10:00-19:00";
    let closures = [closure("2025-08-04", "2025-08-24", "vidange annuelle")];
    let status = hours::status(pool, &closures, &NO_RULES, at("2025-08-10 12:00"));
    assert_eq!(status.state, closed_until("2025-08-25 10:00"));
    assert_eq!(status.closure_reason.as_deref(), Some("vidange annuelle"));
}

#[test]
fn an_exceptional_closure_does_not_change_the_days_around_it() {
    let pool = "Mo-Su 10:00-19:00";
    let closures = [closure("2025-08-04", "2025-08-24", "vidange annuelle")];
    let before = hours::status(pool, &closures, &NO_RULES, at("2025-08-03 18:45"));
    assert_eq!(before.state, closing_soon("2025-08-03 19:00"));
    assert_eq!(before.closure_reason, None);
    let after = hours::status(pool, &closures, &NO_RULES, at("2025-08-25 12:00"));
    assert_eq!(after.state, open_until("2025-08-25 19:00"));
}

#[test]
fn an_exceptional_closure_ends_a_round_the_clock_opening_at_midnight() {
    let closures = [closure("2025-06-10", "2025-06-10", "travaux")];
    let status = hours::status("24/7", &closures, &NO_RULES, at("2025-06-09 12:00"));
    assert_eq!(status.state, open_until("2025-06-10 00:00"));
}

#[test]
fn a_closure_with_bad_dates_is_refused() {
    assert!(matches!(
        ExceptionalClosure::parse("2025-13-01", "2025-12-01", "x"),
        Err(HoursError::InvalidClosure(_))
    ));
    assert!(matches!(
        ExceptionalClosure::parse("2025-06-10", "2025-06-01", "x"),
        Err(HoursError::InvalidClosure(_))
    ));
}

// --- The crate's traps and bad values ---

#[test]
fn a_comment_only_value_is_unknown_with_its_comment_never_open() {
    for value in ["\"sur rendez-vous\"", "sur rendez-vous"] {
        let status = hours::status(value, &[], &NO_RULES, at("2025-06-02 10:00"));
        assert_eq!(status.state, OpeningStatus::Unknown, "{value}");
        assert_eq!(
            status.comment.as_deref(),
            Some("sur rendez-vous"),
            "{value}"
        );
    }
}

#[test]
fn a_comment_on_some_days_only_is_unknown_on_those_days() {
    let hours_ = "Mo-Fr 09:00-12:00; Sa \"sur rendez-vous\"";
    assert_eq!(state(hours_, "2025-06-07 10:00"), OpeningStatus::Unknown);
    assert_eq!(
        state(hours_, "2025-06-06 10:00"),
        open_until("2025-06-06 12:00")
    );
}

// A comment beside hours without an explicit state (`open`, `closed`, `off`, `unknown`) makes
// the rule unknown, as opening_hours.js and KDE's KOpeningHours read it: "sur rendez-vous" means
// one cannot just walk in, and a wrong "open" is the one answer never to give. The hours and the
// comment are still shown in the week.
#[test]
fn a_comment_beside_hours_without_a_state_is_unknown_with_its_comment() {
    let hours_ = "Mo-Fr 09:00-12:00 \"sur rendez-vous\"";
    let status = hours::status(hours_, &[], &NO_RULES, at("2025-06-02 10:00"));
    assert_eq!(status.state, OpeningStatus::Unknown);
    assert_eq!(status.comment.as_deref(), Some("sur rendez-vous"));
    // Closed outside the hours, but no certain opening to promise.
    assert_eq!(
        state(hours_, "2025-06-02 12:40"),
        OpeningStatus::Closed { next_open: None }
    );
    let days = week(hours_, &NO_RULES, &[], "2025-06-02");
    assert_eq!(slots(&days[0]), ["09:00-12:00?"]);
    assert_eq!(days[0].comment.as_deref(), Some("sur rendez-vous"));
    assert_eq!(days[0].slots[0].comment.as_deref(), Some("sur rendez-vous"));
    assert!(days[5].closed);
}

#[test]
fn a_comment_on_one_rule_leaves_the_others_certain() {
    let hours_ = "Mo-Fr 09:00-12:00,14:00-18:00 \"accueil\"; Sa 09:00-12:00 open \"permanence\"";
    assert_eq!(state(hours_, "2025-06-02 15:00"), OpeningStatus::Unknown);
    let saturday = hours::status(hours_, &[], &NO_RULES, at("2025-06-07 10:00"));
    assert_eq!(saturday.state, open_until("2025-06-07 12:00"));
    assert_eq!(saturday.comment.as_deref(), Some("permanence"));
    // Closed on Sunday: Monday's hours are uncertain, so no next opening is named.
    assert_eq!(
        state(hours_, "2025-06-08 10:00"),
        OpeningStatus::Closed { next_open: None }
    );
}

#[test]
fn an_explicit_open_with_a_comment_stays_open() {
    let status = hours::status(
        "Mo-Fr 09:00-12:00 open \"accueil\"",
        &[],
        &NO_RULES,
        at("2025-06-02 10:00"),
    );
    assert_eq!(status.state, open_until("2025-06-02 12:00"));
    assert_eq!(status.comment.as_deref(), Some("accueil"));
    assert_eq!(
        state("Mo-Fr 09:00-12:00 open \"accueil\"", "2025-06-02 12:40"),
        closed_until("2025-06-03 09:00")
    );
}

#[test]
fn a_fallback_comment_is_unknown_outside_the_hours() {
    let hours_ = "Mo 10:00-12:00 || \"sur rendez-vous\"";
    assert_eq!(
        state(hours_, "2025-06-02 11:00"),
        open_until("2025-06-02 12:00")
    );
    assert_eq!(state(hours_, "2025-06-03 11:00"), OpeningStatus::Unknown);
}

// opening_hours.js (and the spec's `... || "by appointment"`) applies a fallback rule at every
// time the earlier rules leave closed, not only on the days they do not select.
#[test]
fn a_fallback_applies_after_the_hours_of_a_day_that_has_hours() {
    let hours_ = "Mo-Fr 08:00-18:00; Sa 09:00-12:00 || \"sur rendez-vous\"";
    // 2025-06-07 is a Saturday.
    let evening = hours::status(hours_, &[], &NO_RULES, at("2025-06-07 17:50"));
    assert_eq!(evening.state, OpeningStatus::Unknown);
    assert_eq!(evening.comment.as_deref(), Some("sur rendez-vous"));
    assert_eq!(
        state(hours_, "2025-06-07 10:00"),
        open_until("2025-06-07 12:00")
    );
    assert_eq!(state(hours_, "2025-06-02 20:00"), OpeningStatus::Unknown);
    // The opening ends where the fallback begins.
    assert_eq!(
        state(hours_, "2025-06-02 17:00"),
        open_until("2025-06-02 18:00")
    );
    // The evening's uncertain period is shown on the day it starts.
    let days = week(hours_, &NO_RULES, &[], "2025-06-02");
    assert_eq!(slots(&days[4]), ["08:00-18:00", "18:00-09:00+1?"]);
    assert_eq!(slots(&days[5]), ["09:00-12:00", "12:00-00:00+1?"]);
    assert_eq!(days[5].comment.as_deref(), Some("sur rendez-vous"));
}

#[test]
fn a_fallback_state_applies_only_where_its_selectors_match() {
    let hours_ = "Mo-Fr 08:00-12:00 || Sa 10:00-12:00 unknown || Su closed \"fermé le dimanche\"";
    // Closed on a weekday afternoon: Tuesday's opening comes before Saturday's uncertain
    // hours; on Friday afternoon they come first.
    assert_eq!(
        state(hours_, "2025-06-02 14:00"),
        closed_until("2025-06-03 08:00")
    );
    assert_eq!(
        state(hours_, "2025-06-06 14:00"),
        OpeningStatus::Closed { next_open: None }
    );
    assert_eq!(state(hours_, "2025-06-07 11:00"), OpeningStatus::Unknown);
    // Saturday outside its uncertain hours: closed (no fallback says otherwise) until Monday.
    assert_eq!(
        state(hours_, "2025-06-07 14:00"),
        closed_until("2025-06-09 08:00")
    );
    let sunday = hours::status(hours_, &[], &NO_RULES, at("2025-06-08 11:00"));
    assert_eq!(sunday.state, closed_until("2025-06-09 08:00"));
    assert_eq!(sunday.comment.as_deref(), Some("fermé le dimanche"));
}

#[test]
fn a_value_that_only_says_closed_is_closed() {
    for value in ["fermé", "Fermée", "FERME", " fermé. ", "closed", "Off"] {
        assert_eq!(
            state(value, "2025-06-02 10:00"),
            OpeningStatus::Closed { next_open: None },
            "{value:?}"
        );
    }
    // Other prose stays unknown, its text shown.
    let status = hours::status("fermé le dimanche", &[], &NO_RULES, at("2025-06-02 10:00"));
    assert_eq!(status.state, OpeningStatus::Unknown);
    assert_eq!(status.comment.as_deref(), Some("fermé le dimanche"));
}

#[test]
fn an_open_end_is_unknown_never_open() {
    assert_eq!(state("10:00+", "2025-06-02 11:00"), OpeningStatus::Unknown);
    assert_eq!(state("10:00+", "2025-06-02 23:59"), OpeningStatus::Unknown);
    // Before it, closed, but the next opening is not certain.
    assert_eq!(
        state("10:00+", "2025-06-02 09:00"),
        OpeningStatus::Closed { next_open: None }
    );
    let split = "Mo-Fr 08:00-12:00,14:00+";
    assert_eq!(
        state(split, "2025-06-02 10:00"),
        open_until("2025-06-02 12:00")
    );
    assert_eq!(state(split, "2025-06-02 15:00"), OpeningStatus::Unknown);
}

#[test]
fn an_unknown_rule_is_unknown() {
    assert_eq!(
        state("Mo-Fr 10:00-12:00 unknown", "2025-06-02 11:00"),
        OpeningStatus::Unknown
    );
    // Closed before an uncertain period: no next opening is promised.
    let hours_ = "Mo-Fr 10:00-12:00; Sa 10:00-12:00 unknown";
    assert_eq!(
        state(hours_, "2025-06-06 14:00"),
        OpeningStatus::Closed { next_open: None }
    );
}

#[test]
fn garbage_and_empty_values_are_unknown() {
    for value in ["Mo-Fr 8h-12h", "12:00-", "", "   ", "Mo-Fr 25:00-26:00;;"] {
        assert_eq!(
            hours::status(value, &[], &NO_RULES, at("2025-06-02 10:00")),
            Status::unknown(),
            "{value:?}"
        );
    }
    assert_eq!(ParsedHours::parse("").map(|_| ()), Err(HoursError::Empty));
    match ParsedHours::parse("Mo-Fr 8h-12h") {
        Err(HoursError::Syntax(message)) => assert!(message.contains("1:"), "{message}"),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn round_the_clock_hours_are_open_without_an_end() {
    assert_eq!(
        state("24/7", "2025-06-02 10:00"),
        OpeningStatus::Open { until: None }
    );
    assert_eq!(
        state("Mo-Su 00:00-24:00", "2025-06-02 10:00"),
        OpeningStatus::Open { until: None }
    );
    assert_eq!(
        state("off", "2025-06-02 10:00"),
        OpeningStatus::Closed { next_open: None }
    );
}

#[test]
fn an_opening_that_ends_within_a_week_has_an_end() {
    assert_eq!(
        state("Mo-Sa 00:00-24:00", "2025-06-02 10:00"),
        open_until("2025-06-08 00:00")
    );
}

#[test]
fn a_closed_season_finds_its_next_opening_months_away_past_an_uncertain_gap_or_none() {
    // Closed for more than a week: the next opening is looked for beyond the week.
    assert_eq!(
        state("Jun 15-Sep 15: Mo-Su 11:00-19:00", "2026-12-01 10:15"),
        closed_until("2027-06-15 11:00")
    );
    assert_eq!(
        state("Mo-Fr 08:00-12:00; week 49-51 off", "2026-12-01 10:15"),
        closed_until("2026-12-21 08:00")
    );
    // An uncertain period before it: no next opening.
    assert_eq!(
        state(
            "Jun-Aug Mo-Su 10:00-19:00; Dec 20-Dec 31 unknown",
            "2026-12-01 10:15"
        ),
        OpeningStatus::Closed { next_open: None }
    );
    // None within the year.
    assert_eq!(
        state("2020 Jun Mo-Su 10:00-19:00", "2026-12-01 10:15"),
        OpeningStatus::Closed { next_open: None }
    );
}

#[test]
fn a_closed_season_is_skipped_at_once_but_never_past_an_uncertain_holiday() {
    // ISO week 30 of 2026 starts on Monday 20 July.
    assert_eq!(
        state("week 30-32 Mo-Fr 09:00-12:00", "2026-01-05 10:00"),
        closed_until("2026-07-20 09:00")
    );
    // An overnight opening of the season's first day.
    assert_eq!(
        state("Jul 01 22:00-26:00", "2026-01-05 10:00"),
        closed_until("2026-07-01 22:00")
    );
    // `SH off` has no season: without a school zone, the February holidays of the other zones
    // make it unknown then, before June comes.
    let hours_ = "Jun Mo-Fr 10:00-12:00; SH off";
    assert_eq!(
        state(hours_, "2026-12-01 10:00"),
        OpeningStatus::Closed { next_open: None }
    );
    assert_eq!(
        state_with(hours_, &zone(SchoolZone::B), "2026-12-01 10:00"),
        closed_until("2027-06-01 10:00")
    );
}

// --- DST nights, Europe/Paris (times are local wall-clock times) ---

#[test]
fn round_the_clock_hours_stay_open_across_both_dst_changes() {
    for now in [
        "2025-03-30 01:59",
        "2025-03-30 03:00",
        "2025-10-26 02:30",
        "2025-10-26 03:00",
    ] {
        assert_eq!(
            state("Mo-Su 00:00-24:00", now),
            OpeningStatus::Open { until: None },
            "{now}"
        );
    }
}

#[test]
fn an_overnight_opening_closes_at_two_on_the_spring_forward_night() {
    // 30 March 2025: 02:00 becomes 03:00; Saturday night's 02:00 closing is that jump.
    assert_eq!(
        state(BAR, "2025-03-30 01:45"),
        closing_soon("2025-03-30 02:00")
    );
    assert_eq!(
        state(BAR, "2025-03-30 03:00"),
        closed_until("2025-04-04 22:00")
    );
}

#[test]
fn an_overnight_opening_closes_at_the_first_two_on_the_fall_back_night() {
    // 26 October 2025: 03:00 becomes 02:00; the repeated hour is after the closing.
    assert_eq!(
        state(BAR, "2025-10-26 01:30"),
        closing_soon("2025-10-26 02:00")
    );
    assert_eq!(
        state(BAR, "2025-10-26 02:30"),
        closed_until("2025-10-31 22:00")
    );
}

#[test]
fn an_opening_in_the_skipped_hour_is_named_and_open_once_the_clock_jumps() {
    let hours_ = "Su 02:30-05:00";
    assert_eq!(
        state(hours_, "2025-03-30 01:00"),
        closed_until("2025-03-30 02:30")
    );
    assert_eq!(
        state(hours_, "2025-03-30 03:00"),
        open_until("2025-03-30 05:00")
    );
}

#[test]
fn closing_soon_is_counted_in_wall_clock_minutes_across_the_jump() {
    // 01:50 to 03:10 is 80 wall minutes but 20 real ones: still Open, ClosingSoon from 03:00.
    let hours_ = "Sa 22:00-03:10";
    assert_eq!(
        state(hours_, "2025-03-30 01:50"),
        open_until("2025-03-30 03:10")
    );
    assert_eq!(
        state(hours_, "2025-03-30 03:00"),
        closing_soon("2025-03-30 03:10")
    );
}

// --- Week schedule ---

#[test]
fn a_week_starts_on_monday_and_shows_the_lunch_break_and_a_holiday() {
    let days = week(TOWN_HALL, &NO_RULES, &[], "2025-07-16");
    assert_eq!(days.len(), 7);
    assert_eq!(days[0].date, date("2025-07-14"));
    assert!(days[0].closed);
    assert_eq!(days[0].public_holiday.as_deref(), Some("Fête nationale"));
    assert_eq!(slots(&days[1]), ["08:30-12:00", "13:30-17:30"]);
    assert_eq!(slots(&days[5]), ["09:00-12:00"]);
    assert!(days[6].closed);
    assert_eq!(days[6].public_holiday, None);
}

#[test]
fn an_overnight_opening_is_shown_whole_on_the_day_it_starts() {
    let days = week(BAR, &NO_RULES, &[], "2025-06-02");
    assert!(days[..4].iter().all(|d| d.closed));
    assert_eq!(slots(&days[4]), ["22:00-02:00+1"]);
    assert_eq!(slots(&days[5]), ["22:00-02:00+1"]);
    assert!(days[6].closed);
    // Sunday night's opening is not repeated on the next Monday.
    let sunday_night = week("Su 22:00-02:00", &NO_RULES, &[], "2025-06-02");
    assert!(sunday_night[0].closed);
    assert_eq!(slots(&sunday_night[6]), ["22:00-02:00+1"]);
}

#[test]
fn round_the_clock_hours_show_every_day_whole() {
    let days = week("24/7", &NO_RULES, &[], "2025-06-02");
    assert!(days.iter().all(|d| slots(d) == ["00:00-00:00+1"]));
}

#[test]
fn a_week_notes_closures_comments_and_school_holidays() {
    let closures = [closure("2026-02-11", "2026-02-12", "travaux")];
    let hours_ = "Mo-Fr 16:30-18:30; SH Mo-Fr 10:00-18:00 \"vacances\"";
    let days = week(hours_, &zone(SchoolZone::A), &closures, "2026-02-09");
    // A comment without an explicit state: uncertain, shown with its hours and comment.
    assert_eq!(slots(&days[0]), ["10:00-18:00?"]);
    assert_eq!(days[0].school_holidays.as_deref(), Some("Vacances d’hiver"));
    assert_eq!(days[0].comment.as_deref(), Some("vacances"));
    assert_eq!(days[0].slots[0].comment.as_deref(), Some("vacances"));
    assert!(days[2].closed);
    assert_eq!(days[2].closure.as_deref(), Some("travaux"));
    assert_eq!(days[4].closure, None);
}

#[test]
fn a_comment_only_week_is_unknown_every_day() {
    let days = week("\"sur rendez-vous\"", &NO_RULES, &[], "2025-06-02");
    for day in &days {
        assert!(!day.closed);
        assert_eq!(day.slots[0].kind, SlotKind::Unknown);
        assert_eq!(day.comment.as_deref(), Some("sur rendez-vous"));
    }
}

#[test]
fn days_can_start_on_any_date() {
    let parsed = ParsedHours::parse(TOWN_HALL).expect("valid");
    let days = parsed.days(&[], &NO_RULES, date("2025-06-05"), 3);
    let dates: Vec<_> = days.iter().map(|d| d.date).collect();
    assert_eq!(
        dates,
        [date("2025-06-05"), date("2025-06-06"), date("2025-06-07")]
    );
    assert_eq!(hours::week_start(date("2025-06-08")), date("2025-06-02"));
}

#[test]
fn an_unparseable_week_is_an_error() {
    assert!(hours::week_schedule("Mo-Fr 8h-12h", &[], &NO_RULES, date("2025-06-02")).is_err());
}

// --- Wire format ---

#[test]
fn a_status_serialises_with_a_kind_tag_and_local_times() {
    let status = hours::status(TOWN_HALL, &[], &NO_RULES, at("2025-06-02 11:45"));
    let json = serde_json::to_value(&status).expect("serialise");
    assert_eq!(
        json,
        serde_json::json!({
            "state": { "kind": "closing_soon", "until": "2025-06-02T12:00:00" },
            "comment": null,
            "closure_reason": null,
        })
    );
    let back: Status = serde_json::from_value(json).expect("deserialise");
    assert_eq!(back, status);
    let rules: HolidayRules = serde_json::from_str(r#"{"school_zone":"B"}"#).expect("rules");
    assert_eq!(rules, zone(SchoolZone::B));
}

// --- Properties ---

// proptest needs getrandom, which has no wasm32-unknown-unknown backend without JS glue.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use chrono::{Duration, NaiveTime, Timelike};

    use super::*;
    use proptest::prelude::*;

    /// A simple weekly schedule: some weekdays, one range in quarter hours (overnight if end < start).
    #[derive(Debug, Clone)]
    struct Simple {
        days: Vec<bool>,
        start: u32,
        end: u32,
    }

    impl Simple {
        fn hours(&self) -> String {
            const NAMES: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
            let days: Vec<_> = (0..7).filter(|&i| self.days[i]).map(|i| NAMES[i]).collect();
            let hm = |q: u32| format!("{:02}:{:02}", q / 4, q % 4 * 15);
            format!("{} {}-{}", days.join(","), hm(self.start), hm(self.end))
        }

        /// The reference: is it open at `t`?
        fn is_open(&self, t: NaiveDateTime) -> bool {
            use chrono::Datelike;
            let q = t.hour() * 4 + t.minute() / 15;
            let today = self.days[t.weekday().num_days_from_monday() as usize];
            let yesterday = self.days[t.weekday().pred().num_days_from_monday() as usize];
            if self.start < self.end {
                today && (self.start..self.end).contains(&q)
            } else {
                (today && q >= self.start) || (yesterday && q < self.end)
            }
        }
    }

    fn simple() -> impl Strategy<Value = Simple> {
        (prop::collection::vec(any::<bool>(), 7), 0u32..96, 0u32..96)
            .prop_filter("a day and a non-empty range", |(d, s, e)| {
                d.iter().any(|&x| x) && s != e
            })
            .prop_map(|(days, start, end)| Simple { days, start, end })
    }

    /// An instant on a quarter hour between 2024 and 2027.
    fn instant() -> impl Strategy<Value = NaiveDateTime> {
        (0i64..(4 * 365), 0u32..96).prop_map(|(d, q)| {
            let day = date("2024-01-01") + Duration::days(d);
            day.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(q) * 15)
        })
    }

    fn rules() -> impl Strategy<Value = HolidayRules> {
        (
            prop_oneof![
                Just(None),
                Just(Some(SchoolZone::A)),
                Just(Some(SchoolZone::B)),
                Just(Some(SchoolZone::C))
            ],
            any::<bool>(),
        )
            .prop_map(|(school_zone, alsace_moselle)| HolidayRules {
                school_zone,
                alsace_moselle,
            })
    }

    const TOKENS: &[&str] = &[
        "Mo",
        "Tu-Fr",
        "Sa,Su",
        "PH",
        "SH",
        "off",
        "open",
        "closed",
        "unknown",
        "24/7",
        "10:00",
        "-",
        "12:00-14:00",
        "22:00-02:00",
        "08:00+",
        "sunrise-sunset",
        "Jan",
        "Jun-Aug",
        "week",
        "01-53/2",
        "2025",
        "\"sur rendez-vous\"",
        ";",
        ",",
        "||",
        "+1 day",
        "easter",
        "[1]",
        "Dec 25",
        " ",
        "26:00",
        "00:00-48:00",
        "05:00-04:00",
        "dawn-dusk",
        "Mo[-1]",
        "PH -1 day",
    ];

    fn token_soup() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(TOKENS), 0..10).prop_map(|t| t.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn simple_schedules_match_a_reference_evaluation(s in simple(), now in instant()) {
            let parsed = ParsedHours::parse(&s.hours()).expect("a simple schedule parses");
            let status = parsed.status(&[], &NO_RULES, now);
            prop_assert_eq!(status.state.is_open(), s.is_open(now), "{} at {}: {:?}", s.hours(), now, status);
        }

        #[test]
        fn open_ends_later_and_closed_reopens_later(s in simple(), now in instant(), rules in rules(), ph_off in any::<bool>()) {
            let hours_ = if ph_off { format!("{}; PH off", s.hours()) } else { s.hours() };
            let parsed = ParsedHours::parse(&hours_).expect("parses");
            match parsed.status(&[], &rules, now).state {
                OpeningStatus::Open { until: Some(until) } => {
                    prop_assert!(until - now > Duration::minutes(30));
                    prop_assert!(parsed.status(&[], &rules, until - Duration::minutes(1)).state.is_open());
                    prop_assert!(!parsed.status(&[], &rules, until).state.is_open());
                }
                OpeningStatus::ClosingSoon { until } => {
                    prop_assert!(until > now && until - now <= Duration::minutes(30));
                    prop_assert!(!parsed.status(&[], &rules, until).state.is_open());
                }
                OpeningStatus::Closed { next_open: Some(t) } => {
                    prop_assert!(t > now);
                    prop_assert!(parsed.status(&[], &rules, t).state.is_open());
                    prop_assert!(!parsed.status(&[], &rules, t - Duration::minutes(1)).state.is_open());
                }
                OpeningStatus::Open { until: None } => prop_assert!(false, "{} never closes?", hours_),
                OpeningStatus::Closed { next_open: None } | OpeningStatus::Unknown => {}
            }
        }

        #[test]
        fn a_closure_day_is_never_open(s in simple(), now in instant(), len in 0u64..20) {
            let day = now.date();
            let closures = [ExceptionalClosure { from: day, to: day + chrono::Days::new(len), reason: "travaux".into() }];
            let status = ParsedHours::parse(&s.hours()).expect("parses").status(&closures, &NO_RULES, now);
            let closed = matches!(status.state, OpeningStatus::Closed { .. });
            prop_assert!(closed, "{:?}", status);
            prop_assert_eq!(status.closure_reason.as_deref(), Some("travaux"));
            if let OpeningStatus::Closed { next_open: Some(t) } = status.state {
                prop_assert!(t.date() > day + chrono::Days::new(len));
            }
        }

        #[test]
        fn arbitrary_strings_never_panic(raw in any::<String>(), now in instant()) {
            let _ = hours::status(&raw, &[], &NO_RULES, now);
            let _ = hours::week_schedule(&raw, &[], &NO_RULES, now.date());
        }

        #[test]
        fn token_soup_never_panics_nor_claims_an_end_in_the_past(raw in token_soup(), now in instant(), rules in rules()) {
            let status = hours::status(&raw, &[], &rules, now);
            match status.state {
                OpeningStatus::Open { until: Some(t) } | OpeningStatus::ClosingSoon { until: t } => prop_assert!(t > now),
                OpeningStatus::Closed { next_open: Some(t) } => prop_assert!(t > now),
                _ => {}
            }
            if let Ok(days) = hours::week_schedule(&raw, &[], &rules, now.date()) {
                prop_assert_eq!(days.len(), 7);
            }
        }
    }
}
