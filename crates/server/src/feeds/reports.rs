//! `GET /feeds/reports.geojson`: reports as GeoJSON (RFC 7946), for the commune's open-data
//! portal and GIS tools: public fields only, never the reporter's email, phone, name or device.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use crate::conditional;
use crate::db;
use crate::error::AppError;
use crate::facilities::export::GEOJSON;
use crate::state::AppState;

/// Most reports in the export, newest first.
pub const MAX_REPORTS: i64 = 10_000;

/// The newest reports as a FeatureCollection of points (`[lon, lat]`).
#[utoipa::path(
    get,
    path = "/feeds/reports.geojson",
    tag = "reports",
    responses(
        (status = 200, description = "The newest reports (10,000 at most), public fields only", content_type = "application/geo+json"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
    )
)]
pub async fn get_reports_geojson(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let internal = |e: sqlx::Error| AppError::Internal(e.into());
    let mut conn = state.db.acquire().await.map_err(internal)?;
    let ids = db::reports::newest(&mut conn, MAX_REPORTS)
        .await
        .map_err(internal)?;
    let reports = db::reports::load(&mut conn, &ids).await.map_err(internal)?;
    drop(conn);
    let base = crate::feeds::news::base_url(&state, &headers);
    let features: Vec<Value> = reports
        .iter()
        .map(|r| {
            let category_name = state
                .config
                .reports
                .category(&r.category)
                .map(|c| c.name.clone());
            let photos: Vec<String> = r
                .photos
                .iter()
                .map(|p| format!("{base}{}", p.url))
                .collect();
            json!({
                "type": "Feature",
                "id": r.id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [r.position.lon, r.position.lat],
                },
                "properties": {
                    "category": r.category,
                    "category_name": category_name,
                    "description": r.description,
                    "address": r.address,
                    "status": r.status,
                    "status_note": r.status_note,
                    "scheduled_for": r.scheduled_for,
                    "duplicate_of": r.duplicate_of,
                    "supporters": r.supporters,
                    "photos": photos,
                    "created_at": r.created_at,
                    "updated_at": r.updated_at,
                },
            })
        })
        .collect();
    let collection = json!({ "type": "FeatureCollection", "features": features });
    let body = serde_json::to_vec(&collection).map_err(|e| AppError::Internal(e.into()))?;
    let etag = conditional::etag_of(&body);
    Ok(conditional::respond(&headers, body, &etag, GEOJSON))
}
