//! Dates and durations in the resident's language, through the browser's `Intl`.

use parvis_core::Locale;

/// "12 novembre 2026" / "12 November 2026" from an RFC 3339 instant; the input as is when the
/// browser cannot parse it.
pub fn date(rfc3339: &str, locale: Locale) -> String {
    let date = js_sys::Date::new(&rfc3339.into());
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let options = js_sys::Object::new();
    for (key, value) in [("day", "numeric"), ("month", "long"), ("year", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    String::from(date.to_locale_date_string(locale.tag(), &options))
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
