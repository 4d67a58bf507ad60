//! Connectivity as the browser sees it (`navigator.onLine` and the online/offline events).

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Whether the browser believes it has a network. `false` is reliable, `true` only means
/// "maybe": callers still handle network errors.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Calls `callback(is_online)` on every `online`/`offline` event, for the page's lifetime.
pub fn on_change(callback: impl Fn(bool) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = std::rc::Rc::new(callback);
    for (event, online) in [("online", true), ("offline", false)] {
        let callback = callback.clone();
        let listener = Closure::<dyn Fn()>::new(move || callback(online));
        let _ = window.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        listener.forget();
    }
}

/// Calls `callback` each time the page becomes visible again (the phone unlocked, the app
/// brought back), for the page's lifetime.
pub fn on_visible(callback: impl Fn() + 'static) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let target = document.clone();
    let listener = Closure::<dyn Fn()>::new(move || {
        if !target.hidden() {
            callback();
        }
    });
    let _ = document
        .add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
    listener.forget();
}
