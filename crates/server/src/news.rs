//! News: themes from the configuration, sanitising of imported HTML, the feed importer, the
//! mirroring of article images and the scheduled polling of the configured feeds.

pub mod config;
pub mod import;
pub mod mirror;
pub mod poll;
pub mod sanitize;
