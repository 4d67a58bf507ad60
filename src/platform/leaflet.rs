//! The app's maps on Leaflet: the facilities map, its markers clustered by supercluster, and
//! the report form's small map. The map, its bounds and its tiles are made here through the
//! `leaflet` crate's bindings; the markers are made by JavaScript (`public/map.js`, which says
//! what its handle does): the app hands it every facility in one call, so making the markers
//! costs no crossing each (5,000 crossings were most of the first clustered render's time).
//!
//! Neither Leaflet nor the map code is part of the first visit: [`load`] adds their scripts
//! and style sheets to the document the first time a map opens (they are served by our
//! server, same origin, and precached by the service worker), and the map is created once
//! `parvisMap` exists.

use js_sys::Reflect;
use leaflet::{LatLng, LatLngBounds, Map, MapOptions, TileLayer, TileLayerOptions};
use parvis_core::{Bounds, LatLon};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Style sheets, then scripts in the order they run (supercluster and the map code need `L`).
const STYLES: [&str; 2] = ["/vendor/leaflet/leaflet.css", "/map.css"];
const SCRIPTS: [&str; 3] = [
    "/vendor/leaflet/leaflet.js",
    "/vendor/supercluster/supercluster.min.js",
    "/map.js",
];

#[wasm_bindgen]
extern "C" {
    /// A map made by `public/map.js`.
    #[derive(Debug, Clone)]
    type MapHandle;

    /// Takes over a Leaflet map for its markers.
    #[wasm_bindgen(catch, js_namespace = parvisMap, js_name = create)]
    fn create(map: &Map) -> Result<MapHandle, JsValue>;

    #[wasm_bindgen(method)]
    fn show(this: &MapHandle, points: &[f64], names: &str, colours: &str);

    #[wasm_bindgen(method)]
    fn on(this: &MapHandle, event: &str, handler: &JsValue);

    #[wasm_bindgen(method)]
    fn locate(this: &MapHandle, lat: f64, lon: f64);

    #[wasm_bindgen(method)]
    fn remove(this: &MapHandle);
}

/// Whether the map code is there (it runs last).
fn loaded() -> bool {
    Reflect::get(&js_sys::global(), &"parvisMap".into()).is_ok_and(|m| m.is_object())
}

/// Adds the maps' style sheets and scripts to the document (once), and resolves when the map
/// code is ready.
pub async fn load() -> Result<(), String> {
    if loaded() {
        return Ok(());
    }
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let head = document.head().ok_or("no head")?;
    let add = |tag: &str, attributes: [(&str, &str); 2]| -> Result<web_sys::Element, String> {
        let selector = format!("{tag}[{}=\"{}\"]", attributes[1].0, attributes[1].1);
        if let Some(existing) = document.query_selector(&selector).ok().flatten() {
            // Another visit to a map started loading it: wait for the same element.
            return Ok(existing);
        }
        let element = document.create_element(tag).map_err(|e| format!("{e:?}"))?;
        for (name, value) in attributes {
            let _ = element.set_attribute(name, value);
        }
        // Scripts added by a script load at once, in parallel, and (not async) run in order.
        let _ = Reflect::set(&element, &"async".into(), &false.into());
        let _ = head.append_child(&element);
        Ok(element)
    };
    for href in STYLES {
        add("link", [("rel", "stylesheet"), ("href", href)])?;
    }
    // Every script's listeners first: one may run and load while an earlier one is awaited.
    let mut loads = Vec::new();
    for src in SCRIPTS {
        let script = add("script", [("class", "vendor"), ("src", src)])?;
        if script.has_attribute("data-loaded") {
            continue;
        }
        let done = js_sys::Promise::new(&mut |resolve, reject| {
            let _ = script.add_event_listener_with_callback("load", &resolve);
            let _ = script.add_event_listener_with_callback("error", &reject);
        });
        loads.push((script, src, done));
    }
    for (script, src, done) in loads {
        JsFuture::from(done)
            .await
            .map_err(|_| format!("{src} did not load"))?;
        let _ = script.set_attribute("data-loaded", "");
    }
    if loaded() {
        Ok(())
    } else {
        Err("the map code loaded without parvisMap".to_owned())
    }
}

/// A map; [`FacilityMap::remove`] it when its screen goes.
#[derive(Debug, Clone)]
pub struct FacilityMap(MapHandle);

impl FacilityMap {
    /// Loads the map code (once) and creates the commune's map in `element`: fitted to its
    /// bounds, with its tiles.
    pub async fn load_for(
        element: &web_sys::HtmlElement,
        commune: &parvis_core::Commune,
    ) -> Result<FacilityMap, String> {
        load().await?;
        let Bounds {
            south,
            west,
            north,
            east,
        } = commune.bounds;
        let error = |e: JsValue| format!("{e:?}");
        let map = Map::new_with_element(
            element,
            &js_sys::Object::new().unchecked_into::<MapOptions>(),
        )
        .map_err(error)?;
        map.fit_bounds(&LatLngBounds::new(
            &LatLng::new(south, west),
            &LatLng::new(north, east),
        ));
        let tile_options = js_sys::Object::new();
        for (key, value) in [
            ("attribution", JsValue::from_str(&commune.tile_attribution)),
            ("maxZoom", 19.into()),
            // CORS requests, so the service worker can keep the tiles it has seen (an opaque
            // response's size is unknown, and Chromium counts each as several megabytes).
            ("crossOrigin", "anonymous".into()),
        ] {
            let _ = Reflect::set(&tile_options, &key.into(), &value);
        }
        TileLayer::new_options(
            &commune.tile_url,
            tile_options.unchecked_ref::<TileLayerOptions>(),
        )
        .add_to(&map);
        create(&map).map(FacilityMap).map_err(error)
    }

    /// Replaces the facilities shown: `points` holds, for each, its id, latitude, longitude
    /// and the index of its colour in `colours` (checked `#rrggbb`, separated by spaces; an
    /// index past them draws a grey pin), `names` their names, one a line.
    pub fn show(&self, points: &[f64], names: &str, colours: &str) {
        self.0.show(points, names, colours);
    }

    /// Calls `on_open` with the id of a facility whose marker is tapped (or activated with
    /// the keyboard: each is a focusable button named by the facility).
    pub fn on_open(&self, on_open: impl Fn(i64) + 'static) {
        let handler = Closure::<dyn Fn(f64)>::new(move |id: f64| on_open(id as i64));
        self.0.on("open", &handler.into_js_value());
    }

    /// Calls `on_tap` with the place of each tap (or click) on the map.
    pub fn on_tap(&self, on_tap: impl Fn(LatLon) + 'static) {
        let handler = Closure::<dyn Fn(f64, f64)>::new(move |lat, lon| on_tap(LatLon { lat, lon }));
        self.0.on("tap", &handler.into_js_value());
    }

    /// Shows the resident's position and centres the map on it.
    pub fn show_position(&self, position: LatLon) {
        self.0.locate(position.lat, position.lon);
    }

    /// Takes the map down (Leaflet's listeners and DOM); the screen is going.
    pub fn remove(&self) {
        self.0.remove();
    }
}
