//! `GET /api/v1/event-categories`, `GET /api/v1/events` (date window, sync tokens, cursors),
//! `GET /api/v1/events/{id}` and `GET /api/v1/events/{id}.ics`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Days, NaiveDate, Utc};
use chrono_tz::Tz;
use parvis_core::{Event, EventCategory, EventPage};
use serde::Deserialize;

use crate::agenda::export::{self, CalendarInfo};
use crate::api::paging::{self, bad_param};
use crate::conditional;
use crate::db;
use crate::db::events::{Order, Stored};
use crate::error::AppError;
use crate::state::AppState;

/// Page size when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 100;
/// Largest page.
pub const MAX_LIMIT: i64 = 500;
/// Days after `from` the window ends when `to` is not given: the next six months.
pub const DEFAULT_WINDOW_DAYS: u64 = 183;
/// Widest window a request may ask for.
pub const MAX_WINDOW_DAYS: i64 = 400;

const JSON: &str = "application/json";
/// The media type of iCalendar (RFC 5545).
pub const CALENDAR: &str = "text/calendar; charset=utf-8";

/// The agenda's categories, in display order.
#[utoipa::path(
    get,
    path = "/api/v1/event-categories",
    tag = "agenda",
    responses(
        (status = 200, description = "Every category, in display order", body = [EventCategory]),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
    )
)]
pub async fn list_categories(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let body = serde_json::to_vec(&state.config.agenda.wire_categories()).unwrap_or_default();
    let etag = conditional::etag_of(&body);
    conditional::respond(&headers, body, &etag, JSON)
}

/// Query parameters of `GET /api/v1/events`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsParams {
    /// First local day (`YYYY-MM-DD`, the commune's time zone), today when absent: events
    /// still running that day are included.
    pub from: Option<String>,
    /// Last local day (`YYYY-MM-DD`), `from` + 183 days when absent; at most 400 days after
    /// `from`.
    pub to: Option<String>,
    /// The `sync_token` of an earlier answer: only what changed since, in order of change,
    /// whatever the dates, plus the events that entered the window (`to`, else today + 183
    /// days) since then. `from` does not apply.
    pub since: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (100 when absent).
    pub limit: Option<String>,
}

/// Events by start time within a window of local days, or with `since` only what changed.
///
/// Every page carries a `sync_token`: keep the one of the last page of a walk and send it as
/// `since` next time. Cancelled events stay, with `cancelled: true`; nothing is deleted.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "agenda",
    params(EventsParams),
    responses(
        (status = 200, description = "One page of events", body = EventPage),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 400, description = "Malformed date, since, cursor or limit", body = parvis_core::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`from` after `to`, window too wide or limit out of range", body = parvis_core::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<EventsParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params.map_err(|_| {
        AppError::BadRequest("Les paramètres de la demande sont mal formés.".into())
    })?;
    let today = today(&state);
    let from = params
        .from
        .as_deref()
        .map(|t| parse_date("from", t))
        .transpose()?
        .unwrap_or(today);
    let to_given = params
        .to
        .as_deref()
        .map(|t| parse_date("to", t))
        .transpose()?;
    let window_start = if params.since.is_some() { today } else { from };
    let to = to_given.unwrap_or_else(|| plus_days(window_start, DEFAULT_WINDOW_DAYS));
    if params.since.is_none() {
        check_window(from, to)?;
    } else if to < today {
        return Err(AppError::Validation(
            "Le paramètre « to » ne peut pas précéder aujourd’hui avec « since ».".into(),
        ));
    }
    let limit = parse_limit(params.limit.as_deref())?;
    let since = params.since.as_deref().map(SyncToken::decode).transpose()?;
    let cursor = params.cursor.as_deref().map(decode_cursor).transpose()?;

    let mut tx = state.db.begin().await.map_err(internal)?;
    let (order, until, token_to) = match (since, cursor) {
        (None, None) => (
            Order::Start {
                from: date_text(from),
                to: date_text(to),
                after: None,
            },
            db::events::max_rev(&mut tx).await.map_err(internal)?,
            date_text(to),
        ),
        (
            None,
            Some(Cursor::Start {
                start_at,
                id,
                until,
                from,
                to,
            }),
        ) => (
            Order::Start {
                from,
                after: Some((start_at, id)),
                to: to.clone(),
            },
            until,
            to,
        ),
        (Some(since), None) => {
            let until = db::events::max_rev(&mut tx).await.map_err(internal)?;
            let new_to = date_text(to);
            let window = (new_to > since.to).then(|| (since.to.clone(), new_to.clone()));
            let token_to = new_to.max(since.to);
            (
                Order::Changes {
                    since: since.rev,
                    after: if window.is_some() { 0 } else { since.rev },
                    until,
                    window,
                },
                until,
                token_to,
            )
        }
        (
            Some(_),
            Some(Cursor::Changes {
                since,
                after,
                until,
                window,
                token_to,
            }),
        ) => (
            Order::Changes {
                since,
                after,
                until,
                window,
            },
            until,
            token_to,
        ),
        _ => return Err(bad_param("cursor")),
    };
    let mut rows = db::events::list(&mut tx, &order, limit + 1)
        .await
        .map_err(internal)?;
    drop(tx);

    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        rows.last().map(|last| match &order {
            Order::Start { from, to, .. } => Cursor::Start {
                start_at: last.event.start.clone(),
                id: last.event.id,
                until,
                from: from.clone(),
                to: to.clone(),
            },
            Order::Changes {
                since,
                until,
                window,
                ..
            } => Cursor::Changes {
                since: *since,
                after: last.rev,
                until: *until,
                window: window.clone(),
                token_to: token_to.clone(),
            },
        })
    } else {
        None
    };
    let page = EventPage {
        items: rows.into_iter().map(|row| row.event).collect(),
        next_cursor: next_cursor.map(|c| c.encode()),
        sync_token: SyncToken {
            rev: until,
            to: token_to,
        }
        .encode(),
    };
    let body = serde_json::to_vec(&page).map_err(|e| AppError::Internal(e.into()))?;
    let etag = conditional::etag_of(&body);
    Ok(conditional::respond(&headers, body, &etag, JSON))
}

/// One event, as JSON or, with `.ics` after the id, as an iCalendar file to add to a calendar.
#[utoipa::path(
    get,
    path = "/api/v1/events/{id}",
    tag = "agenda",
    params(("id" = String, Path, description = "The event's id; `12.ics` for its iCalendar file")),
    responses(
        (status = 200, description = "The event (JSON, or text/calendar for `{id}.ics`)", body = Event),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 404, description = "No such event", body = parvis_core::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_event(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, ics) = match id.strip_suffix(".ics") {
        Some(id) => (id, true),
        None => (id.as_str(), false),
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let stored = db::events::get(&state.db, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    if !ics {
        let body = serde_json::to_vec(&stored.event).map_err(|e| AppError::Internal(e.into()))?;
        let etag = conditional::etag_of(&body);
        return Ok(conditional::respond(&headers, body, &etag, JSON));
    }
    let title = stored.event.title.clone();
    let body = calendar_of(&state, &headers, &title, std::slice::from_ref(&stored));
    let etag = conditional::etag_of(body.as_bytes());
    let mut response = conditional::respond(&headers, body, &etag, CALENDAR);
    if let Ok(value) =
        HeaderValue::from_str(&format!("attachment; filename=\"evenement-{id}.ics\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// An iCalendar document of `events`, named `name`.
pub fn calendar_of(state: &AppState, headers: &HeaderMap, name: &str, events: &[Stored]) -> String {
    let base = format!("{}/", crate::feeds::news::base_url(state, headers));
    let commune = &state.config.commune.name;
    let description = format!("Agenda de {commune}, publié par Parvis");
    let source = format!("{base}feeds/agenda.ics");
    let info = CalendarInfo {
        name,
        description: &description,
        tz: commune_tz(state),
        source: Some(&source),
        public_url: Some(&base),
        agenda: &state.config.agenda,
    };
    export::calendar(&info, events)
}

/// The commune's time zone.
pub fn commune_tz(state: &AppState) -> Tz {
    state
        .config
        .commune
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Paris)
}

/// Today in the commune.
pub fn today(state: &AppState) -> NaiveDate {
    Utc::now().with_timezone(&commune_tz(state)).date_naive()
}

/// `date` + `days`, saturating.
pub fn plus_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

/// `YYYY-MM-DD`.
pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn parse_date(name: &str, text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        let shown: String = text.chars().take(40).collect();
        AppError::BadRequest(format!(
            "Le paramètre « {name} » (« {shown} ») n’est pas une date valide : écrivez-la \
             AAAA-MM-JJ, par exemple 2026-12-24."
        ))
    })
}

fn check_window(from: NaiveDate, to: NaiveDate) -> Result<(), AppError> {
    if from > to {
        return Err(AppError::Validation(format!(
            "La date de début ({}) est après la date de fin ({}).",
            date_text(from),
            date_text(to)
        )));
    }
    if (to - from).num_days() > MAX_WINDOW_DAYS {
        return Err(AppError::Validation(format!(
            "La période demandée dépasse {MAX_WINDOW_DAYS} jours : réduisez l’écart entre « from » \
             et « to »."
        )));
    }
    Ok(())
}

fn internal(e: sqlx::Error) -> AppError {
    AppError::Internal(e.into())
}

fn parse_limit(param: Option<&str>) -> Result<i64, AppError> {
    paging::parse_limit(param, DEFAULT_LIMIT, MAX_LIMIT)
}

/// What a client keeps between two syncs: the change counter and the window's last day.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SyncToken {
    rev: i64,
    to: String,
}

impl SyncToken {
    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("e{}|{}", self.rev, self.to))
    }

    fn decode(text: &str) -> Result<Self, AppError> {
        let decoded = decode_text(text).ok_or_else(|| bad_param("since"))?;
        let (rev, to) = decoded
            .strip_prefix('e')
            .and_then(|rest| rest.split_once('|'))
            .ok_or_else(|| bad_param("since"))?;
        let rev: i64 = rev.parse().map_err(|_| bad_param("since"))?;
        if rev < 0 || NaiveDate::parse_from_str(to, "%Y-%m-%d").is_err() {
            return Err(bad_param("since"));
        }
        Ok(SyncToken {
            rev,
            to: to.to_owned(),
        })
    }
}

/// Where the next page starts, and what the walk is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cursor {
    Start {
        start_at: String,
        id: i64,
        until: i64,
        from: String,
        to: String,
    },
    Changes {
        since: i64,
        after: i64,
        until: i64,
        window: Option<(String, String)>,
        token_to: String,
    },
}

impl Cursor {
    fn encode(&self) -> String {
        let text = match self {
            Cursor::Start {
                start_at,
                id,
                until,
                from,
                to,
            } => format!("s|{start_at}|{id}|{until}|{from}|{to}"),
            Cursor::Changes {
                since,
                after,
                until,
                window,
                token_to,
            } => {
                let (old_to, new_to) = window.clone().unwrap_or_default();
                format!("c|{since}|{after}|{until}|{old_to}|{new_to}|{token_to}")
            }
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
    let parts: Vec<&str> = decoded.split('|').collect();
    let number = |s: &str| s.parse::<i64>().map_err(|_| bad_param("cursor"));
    let is_date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok();
    match parts.as_slice() {
        ["s", start_at, id, until, from, to]
            if chrono::DateTime::parse_from_rfc3339(start_at).is_ok()
                && is_date(from)
                && is_date(to) =>
        {
            Ok(Cursor::Start {
                start_at: (*start_at).to_owned(),
                id: number(id)?,
                until: number(until)?,
                from: (*from).to_owned(),
                to: (*to).to_owned(),
            })
        }
        ["c", since, after, until, old_to, new_to, token_to] if is_date(token_to) => {
            let window = match (old_to.is_empty(), new_to.is_empty()) {
                (true, true) => None,
                _ if is_date(old_to) && is_date(new_to) => {
                    Some(((*old_to).to_owned(), (*new_to).to_owned()))
                }
                _ => return Err(bad_param("cursor")),
            };
            Ok(Cursor::Changes {
                since: number(since)?,
                after: number(after)?,
                until: number(until)?,
                window,
                token_to: (*token_to).to_owned(),
            })
        }
        _ => Err(bad_param("cursor")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_and_tokens_round_trip() {
        let cursor = Cursor::Start {
            start_at: "2026-12-05T17:30:00Z".into(),
            id: 42,
            until: 7,
            from: "2026-11-22".into(),
            to: "2027-05-24".into(),
        };
        assert_eq!(decode_cursor(&cursor.encode()).expect("decodes"), cursor);
        for window in [None, Some(("2027-05-24".into(), "2027-05-30".into()))] {
            let cursor = Cursor::Changes {
                since: 3,
                after: 0,
                until: 9,
                window,
                token_to: "2027-05-30".into(),
            };
            assert_eq!(decode_cursor(&cursor.encode()).expect("decodes"), cursor);
        }
        let token = SyncToken {
            rev: 12,
            to: "2027-05-24".into(),
        };
        assert_eq!(SyncToken::decode(&token.encode()).expect("decodes"), token);
        for bad in [
            "",
            "!!",
            &URL_SAFE_NO_PAD.encode("e-1|2027-01-01"),
            &URL_SAFE_NO_PAD.encode("e1|x"),
        ] {
            assert!(SyncToken::decode(bad).is_err(), "{bad}");
            assert!(decode_cursor(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn windows_are_checked() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert!(check_window(d("2026-12-01"), d("2026-12-01")).is_ok());
        assert!(check_window(d("2026-12-02"), d("2026-12-01")).is_err());
        assert!(check_window(d("2026-01-01"), d("2027-03-01")).is_err());
        assert!(parse_date("from", "2026-13-01").is_err());
        assert!(parse_date("from", "demain").is_err());
    }
}
