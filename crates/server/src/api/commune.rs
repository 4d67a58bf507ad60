//! `GET /api/v1/commune` and its logo: the commune's identity, from the configuration.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use parvis_core::{API_PREFIX, Commune};

use crate::conditional;
use crate::config::CommuneConfig;
use crate::state::AppState;

/// Where the logo is served.
pub fn logo_url() -> String {
    format!("{API_PREFIX}/commune/logo")
}

/// The wire document built from the configuration.
pub fn commune_from_config(c: &CommuneConfig) -> Commune {
    Commune {
        name: c.name.clone(),
        short_name: c.short_name.clone(),
        insee_code: c.insee_code.clone(),
        logo_url: logo_url(),
        colors: c.colors.into(),
        time_zone: c.time_zone.clone(),
        default_locale: c.default_locale,
        center: c.center.into(),
        bounds: c.bounds.into(),
        tile_url: c.tile_url.clone(),
        tile_attribution: c.tile_attribution.clone(),
        website: c.website.clone(),
        holidays: c.holiday_rules(),
    }
}

/// The commune's identity, which the app applies at start-up and keeps for offline starts.
#[utoipa::path(
    get,
    path = "/api/v1/commune",
    tag = "commune",
    responses(
        (status = 200, description = "The commune's identity", body = Commune),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
    )
)]
pub async fn get_commune(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let doc = &state.commune;
    conditional::respond(&headers, doc.body.clone(), &doc.etag, doc.content_type)
}

/// The commune's logo (SVG or PNG).
#[utoipa::path(
    get,
    path = "/api/v1/commune/logo",
    tag = "commune",
    responses(
        (status = 200, description = "The logo (image/svg+xml or image/png)", content_type = "image/svg+xml"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
    )
)]
pub async fn get_commune_logo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let doc = &state.logo;
    conditional::respond(&headers, doc.body.clone(), &doc.etag, doc.content_type)
}
