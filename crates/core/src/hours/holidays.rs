//! French holiday calendars for opening hours: public holidays (`PH`), computed, with the two extra
//! days of Alsace-Moselle, and school holidays (`SH`) of zones A, B and C from a small embedded
//! table. They are handed to the `opening-hours` crate as its calendars; its own world-wide
//! database is never loaded, so it stays out of the Wasm.

use std::sync::{Arc, OnceLock};

use chrono::{Datelike, Days, NaiveDate};
use compact_calendar::CompactCalendar;
use opening_hours::ContextHolidays;
use serde::{Deserialize, Serialize};

/// A school-holiday zone of metropolitan France (Corsica and overseas have calendars of their own:
/// leave the zone unset there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SchoolZone {
    A,
    B,
    C,
}

/// The commune's holiday rules, from its configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolidayRules {
    /// Zone of the school calendar, for `SH` rules. Without it, only the periods shared by the
    /// three zones are certain; the others make `SH` rules evaluate as unknown.
    #[serde(default)]
    pub school_zone: Option<SchoolZone>,
    /// Moselle, Bas-Rhin and Haut-Rhin: Good Friday and 26 December are public holidays too.
    #[serde(default)]
    pub alsace_moselle: bool,
}

/// Easter Sunday of a Gregorian year (anonymous algorithm, Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let h = (19 * a + b - b / 4 - (b - (b + 8) / 25 + 1) / 3 + 15) % 30;
    let l = (32 + 2 * (b % 4) + 2 * (c / 4) - h - c % 4) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The French name of the public holiday on `date` (Code du travail, art. L3133-1), if any.
pub fn public_holiday(date: NaiveDate, alsace_moselle: bool) -> Option<&'static str> {
    let fixed = match (date.month(), date.day()) {
        (1, 1) => Some("Jour de l’an"),
        (5, 1) => Some("Fête du Travail"),
        (5, 8) => Some("Victoire 1945"),
        (7, 14) => Some("Fête nationale"),
        (8, 15) => Some("Assomption"),
        (11, 1) => Some("Toussaint"),
        (11, 11) => Some("Armistice 1918"),
        (12, 25) => Some("Noël"),
        (12, 26) if alsace_moselle => Some("Saint-Étienne"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let easter = easter_sunday(date.year())?;
    match (date - easter).num_days() {
        -2 if alsace_moselle => Some("Vendredi saint"),
        1 => Some("Lundi de Pâques"),
        39 => Some("Ascension"),
        50 => Some("Lundi de Pentecôte"),
        _ => None,
    }
}

/// One period of the school calendar, first and last day of holidays inclusive.
struct SchoolPeriod {
    name: &'static str,
    zones: &'static [SchoolZone],
    first: NaiveDate,
    last: NaiveDate,
}

const ALL: &[SchoolZone] = &[SchoolZone::A, SchoolZone::B, SchoolZone::C];

const fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in the school calendar"),
    }
}

const fn period(
    name: &'static str,
    zones: &'static [SchoolZone],
    first: NaiveDate,
    last: NaiveDate,
) -> SchoolPeriod {
    SchoolPeriod {
        name,
        zones,
        first,
        last,
    }
}

/// School holidays of metropolitan France, school years 2024-2025 to 2026-2027, from the official
/// calendar of the Ministère de l'Éducation nationale (arrêtés fixing the calendar of each school
/// year, as published on education.gouv.fr). A period runs from the Saturday after the last class
/// (the day after, for the Ascension bridge) to the day before classes resume. Add the next school
/// year here when its arrêté is published, and move [`SCHOOL_CALENDAR_END`].
const SCHOOL_PERIODS: &[SchoolPeriod] = &[
    period("Vacances d’été", ALL, day(2024, 7, 6), day(2024, 9, 1)),
    // 2024-2025
    period(
        "Vacances de la Toussaint",
        ALL,
        day(2024, 10, 19),
        day(2024, 11, 3),
    ),
    period("Vacances de Noël", ALL, day(2024, 12, 21), day(2025, 1, 5)),
    period(
        "Vacances d’hiver",
        &[SchoolZone::A],
        day(2025, 2, 22),
        day(2025, 3, 9),
    ),
    period(
        "Vacances d’hiver",
        &[SchoolZone::B],
        day(2025, 2, 8),
        day(2025, 2, 23),
    ),
    period(
        "Vacances d’hiver",
        &[SchoolZone::C],
        day(2025, 2, 15),
        day(2025, 3, 2),
    ),
    period(
        "Vacances de printemps",
        &[SchoolZone::A],
        day(2025, 4, 19),
        day(2025, 5, 4),
    ),
    period(
        "Vacances de printemps",
        &[SchoolZone::B],
        day(2025, 4, 5),
        day(2025, 4, 21),
    ),
    period(
        "Vacances de printemps",
        &[SchoolZone::C],
        day(2025, 4, 12),
        day(2025, 4, 27),
    ),
    period(
        "Pont de l’Ascension",
        ALL,
        day(2025, 5, 29),
        day(2025, 6, 1),
    ),
    period("Vacances d’été", ALL, day(2025, 7, 5), day(2025, 8, 31)),
    // 2025-2026
    period(
        "Vacances de la Toussaint",
        ALL,
        day(2025, 10, 18),
        day(2025, 11, 2),
    ),
    period("Vacances de Noël", ALL, day(2025, 12, 20), day(2026, 1, 4)),
    period(
        "Vacances d’hiver",
        &[SchoolZone::A],
        day(2026, 2, 7),
        day(2026, 2, 22),
    ),
    period(
        "Vacances d’hiver",
        &[SchoolZone::B],
        day(2026, 2, 14),
        day(2026, 3, 1),
    ),
    period(
        "Vacances d’hiver",
        &[SchoolZone::C],
        day(2026, 2, 21),
        day(2026, 3, 8),
    ),
    period(
        "Vacances de printemps",
        &[SchoolZone::A],
        day(2026, 4, 4),
        day(2026, 4, 19),
    ),
    period(
        "Vacances de printemps",
        &[SchoolZone::B],
        day(2026, 4, 11),
        day(2026, 4, 26),
    ),
    period(
        "Vacances de printemps",
        &[SchoolZone::C],
        day(2026, 4, 18),
        day(2026, 5, 3),
    ),
    period(
        "Pont de l’Ascension",
        ALL,
        day(2026, 5, 14),
        day(2026, 5, 17),
    ),
    period("Vacances d’été", ALL, day(2026, 7, 4), day(2026, 8, 31)),
    // 2026-2027
    period(
        "Vacances de la Toussaint",
        ALL,
        day(2026, 10, 17),
        day(2026, 11, 1),
    ),
    period("Vacances de Noël", ALL, day(2026, 12, 19), day(2027, 1, 3)),
    period(
        "Vacances d’hiver",
        &[SchoolZone::A],
        day(2027, 2, 13),
        day(2027, 2, 28),
    ),
    period(
        "Vacances d’hiver",
        &[SchoolZone::B],
        day(2027, 2, 20),
        day(2027, 3, 7),
    ),
    period(
        "Vacances d’hiver",
        &[SchoolZone::C],
        day(2027, 2, 6),
        day(2027, 2, 21),
    ),
    period(
        "Vacances de printemps",
        &[SchoolZone::A],
        day(2027, 4, 10),
        day(2027, 4, 25),
    ),
    period(
        "Vacances de printemps",
        &[SchoolZone::B],
        day(2027, 4, 17),
        day(2027, 5, 2),
    ),
    period(
        "Vacances de printemps",
        &[SchoolZone::C],
        day(2027, 4, 3),
        day(2027, 4, 18),
    ),
    period("Pont de l’Ascension", ALL, day(2027, 5, 6), day(2027, 5, 9)),
    // The 2027 school start is not published yet: the summer is known up to 31 August.
    period("Vacances d’été", ALL, day(2027, 7, 3), day(2027, 8, 31)),
];

/// First day the embedded school calendar covers.
pub const SCHOOL_CALENDAR_START: NaiveDate = day(2024, 7, 6);
/// Last day the embedded school calendar covers; after it, `SH` rules evaluate as unknown.
pub const SCHOOL_CALENDAR_END: NaiveDate = day(2027, 8, 31);

/// The name of the school holidays on `date` in `zone`, if `date` is in holidays there. `None`
/// also outside [`SCHOOL_CALENDAR_START`]..=[`SCHOOL_CALENDAR_END`].
pub fn school_holiday(date: NaiveDate, zone: SchoolZone) -> Option<&'static str> {
    SCHOOL_PERIODS
        .iter()
        .find(|p| p.zones.contains(&zone) && (p.first..=p.last).contains(&date))
        .map(|p| p.name)
}

/// Years for which public holidays are computed (and `SH` is marked unknown outside the table).
const FIRST_YEAR: i32 = 1990;
const LAST_YEAR: i32 = 2100;

/// The calendars handed to the crate: the holidays that certainly apply, and those that may
/// (a rule on them evaluates as unknown).
#[derive(Debug)]
pub(crate) struct Calendars {
    pub known: ContextHolidays,
    pub uncertain: ContextHolidays,
}

/// The calendars for `rules`, built once per combination (eight at most) and shared.
pub(crate) fn calendars(rules: &HolidayRules) -> &'static Calendars {
    static CACHE: [OnceLock<Calendars>; 8] = [const { OnceLock::new() }; 8];
    let zone = match rules.school_zone {
        None => 0,
        Some(SchoolZone::A) => 1,
        Some(SchoolZone::B) => 2,
        Some(SchoolZone::C) => 3,
    };
    CACHE[zone * 2 + usize::from(rules.alsace_moselle)].get_or_init(|| build(rules))
}

fn days(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take_while(move |d| *d <= last)
}

fn build(rules: &HolidayRules) -> Calendars {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1),
        NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31),
    ) else {
        unreachable!("constant dates are valid")
    };

    let mut public = CompactCalendar::default();
    for year in FIRST_YEAR..=LAST_YEAR {
        let fixed = [
            (1, 1),
            (5, 1),
            (5, 8),
            (7, 14),
            (8, 15),
            (11, 1),
            (11, 11),
            (12, 25),
            (12, 26),
        ];
        let fixed = fixed
            .iter()
            .filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d));
        let easter = easter_sunday(year).into_iter().flat_map(|e| {
            [
                e.checked_sub_days(Days::new(2)),
                e.checked_add_days(Days::new(1)),
            ]
            .into_iter()
            .chain([39, 50].map(|n| e.checked_add_days(Days::new(n))))
            .flatten()
        });
        for date in fixed.chain(easter) {
            if public_holiday(date, rules.alsace_moselle).is_some() {
                public.insert(date);
            }
        }
    }

    let mut school = CompactCalendar::default();
    let mut school_uncertain = CompactCalendar::default();
    for p in SCHOOL_PERIODS {
        let certain = match rules.school_zone {
            Some(zone) => p.zones.contains(&zone),
            None => p.zones.len() == ALL.len(),
        };
        let maybe = rules.school_zone.is_none() && !certain;
        for date in days(p.first, p.last) {
            if certain {
                school.insert(date);
            } else if maybe {
                school_uncertain.insert(date);
            }
        }
    }
    // Outside the table nothing is known: `SH` rules must not silently never match there.
    let before = SCHOOL_CALENDAR_START
        .pred_opt()
        .unwrap_or(SCHOOL_CALENDAR_START);
    let after = SCHOOL_CALENDAR_END
        .succ_opt()
        .unwrap_or(SCHOOL_CALENDAR_END);
    for date in days(first, before).chain(days(after, last)) {
        school_uncertain.insert(date);
    }

    Calendars {
        known: ContextHolidays::new(Arc::new(public), Arc::new(school)),
        uncertain: ContextHolidays::new(Arc::default(), Arc::new(school_uncertain)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        day(y, m, dd)
    }

    #[test]
    fn easter_is_computed_for_known_years() {
        assert_eq!(easter_sunday(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(d(2026, 4, 5)));
        assert_eq!(easter_sunday(2027), Some(d(2027, 3, 28)));
        assert_eq!(easter_sunday(2038), Some(d(2038, 4, 25)));
    }

    #[test]
    fn french_public_holidays_of_2025_are_named() {
        assert_eq!(
            public_holiday(d(2025, 4, 21), false),
            Some("Lundi de Pâques")
        );
        assert_eq!(public_holiday(d(2025, 5, 29), false), Some("Ascension"));
        assert_eq!(
            public_holiday(d(2025, 6, 9), false),
            Some("Lundi de Pentecôte")
        );
        assert_eq!(
            public_holiday(d(2025, 7, 14), false),
            Some("Fête nationale")
        );
        assert_eq!(public_holiday(d(2025, 7, 15), false), None);
    }

    #[test]
    fn alsace_moselle_adds_good_friday_and_saint_stephen() {
        assert_eq!(public_holiday(d(2025, 4, 18), false), None);
        assert_eq!(public_holiday(d(2025, 4, 18), true), Some("Vendredi saint"));
        assert_eq!(public_holiday(d(2025, 12, 26), false), None);
        assert_eq!(public_holiday(d(2025, 12, 26), true), Some("Saint-Étienne"));
    }

    #[test]
    fn the_public_calendar_matches_the_named_holidays() {
        for alsace_moselle in [false, true] {
            let rules = HolidayRules {
                school_zone: None,
                alsace_moselle,
            };
            let cal = calendars(&rules).known.get_public();
            for date in days(d(2024, 1, 1), d(2030, 12, 31)) {
                assert_eq!(
                    cal.contains(date),
                    public_holiday(date, alsace_moselle).is_some(),
                    "{date}"
                );
            }
            assert_eq!(
                cal.iter().filter(|x| x.year() == 2026).count(),
                11 + 2 * usize::from(alsace_moselle)
            );
        }
    }

    #[test]
    fn the_school_table_is_well_formed() {
        for p in SCHOOL_PERIODS {
            assert!(p.first <= p.last, "{} {}", p.name, p.first);
            assert!(SCHOOL_CALENDAR_START <= p.first && p.last <= SCHOOL_CALENDAR_END);
            assert!(!p.zones.is_empty());
        }
        for zone in [SchoolZone::A, SchoolZone::B, SchoolZone::C] {
            let mut periods: Vec<_> = SCHOOL_PERIODS
                .iter()
                .filter(|p| p.zones.contains(&zone))
                .collect();
            periods.sort_by_key(|p| p.first);
            for pair in periods.windows(2) {
                assert!(
                    pair[0].last < pair[1].first,
                    "overlap in zone {zone:?} at {}",
                    pair[1].first
                );
            }
        }
    }

    #[test]
    fn school_holidays_depend_on_the_zone() {
        // Winter 2026: A from 7 Feb, B from 14 Feb, C from 21 Feb.
        let date = d(2026, 2, 16);
        assert_eq!(
            school_holiday(date, SchoolZone::A),
            Some("Vacances d’hiver")
        );
        assert_eq!(
            school_holiday(date, SchoolZone::B),
            Some("Vacances d’hiver")
        );
        assert_eq!(school_holiday(date, SchoolZone::C), None);
        assert_eq!(
            school_holiday(d(2025, 12, 25), SchoolZone::C),
            Some("Vacances de Noël")
        );
    }

    #[test]
    fn without_a_zone_only_shared_periods_are_certain() {
        let cals = calendars(&HolidayRules::default());
        assert!(cals.known.get_school().contains(d(2025, 12, 24)));
        assert!(!cals.known.get_school().contains(d(2026, 2, 16)));
        assert!(cals.uncertain.get_school().contains(d(2026, 2, 16)));
        assert!(!cals.uncertain.get_school().contains(d(2026, 3, 16)));
    }

    #[test]
    fn beyond_the_table_school_holidays_are_uncertain() {
        let rules = HolidayRules {
            school_zone: Some(SchoolZone::B),
            alsace_moselle: false,
        };
        let cals = calendars(&rules);
        assert!(cals.uncertain.get_school().contains(d(2027, 9, 15)));
        assert!(cals.uncertain.get_school().contains(d(2024, 1, 15)));
        assert!(!cals.uncertain.get_school().contains(d(2026, 9, 15)));
    }
}
