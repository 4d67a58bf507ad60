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

/// A `performance.mark`, read by the benchmarks (`bench/*.mjs`) to split a measure into steps.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
