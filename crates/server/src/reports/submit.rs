//! A new report, from checked input to its receipt: photos re-encoded (a few at a time, off
//! the async threads), written to the photo store, then the report committed with its photos
//! and its reporter's token. The store is written first so that no row ever points to a
//! missing photo; if the commit fails, or a copy of the same request committed first, what
//! was written is deleted again.

use axum::body::Bytes;
use chrono::Utc;
use parvis_core::{NewReport, ReportReceipt};

use super::Reports;
use super::idempotency::token_hash;
use super::photos::{self, PhotoError, Reencoded};
use super::store::{PhotoStore, Staged};
use super::upload::RawPhoto;
use crate::agenda::times::timestamp;
use crate::db::reports::{NewReportRow, PhotoRow};
use crate::db::{self, Db};
use crate::media::THUMBNAIL_SUFFIX;

/// Where a report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    App,
    Open311,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::App => "app",
            Source::Open311 => "open311",
        }
    }
}

/// A report ready to store: fields checked and cleaned, photos of an accepted type.
#[derive(Debug, Clone)]
pub struct Submission {
    pub idempotency_key: String,
    /// See [`super::idempotency::Fingerprint`].
    pub fingerprint: String,
    pub source: Source,
    pub report: NewReport,
    /// Open311's `first_name last_name` and `phone` (private).
    pub reporter_name: Option<String>,
    pub phone: Option<String>,
    pub photos: Vec<RawPhoto>,
}

/// What happened to a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created(ReportReceipt),
    /// The key was used before for the same request: that report's receipt.
    Replayed(ReportReceipt),
}

impl Outcome {
    pub fn receipt(&self) -> &ReportReceipt {
        match self {
            Outcome::Created(r) | Outcome::Replayed(r) => r,
        }
    }
}

/// Why a submission was not stored.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The key was used before for a different request (409).
    #[error("the idempotency key was used for another report")]
    KeyReused,
    /// A photo could not be used (415 or 422).
    #[error("photo {field}: {error}")]
    Photo { field: String, error: PhotoError },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for SubmitError {
    fn from(e: sqlx::Error) -> Self {
        SubmitError::Internal(e.into())
    }
}

/// The outcome of an earlier request with the same idempotency key, if there was one.
pub async fn replay(
    reports: &Reports,
    db: &Db,
    key: &str,
    fingerprint: &str,
) -> Result<Option<Outcome>, SubmitError> {
    let mut conn = db.acquire().await?;
    let Some(existing) = db::reports::find_by_key(&mut conn, key).await? else {
        return Ok(None);
    };
    if existing.request_hash != fingerprint {
        return Err(SubmitError::KeyReused);
    }
    Ok(Some(Outcome::Replayed(ReportReceipt {
        id: existing.id,
        token: reports.tokens.reporter_token(key),
        created_at: existing.created_at,
    })))
}

/// Re-encodes the photos, stores them and the report.
pub async fn submit(
    reports: &Reports,
    db: &Db,
    submission: Submission,
) -> Result<Outcome, SubmitError> {
    let mut encoded = Vec::with_capacity(submission.photos.len());
    for photo in &submission.photos {
        encoded.push(reencode(reports, photo).await?);
    }
    let token = reports.tokens.reporter_token(&submission.idempotency_key);
    // Its own task: a client hanging up cancels the request's future, and must not cut the
    // work between writing photos and committing (or deleting them again).
    let task = tokio::spawn(store(
        db.clone(),
        reports.store.clone(),
        submission,
        encoded,
        token.clone(),
    ));
    let stored = task
        .await
        .map_err(|e| anyhow::anyhow!("storing a report failed: {e}"))??;
    Ok(match stored {
        Stored::Created { id, created_at } => Outcome::Created(ReportReceipt {
            id,
            token,
            created_at,
        }),
        Stored::Taken { key, fingerprint } => replay(reports, db, &key, &fingerprint)
            .await?
            .ok_or_else(|| anyhow::anyhow!("a report's idempotency key vanished"))?,
    })
}

async fn reencode(reports: &Reports, photo: &RawPhoto) -> Result<Reencoded, SubmitError> {
    let _slot = reports
        .decoding
        .acquire()
        .await
        .map_err(|e| anyhow::anyhow!("photo decoding closed: {e}"))?;
    let bytes = photo.bytes.clone();
    let limits = reports.photo_limits;
    tokio::task::spawn_blocking(move || photos::reencode(&bytes, &limits))
        .await
        .map_err(|e| anyhow::anyhow!("photo decoding failed: {e}"))?
        .map_err(|error| SubmitError::Photo {
            field: photo.field.clone(),
            error,
        })
}

enum Stored {
    Created {
        id: i64,
        created_at: String,
    },
    /// A copy of the same request committed first (or a different one with the same key).
    Taken {
        key: String,
        fingerprint: String,
    },
}

async fn store(
    db: Db,
    store: PhotoStore,
    submission: Submission,
    encoded: Vec<Reencoded>,
    token: String,
) -> Result<Stored, SubmitError> {
    let mut staged = store.stage();
    let rows = match write_photos(&mut staged, encoded).await {
        Ok(rows) => rows,
        Err(e) => {
            staged.discard().await;
            return Err(e.into());
        }
    };
    let created_at = timestamp(Utc::now());
    match insert(&db, &submission, &rows, &token_hash(&token), &created_at).await {
        Ok(Some(id)) => {
            // Committed: from here on the photos belong to the report.
            staged.keep();
            Ok(Stored::Created { id, created_at })
        }
        Ok(None) => {
            staged.discard().await;
            Ok(Stored::Taken {
                key: submission.idempotency_key,
                fingerprint: submission.fingerprint,
            })
        }
        Err(e) => {
            staged.discard().await;
            Err(anyhow::Error::new(e).context("storing a report").into())
        }
    }
}

/// Writes each photo and its thumbnail under a fresh random name.
async fn write_photos(
    staged: &mut Staged,
    encoded: Vec<Reencoded>,
) -> anyhow::Result<Vec<PhotoRow>> {
    let mut rows = Vec::with_capacity(encoded.len());
    for photo in encoded {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("{id}.jpg");
        let thumbnail_name = format!("{id}{THUMBNAIL_SUFFIX}.jpg");
        let bytes = photo.full.len();
        staged.put(&name, Bytes::from(photo.full)).await?;
        staged
            .put(&thumbnail_name, Bytes::from(photo.thumbnail))
            .await?;
        rows.push(PhotoRow {
            name,
            thumbnail_name,
            width: photo.width,
            height: photo.height,
            bytes,
        });
    }
    Ok(rows)
}

/// The report, its photos and its reporter's token, in one transaction; `None` when the
/// idempotency key is taken.
async fn insert(
    db: &Db,
    submission: &Submission,
    photos: &[PhotoRow],
    token_hash: &str,
    created_at: &str,
) -> sqlx::Result<Option<i64>> {
    let mut tx = db::reports::begin_write(db).await?;
    let row = NewReportRow {
        idempotency_key: &submission.idempotency_key,
        request_hash: &submission.fingerprint,
        source: submission.source.as_str(),
        report: &submission.report,
        reporter_name: submission.reporter_name.as_deref(),
        phone: submission.phone.as_deref(),
        created_at,
    };
    let Some(id) = db::reports::insert(&mut tx, &row).await? else {
        return Ok(None);
    };
    for (position, photo) in photos.iter().enumerate() {
        db::reports::insert_photo(&mut tx, id, position, photo).await?;
    }
    db::reports::insert_tracker(&mut tx, id, token_hash, "reporter", created_at).await?;
    tx.commit().await?;
    Ok(Some(id))
}
