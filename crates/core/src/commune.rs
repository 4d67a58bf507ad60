//! `GET /api/v1/commune`: the commune's identity, which the app applies at start-up (name, logo,
//! colours) and keeps for offline starts. It comes from the server's configuration, never from code.

use serde::{Deserialize, Serialize};

use crate::{Bounds, Color, HolidayRules, LatLon, Locale};

/// The identity and geography of the commune the server serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commune {
    /// Official name, e.g. "Saint-Aubin-sur-Loire".
    pub name: String,
    /// Short name for the home-screen label (≤ 12 characters).
    pub short_name: String,
    /// INSEE code of the commune (5 characters), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insee_code: Option<String>,
    /// URL of the logo (SVG or PNG), same origin.
    pub logo_url: String,
    pub colors: CommuneColors,
    /// IANA time zone used for opening hours and day boundaries.
    pub time_zone: String,
    /// Language the app starts in.
    pub default_locale: Locale,
    pub center: LatLon,
    pub bounds: Bounds,
    /// Map tile URL template (`{z}/{x}/{y}`).
    pub tile_url: String,
    /// Attribution shown on the map, required by the tile provider.
    pub tile_attribution: String,
    /// Town-hall contact shown in the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// School zone and Alsace-Moselle holidays, for the `SH` and `PH` rules of opening hours.
    /// Defaulted so that a commune document cached before this field existed still reads.
    #[serde(default)]
    pub holidays: HolidayRules,
}

/// The commune's colours. `primary` carries white text (header, active items); the server
/// refuses a configuration where that pair fails WCAG AA.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommuneColors {
    /// Brand colour: header and active navigation, under white text.
    pub primary: Color,
    /// Accent used for text and focus rings on dark backgrounds (dark theme).
    pub primary_dark_theme: Color,
}
