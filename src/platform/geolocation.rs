//! The device's position, asked only when the resident presses "Me localiser".

use js_sys::{Function, Object, Promise, Reflect};
use parvis_core::LatLon;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why no position came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoError {
    /// The resident (or the browser's settings) refused.
    Denied,
    /// No fix in time, or no position source.
    Unavailable,
    /// This browser has no geolocation.
    Unsupported,
}

fn number(target: &JsValue, key: &str) -> Option<f64> {
    Reflect::get(target, &JsValue::from_str(key)).ok()?.as_f64()
}

/// One position fix (coarse is enough to sort facilities by distance).
pub async fn locate() -> Result<LatLon, GeoError> {
    fix(false).await.map(|(point, _)| point)
}

/// One precise fix (GPS where the device has one, no older than a minute) and its accuracy in
/// metres: where a street incident is.
pub async fn locate_precise() -> Result<(LatLon, f64), GeoError> {
    fix(true).await
}

async fn fix(precise: bool) -> Result<(LatLon, f64), GeoError> {
    // Through `Reflect`, like the calls below: no extra binding in the first-visit glue.
    let geolocation = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &"geolocation".into()).ok())
        .filter(|g| g.is_object())
        .ok_or(GeoError::Unsupported)?;
    let options = Object::new();
    let _ = Reflect::set(&options, &"timeout".into(), &JsValue::from_f64(20_000.0));
    let _ = Reflect::set(
        &options,
        &"maximumAge".into(),
        &JsValue::from_f64(if precise { 60_000.0 } else { 300_000.0 }),
    );
    let _ = Reflect::set(
        &options,
        &"enableHighAccuracy".into(),
        &JsValue::from_bool(precise),
    );
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let asked = Reflect::get(&geolocation, &"getCurrentPosition".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        if let Some(get) = asked {
            let _ = get.call3(&geolocation, &resolve, &reject, &options);
        }
    });
    let position = JsFuture::from(promise).await.map_err(|error| {
        // GeolocationPositionError.code: 1 PERMISSION_DENIED, 2 unavailable, 3 timeout.
        if number(&error, "code") == Some(1.0) {
            GeoError::Denied
        } else {
            GeoError::Unavailable
        }
    })?;
    let coords = Reflect::get(&position, &"coords".into()).map_err(|_| GeoError::Unavailable)?;
    let point = LatLon {
        lat: number(&coords, "latitude").ok_or(GeoError::Unavailable)?,
        lon: number(&coords, "longitude").ok_or(GeoError::Unavailable)?,
    };
    if point.is_valid() {
        Ok((point, number(&coords, "accuracy").unwrap_or(0.0)))
    } else {
        Err(GeoError::Unavailable)
    }
}
