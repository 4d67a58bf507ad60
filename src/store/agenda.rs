//! The agenda kept on the device: every synced event, the categories and the sync state, so
//! the agenda opens, searches and filters with no network.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use parvis_core::{Event, EventCategory};

use super::db::{EVENTS, open};
use super::news::SyncState;
use super::{Error, kv};

const CATEGORIES_KEY: &str = "agenda.categories";
const SYNC_KEY: &str = "agenda.sync";

/// Stores (inserts or replaces) events in one transaction.
pub async fn put_events(events: &[Event]) -> Result<(), Error> {
    let db = open().await?;
    let tx = db
        .transaction(EVENTS)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let store = tx.object_store(EVENTS)?;
    for event in events {
        let json = serde_json::to_string(event).map_err(|e| Error::Decode(e.to_string()))?;
        store.put(json).with_key(event.id as f64).primitive()?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every stored event, in start order.
pub async fn events() -> Result<Vec<Event>, Error> {
    let db = open().await?;
    let tx = db.transaction(EVENTS).build()?;
    let store = tx.object_store(EVENTS)?;
    let raw = store.get_all::<String>().primitive()?.await?;
    let mut events = Vec::new();
    for json in raw {
        events
            .push(serde_json::from_str::<Event>(&json?).map_err(|e| Error::Decode(e.to_string()))?);
    }
    // UTC RFC 3339 strings of one shape sort like their instants.
    events.sort_by(|a, b| a.start.cmp(&b.start).then(a.id.cmp(&b.id)));
    Ok(events)
}

/// Removes events that ended before `date` (`YYYY-MM-DD`), so the store stays bounded.
pub async fn remove_ended_before(date: &str) -> Result<usize, Error> {
    let old: Vec<i64> = events()
        .await?
        .into_iter()
        .filter(|e| e.local_last_date.as_str() < date)
        .map(|e| e.id)
        .collect();
    if old.is_empty() {
        return Ok(0);
    }
    let db = open().await?;
    let tx = db
        .transaction(EVENTS)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let store = tx.object_store(EVENTS)?;
    for id in &old {
        store.delete(*id as f64).primitive()?;
    }
    tx.commit().await?;
    Ok(old.len())
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
