//! Deletes photos no report points to. Staged writes delete what a failed or lost commit wrote,
//! but a crash between writing a photo and committing its report leaves the photo behind:
//! at start-up, photos older than [`GRACE`] that no stored report names are removed.

use chrono::{DateTime, Duration, Utc};

use super::store::PhotoStore;
use crate::db::{self, Db};
use crate::media::is_report_photo_name;

/// Long enough that no request can still be on its way to committing the photo.
pub const GRACE: Duration = Duration::hours(1);

/// Deletes the photos written before `written_before` that no report names; other files of
/// the store (not named like a report photo) are left alone. Returns how many were deleted.
pub async fn sweep_orphans(
    db: &Db,
    store: &PhotoStore,
    written_before: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let mut deleted = 0;
    for (name, written) in store.list().await? {
        if written >= written_before || !is_report_photo_name(&name) {
            continue;
        }
        if !db::reports::is_stored_photo(db, &name).await? {
            store.delete(&name).await?;
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// Runs [`sweep_orphans`] once in the background, logging what it did.
pub fn spawn(db: Db, store: PhotoStore) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match sweep_orphans(&db, &store, Utc::now() - GRACE).await {
            Ok(0) => {}
            Ok(deleted) => tracing::warn!(deleted, "reports: orphan photos deleted"),
            Err(e) => tracing::error!(error = format!("{e:#}"), "reports: photo sweep failed"),
        }
    })
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use axum::body::Bytes;
    use parvis_core::{LatLon, NewReport};

    use super::*;
    use crate::config::{Config, Sources};
    use crate::db::reports::{NewReportRow, PhotoRow};

    #[tokio::test]
    async fn only_old_photos_of_no_report_are_deleted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::load(&Sources::default()).expect("defaults");
        config.data_dir = dir.path().to_owned();
        let db = db::connect(&config).await.expect("database");
        let store = PhotoStore::local(&config.reports.photo_dir(&config.data_dir)).expect("store");
        let kept = format!("{}.jpg", "a".repeat(32));
        let orphan = format!("{}.jpg", "b".repeat(32));
        let fresh = format!("{}-thumb.jpg", "c".repeat(32));
        for name in [&kept, &orphan, &fresh, &"notes.txt".to_owned()] {
            store
                .put(name, Bytes::from_static(b"x"))
                .await
                .expect("put");
        }
        let two_hours_ago = SystemTime::now() - std::time::Duration::from_secs(7200);
        for name in [&kept, &orphan, &"notes.txt".to_owned()] {
            std::fs::File::options()
                .write(true)
                .open(config.reports.photo_dir(&config.data_dir).join(name))
                .and_then(|f| f.set_modified(two_hours_ago))
                .expect("backdated");
        }
        let report = NewReport {
            category: "voirie".into(),
            description: "Trou".into(),
            position: LatLon {
                lat: 47.39,
                lon: 0.69,
            },
            address: None,
            email: None,
            device_id: None,
        };
        let mut conn = db.acquire().await.expect("connection");
        let row = NewReportRow {
            idempotency_key: "k",
            request_hash: "h",
            source: "app",
            report: &report,
            reporter_name: None,
            phone: None,
            created_at: "2026-03-01T09:00:00Z",
        };
        let id = db::reports::insert(&mut conn, &row)
            .await
            .expect("insert")
            .expect("new");
        let photo = PhotoRow {
            name: kept.clone(),
            thumbnail_name: format!("{}-thumb.jpg", "a".repeat(32)),
            width: 1,
            height: 1,
            bytes: 1,
        };
        db::reports::insert_photo(&mut conn, id, 0, &photo)
            .await
            .expect("photo row");
        drop(conn);

        let deleted = sweep_orphans(&db, &store, Utc::now() - GRACE)
            .await
            .expect("swept");

        assert_eq!(deleted, 1);
        assert!(store.get(&orphan).await.expect("get").is_none());
        for name in [&kept, &fresh, &"notes.txt".to_owned()] {
            assert!(store.get(name).await.expect("get").is_some(), "{name}");
        }
    }
}
