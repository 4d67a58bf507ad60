//! The municipal facilities kept on the device: every synced facility, the categories and the
//! sync state, so the list, the map's markers and each facility's sheet work with no network.

use parvis_core::{Facility, FacilityCategory};

use super::db::{FACILITIES, Key, decode, encode, get_all_json, get_json, put_json};
use super::news::SyncState;
use super::{Error, kv};

/// Where the categories are kept in the key/value store.
pub const CATEGORIES_KEY: &str = "facilities.categories";
const SYNC_KEY: &str = "facilities.sync";

/// Stores (inserts or replaces) facilities in one transaction.
pub async fn put_facilities(facilities: &[Facility]) -> Result<(), Error> {
    let records = facilities
        .iter()
        .map(|f| Ok((Key::Id(f.id as f64), encode(f)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    put_json(FACILITIES, records).await
}

/// Stores facilities given as (id, JSON as the server sent it) in one transaction.
pub async fn put_facility_json(records: Vec<(i64, String)>) -> Result<(), Error> {
    let records = records
        .into_iter()
        .map(|(id, json)| (Key::Id(id as f64), json))
        .collect();
    put_json(FACILITIES, records).await
}

/// Every stored facility, by id.
pub async fn facilities() -> Result<Vec<Facility>, Error> {
    // IndexedDB returns records in key order: by id already.
    get_all_json(FACILITIES)
        .await?
        .iter()
        .map(|json| decode::<Facility>(json))
        .collect()
}

/// One stored facility.
pub async fn facility(id: i64) -> Result<Option<Facility>, Error> {
    get_json(FACILITIES, Key::Id(id as f64))
        .await?
        .map(|json| decode(&json))
        .transpose()
}

/// The facility categories as last synced.
pub async fn categories() -> Result<Vec<FacilityCategory>, Error> {
    Ok(kv::get(CATEGORIES_KEY).await?.unwrap_or_default())
}

/// Where the last facilities sync stopped.
pub async fn sync_state() -> Result<SyncState, Error> {
    Ok(kv::get(SYNC_KEY).await?.unwrap_or_default())
}

/// Records a finished facilities sync.
pub async fn put_sync_state(state: &SyncState) -> Result<(), Error> {
    kv::put(SYNC_KEY, state).await
}
