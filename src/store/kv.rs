//! A key/value object store in the `parvis` IndexedDB database; values are JSON documents.
//!
//! JSON strings (rather than structured clones) keep the format explicit and versionable:
//! a value written by an older app that no longer decodes is reported as `Error::Decode`.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Error;

use super::db::{KV, open};

/// Reads the value stored under `key`, if any.
pub async fn get<T: DeserializeOwned>(key: &str) -> Result<Option<T>, Error> {
    let db = open().await?;
    let tx = db.transaction(KV).build()?;
    let store = tx.object_store(KV)?;
    let raw: Option<String> = store.get(key.to_owned()).primitive()?.await?;
    raw.map(|json| serde_json::from_str(&json).map_err(|e| Error::Decode(e.to_string())))
        .transpose()
}

/// Stores `value` under `key`, replacing what was there, in one committed transaction.
pub async fn put<T: Serialize>(key: &str, value: &T) -> Result<(), Error> {
    let json = serde_json::to_string(value).map_err(|e| Error::Decode(e.to_string()))?;
    let db = open().await?;
    let tx = db
        .transaction(KV)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let store = tx.object_store(KV)?;
    store
        .put(json)
        .with_key(key.to_owned())
        .primitive()?
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the value stored under `key` (nothing happens if there is none).
pub async fn delete(key: &str) -> Result<(), Error> {
    let db = open().await?;
    let tx = db
        .transaction(KV)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let store = tx.object_store(KV)?;
    store.delete(key.to_owned()).primitive()?.await?;
    tx.commit().await?;
    Ok(())
}
