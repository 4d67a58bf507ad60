//! The document outside the Leptos tree: `<html lang>`, the title, `theme-color`, CSS variables.
//!
//! Colours are set through the CSSOM, not a `style` attribute, because the server's CSP
//! (`style-src 'self'`) forbids inline style attributes but not CSSOM changes.

use parvis_core::Color;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Removes the static "Chargement…" placeholder of index.html before the app mounts.
pub fn remove_boot_placeholder() {
    if let Some(boot) = document().and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
}

/// Sets `<html lang>` so screen readers and hyphenation use the right language.
pub fn set_lang(tag: &str) {
    if let Some(html) = document().and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", tag);
    }
}

/// Sets the window title.
pub fn set_title(title: &str) {
    if let Some(d) = document() {
        d.set_title(title);
    }
}

/// Applies the commune's colours: CSS custom properties and the browser's `theme-color`.
pub fn apply_colors(primary: Color, primary_dark_theme: Color) {
    let Some(d) = document() else { return };
    if let Some(html) = d.document_element()
        && let Ok(html) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(html)
    {
        let style = html.style();
        let _ = style.set_property("--brand", &primary.to_string());
        let _ = style.set_property("--brand-dark-theme", &primary_dark_theme.to_string());
    }
    if let Ok(Some(meta)) = d.query_selector("meta[name=theme-color]") {
        let _ = meta.set_attribute("content", &primary.to_string());
    }
}

/// Turns fetched bytes into a `data:` URL, so an image can be kept in IndexedDB and shown
/// offline (the CSP allows `data:` images).
pub fn data_url(content_type: &str, bytes: &[u8]) -> Option<String> {
    // `btoa` takes a "binary string": one char per byte.
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    let encoded = web_sys::window()?.btoa(&binary).ok()?;
    Some(format!("data:{content_type};base64,{encoded}"))
}

/// Moves keyboard and screen-reader focus to the first element matching `selector` (a heading
/// with `tabindex="-1"`, a form control), if there is one.
pub fn focus_first(selector: &str) {
    let element = document().and_then(|d| d.query_selector(selector).ok().flatten());
    // `focus()` called through `Reflect`: no extra binding in the first-visit glue.
    if let Some(element) = element
        && let Ok(focus) = js_sys::Reflect::get(&element, &"focus".into())
        && let Ok(focus) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(focus)
    {
        let _ = focus.call0(&element);
    }
}

// Imperative updates of a screen drawn once as HTML (the report form): a handful of
// non-generic calls instead of a reactive view per element keeps the first-visit Wasm small.

/// The element with this id, if it is in the page.
pub fn by_id(id: &str) -> Option<web_sys::Element> {
    document()?.get_element_by_id(id)
}

/// Replaces the content of element `id` with `html` (already escaped).
pub fn set_html(id: &str, html: &str) {
    if let Some(element) = by_id(id) {
        element.set_inner_html(html);
    }
}

/// Replaces the content of element `id` with `text`.
pub fn set_text(id: &str, text: &str) {
    if let Some(element) = by_id(id) {
        element.set_text_content(Some(text));
    }
}

/// Sets (`Some`) or removes (`None`) an attribute of element `id`.
pub fn set_attribute(id: &str, name: &str, value: Option<&str>) {
    if let Some(element) = by_id(id) {
        let _ = match value {
            Some(value) => element.set_attribute(name, value),
            None => element.remove_attribute(name),
        };
    }
}

/// The `value` of a form control (input or textarea) by id; empty if absent.
pub fn value_of(id: &str) -> String {
    by_id(id)
        .and_then(|e| js_sys::Reflect::get(&e, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Sets the `value` of a form control by id.
pub fn set_value(id: &str, value: &str) {
    if let Some(element) = by_id(id) {
        let _ = js_sys::Reflect::set(&element, &"value".into(), &value.into());
    }
}
