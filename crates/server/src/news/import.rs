//! The feed importer: RSS 2.0 or Atom (through feed-rs) into articles, de-duplicated by GUID
//! (else link), in one transaction per feed so that a broken feed changes nothing. Images are
//! mirrored on the server first (see [`super::mirror`]), outside the transaction.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use feed_rs::model::{Entry, Text};
use sha2::{Digest, Sha256};

use super::config::NewsConfig;
use super::mirror::Mirror;
use super::sanitize;
use crate::config::Config;
use crate::db::articles::NewArticle;
use crate::db::{self, Db};

/// Largest feed accepted, in bytes.
pub const MAX_FEED_BYTES: usize = 10 * 1024 * 1024;

/// Time limit of one feed download.
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// What one import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Ids of the articles created, in feed order.
    pub inserted: Vec<i64>,
    pub updated: usize,
    pub unchanged: usize,
    /// Entries with neither id nor link, which cannot be de-duplicated.
    pub skipped: usize,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} nouveaux, {} mis à jour, {} inchangés",
            self.inserted.len(),
            self.updated,
            self.unchanged
        )?;
        if self.skipped > 0 {
            write!(f, ", {} ignorés (sans identifiant ni lien)", self.skipped)?;
        }
        Ok(())
    }
}

/// Why a feed could not be imported; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{feed}: the feed is larger than {} MB", MAX_FEED_BYTES / 1024 / 1024)]
    TooLarge { feed: String },
    #[error("{feed}: cannot read it: {reason}")]
    Read { feed: String, reason: String },
    #[error("{feed}: not a valid RSS or Atom feed: {reason}")]
    Parse { feed: String, reason: String },
    #[error("{feed}: database error: {cause}")]
    Db {
        feed: String,
        #[source]
        cause: sqlx::Error,
    },
}

/// Imports a feed from an `http(s)://` URL or a file path.
pub async fn import_source(
    db: &Db,
    config: &Config,
    source: &str,
) -> Result<ImportReport, ImportError> {
    let client = http_client();
    let bytes = if is_url(source) {
        fetch(&client, source).await?
    } else {
        read_file(source).await?
    };
    let mirror = Mirror::new(db, config, client);
    import_with(db, &config.news, &mirror, &bytes, source).await
}

/// Whether `source` is an HTTP URL rather than a path.
pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// The HTTP client of feed downloads (rustls with ring, the platform's certificates).
pub fn http_client() -> reqwest::Client {
    // reqwest is built without a default crypto provider; installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(FETCH_TIMEOUT)
        .user_agent(concat!("parvis-server/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// Downloads a feed, refusing it past [`MAX_FEED_BYTES`] without reading the rest.
pub async fn fetch(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, ImportError> {
    let read_error = |reason: String| ImportError::Read {
        feed: url.to_owned(),
        reason,
    };
    let mut response = client
        .get(url)
        .header(
            reqwest::header::ACCEPT,
            "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
        )
        .send()
        .await
        .map_err(|e| read_error(error_chain(&e)))?;
    if !response.status().is_success() {
        return Err(read_error(format!("HTTP status {}", response.status())));
    }
    if response
        .content_length()
        .is_some_and(|len| len > MAX_FEED_BYTES as u64)
    {
        return Err(ImportError::TooLarge {
            feed: url.to_owned(),
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| read_error(error_chain(&e)))?
    {
        if body.len() + chunk.len() > MAX_FEED_BYTES {
            return Err(ImportError::TooLarge {
                feed: url.to_owned(),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

async fn read_file(path: &str) -> Result<Vec<u8>, ImportError> {
    let read_error = |reason: String| ImportError::Read {
        feed: path.to_owned(),
        reason,
    };
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| read_error(e.to_string()))?;
    if meta.len() > MAX_FEED_BYTES as u64 {
        return Err(ImportError::TooLarge {
            feed: path.to_owned(),
        });
    }
    tokio::fs::read(path)
        .await
        .map_err(|e| read_error(e.to_string()))
}

pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// Imports a feed already read, mirroring its images with a fresh HTTP client.
pub async fn import_bytes(
    db: &Db,
    config: &Config,
    bytes: &[u8],
    source: &str,
) -> Result<ImportReport, ImportError> {
    let mirror = Mirror::new(db, config, http_client());
    import_with(db, &config.news, &mirror, bytes, source).await
}

/// Parses a whole feed and mirrors its images (no transaction is open while downloading),
/// then writes it in one transaction: either every entry is applied or, on any error, none is.
pub async fn import_with(
    db: &Db,
    news: &NewsConfig,
    mirror: &Mirror,
    bytes: &[u8],
    source: &str,
) -> Result<ImportReport, ImportError> {
    let parsed = parse(news, bytes, source, Utc::now())?;
    let mut report = ImportReport {
        skipped: parsed.iter().filter(|a| a.is_none()).count(),
        ..ImportReport::default()
    };
    let mut articles: Vec<NewArticle> = parsed.into_iter().flatten().collect();
    mirror.mirror_articles(&mut articles).await;
    for article in &mut articles {
        // After mirroring: an image that could not be fetched this time and can be next
        // time makes the article change then.
        article.content_hash = fingerprint(article);
    }
    let db_error = |cause: sqlx::Error| ImportError::Db {
        feed: source.to_owned(),
        cause,
    };
    let now = timestamp(Utc::now());
    let mut tx = db::articles::begin_write(db).await.map_err(db_error)?;
    for mut article in articles {
        match db::articles::find_by_guid(&mut tx, &article.guid)
            .await
            .map_err(db_error)?
        {
            None => {
                if article.published_at.is_empty() {
                    article.published_at.clone_from(&now);
                }
                let id = db::articles::insert(&mut tx, &article)
                    .await
                    .map_err(db_error)?;
                report.inserted.push(id);
            }
            Some(existing) if existing.content_hash == article.content_hash => {
                report.unchanged += 1;
            }
            Some(existing) => {
                if article.published_at.is_empty() {
                    article.published_at = existing.published_at;
                }
                article.updated_at.clone_from(&now);
                db::articles::update(&mut tx, existing.id, &article)
                    .await
                    .map_err(db_error)?;
                report.updated += 1;
            }
        }
    }
    tx.commit().await.map_err(db_error)?;
    Ok(report)
}

/// The feed's entries as articles (`None` for an entry that has neither id nor link).
/// An entry without any date gets `now` when first seen and keeps it afterwards: its
/// `published_at` is left empty here for the caller to fill.
fn parse(
    news: &NewsConfig,
    bytes: &[u8],
    source: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Option<NewArticle>>, ImportError> {
    let parser = feed_rs::parser::Builder::new()
        // GUID, else the first link; never a hash of the title, so a retitled entry
        // stays the same article.
        .id_generator(|links, _, _| links.first().map(|l| l.href.clone()).unwrap_or_default())
        .build();
    let feed = parser.parse(bytes).map_err(|e| ImportError::Parse {
        feed: source.to_owned(),
        reason: e.to_string(),
    })?;
    let feed_url = is_url(source).then(|| source.to_owned());
    Ok(feed
        .entries
        .iter()
        .map(|entry| to_article(news, entry, feed_url.as_deref(), now))
        .collect())
}

fn to_article(
    news: &NewsConfig,
    entry: &Entry,
    feed_url: Option<&str>,
    now: DateTime<Utc>,
) -> Option<NewArticle> {
    let guid = entry.id.trim();
    if guid.is_empty() {
        return None;
    }
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| entry.links.first())
        .map(|l| l.href.trim().to_owned())
        .filter(|href| is_url(href));
    let base = link.as_deref().or(feed_url);

    let title = entry
        .title
        .as_ref()
        .map(text_of)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Sans titre".to_owned());
    let content_html = entry
        .content
        .as_ref()
        .and_then(|c| {
            let body = c.body.as_deref()?;
            Some(if c.content_type.subty().as_str().contains("html") {
                body.to_owned()
            } else {
                paragraphs(body)
            })
        })
        .filter(|b| !b.trim().is_empty());
    let summary_html = entry.summary.as_ref().map(|s| {
        if is_html_text(s) {
            s.content.clone()
        } else {
            paragraphs(&s.content)
        }
    });
    let body_source = content_html
        .clone()
        .or_else(|| summary_html.clone())
        .unwrap_or_default();
    let body_html = sanitize::body_html(&body_source, base);
    let summary_text = match &entry.summary {
        Some(s) => text_of(s),
        None => sanitize::plain_text(&body_html),
    };
    let summary = sanitize::summary(&summary_text);

    let (image_url, image_alt) = image_of(entry);

    let mut themes: Vec<String> = Vec::new();
    for category in &entry.categories {
        let found = news.theme_for_category(&category.term).or_else(|| {
            category
                .label
                .as_deref()
                .and_then(|l| news.theme_for_category(l))
        });
        if let Some(slug) = found
            && !themes.iter().any(|t| t == slug)
        {
            themes.push(slug.to_owned());
        }
    }
    if themes.is_empty() {
        themes.push(news.default_theme.clone());
    }

    let dated = entry.published.or(entry.updated);
    let published_at = dated.map(timestamp).unwrap_or_default();
    let updated_at = entry
        .updated
        .or(entry.published)
        .map_or_else(|| timestamp(now), timestamp);

    Some(NewArticle {
        guid: guid.to_owned(),
        source_url: link.clone(),
        link,
        title,
        summary,
        body_html,
        image_url,
        image_alt,
        published_at,
        updated_at,
        feed_url: feed_url.map(str::to_owned),
        // Set once the images are mirrored.
        content_hash: String::new(),
        themes,
    })
}

/// SHA-256 (hex) of what the feed says about an article, as stored: equal means unchanged.
fn fingerprint(article: &NewArticle) -> String {
    let fingerprint = serde_json::json!([
        article.title,
        article.summary,
        article.body_html,
        article.image_url,
        article.image_alt,
        article.published_at,
        article.link,
        article.themes
    ]);
    Sha256::digest(fingerprint.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The first image of an entry (Media RSS, enclosure or thumbnail) with its description.
fn image_of(entry: &Entry) -> (Option<String>, Option<String>) {
    for media in &entry.media {
        let alt = media
            .description
            .as_ref()
            .or(media.title.as_ref())
            .map(text_of);
        let content = media.content.iter().find_map(|c| {
            let url = c.url.as_ref()?.as_str();
            let is_image = c
                .content_type
                .as_ref()
                .is_some_and(|t| t.ty().as_str() == "image");
            (is_image && is_url(url)).then(|| url.to_owned())
        });
        let thumbnail = media
            .thumbnails
            .iter()
            .map(|t| t.image.uri.clone())
            .find(|u| is_url(u));
        if let Some(url) = content.or(thumbnail) {
            return (Some(url), Some(alt.unwrap_or_default()));
        }
    }
    (None, None)
}

fn is_html_text(text: &Text) -> bool {
    text.content_type.subty().as_str().contains("html")
}

/// The plain text of a feed text construct.
fn text_of(text: &Text) -> String {
    if is_html_text(text) {
        sanitize::plain_text(&text.content)
    } else {
        text.content
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Plain text as HTML paragraphs (blank lines separate them).
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The stored form of a time: RFC 3339, UTC, whole seconds, `Z`.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}
