//! Demo content for a fresh installation. Content arrives with later issues; for now this only
//! records, once, that the demo was loaded (no fake data is invented).

use chrono::{SecondsFormat, Utc};

use crate::db::{self, Db};

/// The `meta` key holding when the demo content was loaded (RFC 3339, UTC).
pub const LOADED_AT_KEY: &str = "demo_loaded_at";

/// Loads the demo content if asked and not done before.
pub async fn load_if_wanted(db: &Db, wanted: bool) -> anyhow::Result<()> {
    if !wanted || db::meta::get(db, LOADED_AT_KEY).await?.is_some() {
        return Ok(());
    }
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    db::meta::set(db, LOADED_AT_KEY, &now).await?;
    tracing::info!(at = %now, "demo content loaded");
    Ok(())
}
