//! Parvis, the resident app of a French commune: a Leptos (CSR) PWA that keeps working offline.
//!
//! Layers: `pages` own their data and read `store`; `components` only render props; `api` is the
//! only code that talks to the network, `store` the only code that persists, `platform` the only
//! code that touches other browser APIs.

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod identity;
pub mod lazy_module;
pub mod pages;
pub mod platform;
pub mod router;
pub mod state;
pub mod store;
pub mod sync;

/// Starts the app: replaces the static "Chargement…" placeholder with the mounted Leptos tree.
pub fn start() {
    console_error_panic_hook::set_once();
    platform::document::remove_boot_placeholder();
    leptos::mount::mount_to_body(app::App);
}
