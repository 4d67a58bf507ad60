//! The facilities map on Leaflet (through the `leaflet` crate's bindings) with marker
//! clustering (`leaflet.markercluster`, a few bindings below).
//!
//! Leaflet is never part of the first visit: [`load`] adds its script and style sheets to the
//! document the first time the map opens (they are served from `/vendor/`, same origin, and
//! precached by the service worker), and the map is created once the global `L` exists.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Reflect};
use leaflet::{
    LatLng, LatLngBounds, Map, MapOptions, Marker, MarkerOptions, TileLayer, TileLayerOptions,
};
use parvis_core::{Bounds, LatLon};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Style sheets, then scripts in order (the cluster plugin needs `L`).
const STYLES: [&str; 3] = [
    "/vendor/leaflet/leaflet.css",
    "/vendor/markercluster/MarkerCluster.css",
    "/vendor/markercluster/MarkerCluster.Default.css",
];
const SCRIPTS: [&str; 2] = [
    "/vendor/leaflet/leaflet.js",
    "/vendor/markercluster/leaflet.markercluster.js",
];

#[wasm_bindgen]
extern "C" {
    /// `L.MarkerClusterGroup` of leaflet.markercluster 1.5.
    #[derive(Debug, Clone)]
    #[wasm_bindgen(extends = leaflet::LayerGroup, extends = leaflet::Layer)]
    type MarkerClusterGroup;

    #[wasm_bindgen(js_namespace = L, js_name = markerClusterGroup)]
    fn marker_cluster_group(options: &JsValue) -> MarkerClusterGroup;

    /// Adds many markers at once (one re-clustering instead of one per marker).
    #[wasm_bindgen(method, js_name = addLayers)]
    fn add_layers(this: &MarkerClusterGroup, layers: &Array) -> MarkerClusterGroup;
}

/// `L.divIcon(options)`. Not the `leaflet` crate's `DivIcon::new`: in 0.5 it is bound to the
/// `L.Icon` constructor (its type is declared with `js_name = Icon`), which throws "iconUrl
/// not set" for a div icon. Called through `Reflect`, like the options: no extra binding.
fn div_icon(options: &JsValue) -> leaflet::Icon {
    let l = Reflect::get(&js_sys::global(), &"L".into()).unwrap_or(JsValue::UNDEFINED);
    Reflect::get(&l, &"divIcon".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&l, options).ok())
        .unwrap_or(JsValue::UNDEFINED)
        .unchecked_into()
}

/// Whether Leaflet and the cluster plugin are there.
fn loaded() -> bool {
    let global = js_sys::global();
    Reflect::get(&global, &"L".into())
        .ok()
        .filter(|l| !l.is_undefined())
        .and_then(|l| Reflect::get(&l, &"markerClusterGroup".into()).ok())
        .is_some_and(|f| f.is_function())
}

/// Sets `key` on a plain options object.
fn set(options: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(options, &JsValue::from_str(key), value);
}

/// Options as a plain object, typed as the `leaflet` crate's options. Its typed setters would
/// each be one more JS binding in the first-visit glue; `Reflect.set` is already there.
fn options<T: JsCast>(pairs: &[(&str, JsValue)]) -> T {
    let options = js_sys::Object::new();
    for (key, value) in pairs {
        set(&options, key, value);
    }
    options.unchecked_into()
}

/// Adds Leaflet's style sheets and scripts to the document (once), and resolves when `L` and
/// the cluster plugin are ready.
pub async fn load() -> Result<(), String> {
    if loaded() {
        return Ok(());
    }
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let head = document
        .query_selector("head")
        .ok()
        .flatten()
        .ok_or("no head")?;
    let add = |tag: &str, attributes: [(&str, &str); 2]| -> Result<web_sys::Element, String> {
        let selector = format!("{tag}[{}=\"{}\"]", attributes[1].0, attributes[1].1);
        if let Some(existing) = document.query_selector(&selector).ok().flatten() {
            // Another visit to the map started loading it: wait for the same element.
            return Ok(existing);
        }
        let element = document.create_element(tag).map_err(|e| format!("{e:?}"))?;
        for (name, value) in attributes {
            let _ = element.set_attribute(name, value);
        }
        let _ = head.insert_before(&element, None);
        Ok(element)
    };
    for href in STYLES {
        add("link", [("rel", "stylesheet"), ("href", href)])?;
    }
    for src in SCRIPTS {
        // One after the other: the plugin needs `L`.
        let script = add("script", [("class", "vendor"), ("src", src)])?;
        if script.has_attribute("data-loaded") {
            continue;
        }
        let done = js_sys::Promise::new(&mut |resolve, reject| {
            let _ = script.add_event_listener_with_callback("load", &resolve);
            let _ = script.add_event_listener_with_callback("error", &reject);
        });
        JsFuture::from(done)
            .await
            .map_err(|_| format!("{src} did not load"))?;
        let _ = script.set_attribute("data-loaded", "");
    }
    if loaded() {
        Ok(())
    } else {
        Err("Leaflet loaded without L.markerClusterGroup".to_owned())
    }
}

/// A facility's marker.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkerSpec {
    pub id: i64,
    pub position: LatLon,
    /// The facility's name, for the marker's tooltip and accessible name.
    pub title: String,
    /// The category's colour, a checked `#rrggbb`.
    pub color: String,
}

/// The map of the facilities page; [`FacilityMap::remove`] it when the page goes.
#[derive(Debug, Clone)]
pub struct FacilityMap {
    map: Map,
    cluster: MarkerClusterGroup,
    me: Rc<RefCell<Option<leaflet::Layer>>>,
}

fn lat_lng(p: LatLon) -> LatLng {
    LatLng::new(p.lat, p.lon)
}

impl FacilityMap {
    /// Creates the map in `element`, fitted to the commune's bounds, with its tiles.
    pub fn new(
        element: &web_sys::HtmlElement,
        bounds: Bounds,
        tile_url: &str,
        attribution: &str,
    ) -> Result<FacilityMap, String> {
        let map = Map::new_with_element(element, &options::<MapOptions>(&[]))
            .map_err(|e| format!("{e:?}"))?;
        let corners = LatLngBounds::new(
            &LatLng::new(bounds.south, bounds.west),
            &LatLng::new(bounds.north, bounds.east),
        );
        map.fit_bounds(&corners);
        let tile_options: TileLayerOptions = options(&[
            ("attribution", attribution.into()),
            ("maxZoom", 19.into()),
            // CORS requests, so the service worker can keep the tiles it has seen (an opaque
            // response's size is unknown, and Chromium counts each as several megabytes).
            ("crossOrigin", "anonymous".into()),
        ]);
        TileLayer::new_options(tile_url, &tile_options).add_to(&map);
        let cluster = marker_cluster_group(&options::<JsValue>(&[(
            "showCoverageOnHover",
            false.into(),
        )]));
        map.add_layer(&cluster);
        Ok(FacilityMap {
            map,
            cluster,
            me: Rc::default(),
        })
    }

    /// Loads Leaflet (once) and creates the commune's map in `element` (see [`FacilityMap::new`]).
    pub async fn load_for(
        element: &web_sys::HtmlElement,
        commune: &parvis_core::Commune,
    ) -> Result<FacilityMap, String> {
        load().await?;
        FacilityMap::new(
            element,
            commune.bounds,
            &commune.tile_url,
            &commune.tile_attribution,
        )
    }

    /// Replaces the markers; `on_open` gets the id of a marker that is tapped (or activated
    /// with the keyboard: Leaflet makes each a focusable `role="button"`).
    pub fn set_markers(&self, markers: &[MarkerSpec], on_open: Rc<dyn Fn(i64)>) {
        self.cluster.clear_layers();
        let layers = Array::new();
        for spec in markers {
            let pair = |a: f64, b: f64| Array::of2(&a.into(), &b.into());
            let icon = div_icon(&options(&[
                ("className", "map-marker".into()),
                ("iconSize", pair(28.0, 36.0).into()),
                ("iconAnchor", pair(14.0, 36.0).into()),
                ("html", pin_html(spec).into()),
            ]));
            let marker_options: MarkerOptions = options(&[
                ("icon", icon.into()),
                ("title", spec.title.as_str().into()),
                ("keyboard", true.into()),
            ]);
            let marker = Marker::new_with_options(&lat_lng(spec.position), &marker_options);
            let id = spec.id;
            let on_open = on_open.clone();
            let on_click = Closure::<dyn Fn(JsValue)>::new(move |_| on_open(id));
            marker.on("click", &on_click.into_js_value());
            layers.push(&marker);
        }
        self.cluster.add_layers(&layers);
    }

    /// Shows the resident's position and centres the map on it.
    pub fn show_position(&self, position: LatLon) {
        if let Some(old) = self.me.borrow_mut().take() {
            self.map.remove_layer(&old);
        }
        let circle = leaflet::CircleMarker::new_with_options(
            &lat_lng(position),
            &options::<JsValue>(&[("radius", 8.into()), ("className", "map-me".into())]),
        );
        self.map.add_layer(&circle);
        self.map
            .set_view(&lat_lng(position), self.map.get_zoom().max(15.0));
        *self.me.borrow_mut() = Some(circle.unchecked_into());
    }

    /// Calls `on_tap` with the place of each tap (or click) on the map.
    pub fn on_tap(&self, on_tap: impl Fn(LatLon) + 'static) {
        let on_click = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
            let place = Reflect::get(&event, &"latlng".into()).ok();
            let number = |key: &str| {
                place
                    .as_ref()
                    .and_then(|p| Reflect::get(p, &key.into()).ok())
                    .and_then(|v| v.as_f64())
            };
            if let (Some(lat), Some(lon)) = (number("lat"), number("lng")) {
                on_tap(LatLon { lat, lon });
            }
        });
        self.map.on("click", &on_click.into_js_value());
    }

    /// Takes the map down (Leaflet's listeners and DOM); the page is going.
    pub fn remove(&self) {
        // `map.remove()` is not bound by the `leaflet` crate (and a binding cannot be added
        // to its type from here).
        if let Ok(remove) =
            Reflect::get(&self.map, &"remove".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
        {
            let _ = remove.call0(&self.map);
        }
    }
}

/// The marker's content: a pin in the category's colour (an SVG `fill` attribute, which the
/// CSP allows where it forbids inline styles) and the facility's name for screen readers.
/// `color` must be a checked `#rrggbb`.
fn pin_html(spec: &MarkerSpec) -> String {
    format!(
        "<svg class=\"map-marker__pin\" viewBox=\"0 0 28 36\" aria-hidden=\"true\">\
         <path fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"2.5\" \
         d=\"M14 1.5C7.1 1.5 1.5 7 1.5 13.8 1.5 23 14 34.5 14 34.5S26.5 23 26.5 13.8C26.5 7 20.9 1.5 14 1.5z\"/>\
         <circle cx=\"14\" cy=\"14\" r=\"4.5\" fill=\"#ffffff\"/></svg>\
         <span class=\"visually-hidden\">{}</span>",
        spec.color,
        crate::components::html::escape(&spec.title)
    )
}
