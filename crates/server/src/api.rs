//! The JSON API under `/api/v1`, one module per resource.

pub mod agenda;
pub mod commune;
pub mod facilities;
pub mod facility_closures;
pub mod health;
pub mod news;
pub mod news_publish;
pub mod openapi;
pub mod paging;
pub mod push;
pub mod report_updates;
pub mod reports;
