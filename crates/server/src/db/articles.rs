//! The `articles` and `article_themes` tables: news articles, their themes and change counter.
//!
//! Times are stored as RFC 3339 UTC strings with whole seconds and a `Z`
//! (`2026-03-01T09:30:00Z`), so that text order is time order.

use parvis_core::Article;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, Transaction};

use super::Db;

/// An article as an importer hands it over (already sanitised).
#[derive(Debug, Clone, PartialEq)]
pub struct NewArticle {
    pub guid: String,
    pub link: Option<String>,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub image_url: Option<String>,
    pub image_alt: Option<String>,
    pub published_at: String,
    pub updated_at: String,
    pub source_url: Option<String>,
    pub feed_url: Option<String>,
    pub content_hash: String,
    /// Theme slugs, at least one.
    pub themes: Vec<String>,
}

/// What is stored about an article with a given GUID.
#[derive(Debug, Clone)]
pub struct Existing {
    pub id: i64,
    pub content_hash: String,
    pub published_at: String,
}

/// Which articles a list wants, and in which order.
#[derive(Debug, Clone)]
pub enum Order {
    /// Newest first by `published_at`, then `id`; strictly after the given position when set.
    Published { after: Option<(String, i64)> },
    /// By change counter: changes after `after` up to `until` included.
    Changes { after: i64, until: i64 },
}

/// Opens a write transaction that takes SQLite's write lock at once, so that two importers
/// never fail upgrading a read lock (`SQLITE_BUSY`); they wait on the busy timeout instead.
pub async fn begin_write(db: &Db) -> sqlx::Result<Transaction<'static, Sqlite>> {
    db.begin_with("BEGIN IMMEDIATE").await
}

/// The article stored under `guid`, if any.
pub async fn find_by_guid(
    conn: &mut SqliteConnection,
    guid: &str,
) -> sqlx::Result<Option<Existing>> {
    let row = sqlx::query("SELECT id, content_hash, published_at FROM articles WHERE guid = $1")
        .bind(guid)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        Ok(Existing {
            id: row.try_get("id")?,
            content_hash: row.try_get("content_hash")?,
            published_at: row.try_get("published_at")?,
        })
    })
    .transpose()
}

/// Inserts an article with the next change counter, stamped with the time it is stored
/// (`created_at`, with milliseconds like subscriptions' — it decides who gets it pushed);
/// returns its id.
pub async fn insert(conn: &mut SqliteConnection, article: &NewArticle) -> sqlx::Result<i64> {
    let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO articles (guid, link, title, summary, body_html, image_url, image_alt, \
         published_at, updated_at, source_url, feed_url, content_hash, created_at, rev) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         (SELECT COALESCE(MAX(rev), 0) + 1 FROM articles)) RETURNING id",
    )
    .bind(&article.guid)
    .bind(&article.link)
    .bind(&article.title)
    .bind(&article.summary)
    .bind(&article.body_html)
    .bind(&article.image_url)
    .bind(&article.image_alt)
    .bind(&article.published_at)
    .bind(&article.updated_at)
    .bind(&article.source_url)
    .bind(&article.feed_url)
    .bind(&article.content_hash)
    .bind(&created_at)
    .fetch_one(&mut *conn)
    .await?;
    set_themes(conn, id, &article.themes).await?;
    Ok(id)
}

/// The GUID of article `id`, if it exists.
pub async fn guid_of(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT guid FROM articles WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Replaces everything of article `id` and moves it to the end of the change counter.
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    article: &NewArticle,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE articles SET link = $1, title = $2, summary = $3, body_html = $4, \
         image_url = $5, image_alt = $6, published_at = $7, updated_at = $8, source_url = $9, \
         feed_url = $10, content_hash = $11, \
         rev = (SELECT COALESCE(MAX(rev), 0) + 1 FROM articles) WHERE id = $12",
    )
    .bind(&article.link)
    .bind(&article.title)
    .bind(&article.summary)
    .bind(&article.body_html)
    .bind(&article.image_url)
    .bind(&article.image_alt)
    .bind(&article.published_at)
    .bind(&article.updated_at)
    .bind(&article.source_url)
    .bind(&article.feed_url)
    .bind(&article.content_hash)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM article_themes WHERE article_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    set_themes(conn, id, &article.themes).await
}

async fn set_themes(conn: &mut SqliteConnection, id: i64, themes: &[String]) -> sqlx::Result<()> {
    for slug in themes {
        sqlx::query(
            "INSERT INTO article_themes (article_id, theme_slug) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(slug)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The latest change counter (0 when there is no article).
pub async fn max_rev(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(rev), 0) FROM articles")
        .fetch_one(conn)
        .await
}

/// One article by id.
pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<Article>> {
    let mut conn = db.acquire().await?;
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM articles WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let (mut article, _) = from_row(&row)?;
    attach_themes(&mut conn, std::slice::from_mut(&mut article)).await?;
    Ok(Some(article))
}

/// A row of a list: the article and its change counter.
#[derive(Debug, Clone)]
pub struct Listed {
    pub article: Article,
    pub rev: i64,
}

/// Up to `limit` articles in `order`, carrying at least one of `themes` (all when empty).
pub async fn list(
    conn: &mut SqliteConnection,
    themes: &[String],
    order: &Order,
    limit: i64,
) -> sqlx::Result<Vec<Listed>> {
    let mut q =
        QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS}, rev FROM articles WHERE 1 = 1"));
    if !themes.is_empty() {
        // Correlated, so that the newest-first scan stops after `limit` matches instead of
        // collecting every article of the themes first.
        q.push(
            " AND EXISTS (SELECT 1 FROM article_themes at WHERE at.article_id = articles.id \
             AND at.theme_slug IN (",
        );
        let mut list = q.separated(", ");
        for slug in themes {
            list.push_bind(slug.clone());
        }
        q.push("))");
    }
    match order {
        Order::Published { after } => {
            if let Some((published_at, id)) = after {
                q.push(" AND (published_at < ")
                    .push_bind(published_at.clone())
                    .push(" OR (published_at = ")
                    .push_bind(published_at.clone())
                    .push(" AND id < ")
                    .push_bind(*id)
                    .push("))");
            }
            q.push(" ORDER BY published_at DESC, id DESC");
        }
        Order::Changes { after, until } => {
            q.push(" AND rev > ")
                .push_bind(*after)
                .push(" AND rev <= ")
                .push_bind(*until)
                .push(" ORDER BY rev");
        }
    }
    q.push(" LIMIT ").push_bind(limit);
    let rows = q.build().fetch_all(&mut *conn).await?;
    let mut articles = Vec::with_capacity(rows.len());
    let mut revs = Vec::with_capacity(rows.len());
    for row in &rows {
        let (article, rev) = from_row(row)?;
        articles.push(article);
        revs.push(rev);
    }
    attach_themes(conn, &mut articles).await?;
    Ok(articles
        .into_iter()
        .zip(revs)
        .map(|(article, rev)| Listed { article, rev })
        .collect())
}

const COLUMNS: &str = "id, title, summary, body_html, image_url, image_alt, published_at, \
                       updated_at, source_url";

fn from_row(row: &SqliteRow) -> sqlx::Result<(Article, i64)> {
    let rev = row.try_get::<i64, _>("rev").unwrap_or_default();
    Ok((
        Article {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            summary: row.try_get("summary")?,
            body_html: row.try_get("body_html")?,
            image_url: row.try_get("image_url")?,
            image_alt: row.try_get("image_alt")?,
            published_at: row.try_get("published_at")?,
            updated_at: row.try_get("updated_at")?,
            themes: Vec::new(),
            source_url: row.try_get("source_url")?,
        },
        rev,
    ))
}

/// Fills in the theme slugs of `articles`, in the themes' display order.
async fn attach_themes(conn: &mut SqliteConnection, articles: &mut [Article]) -> sqlx::Result<()> {
    if articles.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT at.article_id, at.theme_slug FROM article_themes at \
         JOIN themes t ON t.slug = at.theme_slug WHERE at.article_id IN (",
    );
    let mut ids = q.separated(", ");
    for article in articles.iter() {
        ids.push_bind(article.id);
    }
    q.push(") ORDER BY at.article_id, COALESCE(t.position, 1000000), at.theme_slug");
    let rows = q.build().fetch_all(&mut *conn).await?;
    for row in rows {
        let id: i64 = row.try_get(0)?;
        let slug: String = row.try_get(1)?;
        if let Some(article) = articles.iter_mut().find(|a| a.id == id) {
            article.themes.push(slug);
        }
    }
    Ok(())
}
