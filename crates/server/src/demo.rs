//! Demo content for a fresh installation, loaded once: the news of Saint-Aubin-sur-Loire,
//! imported through the same importer as real feeds (so the demo exercises it).

use anyhow::Context;
use chrono::{DateTime, Days, NaiveTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

use crate::config::Config;
use crate::db::{self, Db};
use crate::news::import;

/// The demo news: an Atom feed whose dates are written `{{J-3 09:30}}` (three days ago at 9:30,
/// commune time), replaced at load time so the demo always looks recent.
const DEMO_NEWS: &str = include_str!("../demo/news.xml");

/// The `meta` key holding when the demo content was loaded (RFC 3339, UTC).
pub const LOADED_AT_KEY: &str = "demo_loaded_at";

/// Loads the demo content if asked and not done before.
pub async fn load_if_wanted(db: &Db, config: &Config) -> anyhow::Result<()> {
    if !config.demo.load || db::meta::get(db, LOADED_AT_KEY).await?.is_some() {
        return Ok(());
    }
    let tz: Tz = config
        .commune
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Paris);
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
}
