//! Scheduled polling of the feeds listed in `[[news.feeds]]`: one task per feed, a first poll
//! at start-up then one every `every_minutes`; a failure is logged and the next poll retries.

use std::time::Duration;

use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::import;
use super::mirror::Mirror;
use crate::config::Config;
use crate::db::Db;

/// Starts one polling task per feed of `config.news`.
pub fn spawn(db: Db, config: &Config, published: broadcast::Sender<i64>) -> Vec<JoinHandle<()>> {
    if config.news.feeds.is_empty() {
        return Vec::new();
    }
    let client = import::http_client();
    config
        .news
        .feeds
        .iter()
        .map(|feed| {
            let (db, client, published) = (db.clone(), client.clone(), published.clone());
            let config = config.clone();
            let url = feed.url.clone();
            let every = Duration::from_secs(u64::from(feed.every_minutes) * 60);
            tokio::spawn(async move {
                let mut interval = tokio::time::interval(every);
                interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
                loop {
                    interval.tick().await;
                    poll_once(&db, &config, &client, &url, &published).await;
                }
            })
        })
        .collect()
}

/// Fetches and imports one feed (mirroring its images with the same client); announces the
/// new articles after the commit.
pub async fn poll_once(
    db: &Db,
    config: &Config,
    client: &reqwest::Client,
    url: &str,
    published: &broadcast::Sender<i64>,
) {
    let result = match import::fetch(client, url).await {
        Ok(bytes) => {
            let mirror = Mirror::new(db, config, client.clone());
            import::import_with(db, &config.news, &mirror, &bytes, url).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(report) => {
            tracing::info!(feed = url, %report, "news feed imported");
            for id in &report.inserted {
                // No subscriber (push disabled, tests) is not an error.
                let _ = published.send(*id);
            }
        }
        Err(e) => tracing::warn!(feed = url, error = %e, "news feed skipped"),
    }
}
