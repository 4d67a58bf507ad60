//! The app's IndexedDB database: its name, its object stores and their upgrades.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use std::cell::RefCell;

use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::transaction::TransactionMode;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::Error;

/// Name of the app's IndexedDB database.
pub const DB_NAME: &str = "parvis";
/// Schema version: bump it, and add a step below, when a store is added.
pub const DB_VERSION: u32 = 5;
/// Small JSON documents by key (identity, preferences shared with the service worker…).
pub const KV: &str = "kv";
/// News articles by id, as JSON.
pub const ARTICLES: &str = "articles";
/// Agenda events by id, as JSON.
pub const EVENTS: &str = "events";
/// Municipal facilities by id, as JSON.
pub const FACILITIES: &str = "facilities";
/// The resident's reports by local key (a UUID, also their `Idempotency-Key`), as JSON: the
/// outbox (queued, failed) and the ones sent, followed up.
pub const REPORTS: &str = "reports";
/// The photos of queued reports by the same key: an array of JPEG Blobs, kept apart so the
/// JSON records stay small and a sent report's photos can be dropped alone.
pub const REPORT_PHOTOS: &str = "report_photos";

thread_local! {
    /// The one-record copies (by name) found by their last read, or written since: a sync that
    /// changed nothing leaves those as they are (see [`save_snapshot`]).
    static SNAPSHOTS_FOUND: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// The open connection, shared by every read and write: opening IndexedDB costs several
    /// milliseconds each time, which the first screen cannot afford.
    static CONNECTION: RefCell<Option<Database>> = const { RefCell::new(None) };
}

/// The database, opened (and created or upgraded) on first use.
pub async fn open() -> Result<Database, Error> {
    if let Some(db) = CONNECTION.with_borrow(Clone::clone) {
        return Ok(db);
    }
    let db = Database::open(DB_NAME)
        .with_version(DB_VERSION)
        .with_on_upgrade_needed(|event, db| {
            // Each step runs once, in order, from whatever version the device has.
            let old = event.old_version();
            if old < 1.0 {
                db.create_object_store(KV).build()?;
            }
            if old < 2.0 {
                db.create_object_store(ARTICLES).build()?;
            }
            if old < 3.0 {
                db.create_object_store(EVENTS).build()?;
            }
            if old < 4.0 {
                db.create_object_store(FACILITIES).build()?;
            }
            if old < 5.0 {
                db.create_object_store(REPORTS).build()?;
                db.create_object_store(REPORT_PHOTOS).build()?;
            }
            Ok(())
        })
        .await?;
    // A newer version of the app opening the database in another tab must not wait for this
    // one: let go of the connection (the next call opens a fresh one).
    let connection: web_sys::IdbDatabase = (**db.as_sys()).clone();
    let on_version_change = Closure::<dyn FnMut()>::new(move || {
        connection.close();
        CONNECTION.with_borrow_mut(|c| *c = None);
    });
    db.as_sys()
        .set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    on_version_change.forget();
    CONNECTION.with_borrow_mut(|c| *c = Some(db.clone()));
    Ok(db)
}

/// A record's key: a name in the key/value store, an id elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Name(String),
    Id(f64),
}

// The primitives below are deliberately non-generic: each typed reader or writer of the store
// shares one copy of the IndexedDB code, which keeps the app's Wasm small.

/// The JSON stored under `key` in `store`, if any.
pub async fn get_json(store: &'static str, key: Key) -> Result<Option<String>, Error> {
    let db = open().await?;
    let tx = db.transaction(store).build()?;
    let object_store = tx.object_store(store)?;
    let raw: Option<String> = match key {
        Key::Name(name) => object_store.get(name).primitive()?.await?,
        Key::Id(id) => object_store.get(id).primitive()?.await?,
    };
    Ok(raw)
}

/// Every JSON record of `store`, in key order.
pub async fn get_all_json(store: &'static str) -> Result<Vec<String>, Error> {
    let db = open().await?;
    let tx = db.transaction(store).build()?;
    let object_store = tx.object_store(store)?;
    let raw = object_store.get_all::<String>().primitive()?.await?;
    raw.map(|json| json.map_err(Error::from)).collect()
}

/// Every JSON record of `store` as one JSON array, in key order.
pub async fn all_as_array(store: &'static str) -> Result<String, Error> {
    Ok(format!("[{}]", get_all_json(store).await?.join(",")))
}

// A collection's one-record copy ("snapshot"): every record of its store as one JSON array under
// a name in the key/value store. IndexedDB reads one large record many times faster than
// thousands of small ones, and the first screens wait for that read (the agenda, the map).

/// The one-record copy named `name`, if there is one.
pub async fn snapshot(name: &str) -> Result<Option<String>, Error> {
    let mut json = None;
    if let Some(read) = early_read(name)
        && let Ok(early) = wasm_bindgen_futures::JsFuture::from(read).await
    {
        json = early.as_string();
    }
    if json.is_none() {
        json = get_json(KV, Key::Name(name.to_owned())).await?;
    }
    set_found(name, json.is_some());
    Ok(json)
}

fn set_found(name: &str, found: bool) {
    SNAPSHOTS_FOUND.with_borrow_mut(|names| {
        names.retain(|n| n != name);
        if found {
            names.push(name.to_owned());
        }
    });
}

/// The read of the copy named `name` that preview.js started as the page loaded, while the
/// app's Wasm was still on its way (README, preview.js); taken once, by the first screen.
fn early_read(name: &str) -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str("parvisEarly");
    let early: js_sys::Array = js_sys::Reflect::get(&window, &key).ok()?.dyn_into().ok()?;
    if early.get(0).as_string()? != name {
        return None;
    }
    let _ = js_sys::Reflect::delete_property(&window, &key);
    early.get(1).dyn_into().ok()
}

/// Writes the one-record copy named `name` of every record of `store`, after a sync changed
/// `changed` of them: only when some changed, or when the copy's last read did not find it
/// (a sync cut short after dropping it, or a device synced by an older app).
pub async fn save_snapshot(store: &'static str, name: &str, changed: usize) -> Result<(), Error> {
    if changed == 0 && SNAPSHOTS_FOUND.with_borrow(|names| names.iter().any(|n| n == name)) {
        return Ok(());
    }
    let json = all_as_array(store).await?;
    put_json(KV, vec![(Key::Name(name.to_owned()), json)]).await?;
    set_found(name, true);
    Ok(())
}

/// Removes the one-record copy named `name` (before its store changes).
pub async fn drop_snapshot(name: &str) -> Result<(), Error> {
    delete(KV, vec![Key::Name(name.to_owned())]).await?;
    set_found(name, false);
    Ok(())
}

/// Writes records (insert or replace) in one transaction: all or nothing.
pub async fn put_json(store: &'static str, records: Vec<(Key, String)>) -> Result<(), Error> {
    let db = open().await?;
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let object_store = tx.object_store(store)?;
    for (key, json) in records {
        match key {
            Key::Name(name) => drop(object_store.put(json).with_key(name).primitive()?),
            Key::Id(id) => drop(object_store.put(json).with_key(id).primitive()?),
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes records in one transaction.
pub async fn delete(store: &'static str, keys: Vec<Key>) -> Result<(), Error> {
    let db = open().await?;
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let object_store = tx.object_store(store)?;
    for key in keys {
        match key {
            Key::Name(name) => object_store.delete(name).primitive()?,
            Key::Id(id) => object_store.delete(id).primitive()?,
        };
    }
    tx.commit().await?;
    Ok(())
}

/// Decodes a stored JSON record.
pub fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Error> {
    serde_json::from_str(json).map_err(|e| Error::Decode(e.to_string()))
}

/// Encodes a record for storage.
pub fn encode<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::Decode(e.to_string()))
}

/// Writes a JSON record and, in the same transaction, its companion value (a structured
/// clone: Blobs) under the same name in `values`, or deletes that value (`None`).
pub async fn put_json_with_value(
    store: &'static str,
    values: &'static str,
    name: &str,
    json: String,
    value: Option<&wasm_bindgen::JsValue>,
) -> Result<(), Error> {
    let db = open().await?;
    let tx = db
        .transaction([store, values])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    tx.object_store(store)?
        .put(json)
        .with_key(name)
        .primitive()?;
    let companion = tx.object_store(values)?;
    match value {
        Some(value) => drop(companion.put(value.clone()).with_key(name).primitive()?),
        None => drop(companion.delete(name).primitive()?),
    }
    tx.commit().await?;
    Ok(())
}

/// The structured value stored under `name` in `store`, if any.
pub async fn get_value(
    store: &'static str,
    name: &str,
) -> Result<Option<wasm_bindgen::JsValue>, Error> {
    let db = open().await?;
    let tx = db.transaction(store).build()?;
    let value: Option<wasm_bindgen::JsValue> =
        tx.object_store(store)?.get(name).primitive()?.await?;
    Ok(value.filter(|v| !v.is_undefined()))
}

/// Deletes the record `name` from each of `stores`, in one transaction.
pub async fn delete_everywhere(stores: [&'static str; 2], name: &str) -> Result<(), Error> {
    let db = open().await?;
    let tx = db
        .transaction(stores)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    for store in stores {
        tx.object_store(store)?.delete(name).primitive()?;
    }
    tx.commit().await?;
    Ok(())
}
