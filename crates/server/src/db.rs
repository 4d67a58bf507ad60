//! The database: every SQL statement of the server lives below this module.

pub mod meta;
pub mod pool;
pub mod push;

pub use pool::{Db, connect, ping};
