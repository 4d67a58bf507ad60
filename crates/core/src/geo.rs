//! Positions and the commune's bounding box (WGS 84, as in GeoJSON and OSM).

use serde::{Deserialize, Serialize};

/// A WGS 84 position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    /// Whether the coordinates are finite and inside WGS 84's range.
    pub fn is_valid(self) -> bool {
        self.lat.is_finite()
            && self.lon.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lon)
    }

    /// Distance to `other` in metres, for places of one commune: an equirectangular
    /// approximation on a sphere of the Earth's mean radius (within 0.1 % of the great circle
    /// under 100 km). Only a square root and a short cosine series: the trigonometry of `libm`
    /// would add kilobytes to the app's Wasm for sorting a list by distance.
    pub fn distance_m(self, other: LatLon) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let mid_lat = ((self.lat + other.lat) / 2.0).to_radians();
        let x = (other.lon - self.lon).to_radians() * cos_small(mid_lat);
        let y = (other.lat - self.lat).to_radians();
        EARTH_RADIUS_M * (x * x + y * y).sqrt()
    }
}

/// cos(x) for |x| ≤ π/2 (a latitude) by its Taylor series to x¹²: error below 1e-8.
fn cos_small(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=6 {
        let k = f64::from(2 * n);
        term *= -x2 / ((k - 1.0) * k);
        sum += term;
    }
    sum
}

/// A south-west / north-east bounding box. Communes never straddle the antimeridian.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bounds {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Bounds {
    /// The whole globe: what to check against while the commune's bounds are unknown.
    pub const WORLD: Bounds = Bounds {
        south: -90.0,
        west: -180.0,
        north: 90.0,
        east: 180.0,
    };

    /// Whether the box is well formed: valid corners, south below north, west left of east.
    pub fn is_valid(self) -> bool {
        LatLon {
            lat: self.south,
            lon: self.west,
        }
        .is_valid()
            && LatLon {
                lat: self.north,
                lon: self.east,
            }
            .is_valid()
            && self.south < self.north
            && self.west < self.east
    }

    /// Whether a position lies inside the box (edges included).
    pub fn contains(self, p: LatLon) -> bool {
        (self.south..=self.north).contains(&p.lat) && (self.west..=self.east).contains(&p.lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX: Bounds = Bounds {
        south: 47.0,
        west: 0.5,
        north: 47.2,
        east: 0.8,
    };

    #[test]
    fn a_box_contains_its_inside_and_edges_only() {
        assert!(BOX.contains(LatLon {
            lat: 47.1,
            lon: 0.6
        }));
        assert!(BOX.contains(LatLon {
            lat: 47.0,
            lon: 0.8
        }));
        assert!(!BOX.contains(LatLon {
            lat: 46.99,
            lon: 0.6
        }));
        assert!(!BOX.contains(LatLon {
            lat: 47.1,
            lon: 0.81
        }));
    }

    #[test]
    fn distances_match_known_ones() {
        let paris = LatLon {
            lat: 48.8566,
            lon: 2.3522,
        };
        let tours = LatLon {
            lat: 47.3941,
            lon: 0.6848,
        };
        let d = paris.distance_m(tours);
        assert!(
            (d - 205_500.0).abs() < 2_000.0,
            "Paris–Tours is about 205.5 km ({d})"
        );
        assert_eq!(paris.distance_m(paris), 0.0);
        let hundred_m_north = LatLon {
            lat: tours.lat + 100.0 / 111_195.0,
            lon: tours.lon,
        };
        assert!((tours.distance_m(hundred_m_north) - 100.0).abs() < 0.5);
    }

    #[test]
    fn inverted_or_out_of_range_boxes_are_invalid() {
        assert!(BOX.is_valid());
        assert!(
            !Bounds {
                south: 47.2,
                north: 47.0,
                ..BOX
            }
            .is_valid()
        );
        assert!(
            !Bounds {
                west: 0.8,
                east: 0.5,
                ..BOX
            }
            .is_valid()
        );
        assert!(!Bounds { north: 91.0, ..BOX }.is_valid());
        assert!(
            !LatLon {
                lat: f64::NAN,
                lon: 0.0
            }
            .is_valid()
        );
    }
}
