//! The lazy module, a Wasm binary of its own that runs in the app's page: the reporting
//! screens, the outbox and turning notifications on (see `parvis::lazy_module`). Trunk builds
//! it like a worker (`data-type="worker"`: no-modules glue, left out of the page);
//! `/lazy_loader.js` starts it when the app asks.

#[cfg(target_arch = "wasm32")]
fn main() {
    parvis::lazy_module::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
