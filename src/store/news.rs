//! News kept on the device: articles, themes, the resident's followed themes and the sync
//! state, so the news screens open at once and offline.

use parvis_core::{Article, Theme};
use serde::{Deserialize, Serialize};

use super::db::{ARTICLES, Key, decode, encode, get_all_json, get_json, put_json};
use super::{Error, kv};

/// Where the themes are kept in the key/value store.
pub const THEMES_KEY: &str = "news.themes";
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
    /// When the last sync finished (milliseconds since the epoch, the browser's clock). An
    /// integer: JSON floats would pull a float formatter into the Wasm for one timestamp.
    pub synced_at: Option<i64>,
}

/// Stores (inserts or replaces) articles in one transaction.
pub async fn put_articles(articles: &[Article]) -> Result<(), Error> {
    let records = articles
        .iter()
        .map(|a| Ok((Key::Id(a.id as f64), encode(a)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    put_json(ARTICLES, records).await
}

/// Stores articles given as (id, JSON as the server sent it) in one transaction.
pub async fn put_article_json(records: Vec<(i64, String)>) -> Result<(), Error> {
    let records = records
        .into_iter()
        .map(|(id, json)| (Key::Id(id as f64), json))
        .collect();
    put_json(ARTICLES, records).await
}

/// Every stored article, newest first.
pub async fn articles() -> Result<Vec<Article>, Error> {
    let mut articles = get_all_json(ARTICLES)
        .await?
        .iter()
        .map(|json| decode::<Article>(json))
        .collect::<Result<Vec<_>, Error>>()?;
    // RFC 3339 UTC strings of the same shape sort like the instants they name.
    articles.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
    Ok(articles)
}

/// One stored article.
pub async fn article(id: i64) -> Result<Option<Article>, Error> {
    get_json(ARTICLES, Key::Id(id as f64))
        .await?
        .map(|json| decode(&json))
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
