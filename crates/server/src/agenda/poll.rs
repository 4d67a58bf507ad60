//! Scheduled polling of the feeds listed in `[[agenda.feeds]]`: one task per feed, a first poll
//! at start-up then one every `every_minutes`; a failure is logged and what was imported before
//! stays as it was (the import is one transaction).

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::config::FeedFormat;
use super::import;
use crate::config::Config;
use crate::db::Db;

/// Starts one polling task per feed of `config.agenda`.
pub fn spawn(db: Db, config: &Config) -> Vec<JoinHandle<()>> {
    if config.agenda.feeds.is_empty() {
        return Vec::new();
    }
    let client = import::http_client();
    config
        .agenda
        .feeds
        .iter()
        .map(|feed| {
            let (db, client, config) = (db.clone(), client.clone(), config.clone());
            let (url, format) = (feed.url.clone(), feed.format);
            let every = Duration::from_secs(u64::from(feed.every_minutes) * 60);
            tokio::spawn(async move {
                let mut interval = tokio::time::interval(every);
                interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
                loop {
                    interval.tick().await;
                    poll_once(&db, &config, &client, &url, format).await;
                }
            })
        })
        .collect()
}

/// Fetches and imports one feed.
pub async fn poll_once(
    db: &Db,
    config: &Config,
    client: &reqwest::Client,
    url: &str,
    format: Option<FeedFormat>,
) {
    let result = match import::fetch(client, url).await {
        Ok(bytes) => import::import_bytes(db, config, &bytes, url, format).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(report) => tracing::info!(feed = url, %report, "agenda feed imported"),
        Err(e) => tracing::warn!(feed = url, error = %e, "agenda feed skipped"),
    }
}
