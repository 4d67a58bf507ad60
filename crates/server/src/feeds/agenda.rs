//! `GET /feeds/agenda.ics`: the whole upcoming agenda as iCalendar (RFC 5545), to subscribe to
//! from a calendar app (`webcal://`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::api::agenda::{CALENDAR, calendar_of, date_text, plus_days, today};
use crate::conditional;
use crate::db;
use crate::db::events::Order;
use crate::error::AppError;
use crate::state::AppState;

/// Most events in the feed.
pub const MAX_EVENTS: i64 = 20_000;

/// Every event from today on (those still running today included), cancelled ones with
/// `STATUS:CANCELLED`, as far ahead as recurring events are expanded.
#[utoipa::path(
    get,
    path = "/feeds/agenda.ics",
    tag = "agenda",
    responses(
        (status = 200, description = "The upcoming agenda", content_type = "text/calendar"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
    )
)]
pub async fn get_agenda_ics(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let from = today(&state);
    let horizon = u64::from(state.config.agenda.horizon_days) + 31;
    let order = Order::Start {
        from: date_text(from),
        to: date_text(plus_days(from, horizon)),
        after: None,
    };
    let mut conn = state
        .db
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let events = db::events::list(&mut conn, &order, MAX_EVENTS)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    drop(conn);
    let name = format!("Agenda de {}", state.config.commune.name);
    let body = calendar_of(&state, &headers, &name, &events);
    let etag = conditional::etag_of(body.as_bytes());
    Ok(conditional::respond(&headers, body, &etag, CALENDAR))
}
