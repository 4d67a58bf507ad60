//! The app's side of the lazy module (see `crate::lazy_module`): loads it once, through
//! `/lazy_loader.js`, mounts its screens (reporting) into the element the app's route table
//! gives them, and asks it to turn notifications on.

use std::cell::Cell;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The script that loads and starts the module (`public/lazy_loader.js`).
const LOADER: &str = "/lazy_loader.js";
/// See `crate::lazy_module::GLOBAL` and `READY_EVENT` (the module's side).
const GLOBAL: &str = "parvisLazy";
const READY_EVENT: &str = "parvis:lazy-ready";

fn api() -> Option<JsValue> {
    let window = web_sys::window()?;
    Reflect::get(&window, &GLOBAL.into())
        .ok()
        .filter(|api| api.is_object())
}

/// Loads and starts the module, once; later calls wait for the same load.
pub async fn load() -> Result<JsValue, String> {
    if let Some(api) = api() {
        return Ok(api);
    }
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let ready = Promise::new(&mut |resolve: Function, reject: Function| {
        let _ = window.add_event_listener_with_callback(READY_EVENT, &resolve);
        let _ = window.add_event_listener_with_callback("parvis:lazy-failed", &reject);
        // Another caller may have started loading it: both hear the same event.
        if document.get_element_by_id("lazy-loader").is_none()
            && let Ok(script) = document.create_element("script")
            && let Some(head) = document.head()
        {
            script.set_id("lazy-loader");
            let _ = script.set_attribute("src", LOADER);
            let _ = script.add_event_listener_with_callback("error", &reject);
            let _ = head.append_child(&script);
        }
    });
    JsFuture::from(ready)
        .await
        .map_err(|_| "the lazy module did not load".to_owned())?;
    api().ok_or_else(|| "the lazy module did not start".to_owned())
}

fn call(api: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let f = Reflect::get(api, &name.into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    match args {
        [a, b] => f.call2(api, a, b).ok(),
        [a] => f.call1(api, a).ok(),
        _ => None,
    }
}

thread_local! {
    /// The module screen the app shows now, if any, and the token of what is mounted.
    static WANTED: Cell<Option<&'static str>> = const { Cell::new(None) };
    static TOKEN: Cell<f64> = const { Cell::new(0.0) };
}

/// The element the app's route table gives a module screen (see `app.rs`).
pub const ROOT_ID: &str = "ecran-module";

/// Shows a module screen (`signaler`, `mes-signalements`) in the app's `#ecran-module`, loading
/// the module first if needed, or (`None`) takes the shown one down. `failed` is said in place
/// of the screen if the module cannot load.
pub fn show(screen: Option<&'static str>, failed: &'static str) {
    let old = TOKEN.replace(0.0);
    if old > 0.0
        && let Some(api) = api()
    {
        call(&api, "unmount", &[old.into()]);
    }
    WANTED.set(screen);
    let Some(screen) = screen else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = load().await;
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(ROOT_ID))
            .filter(|_| WANTED.get() == Some(screen))
        else {
            return;
        };
        match loaded {
            Ok(api) => {
                root.set_inner_html("");
                if let Some(token) = call(&api, "mount", &[root.into(), screen.into()]) {
                    TOKEN.set(token.as_f64().unwrap_or(0.0));
                }
            }
            Err(_) => root.set_text_content(Some(failed)),
        }
    });
}

/// Turns notifications on through the module (see `crate::lazy_module`): `"on"`, `"denied"`
/// or `"failed"`.
pub async fn enable_push(themes: &[String], locale: &str) -> String {
    let Ok(api) = load().await else {
        return "failed".to_owned();
    };
    let themes: js_sys::Array = themes.iter().map(|t| JsValue::from_str(t)).collect();
    let Some(promise) = call(&api, "enablePush", &[themes.into(), locale.into()]) else {
        return "failed".to_owned();
    };
    JsFuture::from(Promise::resolve(&promise))
        .await
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "failed".to_owned())
}

/// Loads the module now if the outbox holds a report (it then sends it): called at start.
pub fn load_if_pending() {
    if crate::store::prefs::reports_pending() {
        wasm_bindgen_futures::spawn_local(async {
            let _ = load().await;
        });
    }
}
