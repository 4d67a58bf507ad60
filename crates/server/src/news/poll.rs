//! Scheduled polling of the feeds listed in `[[news.feeds]]`: one task per feed, a first poll
//! at start-up then one every `every_minutes`; a failure is logged and the next poll retries.

use std::time::Duration;

use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::config::NewsConfig;
use super::import;
use crate::db::Db;

/// Starts one polling task per configured feed.
pub fn spawn(db: Db, news: &NewsConfig, published: broadcast::Sender<i64>) -> Vec<JoinHandle<()>> {
    if news.feeds.is_empty() {
        return Vec::new();
    }
    let client = import::http_client();
    news.feeds
        .iter()
        .map(|feed| {
            let (db, client, published) = (db.clone(), client.clone(), published.clone());
            let news = news.clone();
            let url = feed.url.clone();
            let every = Duration::from_secs(u64::from(feed.every_minutes) * 60);
            tokio::spawn(async move {
                let mut interval = tokio::time::interval(every);
                interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
                loop {
                    interval.tick().await;
                    poll_once(&db, &news, &client, &url, &published).await;
                }
            })
        })
        .collect()
}

/// Fetches and imports one feed; announces the new articles after the commit.
pub async fn poll_once(
    db: &Db,
    news: &NewsConfig,
    client: &reqwest::Client,
    url: &str,
    published: &broadcast::Sender<i64>,
) {
    let result = match import::fetch(client, url).await {
        Ok(bytes) => import::import_bytes(db, news, &bytes, url).await,
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
