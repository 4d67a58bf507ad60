//! Thin wrappers over browser APIs (document, connectivity, service worker), free of Leptos so
//! they stay testable and reusable.

pub mod document;
pub mod format;
pub mod geolocation;
pub mod hours;
pub mod leaflet;
pub mod network;
pub mod push;
pub mod service_worker;
pub mod share;
