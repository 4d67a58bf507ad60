//! Municipal facilities: wire types of `/api/v1/facilities` (town hall, pool, library, waste
//! centre, gyms…). Opening status is computed from `opening_hours` and `closures` by
//! [`crate::hours`], on the phone as on the server.

use serde::{Deserialize, Serialize};

use crate::LatLon;

/// A category of facilities (mairie, piscine, médiathèque…), with its marker colour and icon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacilityCategory {
    pub slug: String,
    pub name_fr: String,
    pub name_en: String,
    /// `#rrggbb`, readable under white text (WCAG AA), for markers and the legend.
    pub color: String,
    /// An icon name of the app's icon set.
    pub icon: String,
}

/// Wheelchair access, as OSM's `wheelchair=yes|limited|no`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Wheelchair {
    Yes,
    Limited,
    No,
}

impl Wheelchair {
    /// Reads OSM's values (`designated` counts as yes).
    pub fn from_osm(value: &str) -> Option<Wheelchair> {
        match value.trim().to_ascii_lowercase().as_str() {
            "yes" | "designated" | "oui" => Some(Wheelchair::Yes),
            "limited" | "partiel" | "partielle" => Some(Wheelchair::Limited),
            "no" | "non" => Some(Wheelchair::No),
            _ => None,
        }
    }
}

/// An exceptional closure: every day from `from` to `to` (local dates, inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Closure {
    /// `YYYY-MM-DD`.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
    /// Shown to residents: "travaux", "vidange annuelle"…
    pub reason: String,
}

/// A municipal facility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facility {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub address: Option<String>,
    pub position: LatLon,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// Plain text.
    pub description: Option<String>,
    /// OSM `opening_hours` syntax, as imported (the status is Unknown when it does not parse).
    pub opening_hours: Option<String>,
    /// Exceptional closures that have not ended, oldest first.
    pub closures: Vec<Closure>,
    pub wheelchair: Option<Wheelchair>,
    /// Services offered ("Wi-Fi", "Prêt de livres"…).
    pub services: Vec<String>,
    pub photo_url: Option<String>,
    /// RFC 3339 UTC.
    pub updated_at: String,
}

/// One page of `GET /api/v1/facilities`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacilityPage {
    pub items: Vec<Facility>,
    /// Opaque; pass it as `cursor` for the next page. `None` on the last page.
    pub next_cursor: Option<String>,
    /// Opaque; pass it as `since` later to get only what changed after this answer.
    pub sync_token: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osm_wheelchair_values_are_read() {
        assert_eq!(Wheelchair::from_osm("yes"), Some(Wheelchair::Yes));
        assert_eq!(Wheelchair::from_osm(" Limited "), Some(Wheelchair::Limited));
        assert_eq!(Wheelchair::from_osm("no"), Some(Wheelchair::No));
        assert_eq!(Wheelchair::from_osm("maybe"), None);
    }
}
