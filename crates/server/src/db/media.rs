//! The `media` table: which external image URL was mirrored to which local file.

use sqlx::Row;

use super::Db;

/// One mirrored image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirrored {
    pub source_url: String,
    /// Below the media directory: `news/<sha256 hex>.<ext>`.
    pub path: String,
    pub content_type: String,
    pub bytes: i64,
    /// RFC 3339 UTC.
    pub fetched_at: String,
}

/// The mirror of `source_url`, if it was downloaded before.
pub async fn find(db: &Db, source_url: &str) -> sqlx::Result<Option<Mirrored>> {
    let row = sqlx::query(
        "SELECT source_url, path, content_type, bytes, fetched_at FROM media \
         WHERE source_url = $1",
    )
    .bind(source_url)
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(Mirrored {
            source_url: row.try_get("source_url")?,
            path: row.try_get("path")?,
            content_type: row.try_get("content_type")?,
            bytes: row.try_get("bytes")?,
            fetched_at: row.try_get("fetched_at")?,
        })
    })
    .transpose()
}

/// Records (or replaces) the mirror of an image.
pub async fn upsert(db: &Db, media: &Mirrored) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO media (source_url, path, content_type, bytes, fetched_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (source_url) DO UPDATE SET path = excluded.path, \
         content_type = excluded.content_type, bytes = excluded.bytes, \
         fetched_at = excluded.fetched_at",
    )
    .bind(&media.source_url)
    .bind(&media.path)
    .bind(&media.content_type)
    .bind(media.bytes)
    .bind(&media.fetched_at)
    .execute(db)
    .await?;
    Ok(())
}
