//! Thin wrappers over browser APIs (document, connectivity, service worker), free of Leptos so
//! they stay testable and reusable.

pub mod document;
pub mod format;
pub mod geolocation;
pub mod hours;
pub mod lazy_module;
pub mod leaflet;
pub mod network;
pub mod photo;
pub mod push;
pub mod service_worker;
pub mod share;

/// A `performance.mark`, read by the benchmarks (`bench/*.mjs`) to split a measure into steps.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A random (version 4) UUID: `crypto.randomUUID()` where the page is a secure context, else
/// from `Math.random` (only older browsers over plain HTTP lack it).
pub fn uuid() -> String {
    let crypto = web_sys::window().and_then(|w| js_sys::Reflect::get(&w, &"crypto".into()).ok());
    let random_uuid = crypto.as_ref().and_then(|c| {
        let f = js_sys::Reflect::get(c, &"randomUUID".into()).ok()?;
        let f: &js_sys::Function = wasm_bindgen::JsCast::dyn_ref(&f)?;
        f.call0(c).ok()?.as_string()
    });
    random_uuid.unwrap_or_else(|| {
        let mut bytes = [0u8; 16];
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    })
}

/// Asks the browser to keep the app's storage under pressure (`navigator.storage.persist()`):
/// a queued report must not be evicted. Best effort; the answer is not needed.
pub fn request_persistent_storage() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let storage = js_sys::Reflect::get(&window.navigator(), &"storage".into()).ok();
    if let Some(storage) = storage.filter(|s| s.is_object())
        && let Ok(persist) = js_sys::Reflect::get(&storage, &"persist".into())
        && let Some(persist) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&persist)
    {
        let _ = persist.call0(&storage);
    }
}
