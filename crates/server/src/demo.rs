//! Demo content for a fresh installation, loaded once: the news, the agenda and the facilities
//! of Saint-Aubin-sur-Loire, imported through the same importers as real feeds (so the demo
//! exercises them).

use anyhow::Context;
use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveTime, SecondsFormat, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

use crate::agenda::config::FeedFormat;
use crate::config::Config;
use crate::db::{self, Db};
use crate::news::import;
use crate::{agenda, facilities};

/// The demo news: an Atom feed whose dates are written `{{J-3 09:30}}` (three days ago at 9:30,
/// commune time), replaced at load time so the demo always looks recent.
const DEMO_NEWS: &str = include_str!("../demo/news.xml");

/// The demo agenda: an iCalendar file whose dates are written `{{D+3}}` (three days after the
/// load) or `{{SA+7}}` (the Saturday after next: the next Saturday, today included, plus 7
/// days), as `YYYYMMDD` in the commune's time zone.
const DEMO_AGENDA: &str = include_str!("../demo/agenda.ics");

/// The demo facilities: a GeoJSON file with OpenStreetMap tags, whose closure dates are
/// written `{{D+5}}` or `{{D-30}}` (days from the load), as `YYYY-MM-DD`.
pub const DEMO_FACILITIES: &str = include_str!("../demo/facilities.geojson");

/// The `meta` key holding when the demo content was loaded (RFC 3339, UTC).
pub const LOADED_AT_KEY: &str = "demo_loaded_at";

/// The `meta` key holding when the demo agenda was loaded (it came after the news: an
/// installation made before it gets it at its next start).
pub const AGENDA_LOADED_AT_KEY: &str = "demo_agenda_loaded_at";

/// The `meta` key holding when the demo facilities were loaded (they came after the agenda).
pub const FACILITIES_LOADED_AT_KEY: &str = "demo_facilities_loaded_at";

/// The `source` of the demo facilities.
pub const FACILITIES_SOURCE: &str = "demo/facilities.geojson";

/// Loads the demo content if asked and not done before.
pub async fn load_if_wanted(db: &Db, config: &Config) -> anyhow::Result<()> {
    if !config.demo.load {
        return Ok(());
    }
    let tz: Tz = config
        .commune
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Paris);
    let today = Utc::now().with_timezone(&tz).date_naive();
    if db::meta::get(db, FACILITIES_LOADED_AT_KEY).await?.is_none() {
        let geojson = demo_facilities(today);
        let report =
            facilities::import::import_bytes(db, config, geojson.as_bytes(), FACILITIES_SOURCE)
                .await
                .context("importing the demo facilities")?;
        tracing::info!(
            created = report.created.len(),
            remarks = report.warnings.len(),
            "demo facilities imported"
        );
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        db::meta::set(db, FACILITIES_LOADED_AT_KEY, &now).await?;
    }
    if db::meta::get(db, AGENDA_LOADED_AT_KEY).await?.is_none() {
        let calendar = with_days(DEMO_AGENDA, today);
        let report = agenda::import::import_bytes(
            db,
            config,
            calendar.as_bytes(),
            "demo/agenda.ics",
            Some(FeedFormat::Ics),
        )
        .await
        .context("importing the demo agenda")?;
        tracing::info!(%report, "demo agenda imported");
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        db::meta::set(db, AGENDA_LOADED_AT_KEY, &now).await?;
    }
    if db::meta::get(db, LOADED_AT_KEY).await?.is_some() {
        return Ok(());
    }
    let feed = with_dates(DEMO_NEWS, Utc::now(), tz);
    let report = import::import_bytes(db, config, feed.as_bytes(), "demo/news.xml")
        .await
        .context("importing the demo news")?;
    tracing::info!(%report, "demo news imported");
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    db::meta::set(db, LOADED_AT_KEY, &now).await?;
    tracing::info!(at = %now, "demo content loaded");
    Ok(())
}

/// Replaces every `{{J-N HH:MM}}` by that local time N days before `now`, in UTC (never later
/// than `now`).
fn with_dates(template: &str, now: DateTime<Utc>, tz: Tz) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{J-") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        out.push_str(
            &resolve(&after[..end], now, tz)
                .unwrap_or_else(|| now.to_rfc3339_opts(SecondsFormat::Secs, true)),
        );
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Replaces every `{{D+N}}` by the date N days after `today` and every `{{SA+N}}` (any
/// two-letter weekday) by the next such day, `today` included, plus N days; as `YYYYMMDD`.
fn with_days(template: &str, today: NaiveDate) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let resolved = after
            .find("}}")
            .and_then(|end| Some((day_of(&after[..end], today)?, end)));
        match resolved {
            Some((day, end)) => {
                out.push_str(&day.format("%Y%m%d").to_string());
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The demo facilities with their closure dates relative to `today`.
pub fn demo_facilities(today: NaiveDate) -> String {
    with_iso_days(DEMO_FACILITIES, today)
}

/// Replaces every `{{D+N}}` and `{{D-N}}` by the date N days after or before `today`, as
/// `YYYY-MM-DD`.
fn with_iso_days(template: &str, today: NaiveDate) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{D") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let resolved = after.find("}}").and_then(|end| {
            let spec = &after[..end];
            let days = Days::new(spec.get(1..)?.trim().parse().ok()?);
            let date = match spec.chars().next()? {
                '+' => today.checked_add_days(days)?,
                '-' => today.checked_sub_days(days)?,
                _ => return None,
            };
            Some((date, end))
        });
        match resolved {
            Some((date, end)) => {
                out.push_str(&date.format("%Y-%m-%d").to_string());
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{D");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn day_of(spec: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (base, days) = spec.split_once('+')?;
    let days: u64 = days.trim().parse().ok()?;
    let first = if base == "D" {
        today
    } else {
        let weekday = match base {
            "MO" => Weekday::Mon,
            "TU" => Weekday::Tue,
            "WE" => Weekday::Wed,
            "TH" => Weekday::Thu,
            "FR" => Weekday::Fri,
            "SA" => Weekday::Sat,
            "SU" => Weekday::Sun,
            _ => return None,
        };
        let ahead =
            (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
        today.checked_add_days(Days::new(u64::from(ahead)))?
    };
    first.checked_add_days(Days::new(days))
}

fn resolve(spec: &str, now: DateTime<Utc>, tz: Tz) -> Option<String> {
    let (days, time) = spec.split_once(' ')?;
    let days: u64 = days.parse().ok()?;
    let time = NaiveTime::parse_from_str(time, "%H:%M").ok()?;
    let date = now
        .with_timezone(&tz)
        .date_naive()
        .checked_sub_days(Days::new(days))?;
    let local = tz.from_local_datetime(&date.and_time(time)).earliest()?;
    let utc = local.with_timezone(&Utc).min(now);
    Some(utc.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_dates_are_relative_to_now_in_the_commune_time_zone() {
        let now = "2026-03-10T12:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("date");
        let tz = chrono_tz::Europe::Paris;
        assert_eq!(
            with_dates("<a>{{J-3 09:30}}</a>", now, tz),
            "<a>2026-03-07T08:30:00Z</a>"
        );
        assert_eq!(with_dates("{{J-0 18:00}}", now, tz), "2026-03-10T12:00:00Z");
    }

    #[test]
    fn demo_days_are_relative_to_today() {
        // 2026-11-22 is a Sunday.
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        assert_eq!(
            with_days(
                "A:{{D+0}}T10;B:{{D+10}};C:{{SA+0}};D:{{SU+7}};E:{{X+1}}",
                today
            ),
            "A:20261122T10;B:20261202;C:20261128;D:20261129;E:{{X+1}}"
        );
        assert_eq!(
            with_iso_days("[{{D+5}}, {{D-30}}, {{D*2}}]", today),
            "[2026-11-27, 2026-10-23, {{D*2}}]"
        );
    }

    #[test]
    fn every_demo_facility_has_opening_hours_that_parse() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let doc: serde_json::Value =
            serde_json::from_str(&demo_facilities(today)).expect("the demo is JSON");
        let features = doc["features"].as_array().expect("features");
        assert!(features.len() >= 60, "{}", features.len());
        for feature in features {
            if let Some(hours) = feature["properties"]["opening_hours"].as_str() {
                let name = &feature["properties"]["name"];
                parvis_core::ParsedHours::parse(hours)
                    .unwrap_or_else(|e| panic!("{name}: {hours}: {e}"));
            }
        }
    }
}
