//! `GET /feeds/news.atom?theme=…`: the latest articles as an Atom feed (RFC 4287).

use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use parvis_core::Article;
use serde::Deserialize;

use crate::api::news::parse_themes;
use crate::conditional;
use crate::db;
use crate::db::articles::Order;
use crate::error::AppError;
use crate::state::AppState;

/// Entries in the feed.
pub const ENTRIES: i64 = 50;

const ATOM: &str = "application/atom+xml; charset=utf-8";

/// Query parameters of the Atom feed.
#[derive(Debug, Default, Deserialize)]
pub struct AtomParams {
    /// Theme slugs separated by commas.
    pub theme: Option<String>,
}

/// The latest news as Atom (RFC 4287), optionally only some themes.
#[utoipa::path(
    get,
    path = "/feeds/news.atom",
    tag = "news",
    params(("theme" = Option<String>, Query, description = "Theme slugs separated by commas")),
    responses(
        (status = 200, description = "The 50 latest articles", content_type = "application/atom+xml"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 422, description = "Unknown theme", body = parvis_core::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_news_atom(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<AtomParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params.map_err(|_| {
        AppError::BadRequest("Les paramètres de la demande sont mal formés.".into())
    })?;
    let news = &state.config.news;
    let themes = parse_themes(news, params.theme.as_deref())?;
    let mut conn = state
        .db
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let rows = db::articles::list(
        &mut conn,
        &themes,
        &Order::Published { after: None },
        ENTRIES,
    )
    .await
    .map_err(|e| AppError::Internal(e.into()))?;
    drop(conn);
    let articles: Vec<Article> = rows.into_iter().map(|r| r.article).collect();

    let base = base_url(&state, &headers);
    let self_href = if themes.is_empty() {
        format!("{base}/feeds/news.atom")
    } else {
        format!("{base}/feeds/news.atom?theme={}", themes.join(","))
    };
    let commune = &state.config.commune.name;
    let names: Vec<&str> = themes
        .iter()
        .filter_map(|slug| news.themes.iter().find(|t| &t.slug == slug))
        .map(|t| t.name_fr.as_str())
        .collect();
    let title = if names.is_empty() {
        format!("Actualités — {commune}")
    } else {
        format!("Actualités — {commune} — {}", names.join(", "))
    };

    let authority = tag_authority(state.config.server.public_url.as_deref());
    let entries: Vec<Entry> = articles
        .iter()
        .map(|a| entry(a, &base, &authority, &state))
        .collect();
    let updated = articles
        .iter()
        .filter_map(|a| parse_time(&a.updated_at))
        .max()
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());

    let mut feed = Feed::default();
    feed.set_title(Text::plain(title));
    feed.set_id(format!("tag:{authority},2026:news"));
    feed.set_updated(updated);
    feed.set_lang(Some("fr".to_owned()));
    feed.set_authors(vec![person(commune)]);
    feed.set_links(vec![
        link(&self_href, "self", Some("application/atom+xml")),
        link(
            &format!("{base}/actualites"),
            "alternate",
            Some("text/html"),
        ),
    ]);
    feed.set_entries(entries);
    let body = feed
        .write_to(Vec::new())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("writing the Atom feed: {e}")))?;
    let etag = conditional::etag_of(&body);
    Ok(conditional::respond(&headers, body, &etag, ATOM))
}

fn entry(article: &Article, base: &str, authority: &str, state: &AppState) -> Entry {
    let mut entry = Entry::default();
    entry.set_id(format!("tag:{authority},2026:news/{}", article.id));
    entry.set_title(Text::plain(article.title.clone()));
    if let Some(updated) = parse_time(&article.updated_at) {
        entry.set_updated(updated);
    }
    entry.set_published(parse_time(&article.published_at));
    entry.set_summary(Some(Text::plain(article.summary.clone())));
    let mut content = Content::default();
    content.set_content_type(Some("html".to_owned()));
    content.set_value(Some(article.body_html.clone()));
    entry.set_content(Some(content));
    entry.set_links(vec![link(
        &format!("{base}/actualites/{}", article.id),
        "alternate",
        Some("text/html"),
    )]);
    let categories = article
        .themes
        .iter()
        .map(|slug| {
            let mut category = Category::default();
            category.set_term(slug.clone());
            let label = state
                .config
                .news
                .themes
                .iter()
                .find(|t| &t.slug == slug)
                .map(|t| t.name_fr.clone());
            category.set_label(label);
            category
        })
        .collect::<Vec<_>>();
    entry.set_categories(categories);
    entry
}

fn link(href: &str, rel: &str, mime_type: Option<&str>) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel);
    link.set_mime_type(mime_type.map(str::to_owned));
    link
}

fn person(name: &str) -> Person {
    let mut person = Person::default();
    person.set_name(name);
    person
}

fn parse_time(text: &str) -> Option<FixedDateTime> {
    chrono::DateTime::parse_from_rfc3339(text).ok()
}

/// `https://parvis.example.fr` from `server.public_url`, else `http://` and the request's Host.
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.server.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                })
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The authority of `tag:` ids (RFC 4151): the public host when known, else `parvis`; never
/// the request's Host, so ids do not change with the address used to read the feed.
fn tag_authority(public_url: Option<&str>) -> String {
    public_url
        .and_then(|u| u.split_once("://"))
        .map(|(_, rest)| {
            rest.split(['/', ':'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        })
        .filter(|host| !host.is_empty())
        .unwrap_or_else(|| "parvis".to_owned())
}
