//! Web Push storage: the VAPID key, subscriptions with their themes, and deliveries made.

use sqlx::{QueryBuilder, Sqlite};

use super::Db;

/// The `meta` key holding the VAPID private key (32-byte P-256 scalar, base64url).
pub const VAPID_KEY: &str = "push_vapid_private_key";

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredSubscription {
    pub id: String,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// A write transaction holding SQLite's write lock from the start: concurrent writers then wait
/// on the busy timeout instead of failing to upgrade a read lock (`SQLITE_BUSY`).
async fn begin_write(db: &Db) -> sqlx::Result<sqlx::Transaction<'static, Sqlite>> {
    db.begin_with("BEGIN IMMEDIATE").await
}

/// Stores `candidate` as the VAPID key unless one exists, and returns the key kept: two
/// instances starting together agree on the first one written.
pub async fn vapid_key_or_insert(db: &Db, candidate: &str) -> sqlx::Result<String> {
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(VAPID_KEY)
        .bind(candidate)
        .execute(db)
        .await?;
    sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
        .bind(VAPID_KEY)
        .fetch_one(db)
        .await
}

/// Those of `slugs` that are not themes of the commune.
pub async fn unknown_themes(db: &Db, slugs: &[String]) -> sqlx::Result<Vec<String>> {
    let known: Vec<String> = sqlx::query_scalar("SELECT slug FROM themes")
        .fetch_all(db)
        .await?;
    Ok(slugs
        .iter()
        .filter(|s| !known.contains(s))
        .cloned()
        .collect())
}

/// Creates or updates the subscription of `sub.endpoint` with `themes`; `true` when created.
pub async fn upsert_subscription(
    db: &Db,
    sub: &StoredSubscription,
    locale: Option<&str>,
    themes: &[String],
    now: &str,
) -> sqlx::Result<bool> {
    let mut tx = begin_write(db).await?;
    let existed: Option<String> =
        sqlx::query_scalar("SELECT id FROM push_subscriptions WHERE id = $1")
            .bind(&sub.id)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO push_subscriptions (id, endpoint, p256dh, auth, locale, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT (id) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth, \
         locale = excluded.locale, updated_at = excluded.updated_at",
    )
    .bind(&sub.id)
    .bind(&sub.endpoint)
    .bind(&sub.p256dh)
    .bind(&sub.auth)
    .bind(locale)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    replace_themes(&mut tx, &sub.id, themes).await?;
    tx.commit().await?;
    Ok(existed.is_none())
}

/// Replaces the themes of subscription `id`; `false` when there is no such subscription.
pub async fn set_themes(db: &Db, id: &str, themes: &[String], now: &str) -> sqlx::Result<bool> {
    let mut tx = begin_write(db).await?;
    let updated = sqlx::query("UPDATE push_subscriptions SET updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    replace_themes(&mut tx, id, themes).await?;
    tx.commit().await?;
    Ok(true)
}

async fn replace_themes(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    id: &str,
    themes: &[String],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM push_subscription_themes WHERE subscription_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for theme in themes {
        sqlx::query(
            "INSERT INTO push_subscription_themes (subscription_id, theme) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(theme)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Removes subscription `id` (its themes and deliveries go with it); `false` when unknown.
pub async fn delete_subscription(db: &Db, id: &str) -> sqlx::Result<bool> {
    let deleted = sqlx::query("DELETE FROM push_subscriptions WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

/// The themes subscription `id` follows, sorted.
pub async fn subscription_themes(db: &Db, id: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT theme FROM push_subscription_themes WHERE subscription_id = $1 ORDER BY theme",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// Subscriptions following at least one of `themes` that have not yet received `article_id`
/// and existed when it was stored (`article_created_at`): a resident subscribing today does
/// not receive yesterday's article from a late sweep.
pub async fn recipients(
    db: &Db,
    article_id: i64,
    themes: &[String],
    article_created_at: Option<&str>,
) -> sqlx::Result<Vec<StoredSubscription>> {
    if themes.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = QueryBuilder::<Sqlite>::new(
        "SELECT s.id, s.endpoint, s.p256dh, s.auth FROM push_subscriptions s \
         WHERE EXISTS (SELECT 1 FROM push_subscription_themes t \
         WHERE t.subscription_id = s.id AND t.theme IN (",
    );
    let mut list = query.separated(", ");
    for theme in themes {
        list.push_bind(theme);
    }
    query
        .push(")) AND NOT EXISTS (SELECT 1 FROM push_deliveries d WHERE d.subscription_id = s.id AND d.article_id = ")
        .push_bind(article_id)
        .push(")");
    if let Some(created_at) = article_created_at {
        query.push(" AND s.created_at <= ").push_bind(created_at);
    }
    query.push(" ORDER BY s.id");
    query.build_query_as().fetch_all(db).await
}

/// Records that `article_id` was accepted by the push service of each `(subscription, status)`.
pub async fn record_deliveries(
    db: &Db,
    article_id: i64,
    delivered: &[(String, u16)],
    now: &str,
) -> sqlx::Result<()> {
    let mut tx = begin_write(db).await?;
    for (subscription_id, status) in delivered {
        // A subscription removed meanwhile has no row to refer to: nothing to record then.
        sqlx::query(
            "INSERT INTO push_deliveries (article_id, subscription_id, delivered_at, status) \
             SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM push_subscriptions WHERE id = $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(article_id)
        .bind(subscription_id)
        .bind(now)
        .bind(i64::from(*status))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// How many deliveries were recorded for `article_id`.
pub async fn delivery_count(db: &Db, article_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM push_deliveries WHERE article_id = $1")
        .bind(article_id)
        .fetch_one(db)
        .await
}

/// What a notification needs of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleToPush {
    pub title: String,
    pub summary: String,
    /// RFC 3339, UTC.
    pub published_at: String,
    pub themes: Vec<String>,
    /// Whether one of its themes is urgent.
    pub urgent: bool,
    /// When it was stored (RFC 3339 UTC); `None` for articles older than that column.
    pub created_at: Option<String>,
}

/// The article `id`, if it exists.
pub async fn article_for_push(db: &Db, id: i64) -> sqlx::Result<Option<ArticleToPush>> {
    let Some((title, summary, published_at, created_at)) =
        sqlx::query_as::<_, (String, String, String, Option<String>)>(
            "SELECT title, summary, published_at, created_at FROM articles WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(db)
        .await?
    else {
        return Ok(None);
    };
    let themes: Vec<(String, bool)> = sqlx::query_as(
        "SELECT a.theme_slug, COALESCE(t.urgent, 0) <> 0 FROM article_themes a \
         LEFT JOIN themes t ON t.slug = a.theme_slug WHERE a.article_id = $1 ORDER BY a.theme_slug",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(Some(ArticleToPush {
        title,
        summary,
        published_at,
        created_at,
        urgent: themes.iter().any(|(_, urgent)| *urgent),
        themes: themes.into_iter().map(|(slug, _)| slug).collect(),
    }))
}

/// Articles stored on this server (`created_at` set) and published at or after
/// `published_since`, oldest first: what the catch-up sweep dispatches again.
pub async fn recent_articles(db: &Db, published_since: &str) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM articles WHERE created_at IS NOT NULL AND published_at >= $1 \
         ORDER BY published_at, id",
    )
    .bind(published_since)
    .fetch_all(db)
    .await
}
