//! Scheduled polling of the sources listed in `[[facilities.feeds]]`: one task per source, a
//! first poll at start-up then one every `every_minutes`; a failure is logged and what was
//! imported before stays as it was (the import is one transaction).

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::import;
use crate::agenda::import::http_client;
use crate::config::Config;
use crate::db::Db;

/// Starts one polling task per source of `config.facilities`.
pub fn spawn(db: Db, config: &Config) -> Vec<JoinHandle<()>> {
    if config.facilities.feeds.is_empty() {
        return Vec::new();
    }
    let client = http_client();
    config
        .facilities
        .feeds
        .iter()
        .map(|feed| {
            let (db, client, config) = (db.clone(), client.clone(), config.clone());
            let url = feed.url.clone();
            let every = Duration::from_secs(u64::from(feed.every_minutes) * 60);
            tokio::spawn(async move {
                let mut interval = tokio::time::interval(every);
                interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
                loop {
                    interval.tick().await;
                    poll_once(&db, &config, &client, &url).await;
                }
            })
        })
        .collect()
}

/// Fetches and imports one source; what was left out or imported with a remark is logged, so
/// that the operator can correct the source.
pub async fn poll_once(db: &Db, config: &Config, client: &reqwest::Client, url: &str) {
    match import::import_url(db, config, client, url).await {
        Ok(report) => {
            tracing::info!(
                feed = url,
                created = report.created.len(),
                updated = report.updated,
                unchanged = report.unchanged,
                skipped = report.skipped.len(),
                remarks = report.warnings.len(),
                "facilities imported"
            );
            for issue in &report.skipped {
                tracing::warn!(feed = url, %issue, "facility skipped");
            }
            for issue in &report.warnings {
                tracing::info!(feed = url, %issue, "facility imported with a remark");
            }
        }
        Err(e) => tracing::warn!(feed = url, error = %e, "facilities source skipped"),
    }
}
