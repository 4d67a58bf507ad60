//! The agenda kept on the device: every synced event, the categories and the sync state, so
//! the agenda opens, searches and filters with no network.

use parvis_core::{Event, EventCategory};

use super::db::{self, EVENTS, Key, all_as_array, decode, delete, encode, put_json};
use super::news::SyncState;
use super::{Error, kv};

/// Every event in one record (see [`db::snapshot`]), rewritten by a sync that changed them:
/// IndexedDB reads one 1.4 MB record some fifteen times faster than 2,000 small ones, and the
/// first screen waits for that read. Removed before the events change, so it is never stale.
pub const SNAPSHOT_KEY: &str = "agenda.snapshot";

/// Where the categories are kept in the key/value store.
pub const CATEGORIES_KEY: &str = "agenda.categories";
const SYNC_KEY: &str = "agenda.sync";

/// Stores (inserts or replaces) events in one transaction.
pub async fn put_events(events: &[Event]) -> Result<(), Error> {
    let records = events
        .iter()
        .map(|e| Ok((Key::Id(e.id as f64), encode(e)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    drop_snapshot().await?;
    put_json(EVENTS, records).await
}

/// Stores events given as (id, JSON as the server sent it) in one transaction.
pub async fn put_event_json(records: Vec<(i64, String)>) -> Result<(), Error> {
    let records = records
        .into_iter()
        .map(|(id, json)| (Key::Id(id as f64), json))
        .collect();
    drop_snapshot().await?;
    put_json(EVENTS, records).await
}

/// Every stored event, in start order.
pub async fn events() -> Result<Vec<Event>, Error> {
    let json = match db::snapshot(SNAPSHOT_KEY).await? {
        Some(json) => json,
        None => all_as_array(EVENTS).await?,
    };
    let mut events = decode::<Vec<Event>>(&json)?;
    // UTC RFC 3339 strings of one shape sort like their instants.
    events.sort_by(|a, b| a.start.cmp(&b.start).then(a.id.cmp(&b.id)));
    Ok(events)
}

/// Removes events that ended before `date` (`YYYY-MM-DD`), so the store stays bounded.
pub async fn remove_ended_before(date: &str) -> Result<usize, Error> {
    let old: Vec<Key> = events()
        .await?
        .into_iter()
        .filter(|e| e.local_last_date.as_str() < date)
        .map(|e| Key::Id(e.id as f64))
        .collect();
    let count = old.len();
    if count > 0 {
        drop_snapshot().await?;
        delete(EVENTS, old).await?;
    }
    Ok(count)
}

/// Writes the one-record copy of every event read by [`events`], after a sync changed
/// `changed` events (see [`db::save_snapshot`]).
pub async fn save_snapshot(changed: usize) -> Result<(), Error> {
    db::save_snapshot(EVENTS, SNAPSHOT_KEY, changed).await
}

/// Removes the one-record copy (before the events change).
async fn drop_snapshot() -> Result<(), Error> {
    db::drop_snapshot(SNAPSHOT_KEY).await
}

/// The event categories as last synced.
pub async fn categories() -> Result<Vec<EventCategory>, Error> {
    Ok(kv::get(CATEGORIES_KEY).await?.unwrap_or_default())
}

/// Replaces the stored categories.
pub async fn put_categories(categories: &[EventCategory]) -> Result<(), Error> {
    kv::put(CATEGORIES_KEY, &categories).await
}

/// Where the last agenda sync stopped.
pub async fn sync_state() -> Result<SyncState, Error> {
    Ok(kv::get(SYNC_KEY).await?.unwrap_or_default())
}

/// Records a finished agenda sync.
pub async fn put_sync_state(state: &SyncState) -> Result<(), Error> {
    kv::put(SYNC_KEY, state).await
}
