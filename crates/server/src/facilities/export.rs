//! The GeoJSON export (RFC 7946): one `Point` feature per facility, `[lon, lat]`, with every
//! public field in its properties, the app page's URL, and the key it was imported under
//! (`source_id`), so that the file reads back into Parvis without duplicates.

use parvis_core::Facility;
use serde_json::{Value, json};

use super::config::FacilitiesConfig;
use crate::db::facilities::{Stored, wheelchair_text};

/// The media type of GeoJSON (RFC 7946).
pub const GEOJSON: &str = "application/geo+json";

/// What the export needs besides the facilities.
#[derive(Debug, Clone, Copy)]
pub struct ExportInfo<'a> {
    /// The site's base URL, without a trailing slash: the app pages are `{base}/carte/{id}`.
    pub base_url: &'a str,
    pub facilities: &'a FacilitiesConfig,
}

/// A FeatureCollection of `facilities` (their closures already filtered by the caller).
pub fn feature_collection(info: &ExportInfo<'_>, facilities: &[Stored]) -> Value {
    let features: Vec<Value> = facilities
        .iter()
        .map(|stored| feature(info, &stored.facility, &stored.source_key))
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

fn feature(info: &ExportInfo<'_>, f: &Facility, source_key: &str) -> Value {
    json!({
        "type": "Feature",
        "id": f.id,
        "geometry": {
            "type": "Point",
            "coordinates": [f.position.lon, f.position.lat],
        },
        "properties": {
            "name": f.name,
            "category": f.category,
            "category_name": info.facilities.name_fr(&f.category),
            "address": f.address,
            "phone": f.phone,
            "email": f.email,
            "website": f.website,
            "description": f.description,
            "opening_hours": f.opening_hours,
            "closures": f.closures,
            "wheelchair": f.wheelchair.map(wheelchair_text),
            "services": f.services,
            "photo_url": f.photo_url,
            "updated_at": f.updated_at,
            "url": format!("{}/carte/{}", info.base_url, f.id),
            "source_id": source_key,
        },
    })
}
