//! Thin wrappers over browser APIs (document, connectivity, service worker), free of Leptos so
//! they stay testable and reusable.

pub mod document;
pub mod network;
pub mod service_worker;
