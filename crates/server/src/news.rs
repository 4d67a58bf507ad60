//! News: themes from the configuration, sanitising of imported HTML, the feed importer, the
//! mirroring of article images, the scheduled polling of the configured feeds and the
//! articles town-hall tools publish through the API.

pub mod config;
pub mod import;
pub mod mirror;
pub mod poll;
pub mod publish;
pub mod sanitize;
