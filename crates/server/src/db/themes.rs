//! The `themes` table: the configured themes, synced at start-up.

use parvis_core::Theme;
use sqlx::Row;

use super::Db;

/// Upserts the configured themes in their order; themes no longer configured lose their
/// position (they stay, since articles may still carry them) and leave the public list.
pub async fn sync(db: &Db, themes: &[Theme]) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE themes SET position = NULL")
        .execute(&mut *tx)
        .await?;
    for (position, theme) in themes.iter().enumerate() {
        sqlx::query(
            "INSERT INTO themes (slug, name_fr, name_en, color, icon, urgent, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (slug) DO UPDATE SET name_fr = excluded.name_fr, \
             name_en = excluded.name_en, color = excluded.color, icon = excluded.icon, \
             urgent = excluded.urgent, position = excluded.position",
        )
        .bind(&theme.slug)
        .bind(&theme.name_fr)
        .bind(&theme.name_en)
        .bind(theme.color.to_string())
        .bind(&theme.icon)
        .bind(i64::from(theme.urgent))
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// The configured themes, in display order.
pub async fn list(db: &Db) -> sqlx::Result<Vec<Theme>> {
    let rows = sqlx::query(
        "SELECT slug, name_fr, name_en, color, icon, urgent FROM themes \
         WHERE position IS NOT NULL ORDER BY position",
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let color: String = row.try_get("color")?;
            Ok(Theme {
                slug: row.try_get("slug")?,
                name_fr: row.try_get("name_fr")?,
                name_en: row.try_get("name_en")?,
                color: color
                    .parse()
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                icon: row.try_get("icon")?,
                urgent: row.try_get::<i64, _>("urgent")? != 0,
            })
        })
        .collect()
}
