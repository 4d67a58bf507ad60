//! Thin wrappers over browser APIs (document, connectivity, service worker), free of Leptos so
//! they stay testable and reusable.

pub mod document;
pub mod format;
pub mod network;
pub mod push;
pub mod service_worker;
pub mod share;

/// Resolves on a later turn of the event loop (`setTimeout(0)`), after the work already
/// scheduled, such as rendering, has run.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
