//! The municipal facilities kept on the device: every synced facility, the categories and the
//! sync state, so the list, the map's markers and each facility's sheet work with no network.

use parvis_core::{FacilityCategory, LatLon, Wheelchair};
use serde::Deserialize;

use super::db::{self, FACILITIES, Key, all_as_array, decode, encode, get_json, put_json};
use super::news::SyncState;
use super::{Error, kv};

/// A facility as the screens read it: the wire type [`parvis_core::Facility`] less its hours
/// and closures, which only the hours worker reads (from the same stored JSON), and what no
/// screen shows. Unknown fields are ignored, so it reads the stored JSON as the server sent
/// it; a smaller deserializer in the first-visit Wasm than the whole wire type's.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Facility {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub address: Option<String>,
    pub position: LatLon,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub wheelchair: Option<Wheelchair>,
    #[serde(default)]
    pub services: Vec<String>,
}

/// Where the categories are kept in the key/value store.
pub const CATEGORIES_KEY: &str = "facilities.categories";
const SYNC_KEY: &str = "facilities.sync";

/// Every facility in one record (see [`db::snapshot`]), rewritten by a sync that changed them: the map
/// and the list wait for this read, and IndexedDB reads one 2 MB record many times faster than
/// 5,000 small ones (see bench/results/facilities.md). Removed before the facilities change,
/// so it is never stale; read from the facilities' own store when missing.
pub const SNAPSHOT_KEY: &str = "facilities.snapshot";

/// Stores (inserts or replaces) facilities in one transaction.
pub async fn put_facilities(facilities: &[parvis_core::Facility]) -> Result<(), Error> {
    let records = facilities
        .iter()
        .map(|f| Ok((Key::Id(f.id as f64), encode(f)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    drop_snapshot().await?;
    put_json(FACILITIES, records).await
}

/// Stores facilities given as (id, JSON as the server sent it) in one transaction.
pub async fn put_facility_json(records: Vec<(i64, String)>) -> Result<(), Error> {
    let records = records
        .into_iter()
        .map(|(id, json)| (Key::Id(id as f64), json))
        .collect();
    drop_snapshot().await?;
    put_json(FACILITIES, records).await
}

/// Every stored facility, by id.
pub async fn facilities() -> Result<Vec<Facility>, Error> {
    Ok(facilities_with_json().await?.0)
}

/// Every stored facility by id, and all of them as one JSON array, as stored (for the hours
/// worker, which reads them itself).
pub async fn facilities_with_json() -> Result<(Vec<Facility>, String), Error> {
    let json = match db::snapshot(SNAPSHOT_KEY).await? {
        Some(json) => json,
        None => all_as_array(FACILITIES).await?,
    };
    Ok((decode::<Vec<Facility>>(&json)?, json))
}

/// Writes the one-record copy of every facility read by [`facilities_with_json`], after a
/// sync changed `changed` facilities (see [`db::save_snapshot`]).
pub async fn save_snapshot(changed: usize) -> Result<(), Error> {
    db::save_snapshot(FACILITIES, SNAPSHOT_KEY, changed).await
}

/// Removes the one-record copy (before the facilities change outside a sync).
async fn drop_snapshot() -> Result<(), Error> {
    db::drop_snapshot(SNAPSHOT_KEY).await
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
