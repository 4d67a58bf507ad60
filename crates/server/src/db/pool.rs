//! Opening the SQLite database (WAL, foreign keys, busy timeout) and running the migrations.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

use crate::config::Config;

/// The connection pool handed to handlers.
pub type Db = SqlitePool;

/// Opens (creating if missing) the configured database and brings its schema up to date.
pub async fn connect(config: &Config) -> anyhow::Result<Db> {
    let options = match &config.database.url {
        Some(url) => SqliteConnectOptions::from_str(url)
            .with_context(|| "database.url is not a valid SQLite URL")?,
        None => SqliteConnectOptions::new().filename(config.default_database_file()),
    }
    .create_if_missing(true)
    .journal_mode(SqliteJournalMode::Wal)
    .foreign_keys(true)
    .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(config.database.max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .context("cannot open the database")?;
    sqlx::migrate!()
        .run(&pool)
        .await
        .context("cannot apply the database migrations")?;
    Ok(pool)
}

/// Whether the database answers a trivial query.
pub async fn ping(db: &Db) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(db)
        .await
        .is_ok()
}
