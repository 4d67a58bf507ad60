//! The agenda: categories from the configuration, the iCalendar and OpenAgenda importers
//! (recurrences expanded, one transaction per feed), the scheduled polling of the configured
//! feeds and the iCalendar export.

pub mod config;
pub mod export;
pub mod ical;
pub mod import;
pub mod openagenda;
pub mod poll;
pub mod text;
pub mod times;
