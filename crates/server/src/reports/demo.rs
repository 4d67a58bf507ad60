//! The demo reports: a handful of incidents inside the demo commune, in every kind of status
//! with their history, so that « Mes signalements », the nearby search and Open311 have
//! something to show. Dates are relative to the load; there are no photos and no contact.

use anyhow::Context;
use chrono::{DateTime, Days, Duration, Utc};
use parvis_core::{LatLon, NewReport, NewStatusChange, ReportStatus};
use serde::Deserialize;

use crate::agenda::times::timestamp;
use crate::config::Config;
use crate::db::reports::NewReportRow;
use crate::db::{self, Db};

/// The demo reports (`demo/reports.json`).
pub const DEMO_REPORTS: &str = include_str!("../../demo/reports.json");

/// The `meta` key holding when the demo reports were loaded (they came after the facilities).
pub const LOADED_AT_KEY: &str = "demo_reports_loaded_at";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoReport {
    category: String,
    description: String,
    lat: f64,
    lon: f64,
    address: String,
    days_ago: i64,
    supporters: u32,
    /// The index, in the file, of the report this one duplicates.
    #[serde(default)]
    duplicate_of_index: Option<usize>,
    history: Vec<DemoChange>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoChange {
    days_ago: i64,
    status: ReportStatus,
    note: Option<String>,
    #[serde(default)]
    scheduled_in_days: Option<u64>,
}

/// Loads the demo reports once, when the demo is wanted.
pub async fn load_if_wanted(db: &Db, config: &Config) -> anyhow::Result<()> {
    if !config.demo.load || db::meta::get(db, LOADED_AT_KEY).await?.is_some() {
        return Ok(());
    }
    let demo: Vec<DemoReport> =
        serde_json::from_str(DEMO_REPORTS).context("reading demo/reports.json")?;
    let now = Utc::now();
    let today = now.with_timezone(&config.commune.tz()).date_naive();
    let mut tx = db::reports::begin_write(db).await?;
    let mut ids: Vec<i64> = Vec::with_capacity(demo.len());
    for (index, item) in demo.iter().enumerate() {
        let report = NewReport {
            category: item.category.clone(),
            description: item.description.clone(),
            position: LatLon {
                lat: item.lat,
                lon: item.lon,
            },
            address: Some(item.address.clone()),
            email: None,
            device_id: None,
        };
        anyhow::ensure!(
            config.reports.has_category(&report.category),
            "demo report {index}: unknown category {}",
            report.category
        );
        let key = format!("demo:{index}");
        let created_at = timestamp(days_ago(now, item.days_ago, 9));
        let row = NewReportRow {
            idempotency_key: &key,
            request_hash: "demo",
            source: "app",
            report: &report,
            reporter_name: None,
            phone: None,
            created_at: &created_at,
        };
        let Some(id) = db::reports::insert(&mut tx, &row).await? else {
            // Loaded by an earlier, interrupted start: keep what is there.
            return Ok(());
        };
        ids.push(id);
        for change in &item.history {
            let duplicate_of = if change.status == ReportStatus::Duplicate {
                let original = item
                    .duplicate_of_index
                    .and_then(|i| ids.get(i).copied())
                    .context("a demo duplicate must name an earlier report")?;
                Some(original)
            } else {
                None
            };
            let scheduled_for = change
                .scheduled_in_days
                .and_then(|d| today.checked_add_days(Days::new(d)))
                .map(|d| d.format("%Y-%m-%d").to_string());
            let change_at = timestamp(days_ago(now, change.days_ago, 14));
            let new = NewStatusChange {
                status: change.status,
                note: change.note.clone(),
                scheduled_for,
                duplicate_of,
            }
            .validate(id)
            .map_err(|e| anyhow::anyhow!("demo report {index}: {e:?}"))?;
            db::reports::change_status(&mut tx, id, &new, &change_at).await?;
        }
        for n in 0..item.supporters {
            let at = timestamp(days_ago(now, item.days_ago, 18));
            db::reports::add_support(&mut tx, id, &format!("demo:{index}:{n}"), &at).await?;
        }
    }
    db::meta::set_in(&mut tx, LOADED_AT_KEY, &timestamp(now)).await?;
    tx.commit().await?;
    tracing::info!(reports = ids.len(), "demo reports loaded");
    Ok(())
}

/// `days` days before `now`, at `hour` UTC, never after `now`.
fn days_ago(now: DateTime<Utc>, days: i64, hour: i64) -> DateTime<Utc> {
    let day = now - Duration::days(days);
    let at = day
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map(|midnight| midnight.and_utc() + Duration::hours(hour))
        .unwrap_or(day);
    at.min(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Sources;

    #[test]
    fn the_demo_reports_are_inside_the_commune_in_known_categories() {
        let config = Config::load(&Sources::default()).expect("defaults");
        let demo: Vec<DemoReport> = serde_json::from_str(DEMO_REPORTS).expect("the demo is JSON");
        assert!(demo.len() >= 6);
        let bounds = parvis_core::Bounds::from(config.commune.bounds);
        let mut statuses = std::collections::HashSet::new();
        for item in &demo {
            assert!(
                config.reports.has_category(&item.category),
                "{}",
                item.category
            );
            assert!(bounds.contains(LatLon {
                lat: item.lat,
                lon: item.lon
            }));
            statuses.extend(item.history.iter().map(|c| c.status));
        }
        assert!(statuses.len() >= 6, "{statuses:?}");
    }
}
