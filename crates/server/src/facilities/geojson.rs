//! GeoJSON (RFC 7946) into drafts: a FeatureCollection or one Feature, whose properties are
//! OpenStreetMap tags (overpass-turbo and osmtogeojson exports, `node/123` ids in `id` or
//! `@id`, old exports' nested `tags`), SCDL « Équipements » fields, or plain fields like Parvis's
//! own export. Areas (closed ways, multipolygons) are placed at the centroid of their outer ring.

use parvis_core::{Closure, ExceptionalClosure, LatLon};
use serde_json::{Map, Value};

use super::draft::{self, Context, Draft};
use super::scdl;

/// Reads a GeoJSON document; the error says why it is not one.
pub fn parse(ctx: &Context<'_>, bytes: &[u8]) -> Result<Vec<Draft>, String> {
    let root: Value = serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
    let kind = root.get("type").and_then(Value::as_str).unwrap_or_default();
    let features: Vec<&Value> = match kind {
        "FeatureCollection" => root
            .get("features")
            .and_then(Value::as_array)
            .ok_or("a FeatureCollection without a `features` array")?
            .iter()
            .collect(),
        "Feature" => vec![&root],
        "" => return Err("no GeoJSON `type` (FeatureCollection expected)".into()),
        other => {
            return Err(format!(
                "a GeoJSON {other}, not a FeatureCollection of facilities"
            ));
        }
    };
    Ok(features
        .into_iter()
        .enumerate()
        .map(|(i, feature)| draft_of(ctx, i + 1, feature))
        .collect())
}

/// The properties of a feature as text, by key; old osmtogeojson exports nest OSM tags in a
/// `tags` object, read as if they were properties.
struct Properties<'a> {
    own: Option<&'a Map<String, Value>>,
    tags: Option<&'a Map<String, Value>>,
}

impl Properties<'_> {
    fn value(&self, key: &str) -> Option<&Value> {
        self.own
            .and_then(|p| p.get(key))
            .filter(|v| !v.is_null())
            .or_else(|| self.tags.and_then(|t| t.get(key)))
    }

    /// A property as trimmed text (numbers written out), `None` when absent or blank.
    fn text(&self, key: &str) -> Option<String> {
        let text = match self.value(key)? {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
            _ => return None,
        };
        (!text.is_empty()).then_some(text)
    }

    /// The first of `keys` that is set.
    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| self.text(k))
    }

    /// A property looked up without case (SCDL columns written `equip_nom`…).
    fn text_any_case(&self, key: &str) -> Option<String> {
        self.text(key).or_else(|| {
            let found = self
                .own
                .into_iter()
                .chain(self.tags)
                .flat_map(|m| m.keys())
                .find(|k| k.eq_ignore_ascii_case(key))?
                .clone();
            self.text(&found)
        })
    }
}

fn draft_of(ctx: &Context<'_>, index: usize, feature: &Value) -> Draft {
    let own = feature.get("properties").and_then(Value::as_object);
    let tags = own.and_then(|p| p.get("tags")).and_then(Value::as_object);
    let props = Properties { own, tags };
    let position = Some(position_of(feature.get("geometry")));
    let place = format!("entité n° {index}");

    // A GeoJSON export of SCDL data: the SCDL rules apply, the geometry standing in for
    // missing EQUIP_LAT/EQUIP_LONG.
    if props.text_any_case("EQUIP_NOM").is_some() {
        let lookup = |key: &str| props.text_any_case(key);
        return scdl::draft_of(ctx, place, &lookup, position);
    }

    let osm_id = osm_id(feature, &props);
    let feature_id = match feature.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    // Parvis's own export names the key it was imported under, so that reading it back
    // de-duplicates with the original.
    let key = props
        .text("source_id")
        .filter(|k| k.chars().count() <= 300)
        .or_else(|| osm_id.as_ref().map(|id| format!("osm:{id}")))
        .or_else(|| feature_id.as_ref().map(|id| format!("geojson:{id}")));
    let reference = osm_id.clone().or(feature_id);

    let lookup = |key: &str| props.text(key);
    let facilities = ctx.facilities;
    let category = props
        .first(&["category", "categorie", "catégorie"])
        .and_then(|label| facilities.category_for_label(&label).map(str::to_owned))
        .or_else(|| facilities.category_for_tags(&lookup).map(str::to_owned));
    let category_hint = ["amenity", "leisure", "landuse", "office", "shop", "tourism"]
        .iter()
        .find_map(|k| props.text(k).map(|v| format!("{k}={v}")))
        .or_else(|| {
            props
                .first(&["category", "categorie", "catégorie"])
                .map(|c| format!("« {c} »"))
        });

    let address = props
        .first(&["address", "adresse", "addr:full"])
        .or_else(|| {
            draft::address_of(
                props.text("addr:housenumber").as_deref(),
                props.first(&["addr:street", "addr:place"]).as_deref(),
                props.text("addr:postcode").as_deref(),
                props.text("addr:city").as_deref(),
            )
        });

    let mut warnings = Vec::new();
    let closures = props
        .value("closures")
        .map(|value| closures_of(value, &mut warnings));

    Draft {
        place,
        reference,
        key,
        name: props.first(&["name", "name:fr", "nom", "official_name"]),
        category,
        category_hint,
        position,
        address,
        phone: props.first(&["phone", "contact:phone", "telephone", "téléphone"]),
        email: props.first(&["email", "contact:email", "courriel"]),
        // Not `url`: Parvis's export uses it for the app page.
        website: props.first(&["website", "contact:website"]),
        description: props.first(&["description", "description:fr"]),
        opening_hours: props.text("opening_hours"),
        closures,
        wheelchair: props.text("wheelchair"),
        services: services_of(&props),
        photo_url: props.first(&["photo_url", "image"]),
        warnings,
    }
}

/// `node/123`, `way/45` or `relation/6` from the feature's `id`, its `@id` property, or an old
/// osmtogeojson's `type` and `id` properties.
fn osm_id(feature: &Value, props: &Properties<'_>) -> Option<String> {
    let is_osm = |text: &str| {
        text.split_once('/').is_some_and(|(kind, number)| {
            matches!(kind, "node" | "way" | "relation")
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        })
    };
    let candidates = [
        feature.get("id").and_then(Value::as_str).map(str::to_owned),
        props.text("@id"),
        props
            .own
            .and_then(|p| p.get("type"))
            .and_then(Value::as_str)
            .zip(props.own.and_then(|p| p.get("id")))
            .map(|(kind, id)| match id {
                Value::String(s) => format!("{kind}/{s}"),
                other => format!("{kind}/{other}"),
            }),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|c| c.trim().to_owned())
        .find(|c| is_osm(c))
}

/// A `services` property (a list, or text separated by `;`), plus what common OSM tags say.
fn services_of(props: &Properties<'_>) -> Vec<String> {
    let mut services: Vec<String> = match props.value("services") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => s.split(';').map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    let yes = |key: &str| {
        props
            .text(key)
            .is_some_and(|v| !matches!(v.as_str(), "no" | "none"))
    };
    if yes("internet_access") {
        services.push("Accès à Internet (Wi-Fi)".into());
    }
    if props.text("toilets").as_deref() == Some("yes") {
        services.push("Toilettes".into());
    }
    if props.text("toilets:wheelchair").as_deref() == Some("yes") {
        services.push("Toilettes accessibles".into());
    }
    if props.text("changing_table").as_deref() == Some("yes") {
        services.push("Table à langer".into());
    }
    if props.text("drinking_water").as_deref() == Some("yes") {
        services.push("Eau potable".into());
    }
    services
}

/// Closures carried by the source (Parvis's export): `[{from, to, reason}]`, each checked.
fn closures_of(value: &Value, warnings: &mut Vec<String>) -> Vec<Closure> {
    let Some(items) = value.as_array() else {
        warnings.push("fermetures illisibles (une liste est attendue) : ignorées".into());
        return Vec::new();
    };
    let mut closures = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or_default();
        match ExceptionalClosure::parse(field("from"), field("to"), field("reason")) {
            Ok(c) => closures.push(Closure {
                from: c.from.format("%Y-%m-%d").to_string(),
                to: c.to.format("%Y-%m-%d").to_string(),
                reason: c.reason.trim().to_owned(),
            }),
            Err(e) => warnings.push(format!("fermeture n° {} ignorée : {e}", i + 1)),
        }
    }
    closures
}

/// A geometry's position: a point as is, a line at the mean of its vertices, an area at the
/// centroid of its outer ring (the largest one for a MultiPolygon).
pub fn position_of(geometry: Option<&Value>) -> Result<LatLon, String> {
    let Some(geometry) = geometry.filter(|g| !g.is_null()) else {
        return Err("coordonnées absentes (pas de géométrie)".into());
    };
    let coordinates = geometry.get("coordinates");
    let kind = geometry
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let unreadable = || format!("coordonnées illisibles ({kind})");
    let position = match kind {
        "Point" => point(coordinates.ok_or_else(unreadable)?).ok_or_else(unreadable)?,
        "MultiPoint" => coordinates
            .and_then(Value::as_array)
            .and_then(|points| points.first())
            .and_then(point)
            .ok_or_else(unreadable)?,
        "LineString" => mean(&points(coordinates.ok_or_else(unreadable)?).ok_or_else(unreadable)?)
            .ok_or_else(unreadable)?,
        "Polygon" => {
            let rings = coordinates
                .and_then(Value::as_array)
                .ok_or_else(unreadable)?;
            let outer = rings.first().and_then(points).ok_or_else(unreadable)?;
            ring_centroid(&outer).ok_or_else(unreadable)?.0
        }
        "MultiPolygon" => {
            let polygons = coordinates
                .and_then(Value::as_array)
                .ok_or_else(unreadable)?;
            let mut best: Option<(LatLon, f64)> = None;
            for polygon in polygons {
                let outer = polygon
                    .as_array()
                    .and_then(|rings| rings.first())
                    .and_then(points)
                    .ok_or_else(unreadable)?;
                let (centre, area) = ring_centroid(&outer).ok_or_else(unreadable)?;
                if best.is_none_or(|(_, largest)| area > largest) {
                    best = Some((centre, area));
                }
            }
            best.ok_or_else(unreadable)?.0
        }
        "GeometryCollection" => {
            return geometry
                .get("geometries")
                .and_then(Value::as_array)
                .and_then(|all| all.iter().find_map(|g| position_of(Some(g)).ok()))
                .ok_or_else(unreadable);
        }
        "" => return Err("coordonnées absentes (géométrie sans type)".into()),
        other => return Err(format!("géométrie {other} inconnue")),
    };
    Ok(position)
}

/// `[lon, lat]` (an altitude may follow).
fn point(value: &Value) -> Option<LatLon> {
    let pair = value.as_array()?;
    let lon = pair.first()?.as_f64()?;
    let lat = pair.get(1)?.as_f64()?;
    Some(LatLon { lat, lon })
}

fn points(value: &Value) -> Option<Vec<LatLon>> {
    value.as_array()?.iter().map(point).collect()
}

fn mean(points: &[LatLon]) -> Option<LatLon> {
    if points.is_empty() {
        return None;
    }
    let n = points.len() as f64;
    Some(LatLon {
        lat: points.iter().map(|p| p.lat).sum::<f64>() / n,
        lon: points.iter().map(|p| p.lon).sum::<f64>() / n,
    })
}

/// The centroid of a ring and its (planar, absolute) area. Degrees are treated as planar
/// coordinates: the error is negligible at the size of a building or a park. Computed relative
/// to the first vertex to keep precision; a degenerate ring falls back to the mean of its
/// vertices.
fn ring_centroid(ring: &[LatLon]) -> Option<(LatLon, f64)> {
    let origin = *ring.first()?;
    if ring
        .iter()
        .any(|p| !p.lat.is_finite() || !p.lon.is_finite())
    {
        return None;
    }
    let (mut area2, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for pair in ring.windows(2) {
        let (x0, y0) = (pair[0].lon - origin.lon, pair[0].lat - origin.lat);
        let (x1, y1) = (pair[1].lon - origin.lon, pair[1].lat - origin.lat);
        let cross = x0 * y1 - x1 * y0;
        area2 += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    if area2.abs() < 1e-18 {
        return mean(ring).map(|m| (m, 0.0));
    }
    Some((
        LatLon {
            lat: origin.lat + cy / (3.0 * area2),
            lon: origin.lon + cx / (3.0 * area2),
        },
        area2.abs() / 2.0,
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(geometry: Value) -> Result<LatLon, String> {
        position_of(Some(&geometry))
    }

    #[test]
    fn points_are_lon_then_lat() {
        let p = at(json!({"type": "Point", "coordinates": [0.69, 47.39, 52.0]})).expect("point");
        assert_eq!((p.lat, p.lon), (47.39, 0.69));
    }

    #[test]
    fn an_area_is_placed_at_the_centroid_of_its_outer_ring() {
        // An L-shaped building: its centroid is not the mean of its vertices.
        let ring = json!([
            [0.0, 0.0],
            [2.0, 0.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 2.0],
            [0.0, 2.0],
            [0.0, 0.0]
        ]);
        let hole = json!([[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]);
        let p = at(json!({"type": "Polygon", "coordinates": [ring, hole]})).expect("polygon");
        assert!(
            (p.lon - 5.0 / 6.0).abs() < 1e-9 && (p.lat - 5.0 / 6.0).abs() < 1e-9,
            "{p:?}"
        );
        let small = json!([[[10.0, 10.0], [10.1, 10.0], [10.1, 10.1], [10.0, 10.0]]]);
        let large = json!([[
            [0.0, 40.0],
            [2.0, 40.0],
            [2.0, 42.0],
            [0.0, 42.0],
            [0.0, 40.0]
        ]]);
        let p = at(json!({"type": "MultiPolygon", "coordinates": [small, large]})).expect("multi");
        assert!(
            (p.lon - 1.0).abs() < 1e-9 && (p.lat - 41.0).abs() < 1e-9,
            "{p:?}"
        );
    }

    #[test]
    fn missing_or_unreadable_geometries_say_why() {
        assert!(position_of(None).expect_err("none").contains("absentes"));
        assert!(at(json!({"type": "Point", "coordinates": ["a", 1]})).is_err());
        assert!(at(json!({"type": "Polygon", "coordinates": []})).is_err());
        assert!(
            at(json!({"type": "Circle"}))
                .expect_err("kind")
                .contains("Circle")
        );
        let p = at(json!({"type": "LineString", "coordinates": [[0.0, 1.0], [2.0, 3.0]]}))
            .expect("line");
        assert_eq!((p.lat, p.lon), (2.0, 1.0));
    }
}
