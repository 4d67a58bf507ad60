//! The `meta` table: key/value facts about this installation.

use super::Db;

/// The value stored under `key`, if any.
pub async fn get(db: &Db, key: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
        .bind(key)
        .fetch_optional(db)
        .await
}

/// Stores `value` under `key`, replacing any previous value.
pub async fn set(db: &Db, key: &str, value: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(db)
    .await?;
    Ok(())
}

/// Stores `candidate` under `key` unless a value exists, and returns the value kept: two
/// instances starting together agree on the first one written.
pub async fn get_or_insert(db: &Db, key: &str, candidate: &str) -> sqlx::Result<String> {
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(key)
        .bind(candidate)
        .execute(db)
        .await?;
    sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
        .bind(key)
        .fetch_one(db)
        .await
}

/// [`set`], inside a transaction (so that a load and its record commit together).
pub async fn set_in(conn: &mut sqlx::SqliteConnection, key: &str, value: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}
