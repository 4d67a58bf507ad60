//! Dates and durations in the resident's language, through the browser's `Intl`.

use std::cell::RefCell;

use parvis_core::Locale;
use wasm_bindgen::JsValue;

thread_local! {
    /// The `Intl.DateTimeFormat`s made so far, by locale and options. Making one costs about
    /// half a millisecond (`toLocaleDateString` with options makes one at each call), formatting
    /// with a kept one a few microseconds: the agenda formats some twenty dates a keystroke.
    static FORMATS: RefCell<Vec<(String, js_sys::Intl::DateTimeFormat)>> =
        const { RefCell::new(Vec::new()) };
}

/// `date` formatted in `locale` with the `Intl` options `pairs`, by a kept formatter. Only
/// for options that cannot throw (no time zone but UTC).
fn format(date: &js_sys::Date, locale: Locale, pairs: &[(&str, &str)]) -> String {
    let locale = locale.date_tag();
    let mut key = locale.to_owned();
    for (k, v) in pairs {
        key.push_str(&format!("|{k}={v}"));
    }
    let kept =
        FORMATS.with_borrow(|all| all.iter().find(|(k, _)| *k == key).map(|(_, f)| f.clone()));
    let formatter = kept.unwrap_or_else(|| {
        let f = js_sys::Intl::DateTimeFormat::new(
            &js_sys::Array::of1(&locale.into()),
            &date_options(pairs),
        );
        FORMATS.with_borrow_mut(|all| all.push((key, f.clone())));
        f
    });
    formatter
        .format()
        .call1(&JsValue::NULL, date)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// "12 novembre 2026" / "12 November 2026" from an RFC 3339 instant; the input as is when the
/// browser cannot parse it.
pub fn date(rfc3339: &str, locale: Locale) -> String {
    let date = js_sys::Date::new(&rfc3339.into());
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    format(
        &date,
        locale,
        &[("day", "numeric"), ("month", "long"), ("year", "numeric")],
    )
}

/// "il y a 2 h" / "2 h ago": how long ago `then_ms` was, coarsely.
pub fn ago(then_ms: f64, locale: Locale) -> String {
    let minutes = ((js_sys::Date::now() - then_ms) / 60_000.0)
        .max(0.0)
        .floor() as u64;
    let (n, fr_unit, en_unit) = match minutes {
        0 => {
            return if locale == Locale::Fr {
                "à l’instant".into()
            } else {
                "just now".into()
            };
        }
        1..=59 => (minutes, "min", "min"),
        60..=1439 => (minutes / 60, "h", "h"),
        _ => (minutes / 1440, "j", "d"),
    };
    match locale {
        Locale::Fr => format!("il y a {n} {fr_unit}"),
        Locale::En => format!("{n} {en_unit} ago"),
    }
}

fn date_options(pairs: &[(&str, &str)]) -> js_sys::Object {
    let options = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    options
}

/// Today's date (`YYYY-MM-DD`) in the time zone `tz` (the commune's), whatever the device's.
pub fn today_in(tz: &str) -> String {
    let now = js_sys::Date::new_0();
    let options = date_options(&[
        ("timeZone", tz),
        ("year", "numeric"),
        ("month", "2-digit"),
        ("day", "2-digit"),
    ]);
    // The en-CA locale writes dates as YYYY-MM-DD.
    let today = String::from(now.to_locale_date_string("en-CA", &options));
    if today.len() == 10 {
        today
    } else {
        String::from(now.to_iso_string()).chars().take(10).collect()
    }
}

fn utc_ms(date: &str) -> Option<f64> {
    let year = date.get(0..4)?.parse::<f64>().ok()?;
    let month = date.get(5..7)?.parse::<f64>().ok()?;
    let day = date.get(8..10)?.parse::<f64>().ok()?;
    Some(js_sys::Date::utc(year, month - 1.0) + (day - 1.0) * 86_400_000.0)
}

/// `date` plus `days` (`YYYY-MM-DD`).
pub fn add_days(date: &str, days: i32) -> String {
    match utc_ms(date) {
        Some(ms) => {
            let shifted = js_sys::Date::new(&(ms + f64::from(days) * 86_400_000.0).into());
            String::from(shifted.to_iso_string())
                .chars()
                .take(10)
                .collect()
        }
        None => date.to_owned(),
    }
}

/// Day of the week of `date`: 0 for Sunday … 6 for Saturday.
pub fn weekday(date: &str) -> u32 {
    utc_ms(date).map_or(0, |ms| js_sys::Date::new(&ms.into()).get_utc_day())
}

/// "samedi 5 décembre" / "Saturday 5 December"; with `short`, "sam. 5" / "Sat 5".
pub fn day_name(date: &str, locale: Locale, short: bool) -> String {
    let Some(ms) = utc_ms(date) else {
        return date.to_owned();
    };
    let options: &[(&str, &str)] = if short {
        &[
            ("timeZone", "UTC"),
            ("weekday", "short"),
            ("day", "numeric"),
        ]
    } else {
        &[
            ("timeZone", "UTC"),
            ("weekday", "long"),
            ("day", "numeric"),
            ("month", "long"),
        ]
    };
    format(&js_sys::Date::new(&ms.into()), locale, options)
}

/// The wall-clock time now in the time zone `tz` (the commune's), `YYYY-MM-DDTHH:MM:SS`,
/// whatever the device's own zone: opening hours are written in the commune's local time.
pub fn local_now_in(tz: &str) -> String {
    let now = js_sys::Date::new_0();
    let options = date_options(&[
        ("timeZone", tz),
        ("year", "numeric"),
        ("month", "2-digit"),
        ("day", "2-digit"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("second", "2-digit"),
        ("hourCycle", "h23"),
    ]);
    // The sv-SE locale writes "2026-11-22 14:05:09": ISO 8601 but for the space.
    let text = String::from(now.to_locale_string("sv-SE", &options)).replace(' ', "T");
    let well_formed = text.len() == 19
        && text.char_indices().all(|(i, c)| {
            matches!((i, c), (4 | 7, '-') | (10, 'T') | (13 | 16, ':')) || c.is_ascii_digit()
        });
    if well_formed {
        text
    } else {
        // An unknown zone: the device's UTC time is a wrong hour, never a crash.
        String::from(now.to_iso_string()).chars().take(19).collect()
    }
}

/// "lundi" / "Monday".
pub fn weekday_name(date: &str, locale: Locale) -> String {
    let Some(ms) = utc_ms(date) else {
        return date.to_owned();
    };
    format(
        &js_sys::Date::new(&ms.into()),
        locale,
        &[("timeZone", "UTC"), ("weekday", "long")],
    )
}

/// "3 janvier" / "3 January".
pub fn day_month(date: &str, locale: Locale) -> String {
    let Some(ms) = utc_ms(date) else {
        return date.to_owned();
    };
    format(
        &js_sys::Date::new(&ms.into()),
        locale,
        &[("timeZone", "UTC"), ("day", "numeric"), ("month", "long")],
    )
}

/// Minutes from `from` to `to`, both local wall-clock times (`YYYY-MM-DDTHH:MM[:SS]`).
pub fn minutes_between(from: &str, to: &str) -> Option<i64> {
    let minutes = |t: &str| -> Option<f64> {
        let day = utc_ms(t.get(0..10)?)? / 60_000.0;
        let hours = t.get(11..13)?.parse::<f64>().ok()?;
        let mins = t.get(14..16)?.parse::<f64>().ok()?;
        Some(day + hours * 60.0 + mins)
    };
    Some((minutes(to)? - minutes(from)?) as i64)
}
