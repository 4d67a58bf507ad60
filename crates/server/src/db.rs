//! The database: every SQL statement of the server lives below this module.

pub mod articles;
pub mod events;
pub mod facilities;
pub mod media;
pub mod meta;
pub mod pool;
pub mod push;
pub mod themes;

pub use pool::{Db, connect, ping};
