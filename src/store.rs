//! On-device persistence: IndexedDB for data the app reads offline, `localStorage` for tiny
//! synchronous preferences. The only module that persists anything.

pub mod agenda;
pub mod db;
pub mod facilities;
pub mod kv;
pub mod news;
pub mod prefs;
pub mod reports;

/// Why reading or writing on the device failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// IndexedDB is missing or refused the operation (private mode, quota, blocked upgrade…).
    #[error("le stockage de l’appareil est indisponible ({0})")]
    Unavailable(String),
    /// A stored value could not be read back as the expected type (older app version…).
    #[error("une donnée enregistrée est illisible ({0})")]
    Decode(String),
}

impl From<indexed_db_futures::error::Error> for Error {
    fn from(e: indexed_db_futures::error::Error) -> Self {
        Error::Unavailable(e.to_string())
    }
}

impl From<indexed_db_futures::error::OpenDbError> for Error {
    fn from(e: indexed_db_futures::error::OpenDbError) -> Self {
        Error::Unavailable(e.to_string())
    }
}
