//! Client-side navigation: the current path and query as signals, `history.pushState` for
//! same-origin links, `popstate` for Back and Forward, and `aria-current` on links.
//!
//! Why not `leptos_router`: it was an eighth of the first-visit Wasm (28 KB brotli) for nine
//! flat routes, and every later screen (map, reports) has to fit in the same size budget. What
//! the app needs from a router is the small part below; the route table itself is a `match` in
//! `app.rs`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The current location; `Copy`. Provided once by [`provide_router`].
#[derive(Debug, Clone, Copy)]
pub struct Location {
    /// The path, e.g. `/agenda/12`.
    path: RwSignal<String>,
    /// The query string without its `?`, e.g. `q=concert&jour=2026-12-01`.
    query: RwSignal<String>,
    /// A screen mounted by the lazy module: the app's router owns the page (see
    /// [`provide_guest_router`]).
    guest: bool,
}

impl Location {
    /// The current path (tracked).
    pub fn path(&self) -> String {
        self.path.get()
    }

    /// One query parameter, decoded (tracked).
    pub fn query(&self, name: &str) -> Option<String> {
        self.query.with(|q| query_param(q, name))
    }

    /// Goes to a same-origin URL (`/agenda?jour=…`). `replace` rewrites the history entry
    /// instead of adding one (filters), and keeps the scroll position.
    pub fn navigate(&self, url: &str, replace: bool) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Ok(history) = window.history() {
            let _ = if replace {
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
            } else {
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
            };
        }
        if self.guest {
            // The app's router follows `popstate`: it switches screens (and unmounts this one).
            if let Ok(event) = web_sys::Event::new("popstate") {
                let _ = window.dispatch_event(&event);
            }
            return;
        }
        self.sync_from_window();
        if !replace {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    fn sync_from_window(&self) {
        let (path, query) = current_url();
        if self.path.get_untracked() != path {
            self.path.set(path);
        }
        if self.query.get_untracked() != query {
            self.query.set(query);
        }
    }
}

/// Creates the location, follows Back/Forward and takes over same-origin link clicks.
pub fn provide_router() -> Location {
    let (path, query) = current_url();
    let location = Location {
        path: RwSignal::new(path),
        query: RwSignal::new(query),
        guest: false,
    };
    provide_context(location);
    if let Some(window) = web_sys::window() {
        let on_popstate = Closure::<dyn Fn()>::new(move || location.sync_from_window());
        let _ = window
            .add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
        // Listens for the app's whole life.
        on_popstate.forget();
        let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |event| {
            if let Some(url) = in_app_link(&event) {
                event.prevent_default();
                location.navigate(&url, false);
            }
        });
        if let Some(document) = window.document() {
            let _ = document
                .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        }
        on_click.forget();
    }
    location
}

/// The location of a screen the lazy module mounts inside the app's page: read once, and
/// navigating hands over to the app's router (which also takes the screen's link clicks).
pub fn provide_guest_router() -> Location {
    let (path, query) = current_url();
    let location = Location {
        path: RwSignal::new(path),
        query: RwSignal::new(query),
        guest: true,
    };
    provide_context(location);
    location
}

/// The location provided by [`provide_router`].
pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// The value of `aria-current` for a link to `href`: `page` on that path and below it
/// (`/agenda` is current on `/agenda/12`), ignoring the link's query.
pub fn aria_current(location: Location, href: &'static str) -> impl Fn() -> Option<&'static str> {
    move || {
        let target = href.split('?').next().unwrap_or(href);
        location.path.with(|path| {
            let below = path
                .strip_prefix(target)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
            below.then_some("page")
        })
    }
}

/// The path and query of the window's URL.
fn current_url() -> (String, String) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return ("/".to_owned(), String::new());
    };
    let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
    let query = location.search().unwrap_or_default();
    (path, query.trim_start_matches('?').to_owned())
}

/// The in-app URL a click should open without reloading, if it is one: a plain left click on a
/// same-origin link with no `target`, `download` or `rel="external"`, that is not only a jump
/// to an anchor of this page (the skip link).
fn in_app_link(event: &web_sys::MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let anchor = target
        .closest("a[href]")
        .ok()??
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    let rel = anchor.rel();
    if !anchor.target().is_empty()
        || anchor.has_attribute("download")
        || rel.split_whitespace().any(|r| r == "external")
    {
        return None;
    }
    let here = web_sys::window()?.location();
    if anchor.origin() != here.origin().ok()? {
        return None;
    }
    let (path, search) = (anchor.pathname(), anchor.search());
    let same_page = path == here.pathname().ok()? && search == here.search().ok()?;
    if same_page && !anchor.hash().is_empty() {
        return None;
    }
    Some(format!("{path}{search}"))
}

/// A parameter of a query string (`a=1&b=x%20y`), `+` and percent-escapes decoded.
fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key) == name).then(|| decode(value))
    })
}

fn decode(text: &str) -> String {
    let spaced = text.replace('+', " ");
    js_sys::decode_uri_component(&spaced)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or(spaced)
}
