//! Open-data feeds outside the JSON API, for other sites and feed readers.

pub mod agenda;
pub mod facilities;
pub mod news;
