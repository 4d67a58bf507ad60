//! Keeps the device in step with the server: connectivity as a signal, news pulled into the
//! store with `since`, and the push subscription's themes sent through a small outbox that
//! survives being offline and closing the app.

pub mod reports;

use leptos::prelude::*;
use parvis_core::push::PushThemes;
use serde::{Deserialize, Serialize};

use crate::i18n::Text;
use crate::platform::network;
use crate::store::news::SyncState;
use crate::{api, store};

/// Whether the browser has a network (tracked).
#[derive(Debug, Clone, Copy)]
pub struct Connectivity {
    online: RwSignal<bool>,
}

impl Connectivity {
    /// `false` when the browser knows it is offline.
    pub fn is_online(self) -> bool {
        self.online.get()
    }
}

/// Provides the connectivity context, updated by the browser's online/offline events.
pub fn provide_connectivity() -> Connectivity {
    let online = RwSignal::new(network::is_online());
    network::on_change(move |now| online.set(now));
    let connectivity = Connectivity { online };
    provide_context(connectivity);
    connectivity
}

/// The connectivity context provided by the app.
pub fn use_connectivity() -> Connectivity {
    expect_context::<Connectivity>()
}

/// Why a sync did not finish.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Api(#[from] api::Error),
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl SyncError {
    /// The message to show a resident.
    pub fn text(&self) -> Text {
        match self {
            SyncError::Api(e) if e.is_retryable() => Text::ServerUnreachable,
            SyncError::Api(_) => Text::ServerRefused,
            SyncError::Store(_) => Text::StorageUnavailable,
        }
    }
}

/// A page of a collection with its items left as raw JSON.
#[derive(Deserialize)]
struct RawPage<'a> {
    #[serde(borrow)]
    items: Vec<&'a serde_json::value::RawValue>,
    next_cursor: Option<String>,
    sync_token: String,
}

/// Checks every item of a page as `T` (a bad item fails the sync instead of poisoning the
/// store) and returns them as (id, JSON) records.
fn checked_items<T: serde::de::DeserializeOwned>(
    page: &RawPage<'_>,
    id: impl Fn(&T) -> i64,
) -> Result<Vec<(i64, String)>, SyncError> {
    page.items
        .iter()
        .map(|raw| {
            let item: T =
                serde_json::from_str(raw.get()).map_err(|e| api::Error::Decode(e.to_string()))?;
            Ok((id(&item), raw.get().to_owned()))
        })
        .collect()
}

fn parse_page(text: &str) -> Result<RawPage<'_>, SyncError> {
    serde_json::from_str(text).map_err(|e| SyncError::Api(api::Error::Decode(e.to_string())))
}

/// Checks a page's items as one collection's type, as (id, JSON) records.
type CheckPage = fn(&RawPage<'_>) -> Result<Vec<(i64, String)>, SyncError>;

/// Pulls every page of a collection (`path` of a cursor) into the object store `store`, and
/// returns the last page's sync token and how many records it stored. One non-generic copy of
/// the paging loop for the news, the agenda and the facilities keeps the app's Wasm smaller.
async fn pull_pages(
    path: &dyn Fn(Option<&str>) -> String,
    check: CheckPage,
    store: &'static str,
    snapshot: Option<&str>,
) -> Result<(String, usize), SyncError> {
    let mut cursor: Option<String> = None;
    let mut stored = 0;
    loop {
        let text = api::fetch_json_text(&path(cursor.as_deref())).await?;
        let page = parse_page(&text)?;
        let records: Vec<_> = check(&page)?
            .into_iter()
            .map(|(id, json)| (store::db::Key::Id(id as f64), json))
            .collect();
        // The store's one-record copy goes before its first change: a sync cut short then
        // leaves no stale copy behind, and one that changes nothing leaves the copy be.
        if let Some(name) = snapshot
            && stored == 0
            && !records.is_empty()
        {
            store::db::drop_snapshot(name).await?;
        }
        stored += records.len();
        store::db::put_json(store, records).await?;
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok((page.sync_token, stored)),
        }
    }
}

/// Fetches a JSON list, checks it as `Vec<T>` and stores it as it came under `key`.
pub(crate) async fn sync_list<T: serde::de::DeserializeOwned>(
    path: &str,
    key: &str,
) -> Result<(), SyncError> {
    let text = api::fetch_json_text(path).await?;
    serde_json::from_str::<Vec<T>>(&text).map_err(|e| api::Error::Decode(e.to_string()))?;
    store::kv::put_json_text(key, text).await?;
    Ok(())
}

/// Pulls themes and every article changed since the last sync into the store.
pub async fn sync_news() -> Result<(), SyncError> {
    sync_list::<parvis_core::Theme>("/themes", store::news::THEMES_KEY).await?;
    let state = store::news::sync_state().await?;
    let since = state.token.as_deref();
    let (token, _) = pull_pages(
        &|cursor| api::page_path("news", 100, None, since, cursor),
        |page| checked_items::<parvis_core::Article>(page, |a| a.id),
        store::db::ARTICLES,
        None,
    )
    .await?;
    store::news::put_sync_state(&SyncState {
        token: Some(token),
        synced_at: Some(js_sys::Date::now() as i64),
    })
    .await?;
    warm_news_images().await;
    Ok(())
}

/// How many recent articles get their images kept for offline reading.
const OFFLINE_IMAGE_ARTICLES: usize = 60;

/// Asks for the images of recent articles so the service worker caches them (cache-first:
/// the ones already there cost nothing). Best effort: a missing image only stays missing.
async fn warm_news_images() {
    let Ok(articles) = store::news::articles().await else {
        return;
    };
    for article in articles.iter().take(OFFLINE_IMAGE_ARTICLES) {
        for url in article
            .image_url
            .iter()
            .cloned()
            .chain(media_sources(&article.body_html))
        {
            if url.starts_with("/media/") {
                let _ = api::warm(&url).await;
            }
        }
    }
}

/// The `/media/…` image sources in a sanitised body (the server rewrites every image there).
fn media_sources(html: &str) -> Vec<String> {
    html.split("src=\"/media/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|path| format!("/media/{path}"))
        .collect()
}

const PUSH_KEY: &str = "push.subscription";
const PUSH_PENDING_KEY: &str = "push.pending_themes";

/// This browser's push subscription as the server knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSubscription {
    pub id: String,
    pub endpoint: String,
    pub themes: Vec<String>,
}

/// The stored subscription, if notifications are on.
pub async fn push_subscription() -> Option<StoredSubscription> {
    store::kv::get(PUSH_KEY).await.ok().flatten()
}

/// Remembers (or forgets) the subscription.
pub async fn set_push_subscription(
    subscription: Option<&StoredSubscription>,
) -> Result<(), store::Error> {
    match subscription {
        Some(s) => store::kv::put(PUSH_KEY, s).await,
        None => {
            store::kv::delete(PUSH_PENDING_KEY).await?;
            store::kv::delete(PUSH_KEY).await
        }
    }
}

/// Queues the new themes for the push subscription (if any) and tries to send them.
pub async fn push_themes_changed(themes: Vec<String>) {
    if push_subscription().await.is_none() {
        return;
    }
    if store::kv::put(PUSH_PENDING_KEY, &themes).await.is_ok() {
        flush_push_outbox().await;
    }
}

/// Sends queued theme changes; they stay queued until the server answers 2xx.
pub async fn flush_push_outbox() {
    if !network::is_online() {
        return;
    }
    let Ok(Some(themes)) = store::kv::get::<Vec<String>>(PUSH_PENDING_KEY).await else {
        return;
    };
    let Some(mut subscription) = push_subscription().await else {
        return;
    };
    match api::update_push_themes(&subscription.id, &PushThemes { themes }).await {
        Ok(saved) => {
            subscription.themes = saved.themes;
            let _ = store::kv::put(PUSH_KEY, &subscription).await;
            let _ = store::kv::delete(PUSH_PENDING_KEY).await;
        }
        // The server forgot this subscription (expired): notifications are off.
        Err(api::Error::Api { status: 404, .. }) => {
            let _ = set_push_subscription(None).await;
        }
        // Kept for the next flush (start, `online`).
        Err(_) => {}
    }
}

/// Pulls the agenda into the store: the first time every event from `today` (the server's
/// default window, six months), then only what changed. Ended events are dropped.
pub async fn sync_agenda(today: &str) -> Result<(), SyncError> {
    sync_list::<parvis_core::EventCategory>("/event-categories", store::agenda::CATEGORIES_KEY)
        .await?;
    let state = store::agenda::sync_state().await?;
    let from = state.token.is_none().then_some(today);
    let since = state.token.as_deref();
    let (token, stored) = pull_pages(
        &|cursor| api::page_path("events", 500, from, since, cursor),
        |page| checked_items::<parvis_core::Event>(page, |e| e.id),
        store::db::EVENTS,
        Some(store::agenda::SNAPSHOT_KEY),
    )
    .await?;
    let removed = store::agenda::remove_ended_before(today).await?;
    store::agenda::save_snapshot(stored + removed).await?;
    store::agenda::put_sync_state(&SyncState {
        token: Some(token),
        synced_at: Some(js_sys::Date::now() as i64),
    })
    .await?;
    Ok(())
}

/// Pulls the facilities into the store: every facility the first time, then only what changed
/// since the last sync (an unchanged collection answers 304 through the HTTP cache).
pub async fn sync_facilities() -> Result<(), SyncError> {
    sync_list::<parvis_core::FacilityCategory>(
        "/facility-categories",
        store::facilities::CATEGORIES_KEY,
    )
    .await?;
    let state = store::facilities::sync_state().await?;
    let since = state.token.as_deref();
    let (token, stored) = pull_pages(
        &|cursor| api::page_path("facilities", 500, None, since, cursor),
        |page| checked_items::<store::facilities::Facility>(page, |f| f.id),
        store::db::FACILITIES,
        Some(store::facilities::SNAPSHOT_KEY),
    )
    .await?;
    store::facilities::save_snapshot(stored).await?;
    store::facilities::put_sync_state(&SyncState {
        token: Some(token),
        synced_at: Some(js_sys::Date::now() as i64),
    })
    .await?;
    Ok(())
}
