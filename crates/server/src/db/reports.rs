//! The `reports`, `report_photos`, `report_updates`, `report_trackers` and `report_supports`
//! tables: reports with their photos and status history, tracking tokens and supporters.
//!
//! Reports leave this module as `parvis_core::Report`, which has no private field: the email,
//! phone, name and device id are written here and never read back.

use std::collections::HashMap;

use parvis_core::{LatLon, NewReport, Report, ReportPhoto, ReportStatus, StatusChange};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::Db;
use crate::media;

pub use super::articles::begin_write;

/// A report to insert (checked, cleaned).
#[derive(Debug, Clone)]
pub struct NewReportRow<'a> {
    pub idempotency_key: &'a str,
    pub request_hash: &'a str,
    /// `app` or `open311`.
    pub source: &'a str,
    pub report: &'a NewReport,
    /// Open311's `first_name last_name` and `phone`: private, like the email.
    pub reporter_name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub created_at: &'a str,
}

/// A stored photo of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoRow {
    pub name: String,
    pub thumbnail_name: String,
    pub width: u32,
    pub height: u32,
    pub bytes: usize,
}

/// What is stored about an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed {
    pub id: i64,
    pub request_hash: String,
    pub created_at: String,
}

/// Which reports Open311's `GET requests` wants.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Requested between these instants (RFC 3339 UTC, inclusive).
    pub from: String,
    pub to: String,
    /// Empty: every category.
    pub categories: Vec<String>,
    /// Empty: every status.
    pub statuses: Vec<ReportStatus>,
    pub limit: i64,
}

/// One status change, for Open311's `servicerequestupdates`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub id: i64,
    pub report_id: i64,
    pub status: ReportStatus,
    pub note: Option<String>,
    pub at: String,
}

/// The report sent with `key`, if any.
pub async fn find_by_key(conn: &mut SqliteConnection, key: &str) -> sqlx::Result<Option<Keyed>> {
    let row =
        sqlx::query("SELECT id, request_hash, created_at FROM reports WHERE idempotency_key = $1")
            .bind(key)
            .fetch_optional(conn)
            .await?;
    row.map(|row| {
        Ok(Keyed {
            id: row.try_get("id")?,
            request_hash: row.try_get("request_hash")?,
            created_at: row.try_get("created_at")?,
        })
    })
    .transpose()
}

/// Inserts a report with its first history entry (`submitted`); `None` when its idempotency
/// key is taken (a copy of the same request got there first).
pub async fn insert(
    conn: &mut SqliteConnection,
    row: &NewReportRow<'_>,
) -> sqlx::Result<Option<i64>> {
    let r = row.report;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO reports (idempotency_key, request_hash, source, category, description, lat, \
         lon, address, email, phone, reporter_name, device_id, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(row.idempotency_key)
    .bind(row.request_hash)
    .bind(row.source)
    .bind(&r.category)
    .bind(&r.description)
    .bind(r.position.lat)
    .bind(r.position.lon)
    .bind(&r.address)
    .bind(&r.email)
    .bind(row.phone)
    .bind(row.reporter_name)
    .bind(&r.device_id)
    .bind(ReportStatus::Submitted.slug())
    .bind(row.created_at)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        sqlx::query(
            "INSERT INTO report_updates (report_id, status, created_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(ReportStatus::Submitted.slug())
        .bind(row.created_at)
        .execute(conn)
        .await?;
    }
    Ok(id)
}

/// Records photo `position` of report `id`.
pub async fn insert_photo(
    conn: &mut SqliteConnection,
    id: i64,
    position: usize,
    photo: &PhotoRow,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO report_photos (report_id, position, name, thumbnail_name, width, height, \
         bytes) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(i64::try_from(position).unwrap_or(i64::MAX))
    .bind(&photo.name)
    .bind(&photo.thumbnail_name)
    .bind(i64::from(photo.width))
    .bind(i64::from(photo.height))
    .bind(i64::try_from(photo.bytes).unwrap_or(i64::MAX))
    .execute(conn)
    .await?;
    Ok(())
}

/// Lets the holder of the token whose SHA-256 is `token_hash` follow report `id` (a token
/// already known is fine).
pub async fn insert_tracker(
    conn: &mut SqliteConnection,
    id: i64,
    token_hash: &str,
    role: &str,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO report_trackers (token_hash, report_id, role, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(token_hash)
    .bind(id)
    .bind(role)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the token whose SHA-256 is `token_hash` follows report `id`.
pub async fn is_tracked(
    conn: &mut SqliteConnection,
    id: i64,
    token_hash: &str,
) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM report_trackers WHERE token_hash = $1 AND report_id = $2",
    )
    .bind(token_hash)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// The status of report `id`, if it exists.
pub async fn status_of(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<ReportStatus>> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM reports WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(status.as_deref().and_then(ReportStatus::from_slug))
}

/// Sets the status of report `id` and adds it to the history. A `scheduled_for` or
/// `duplicate_of` goes with its status only: a later change clears it.
pub async fn change_status(
    conn: &mut SqliteConnection,
    id: i64,
    change: &parvis_core::NewStatusChange,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE reports SET status = $1, status_note = $2, scheduled_for = $3, duplicate_of = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(change.status.slug())
    .bind(&change.note)
    .bind(&change.scheduled_for)
    .bind(change.duplicate_of)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO report_updates (report_id, status, note, scheduled_for, duplicate_of, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(change.status.slug())
    .bind(&change.note)
    .bind(&change.scheduled_for)
    .bind(change.duplicate_of)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts one more supporter of report `id` unless `supporter_key` supported it before;
/// `true` when counted.
pub async fn add_support(
    conn: &mut SqliteConnection,
    id: i64,
    supporter_key: &str,
    at: &str,
) -> sqlx::Result<bool> {
    let added = sqlx::query(
        "INSERT INTO report_supports (report_id, supporter_key, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (report_id, supporter_key) DO NOTHING",
    )
    .bind(id)
    .bind(supporter_key)
    .bind(at)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if added {
        sqlx::query(
            "UPDATE reports SET supporters = supporters + 1, updated_at = $1 WHERE id = $2",
        )
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    }
    Ok(added)
}

/// The device id report `id` was sent from (to tell its reporter from a supporter).
pub async fn device_of(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<String>> {
    let device: Option<Option<String>> =
        sqlx::query_scalar("SELECT device_id FROM reports WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(device.flatten())
}

/// One report, with its photos and history.
pub async fn get(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<Report>> {
    Ok(load(conn, &[id]).await?.into_iter().next())
}

/// The reports of `ids` that exist, in that order, with their photos and history.
pub async fn load(conn: &mut SqliteConnection, ids: &[i64]) -> sqlx::Result<Vec<Report>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let in_ids = |q: &mut QueryBuilder<'_, Sqlite>| {
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        list.push_unseparated(")");
    };
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT id, category, description, lat, lon, address, status, status_note, \
         scheduled_for, duplicate_of, supporters, created_at, updated_at FROM reports \
         WHERE id IN (",
    );
    in_ids(&mut q);
    let rows = q.build().fetch_all(&mut *conn).await?;
    let mut reports: HashMap<i64, Report> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let report = from_row(row)?;
        reports.insert(report.id, report);
    }

    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT report_id, name, thumbnail_name, width, height FROM report_photos \
         WHERE report_id IN (",
    );
    in_ids(&mut q);
    q.push(" ORDER BY report_id, position");
    for row in q.build().fetch_all(&mut *conn).await? {
        let id: i64 = row.try_get("report_id")?;
        if let Some(report) = reports.get_mut(&id) {
            let name: String = row.try_get("name")?;
            let thumbnail: String = row.try_get("thumbnail_name")?;
            report.photos.push(ReportPhoto {
                url: media::report_photo_url(&name),
                thumbnail_url: media::report_photo_url(&thumbnail),
                width: dimension(&row, "width")?,
                height: dimension(&row, "height")?,
            });
        }
    }

    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT report_id, status, note, scheduled_for, duplicate_of, created_at \
         FROM report_updates WHERE report_id IN (",
    );
    in_ids(&mut q);
    q.push(" ORDER BY report_id, id");
    for row in q.build().fetch_all(&mut *conn).await? {
        let id: i64 = row.try_get("report_id")?;
        if let Some(report) = reports.get_mut(&id) {
            report.history.push(StatusChange {
                status: status(&row)?,
                note: row.try_get("note")?,
                scheduled_for: row.try_get("scheduled_for")?,
                duplicate_of: row.try_get("duplicate_of")?,
                at: row.try_get("created_at")?,
            });
        }
    }
    Ok(ids.iter().filter_map(|id| reports.remove(id)).collect())
}

/// The ids of the reports `filter` matches, newest first.
pub async fn search(conn: &mut SqliteConnection, filter: &Filter) -> sqlx::Result<Vec<i64>> {
    let mut q = QueryBuilder::<Sqlite>::new("SELECT id FROM reports WHERE created_at >= ");
    q.push_bind(&filter.from)
        .push(" AND created_at <= ")
        .push_bind(&filter.to);
    if !filter.categories.is_empty() {
        q.push(" AND category IN (");
        let mut list = q.separated(", ");
        for code in &filter.categories {
            list.push_bind(code.as_str());
        }
        list.push_unseparated(")");
    }
    if !filter.statuses.is_empty() {
        q.push(" AND status IN (");
        let mut list = q.separated(", ");
        for status in &filter.statuses {
            list.push_bind(status.slug());
        }
        list.push_unseparated(")");
    }
    q.push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .push_bind(filter.limit);
    q.build_query_scalar().fetch_all(conn).await
}

/// The ids of the newest `limit` reports.
pub async fn newest(conn: &mut SqliteConnection, limit: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM reports ORDER BY created_at DESC, id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(conn)
        .await
}

/// Open reports of `category` inside the box around a place, with their positions.
pub async fn open_in_box(
    conn: &mut SqliteConnection,
    category: &str,
    south_west: LatLon,
    north_east: LatLon,
) -> sqlx::Result<Vec<(i64, LatLon)>> {
    let mut q = QueryBuilder::<Sqlite>::new("SELECT id, lat, lon FROM reports WHERE category = ");
    q.push_bind(category)
        .push(" AND lat BETWEEN ")
        .push_bind(south_west.lat)
        .push(" AND ")
        .push_bind(north_east.lat)
        .push(" AND lon BETWEEN ")
        .push_bind(south_west.lon)
        .push(" AND ")
        .push_bind(north_east.lon)
        .push(" AND status IN (");
    let mut list = q.separated(", ");
    for status in ReportStatus::ALL.into_iter().filter(|s| s.is_open()) {
        list.push_bind(status.slug());
    }
    list.push_unseparated(")");
    let rows = q.build().fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("id")?,
                LatLon {
                    lat: row.try_get("lat")?,
                    lon: row.try_get("lon")?,
                },
            ))
        })
        .collect()
}

/// Status changes made by the town hall (not the initial `submitted`) between two instants
/// (inclusive), oldest first.
pub async fn updates(
    conn: &mut SqliteConnection,
    from: &str,
    to: &str,
    limit: i64,
) -> sqlx::Result<Vec<Update>> {
    let rows = sqlx::query(
        "SELECT id, report_id, status, note, created_at FROM report_updates \
         WHERE status <> $1 AND created_at >= $2 AND created_at <= $3 \
         ORDER BY created_at, id LIMIT $4",
    )
    .bind(ReportStatus::Submitted.slug())
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Update {
                id: row.try_get("id")?,
                report_id: row.try_get("report_id")?,
                status: status(row)?,
                note: row.try_get("note")?,
                at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// Whether `name` is a photo (or thumbnail) of a stored report: only those are served.
pub async fn is_stored_photo(db: &Db, name: &str) -> sqlx::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM report_photos WHERE name = $1 OR thumbnail_name = $1")
            .bind(name)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// How many reports are stored.
pub async fn count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM reports")
        .fetch_one(db)
        .await
}

fn status(row: &SqliteRow) -> sqlx::Result<ReportStatus> {
    let text: String = row.try_get("status")?;
    ReportStatus::from_slug(&text).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: "status".into(),
        source: format!("unknown report status `{text}`").into(),
    })
}

fn dimension(row: &SqliteRow, column: &str) -> sqlx::Result<u32> {
    let value: i64 = row.try_get(column)?;
    Ok(u32::try_from(value).unwrap_or(0))
}

fn from_row(row: &SqliteRow) -> sqlx::Result<Report> {
    let supporters: i64 = row.try_get("supporters")?;
    Ok(Report {
        id: row.try_get("id")?,
        category: row.try_get("category")?,
        description: row.try_get("description")?,
        position: LatLon {
            lat: row.try_get("lat")?,
            lon: row.try_get("lon")?,
        },
        address: row.try_get("address")?,
        status: status(row)?,
        status_note: row.try_get("status_note")?,
        scheduled_for: row.try_get("scheduled_for")?,
        duplicate_of: row.try_get("duplicate_of")?,
        photos: Vec::new(),
        supporters: u32::try_from(supporters).unwrap_or(0),
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        history: Vec::new(),
    })
}
