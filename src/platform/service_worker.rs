//! Bridge to the service worker (`/sw.js`): registration and the "new version" handshake.
//!
//! A new build's worker installs in the background and then *waits*; the app offers
//! "Recharger", which posts `SKIP_WAITING` to it and reloads once the new worker controls the
//! page. The first visit's `clients.claim()` also fires `controllerchange`: only a change the
//! resident asked for reloads.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

const SCRIPT_URL: &str = "/sw.js";

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Absent in insecure contexts and some embedded browsers.
    let has_sw = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    has_sw.then(|| navigator.service_worker())
}

/// Registers the service worker and calls `on_update_ready` whenever a new version is
/// installed and waiting. Does nothing where service workers are unavailable.
pub async fn register(on_update_ready: impl Fn() + 'static) {
    let Some(container) = container() else { return };
    let Ok(registration) = JsFuture::from(container.register(SCRIPT_URL)).await else {
        return;
    };
    let registration: ServiceWorkerRegistration = registration.unchecked_into();
    let on_update_ready: Rc<dyn Fn()> = Rc::new(on_update_ready);
    // A worker that finished installing while the app was closed.
    if registration.waiting().is_some() && container.controller().is_some() {
        on_update_ready();
    }
    let reg = registration.clone();
    let on_update_found = Closure::<dyn Fn()>::new(move || {
        let Some(installing) = reg.installing() else {
            return;
        };
        let worker = installing.clone();
        let on_update_ready = on_update_ready.clone();
        let on_state_change = Closure::<dyn Fn()>::new(move || {
            let has_controller = self::container().and_then(|c| c.controller()).is_some();
            // Without a controller this is the first install, not an update.
            if worker.state() == ServiceWorkerState::Installed && has_controller {
                on_update_ready();
            }
        });
        installing.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
        on_state_change.forget();
    });
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();
}

/// Activates the waiting worker and reloads the page once it controls it.
pub async fn apply_update() {
    let Some(container) = container() else {
        return reload();
    };
    let Ok(registration) = JsFuture::from(container.get_registration()).await else {
        return reload();
    };
    let registration: ServiceWorkerRegistration = registration.unchecked_into();
    let Some(waiting) = registration.waiting() else {
        return reload();
    };
    let reloaded = Rc::new(Cell::new(false));
    let on_controller_change = Closure::<dyn Fn()>::new(move || {
        if !reloaded.replace(true) {
            reload();
        }
    });
    container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
    on_controller_change.forget();
    skip_waiting(&waiting);
}

fn skip_waiting(worker: &ServiceWorker) {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
    let _ = worker.post_message(&message);
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// The Background Sync tag under which the worker flushes the reports outbox.
pub const REPORTS_SYNC_TAG: &str = "parvis-reports";
/// What the worker posts to open pages when Background Sync fires: "flush your outbox".
pub const FLUSH_REPORTS: &str = "parvis:flush-reports";

/// Asks the browser for a Background Sync (where it has one: Chromium) so the outbox is
/// flushed when the network returns even if the app is closed by then. Best effort.
pub async fn request_reports_sync() {
    let Some(container) = container() else { return };
    let Ok(ready) = container.ready() else { return };
    let Ok(registration) = JsFuture::from(ready).await else {
        return;
    };
    // Through `Reflect`: web-sys's SyncManager binding is unstable-only.
    let Ok(sync) = js_sys::Reflect::get(&registration, &"sync".into()) else {
        return;
    };
    let register = js_sys::Reflect::get(&sync, &"register".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(register) = register
        && let Ok(promise) = register.call1(&sync, &REPORTS_SYNC_TAG.into())
    {
        let _ = JsFuture::from(js_sys::Promise::resolve(&promise)).await;
    }
}

/// Calls `callback` whenever the worker asks the page to flush the reports outbox.
pub fn on_flush_request(callback: impl Fn() + 'static) {
    let Some(container) = container() else { return };
    let listener =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if event.data().as_string().as_deref() == Some(FLUSH_REPORTS) {
                callback();
            }
        });
    let _ =
        container.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    // Listens as long as the page.
    listener.forget();
}
