//! `GET /api/v1/facility-categories`, `GET /api/v1/facilities` (by name, sync tokens, cursors)
//! and `GET /api/v1/facilities/{id}`.
//!
//! Closures that ended before today (in the commune's time zone) are left out of every answer;
//! they stay in the database.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use parvis_core::{Facility, FacilityCategory, FacilityPage};
use serde::Deserialize;

use crate::api::agenda::{date_text, today};
use crate::api::paging::{self, bad_param};
use crate::conditional;
use crate::db;
use crate::db::facilities::{Order, Stored};
use crate::error::AppError;
use crate::state::AppState;

/// Page size when `limit` is not given: a village's facilities fit in one page.
pub const DEFAULT_LIMIT: i64 = 200;
/// Largest page.
pub const MAX_LIMIT: i64 = 1000;

const JSON: &str = "application/json";

/// The facility categories, in display order, with their marker colour and icon.
#[utoipa::path(
    get,
    path = "/api/v1/facility-categories",
    tag = "facilities",
    responses(
        (status = 200, description = "Every category, in display order", body = [FacilityCategory]),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
    )
)]
pub async fn list_categories(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let body = serde_json::to_vec(&state.config.facilities.wire_categories()).unwrap_or_default();
    let etag = conditional::etag_of(&body);
    conditional::respond(&headers, body, &etag, JSON)
}

/// Query parameters of `GET /api/v1/facilities`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FacilitiesParams {
    /// The `sync_token` of an earlier answer: only the facilities changed since (new
    /// closures included), in order of change.
    pub since: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 1000 (200 when absent).
    pub limit: Option<String>,
}

/// Facilities by name (ignoring case and accents), or with `since` only what changed.
///
/// Every page carries a `sync_token`: keep the one of the last page of a walk and send it as
/// `since` next time. Nothing is deleted yet.
#[utoipa::path(
    get,
    path = "/api/v1/facilities",
    tag = "facilities",
    params(FacilitiesParams),
    responses(
        (status = 200, description = "One page of facilities", body = FacilityPage),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 400, description = "Malformed since, cursor or limit", body = parvis_core::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Limit out of range", body = parvis_core::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_facilities(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<FacilitiesParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params.map_err(|_| {
        AppError::BadRequest("Les paramètres de la demande sont mal formés.".into())
    })?;
    let limit = parse_limit(params.limit.as_deref())?;
    let since = params.since.as_deref().map(decode_sync_token).transpose()?;
    let cursor = params.cursor.as_deref().map(decode_cursor).transpose()?;

    let mut tx = state.db.begin().await.map_err(internal)?;
    let (order, until) = match (since, cursor) {
        (None, None) => (
            Order::Name { after: None },
            db::facilities::max_rev(&mut tx).await.map_err(internal)?,
        ),
        (None, Some(Cursor::Name { id, until, name })) => (
            Order::Name {
                after: Some((name, id)),
            },
            until,
        ),
        (Some(since), None) => {
            let until = db::facilities::max_rev(&mut tx).await.map_err(internal)?;
            (
                Order::Changes {
                    after: since,
                    until,
                },
                until,
            )
        }
        (Some(_), Some(Cursor::Changes { after, until })) => {
            (Order::Changes { after, until }, until)
        }
        _ => return Err(bad_param("cursor")),
    };
    let mut rows = db::facilities::list(&mut tx, &order, limit + 1)
        .await
        .map_err(internal)?;
    drop(tx);

    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        rows.last().map(|last| match order {
            Order::Name { .. } => Cursor::Name {
                id: last.facility.id,
                until,
                name: last.sort_name.clone(),
            },
            Order::Changes { .. } => Cursor::Changes {
                after: last.rev,
                until,
            },
        })
    } else {
        None
    };
    let today = date_text(today(&state));
    let page = FacilityPage {
        items: rows
            .into_iter()
            .map(|mut row| {
                drop_past_closures(&mut row.facility, &today);
                row.facility
            })
            .collect(),
        next_cursor: next_cursor.map(|c| c.encode()),
        sync_token: encode_sync_token(until),
    };
    let body = serde_json::to_vec(&page).map_err(|e| AppError::Internal(e.into()))?;
    let etag = conditional::etag_of(&body);
    Ok(conditional::respond(&headers, body, &etag, JSON))
}

/// One facility.
#[utoipa::path(
    get,
    path = "/api/v1/facilities/{id}",
    tag = "facilities",
    params(("id" = i64, Path, description = "The facility's id")),
    responses(
        (status = 200, description = "The facility", body = Facility),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 404, description = "No such facility", body = parvis_core::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_facility(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let mut facility = find(&state, &id).await?.facility;
    drop_past_closures(&mut facility, &date_text(today(&state)));
    let body = serde_json::to_vec(&facility).map_err(|e| AppError::Internal(e.into()))?;
    let etag = conditional::etag_of(&body);
    Ok(conditional::respond(&headers, body, &etag, JSON))
}

/// The facility whose id is `id` (as written in the path), else 404.
pub async fn find(state: &AppState, id: &str) -> Result<Stored, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await.map_err(internal)?;
    db::facilities::get(&mut conn, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

/// Drops the closures that ended before `today` (`YYYY-MM-DD`).
pub fn drop_past_closures(facility: &mut Facility, today: &str) {
    facility.closures.retain(|c| c.to.as_str() >= today);
}

fn internal(e: sqlx::Error) -> AppError {
    AppError::Internal(e.into())
}

fn parse_limit(param: Option<&str>) -> Result<i64, AppError> {
    paging::parse_limit(param, DEFAULT_LIMIT, MAX_LIMIT)
}

/// The sync token: the change counter, prefixed so that an agenda or news token is refused.
fn encode_sync_token(rev: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("f{rev}"))
}

fn decode_sync_token(text: &str) -> Result<i64, AppError> {
    decode_text(text)
        .and_then(|t| t.strip_prefix('f').and_then(|n| n.parse::<i64>().ok()))
        .filter(|rev| *rev >= 0)
        .ok_or_else(|| bad_param("since"))
}

/// Where the next page starts, and what the walk is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cursor {
    /// After this (folded name, id); `until` is the change counter of the walk's token.
    Name {
        id: i64,
        until: i64,
        name: String,
    },
    Changes {
        after: i64,
        until: i64,
    },
}

impl Cursor {
    fn encode(&self) -> String {
        // The name goes last: it may contain the separator.
        let text = match self {
            Cursor::Name { id, until, name } => format!("n|{id}|{until}|{name}"),
            Cursor::Changes { after, until } => format!("c|{after}|{until}"),
        };
        URL_SAFE_NO_PAD.encode(text)
    }
}

fn decode_text(text: &str) -> Option<String> {
    URL_SAFE_NO_PAD
        .decode(text.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
}

fn decode_cursor(text: &str) -> Result<Cursor, AppError> {
    let decoded = decode_text(text).ok_or_else(|| bad_param("cursor"))?;
    let number = |s: &str| s.parse::<i64>().map_err(|_| bad_param("cursor"));
    let parts: Vec<&str> = decoded.splitn(4, '|').collect();
    match parts.as_slice() {
        ["n", id, until, name] => Ok(Cursor::Name {
            id: number(id)?,
            until: number(until)?,
            name: (*name).to_owned(),
        }),
        ["c", after, until] => Ok(Cursor::Changes {
            after: number(after)?,
            until: number(until)?,
        }),
        _ => Err(bad_param("cursor")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_and_tokens_round_trip() {
        for cursor in [
            Cursor::Name {
                id: 4,
                until: 9,
                name: "salle | des fetes".into(),
            },
            Cursor::Changes { after: 3, until: 9 },
        ] {
            assert_eq!(decode_cursor(&cursor.encode()).expect("decodes"), cursor);
        }
        assert_eq!(
            decode_sync_token(&encode_sync_token(12)).expect("decodes"),
            12
        );
        for bad in [
            "",
            "!!",
            &URL_SAFE_NO_PAD.encode("e12|2027-01-01"),
            &URL_SAFE_NO_PAD.encode("f-1"),
        ] {
            assert!(decode_sync_token(bad).is_err(), "{bad}");
        }
        assert!(decode_cursor(&URL_SAFE_NO_PAD.encode("n|x|1|a")).is_err());
    }
}
