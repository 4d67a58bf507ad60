//! The app's IndexedDB database: its name, its object stores and their upgrades.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;

use super::Error;

/// Name of the app's IndexedDB database.
pub const DB_NAME: &str = "parvis";
/// Schema version: bump it, and add a step below, when a store is added.
pub const DB_VERSION: u32 = 3;
/// Small JSON documents by key (identity, preferences shared with the service worker…).
pub const KV: &str = "kv";
/// News articles by id, as JSON.
pub const ARTICLES: &str = "articles";
/// Agenda events by id, as JSON.
pub const EVENTS: &str = "events";

/// Opens (and creates or upgrades) the database.
pub async fn open() -> Result<Database, Error> {
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
            Ok(())
        })
        .await?;
    Ok(db)
}
