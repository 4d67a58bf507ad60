//! `GET /api/v1/themes`, `GET /api/v1/news` (filters, sync tokens, cursors) and
//! `GET /api/v1/news/{id}`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use parvis_core::{Article, ArticlePage, Theme};
use serde::Deserialize;

use crate::api::paging::{self, bad_param};
use crate::conditional;
use crate::db;
use crate::db::articles::Order;
use crate::error::AppError;
use crate::news::config::NewsConfig;
use crate::state::AppState;

/// Page size when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 50;
/// Largest page.
pub const MAX_LIMIT: i64 = 100;

const JSON: &str = "application/json";

/// The themes residents can follow, in display order.
#[utoipa::path(
    get,
    path = "/api/v1/themes",
    tag = "news",
    responses(
        (status = 200, description = "Every theme, in display order", body = [Theme]),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
    )
)]
pub async fn list_themes(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let body = serde_json::to_vec(&state.config.news.wire_themes()).unwrap_or_default();
    let etag = conditional::etag_of(&body);
    conditional::respond(&headers, body, &etag, JSON)
}

/// Query parameters of `GET /api/v1/news`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NewsParams {
    /// Theme slugs separated by commas: only articles carrying at least one of them.
    pub theme: Option<String>,
    /// The `sync_token` of an earlier answer: only articles changed since, oldest change first.
    pub since: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (50 when absent).
    pub limit: Option<String>,
}

/// News articles: newest first, or with `since` only what changed, in order of change.
///
/// Every page carries a `sync_token`: keep the one of the last page of a walk and send it as
/// `since` next time. Deleted articles do not exist yet (nothing is ever deleted).
#[utoipa::path(
    get,
    path = "/api/v1/news",
    tag = "news",
    params(NewsParams),
    responses(
        (status = 200, description = "One page of articles", body = ArticlePage),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 400, description = "Malformed since, cursor or limit", body = parvis_core::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown theme or limit out of range", body = parvis_core::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_news(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<NewsParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params.map_err(|_| {
        AppError::BadRequest("Les paramètres de la demande sont mal formés.".into())
    })?;
    let themes = parse_themes(&state.config.news, params.theme.as_deref())?;
    let limit = parse_limit(params.limit.as_deref())?;
    let since = params.since.as_deref().map(decode_sync_token).transpose()?;
    let cursor = params.cursor.as_deref().map(decode_cursor).transpose()?;

    let mut tx = state.db.begin().await.map_err(internal)?;
    let (order, until) = match (since, cursor) {
        (None, None) => (
            Order::Published { after: None },
            db::articles::max_rev(&mut tx).await.map_err(internal)?,
        ),
        (
            None,
            Some(Cursor::Published {
                published_at,
                id,
                until,
            }),
        ) => (
            Order::Published {
                after: Some((published_at, id)),
            },
            until,
        ),
        (Some(since), None) => {
            let until = db::articles::max_rev(&mut tx).await.map_err(internal)?;
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
    let mut rows = db::articles::list(&mut tx, &themes, &order, limit + 1)
        .await
        .map_err(internal)?;
    drop(tx);

    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        rows.last().map(|last| match order {
            Order::Published { .. } => Cursor::Published {
                published_at: last.article.published_at.clone(),
                id: last.article.id,
                until,
            },
            Order::Changes { .. } => Cursor::Changes {
                after: last.rev,
                until,
            },
        })
    } else {
        None
    };
    let page = ArticlePage {
        items: rows.into_iter().map(|row| row.article).collect(),
        next_cursor: next_cursor.map(|c| c.encode()),
        sync_token: encode_sync_token(until),
    };
    let body = serde_json::to_vec(&page).map_err(|e| AppError::Internal(e.into()))?;
    let etag = conditional::etag_of(&body);
    Ok(conditional::respond(&headers, body, &etag, JSON))
}

/// One article.
#[utoipa::path(
    get,
    path = "/api/v1/news/{id}",
    tag = "news",
    params(("id" = i64, Path, description = "The article's id")),
    responses(
        (status = 200, description = "The article", body = Article),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 404, description = "No such article", body = parvis_core::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_article(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| article_not_found())?;
    let article = db::articles::get(&state.db, id)
        .await
        .map_err(internal)?
        .ok_or_else(article_not_found)?;
    let body = serde_json::to_vec(&article).map_err(|e| AppError::Internal(e.into()))?;
    let etag = conditional::etag_of(&body);
    Ok(conditional::respond(&headers, body, &etag, JSON))
}

fn article_not_found() -> AppError {
    AppError::NotFound
}

fn internal(e: sqlx::Error) -> AppError {
    AppError::Internal(e.into())
}

/// The slugs of `theme=a,b`, each checked against the configured themes.
pub fn parse_themes(news: &NewsConfig, param: Option<&str>) -> Result<Vec<String>, AppError> {
    let mut slugs: Vec<String> = Vec::new();
    for slug in param.unwrap_or_default().split(',').map(str::trim) {
        if slug.is_empty() || slugs.iter().any(|s| s == slug) {
            continue;
        }
        if !news.themes.iter().any(|t| t.slug == slug) {
            let shown: String = slug.chars().take(40).collect();
            return Err(AppError::Validation(format!(
                "Le thème « {shown} » n’existe pas. Actualisez la liste des thèmes."
            )));
        }
        slugs.push(slug.to_owned());
    }
    Ok(slugs)
}

fn parse_limit(param: Option<&str>) -> Result<i64, AppError> {
    paging::parse_limit(param, DEFAULT_LIMIT, MAX_LIMIT)
}

/// Where the next page starts, and the change counter the walk started at.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cursor {
    Published {
        published_at: String,
        id: i64,
        until: i64,
    },
    Changes {
        after: i64,
        until: i64,
    },
}

impl Cursor {
    fn encode(&self) -> String {
        let text = match self {
            Cursor::Published {
                published_at,
                id,
                until,
            } => format!("p|{published_at}|{id}|{until}"),
            Cursor::Changes { after, until } => format!("c|{after}|{until}"),
        };
        URL_SAFE_NO_PAD.encode(text)
    }
}

fn decode_cursor(text: &str) -> Result<Cursor, AppError> {
    let decoded = URL_SAFE_NO_PAD
        .decode(text.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| bad_param("cursor"))?;
    let parts: Vec<&str> = decoded.split('|').collect();
    let number = |s: &str| s.parse::<i64>().map_err(|_| bad_param("cursor"));
    match parts.as_slice() {
        ["p", published_at, id, until]
            if chrono::DateTime::parse_from_rfc3339(published_at).is_ok() =>
        {
            Ok(Cursor::Published {
                published_at: (*published_at).to_owned(),
                id: number(id)?,
                until: number(until)?,
            })
        }
        ["c", after, until] => Ok(Cursor::Changes {
            after: number(after)?,
            until: number(until)?,
        }),
        _ => Err(bad_param("cursor")),
    }
}

fn encode_sync_token(rev: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("r{rev}"))
}

fn decode_sync_token(text: &str) -> Result<i64, AppError> {
    URL_SAFE_NO_PAD
        .decode(text.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|s| s.strip_prefix('r')?.parse::<i64>().ok())
        .filter(|rev| *rev >= 0)
        .ok_or_else(|| bad_param("since"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_and_tokens_round_trip() {
        let cursor = Cursor::Published {
            published_at: "2026-03-01T09:30:00Z".into(),
            id: 42,
            until: 7,
        };
        assert_eq!(decode_cursor(&cursor.encode()).expect("decodes"), cursor);
        let cursor = Cursor::Changes { after: 3, until: 9 };
        assert_eq!(decode_cursor(&cursor.encode()).expect("decodes"), cursor);
        assert_eq!(
            decode_sync_token(&encode_sync_token(12)).expect("decodes"),
            12
        );
        for bad in ["", "!!", "cg", &URL_SAFE_NO_PAD.encode("p|x|1|2")] {
            assert!(decode_cursor(bad).is_err(), "{bad}");
        }
        assert!(decode_sync_token(&URL_SAFE_NO_PAD.encode("r-1")).is_err());
    }
}
