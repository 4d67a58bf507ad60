//! Articles published through the API by town-hall tools: checked field by field, sanitised
//! with the importer's policy, images mirrored like imports, and stored under their
//! idempotency key so that a retried request never makes a second article.

use chrono::{DateTime, Utc};
use parvis_core::news::NewArticle as Submitted;
use parvis_core::problem::FieldError;
use sha2::{Digest, Sha256};

use super::config::NewsConfig;
use super::import::{is_url, timestamp};
use super::mirror::Mirror;
use super::sanitize;
use crate::db::articles::NewArticle;
use crate::db::{self, Db};

/// GUIDs of articles published through the API start with this, followed by the request's
/// `Idempotency-Key`.
pub const GUID_PREFIX: &str = "api:";

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// Longest `Idempotency-Key`, in characters.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 200;

/// The most themes one article may carry.
const MAX_THEMES: usize = 20;

/// The GUID of the article published with `Idempotency-Key: key`, or `None` when the key is
/// empty, too long or not visible ASCII.
pub fn guid_for(key: &str) -> Option<String> {
    let key = key.trim();
    let ok = !key.is_empty()
        && key.len() <= MAX_IDEMPOTENCY_KEY_CHARS
        && key.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| format!("{GUID_PREFIX}{key}"))
}

/// SHA-256 (hex) of a request as sent: a replay with the same key must carry the same one.
pub fn fingerprint(submitted: &Submitted) -> String {
    let text = serde_json::to_string(submitted).unwrap_or_default();
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks and cleans a submitted article into what is stored (images not mirrored yet).
/// `published_at` is used when the request gives none; `now` stamps `updated_at`.
pub fn prepare(
    news: &NewsConfig,
    submitted: &Submitted,
    guid: String,
    published_at: &str,
    now: DateTime<Utc>,
) -> Result<NewArticle, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.to_owned(),
            message,
        });
    };

    let title = sanitize::plain_text(&submitted.title);
    if title.is_empty() {
        fail("title", "Le titre est obligatoire.".into());
    } else if title.chars().count() > MAX_TITLE_CHARS {
        fail(
            "title",
            format!("Le titre doit faire au plus {MAX_TITLE_CHARS} caractères."),
        );
    }

    let source_url = non_empty(submitted.source_url.as_deref());
    if let Some(url) = source_url
        && !is_http_url(url)
    {
        fail(
            "source_url",
            "L’adresse de la page source doit commencer par http:// ou https://.".into(),
        );
    }
    let base = source_url.filter(|u| is_http_url(u));
    let body_html = sanitize::body_html(&submitted.body_html, base);
    let body_text = sanitize::plain_text(&body_html);
    if body_text.is_empty() && !body_html.contains("<img") {
        fail("body_html", "Le texte de l’article est vide.".into());
    }
    let summary = match non_empty(submitted.summary.as_deref()).map(sanitize::plain_text) {
        Some(text) if !text.is_empty() => sanitize::summary(&text),
        _ => sanitize::summary(&body_text),
    };

    let mut themes: Vec<String> = Vec::new();
    for slug in submitted.themes.iter().map(|s| s.trim()) {
        if themes.iter().any(|t| t == slug) {
            continue;
        }
        if news.themes.iter().any(|t| t.slug == slug) {
            themes.push(slug.to_owned());
        } else {
            let shown: String = slug.chars().take(40).collect();
            fail(
                "themes",
                format!("Le thème « {shown} » n’existe pas. Consultez /api/v1/themes."),
            );
        }
    }
    if submitted.themes.is_empty() {
        fail("themes", "Choisissez au moins un thème.".into());
    } else if themes.len() > MAX_THEMES {
        fail(
            "themes",
            format!("Un article porte au plus {MAX_THEMES} thèmes."),
        );
    }

    let published_at = match non_empty(submitted.published_at.as_deref()) {
        None => published_at.to_owned(),
        Some(text) => match DateTime::parse_from_rfc3339(text) {
            Ok(date) => timestamp(date.with_timezone(&Utc)),
            Err(_) => {
                fail(
                    "published_at",
                    "La date de publication doit être au format RFC 3339 \
                     (par exemple 2026-03-01T09:30:00+01:00)."
                        .into(),
                );
                String::new()
            }
        },
    };

    let image_url = non_empty(submitted.image_url.as_deref());
    if let Some(url) = image_url
        && !is_http_url(url)
    {
        fail(
            "image_url",
            "L’adresse de l’image doit commencer par http:// ou https://.".into(),
        );
    }
    let image_alt =
        image_url.map(|_| sanitize::plain_text(submitted.image_alt.as_deref().unwrap_or_default()));

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NewArticle {
        guid,
        link: source_url.map(str::to_owned),
        title,
        summary,
        body_html,
        image_url: image_url.map(str::to_owned),
        image_alt,
        published_at,
        updated_at: timestamp(now),
        source_url: source_url.map(str::to_owned),
        feed_url: None,
        content_hash: fingerprint(submitted),
        themes,
    })
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

fn is_http_url(text: &str) -> bool {
    is_url(text) && url::Url::parse(text).is_ok_and(|u| u.host_str().is_some())
}

/// What [`store_new`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// A new article, with this id.
    Created(i64),
    /// The idempotency key was used before for the same request: that article.
    Replayed(i64),
    /// The idempotency key was used before for a different request.
    KeyReused,
}

/// The outcome of an earlier request with the same GUID, if there was one.
pub async fn replay(db: &Db, article: &NewArticle) -> sqlx::Result<Option<Stored>> {
    let mut conn = db.acquire().await?;
    let existing = db::articles::find_by_guid(&mut conn, &article.guid).await?;
    Ok(existing.map(|e| same_request(&e, article)))
}

fn same_request(existing: &db::articles::Existing, article: &NewArticle) -> Stored {
    if existing.content_hash == article.content_hash {
        Stored::Replayed(existing.id)
    } else {
        Stored::KeyReused
    }
}

/// Mirrors the images of `article`, then stores it unless its GUID exists (checked again
/// inside the write transaction, so two identical requests racing make one article).
pub async fn store_new(db: &Db, mirror: &Mirror, article: NewArticle) -> sqlx::Result<Stored> {
    let mut articles = [article];
    mirror.mirror_articles(&mut articles).await;
    let [article] = articles;
    let mut tx = db::articles::begin_write(db).await?;
    if let Some(existing) = db::articles::find_by_guid(&mut tx, &article.guid).await? {
        return Ok(same_request(&existing, &article));
    }
    let id = db::articles::insert(&mut tx, &article).await?;
    tx.commit().await?;
    Ok(Stored::Created(id))
}

/// Mirrors the images of `article`, then replaces article `id` with it.
pub async fn store_update(
    db: &Db,
    mirror: &Mirror,
    id: i64,
    article: NewArticle,
) -> sqlx::Result<()> {
    let mut articles = [article];
    mirror.mirror_articles(&mut articles).await;
    let [article] = articles;
    let mut tx = db::articles::begin_write(db).await?;
    db::articles::update(&mut tx, id, &article).await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Sources};

    fn submitted() -> Submitted {
        Submitted {
            title: "  Fête de la musique ".into(),
            summary: None,
            body_html:
                "<p onclick=\"x()\">Concerts place de la mairie.</p><script>alert(1)</script>"
                    .into(),
            image_url: None,
            image_alt: None,
            themes: vec!["culture".into(), "culture".into()],
            published_at: Some("2026-06-21T18:00:00+02:00".into()),
            source_url: None,
        }
    }

    fn news() -> NewsConfig {
        Config::load(&Sources::default()).expect("defaults").news
    }

    #[test]
    fn a_submitted_article_is_cleaned_like_an_import() {
        let article =
            prepare(&news(), &submitted(), "api:k".into(), "x", Utc::now()).expect("valid");
        assert_eq!(article.title, "Fête de la musique");
        assert_eq!(article.body_html, "<p>Concerts place de la mairie.</p>");
        assert_eq!(article.summary, "Concerts place de la mairie.");
        assert_eq!(article.themes, vec!["culture"]);
        assert_eq!(article.published_at, "2026-06-21T16:00:00Z");
    }

    #[test]
    fn every_invalid_field_is_reported() {
        let mut bad = submitted();
        bad.title = " ".into();
        bad.themes = vec!["nope".into()];
        bad.published_at = Some("demain".into());
        bad.image_url = Some("javascript:alert(1)".into());
        let errors = prepare(&news(), &bad, "api:k".into(), "x", Utc::now()).expect_err("bad");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "themes", "published_at", "image_url"]);
    }

    #[test]
    fn idempotency_keys_are_short_visible_ascii() {
        assert_eq!(guid_for(" abc-1 ").as_deref(), Some("api:abc-1"));
        assert_eq!(guid_for(""), None);
        assert_eq!(guid_for("a b"), None);
        assert_eq!(guid_for(&"x".repeat(201)), None);
    }
}
