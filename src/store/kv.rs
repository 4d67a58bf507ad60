//! A key/value object store in the `parvis` IndexedDB database; values are JSON documents.
//!
//! JSON strings (rather than structured clones) keep the format explicit and versionable:
//! a value written by an older app that no longer decodes is reported as `Error::Decode`.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Error;
use super::db::{KV, Key, decode, delete as delete_records, encode, get_json, put_json};

/// Reads the value stored under `key`, if any.
pub async fn get<T: DeserializeOwned>(key: &str) -> Result<Option<T>, Error> {
    get_json(KV, Key::Name(key.to_owned()))
        .await?
        .map(|json| decode(&json))
        .transpose()
}

/// Stores `value` under `key`, replacing what was there, in one committed transaction.
pub async fn put<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<(), Error> {
    let json = encode(value)?;
    put_json(KV, vec![(Key::Name(key.to_owned()), json)]).await
}

/// Removes the value stored under `key` (nothing happens if there is none).
pub async fn delete(key: &str) -> Result<(), Error> {
    delete_records(KV, vec![Key::Name(key.to_owned())]).await
}

/// Stores a JSON document as it is (already validated by the caller).
pub async fn put_json_text(key: &str, json: String) -> Result<(), Error> {
    put_json(KV, vec![(Key::Name(key.to_owned()), json)]).await
}
