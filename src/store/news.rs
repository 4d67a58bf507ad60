//! News kept on the device: articles, themes, the resident's followed themes and the sync
//! state, so the news screens open at once and offline.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use parvis_core::{Article, Theme};
use serde::{Deserialize, Serialize};

use super::db::{ARTICLES, open};
use super::{Error, kv};

const THEMES_KEY: &str = "news.themes";
const FOLLOWED_KEY: &str = "news.followed";
const SYNC_KEY: &str = "news.sync";

/// The themes a resident follows. `chosen` is false until they have answered the first-launch
/// question (or skipped it), and following nothing means "everything".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Followed {
    pub themes: Vec<String>,
    pub chosen: bool,
}

/// Where the last successful sync stopped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    /// The server's `sync_token`, for the next `since`.
    pub token: Option<String>,
    /// When the last sync finished (milliseconds since the epoch, the browser's clock).
    pub synced_at_ms: Option<f64>,
}

/// Stores (inserts or replaces) articles in one transaction.
pub async fn put_articles(articles: &[Article]) -> Result<(), Error> {
    let db = open().await?;
    let tx = db
        .transaction(ARTICLES)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let store = tx.object_store(ARTICLES)?;
    for article in articles {
        let json = serde_json::to_string(article).map_err(|e| Error::Decode(e.to_string()))?;
        store.put(json).with_key(article.id as f64).primitive()?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every stored article, newest first.
pub async fn articles() -> Result<Vec<Article>, Error> {
    let db = open().await?;
    let tx = db.transaction(ARTICLES).build()?;
    let store = tx.object_store(ARTICLES)?;
    let raw = store.get_all::<String>().primitive()?.await?;
    let mut articles = Vec::new();
    for json in raw {
        let json = json?;
        articles.push(
            serde_json::from_str::<Article>(&json).map_err(|e| Error::Decode(e.to_string()))?,
        );
    }
    // RFC 3339 UTC strings of the same shape sort like the instants they name.
    articles.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
    Ok(articles)
}

/// One stored article.
pub async fn article(id: i64) -> Result<Option<Article>, Error> {
    let db = open().await?;
    let tx = db.transaction(ARTICLES).build()?;
    let store = tx.object_store(ARTICLES)?;
    let raw: Option<String> = store.get(id as f64).primitive()?.await?;
    raw.map(|json| serde_json::from_str(&json).map_err(|e| Error::Decode(e.to_string())))
        .transpose()
}

/// The commune's themes as last synced.
pub async fn themes() -> Result<Vec<Theme>, Error> {
    Ok(kv::get(THEMES_KEY).await?.unwrap_or_default())
}

/// Replaces the stored themes.
pub async fn put_themes(themes: &[Theme]) -> Result<(), Error> {
    kv::put(THEMES_KEY, &themes).await
}

/// The resident's followed themes.
pub async fn followed() -> Result<Followed, Error> {
    Ok(kv::get(FOLLOWED_KEY).await?.unwrap_or_default())
}

/// Remembers the resident's followed themes.
pub async fn put_followed(followed: &Followed) -> Result<(), Error> {
    kv::put(FOLLOWED_KEY, followed).await
}

/// Where the last sync stopped.
pub async fn sync_state() -> Result<SyncState, Error> {
    Ok(kv::get(SYNC_KEY).await?.unwrap_or_default())
}

/// Records a finished sync.
pub async fn put_sync_state(state: &SyncState) -> Result<(), Error> {
    kv::put(SYNC_KEY, state).await
}
