//! Sharing a link: the Web Share API where the device has it, else a copy to the clipboard.

use wasm_bindgen_futures::JsFuture;

/// How a link was shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    /// The system share sheet took it (or the resident closed it).
    Sheet,
    /// The link is in the clipboard.
    Copied,
    /// Neither works here.
    Failed,
}

/// Shares `url` with `title`.
pub async fn share(title: &str, url: &str) -> Shared {
    let Some(window) = web_sys::window() else {
        return Shared::Failed;
    };
    let navigator = window.navigator();
    if js_sys::Reflect::has(&navigator, &"share".into()).unwrap_or(false) {
        let data = web_sys::ShareData::new();
        data.set_title(title);
        data.set_url(url);
        // A closed sheet rejects with AbortError: that is still the sheet's answer.
        let _ = JsFuture::from(navigator.share_with_data(&data)).await;
        return Shared::Sheet;
    }
    let clipboard = navigator.clipboard();
    match JsFuture::from(clipboard.write_text(url)).await {
        Ok(_) => Shared::Copied,
        Err(_) => Shared::Failed,
    }
}

/// The absolute URL of an app path, for sharing.
pub fn absolute_url(path: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{path}")
}
