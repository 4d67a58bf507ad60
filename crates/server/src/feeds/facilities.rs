//! `GET /feeds/facilities.geojson`: every facility as GeoJSON (RFC 7946), for the commune's
//! other sites, GIS tools and open-data portals.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::api::agenda::{date_text, today};
use crate::api::facilities::drop_past_closures;
use crate::conditional;
use crate::db;
use crate::db::facilities::Order;
use crate::error::AppError;
use crate::facilities::export::{self, ExportInfo, GEOJSON};
use crate::state::AppState;

/// Most facilities in the export.
pub const MAX_FACILITIES: i64 = 50_000;

/// Every facility by name, as a FeatureCollection of points (`[lon, lat]`), closures that
/// have ended left out.
#[utoipa::path(
    get,
    path = "/feeds/facilities.geojson",
    tag = "facilities",
    responses(
        (status = 200, description = "Every facility", content_type = "application/geo+json"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
    )
)]
pub async fn get_facilities_geojson(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let mut conn = state
        .db
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut rows = db::facilities::list(&mut conn, &Order::Name { after: None }, MAX_FACILITIES)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    drop(conn);
    let today = date_text(today(&state));
    for row in &mut rows {
        drop_past_closures(&mut row.facility, &today);
    }
    let base = crate::feeds::news::base_url(&state, &headers);
    let info = ExportInfo {
        base_url: &base,
        facilities: &state.config.facilities,
    };
    let body = serde_json::to_vec(&export::feature_collection(&info, &rows))
        .map_err(|e| AppError::Internal(e.into()))?;
    let etag = conditional::etag_of(&body);
    Ok(conditional::respond(&headers, body, &etag, GEOJSON))
}
