//! The lazy module's side: what `src/bin/lazy_module.rs` runs once the app loaded it (see
//! `platform::lazy_module`). What the first visit does not need lives in this Wasm of its own
//! — the reporting screens with the photo worker's client and the outbox, and turning
//! notifications on — because the first visit's 250 KB could not hold them with the rest. It
//! is loaded when a reporting screen opens, when the outbox holds a report at start (to send
//! it), or when the resident turns notifications on; the service worker keeps it for offline
//! use. It shares the app's crate, storage and page; the app's router owns navigation.
//!
//! Handshake: this module sets `window.parvisLazy = { mount(element, screen) → token,
//! unmount(token), enablePush(themes, locale) → Promise<status> }`, then fires
//! `parvis:lazy-ready` on `window`.

use std::any::Any;
use std::cell::RefCell;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;

use crate::i18n::provide_i18n;
use crate::identity::provide_identity_from_device;
use crate::pages::{MyReportsPage, ReportPage};
use crate::router::provide_guest_router;
use crate::state::reports::{Reports, start_reports};

/// The global through which the app reaches this module.
pub const GLOBAL: &str = "parvisLazy";
/// The event fired on `window` once [`GLOBAL`] is set.
pub const READY_EVENT: &str = "parvis:lazy-ready";

thread_local! {
    /// The mounted screen and its token (a screen the app replaced may ask to unmount late).
    static MOUNTED: RefCell<Option<(f64, Box<dyn Any>)>> = const { RefCell::new(None) };
}

fn mount(element: web_sys::HtmlElement, screen: String, reports: Reports) -> f64 {
    let token = js_sys::Date::now() + js_sys::Math::random();
    // One screen at a time: the previous one goes first.
    MOUNTED.with_borrow_mut(|m| *m = None);
    let handle = mount_to(element, move || {
        provide_guest_router();
        let i18n = provide_i18n();
        provide_identity_from_device(i18n);
        provide_context(reports);
        if screen == "mes-signalements" {
            view! { <MyReportsPage/> }.into_any()
        } else {
            view! { <ReportPage/> }.into_any()
        }
    });
    MOUNTED.with_borrow_mut(|m| *m = Some((token, Box::new(handle))));
    token
}

fn unmount(token: f64) {
    MOUNTED.with_borrow_mut(|m| {
        if m.as_ref().is_some_and(|(t, _)| *t == token) {
            *m = None;
        }
    });
}

/// The screens' styles (`style/reports.css`), outside the first visit like the module.
fn add_style_sheet(window: &web_sys::Window) {
    let Some(document) = window.document() else {
        return;
    };
    if let (Ok(link), Some(head)) = (document.create_element("link"), document.head()) {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", "/reports.css");
        let _ = head.append_child(&link);
    }
}

/// Starts the reports state (outbox flush and its triggers) and offers the screens to the app.
pub fn start() {
    console_error_panic_hook::set_once();
    let _ = any_spawner::Executor::init_wasm_bindgen();
    // The state lives as long as the page: its owner is never dropped.
    let owner = Owner::new();
    owner.set();
    std::mem::forget(owner);
    let reports = start_reports();
    let Some(window) = web_sys::window() else {
        return;
    };
    add_style_sheet(&window);
    let api = js_sys::Object::new();
    let on_mount =
        Closure::<dyn Fn(web_sys::HtmlElement, String) -> f64>::new(move |element, screen| {
            mount(element, screen, reports)
        });
    let on_unmount = Closure::<dyn Fn(f64)>::new(unmount);
    let on_enable_push = Closure::<dyn Fn(js_sys::Array, String) -> js_sys::Promise>::new(
        |themes: js_sys::Array, locale: String| {
            let themes = themes.iter().filter_map(|t| t.as_string()).collect();
            let locale = parvis_core::Locale::from_tag(&locale).unwrap_or_default();
            wasm_bindgen_futures::future_to_promise(async move {
                Ok(crate::state::push::enable(themes, locale).await.into())
            })
        },
    );
    let _ = js_sys::Reflect::set(&api, &"mount".into(), &on_mount.into_js_value());
    let _ = js_sys::Reflect::set(&api, &"unmount".into(), &on_unmount.into_js_value());
    let _ = js_sys::Reflect::set(&api, &"enablePush".into(), &on_enable_push.into_js_value());
    let _ = js_sys::Reflect::set(&window, &GLOBAL.into(), &api);
    if let Ok(event) = web_sys::Event::new(READY_EVENT) {
        let _ = window.dispatch_event(&event);
    }
}
