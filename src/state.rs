//! App-wide state shared by several screens, each as a `provide_*`/`use_*` context pair:
//! loaded from the store at start, refreshed by `sync`.

pub mod agenda;
pub mod facilities;
pub mod news;
pub mod push;
pub mod reports;
