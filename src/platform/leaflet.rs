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
    DivIcon, DivIconOptions, LatLng, LatLngBounds, Map, MapOptions, Marker, MarkerOptions, Point,
    TileLayer, TileLayerOptions,
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

/// Whether Leaflet and the cluster plugin are there.
fn loaded() -> bool {
    let global = js_sys::global();
    Reflect::get(&global, &"L".into())
        .ok()
        .filter(|l| !l.is_undefined())
        .and_then(|l| Reflect::get(&l, &"markerClusterGroup".into()).ok())
        .is_some_and(|f| f.is_function())
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
    let head = document.head().ok_or("no head")?;
    for href in STYLES {
        if document
            .query_selector(&format!("link[href=\"{href}\"]"))
            .ok()
            .flatten()
            .is_none()
        {
            let link: web_sys::HtmlLinkElement = document
                .create_element("link")
                .map_err(|e| format!("{e:?}"))?
                .unchecked_into();
            link.set_rel("stylesheet");
            link.set_href(href);
            let _ = head.append_child(&link);
        }
    }
    for src in SCRIPTS {
        let existing = document
            .query_selector(&format!("script[src=\"{src}\"]"))
            .ok()
            .flatten();
        let script: web_sys::HtmlScriptElement = match existing {
            // Another visit to the map started loading it: wait for the same element.
            Some(element) => element.unchecked_into(),
            None => {
                let script: web_sys::HtmlScriptElement = document
                    .create_element("script")
                    .map_err(|e| format!("{e:?}"))?
                    .unchecked_into();
                script.set_src(src);
                let _ = head.append_child(&script);
                script
            }
        };
        if script.get_attribute("data-loaded").is_some() {
            continue;
        }
        let done = js_sys::Promise::new(&mut |resolve, reject| {
            script.set_onload(Some(&resolve));
            script.set_onerror(Some(&reject));
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
    /// The category's colour, `#rrggbb`.
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
        let options = MapOptions::new();
        let map = Map::new_with_element(element, &options).map_err(|e| format!("{e:?}"))?;
        let corners = LatLngBounds::new(
            &LatLng::new(bounds.south, bounds.west),
            &LatLng::new(bounds.north, bounds.east),
        );
        map.fit_bounds(&corners);
        let tile_options = TileLayerOptions::new();
        tile_options.set_attribution(attribution.to_owned());
        tile_options.set_max_zoom(19.0);
        // CORS requests, so the service worker can keep the tiles it has seen (an opaque
        // response's size is unknown, and Chromium counts each as several megabytes).
        tile_options.set_cross_origin("anonymous".to_owned());
        TileLayer::new_options(tile_url, &tile_options).add_to(&map);
        let cluster_options = js_sys::Object::new();
        let _ = Reflect::set(
            &cluster_options,
            &"showCoverageOnHover".into(),
            &false.into(),
        );
        let cluster = marker_cluster_group(&cluster_options);
        map.add_layer(&cluster);
        Ok(FacilityMap {
            map,
            cluster,
            me: Rc::default(),
        })
    }

    /// Replaces the markers; `on_open` gets the id of a marker that is tapped (or activated
    /// with the keyboard).
    pub fn set_markers(&self, markers: &[MarkerSpec], on_open: Rc<dyn Fn(i64)>) {
        self.cluster.clear_layers();
        let layers = Array::new();
        let document = web_sys::window().and_then(|w| w.document());
        for spec in markers {
            let icon_options = DivIconOptions::new();
            icon_options.set_class_name("map-marker".to_owned());
            icon_options.set_icon_size(Point::new(30.0, 30.0));
            icon_options.set_icon_anchor(Point::new(15.0, 28.0));
            if let Some(element) = document.as_ref().and_then(|d| pin(d, spec)) {
                // Leaflet 1.9 takes an element as the icon's content: it is coloured through
                // the CSSOM, which the CSP allows (an inline `style` attribute it would not).
                let _ = Reflect::set(&icon_options, &"html".into(), &element);
            }
            let options = MarkerOptions::new();
            options.set_icon(DivIcon::new(&icon_options).into());
            options.set_title(spec.title.clone());
            options.set_keyboard(true);
            let marker = Marker::new_with_options(&lat_lng(spec.position), &options);
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
        let options = js_sys::Object::new();
        let _ = Reflect::set(&options, &"radius".into(), &8.into());
        let _ = Reflect::set(&options, &"className".into(), &"map-me".into());
        let circle = leaflet::CircleMarker::new_with_options(&lat_lng(position), &options);
        self.map.add_layer(&circle);
        self.map
            .set_view(&lat_lng(position), self.map.get_zoom().max(15.0));
        *self.me.borrow_mut() = Some(circle.unchecked_into());
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

/// The marker's content: a pin in the category's colour and the facility's name for screen
/// readers (Leaflet makes the marker a focusable `role="button"`).
fn pin(document: &web_sys::Document, spec: &MarkerSpec) -> Option<web_sys::HtmlElement> {
    let wrapper: web_sys::HtmlElement = document.create_element("span").ok()?.unchecked_into();
    wrapper.set_class_name("map-marker__pin");
    let _ = wrapper
        .style()
        .set_property("background-color", &spec.color);
    let name: web_sys::HtmlElement = document.create_element("span").ok()?.unchecked_into();
    name.set_class_name("visually-hidden");
    name.set_text_content(Some(&spec.title));
    let _ = wrapper.append_child(&name);
    Some(wrapper)
}
