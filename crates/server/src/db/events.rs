//! The `events` table: one row per occurrence of an agenda event, its change counter and
//! its iCalendar sequence.
//!
//! Instants are stored as RFC 3339 UTC strings with whole seconds and a `Z`, local times as
//! `YYYY-MM-DDTHH:MM:SS`, dates as `YYYY-MM-DD`: text order is time order for each.

use parvis_core::{Audience, Event, LatLon};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::Db;

pub use super::articles::begin_write;

/// An occurrence as an importer hands it over (already sanitised, times computed).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub uid: String,
    /// `''` for a single event, else the occurrence's original start.
    pub recurrence_id: String,
    pub title: String,
    pub description: String,
    pub start_at: String,
    pub end_at: Option<String>,
    pub local_start: String,
    pub local_end: Option<String>,
    pub local_last_date: String,
    pub all_day: bool,
    pub location_name: Option<String>,
    pub address: Option<String>,
    pub position: Option<LatLon>,
    pub facility_id: Option<i64>,
    pub category: String,
    pub audiences: Vec<Audience>,
    pub free: bool,
    pub price: Option<String>,
    pub registration_url: Option<String>,
    pub image_url: Option<String>,
    pub accessibility: Option<String>,
    pub cancelled: bool,
    pub url: Option<String>,
    /// When the source says it last changed the event (RFC 3339 UTC), if it says.
    pub source_updated_at: Option<String>,
    /// The source's own SEQUENCE (0 when it has none).
    pub sequence: i64,
    /// Set by the importer: SHA-256 (hex) of everything above but the source's dates.
    pub content_hash: String,
}

/// What is stored about an occurrence with a given (UID, recurrence id).
#[derive(Debug, Clone)]
pub struct Existing {
    pub id: i64,
    pub content_hash: String,
    pub sequence: i64,
}

/// An event as listed, with what the iCalendar export needs besides the wire fields.
#[derive(Debug, Clone)]
pub struct Stored {
    pub event: Event,
    pub rev: i64,
    pub sequence: i64,
    pub uid: String,
    pub recurrence_id: String,
    pub created_at: String,
}

/// Which events a list wants, and in which order.
#[derive(Debug, Clone)]
pub enum Order {
    /// Events whose local days meet `[from, to]` (dates, inclusive), by start then id;
    /// strictly after the given position when set.
    Start {
        from: String,
        to: String,
        after: Option<(String, i64)>,
    },
    /// By change counter, after `after` up to `until` included: the changes made after
    /// `since`, whatever their dates, and, when `window` is set, every event whose local days
    /// meet `(old_to, new_to]` (they entered the synced window since the last sync).
    Changes {
        since: i64,
        after: i64,
        until: i64,
        window: Option<(String, String)>,
    },
}

/// The occurrence stored under (`uid`, `recurrence_id`), if any.
pub async fn find(
    conn: &mut SqliteConnection,
    uid: &str,
    recurrence_id: &str,
) -> sqlx::Result<Option<Existing>> {
    let row = sqlx::query(
        "SELECT id, content_hash, sequence FROM events WHERE uid = $1 AND recurrence_id = $2",
    )
    .bind(uid)
    .bind(recurrence_id)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(Existing {
            id: row.try_get("id")?,
            content_hash: row.try_get("content_hash")?,
            sequence: row.try_get("sequence")?,
        })
    })
    .transpose()
}

/// The latest `source_updated_at` of the occurrences of `uid`, and their ids. The date is
/// `None` when one of them was withdrawn (its content hash cleared by [`cancel_missing`]), so
/// that an event back in its feed is read again even if its source did not date a change.
pub async fn source_updated(
    conn: &mut SqliteConnection,
    uid: &str,
) -> sqlx::Result<(Option<String>, Vec<i64>)> {
    let rows = sqlx::query("SELECT id, source_updated_at, content_hash FROM events WHERE uid = $1")
        .bind(uid)
        .fetch_all(conn)
        .await?;
    let mut latest: Option<String> = None;
    let mut withdrawn = false;
    let mut ids = Vec::with_capacity(rows.len());
    for row in rows {
        ids.push(row.try_get::<i64, _>("id")?);
        let at: Option<String> = row.try_get("source_updated_at")?;
        if at > latest {
            latest = at;
        }
        withdrawn |= row.try_get::<String, _>("content_hash")?.is_empty();
    }
    Ok((latest.filter(|_| !withdrawn), ids))
}

const NEXT_REV: &str = "(SELECT COALESCE(MAX(rev), 0) + 1 FROM events)";

/// Inserts an occurrence with the next change counter; returns its id.
pub async fn insert(
    conn: &mut SqliteConnection,
    source: &str,
    event: &NewEvent,
    now: &str,
) -> sqlx::Result<i64> {
    let q = format!(
        "INSERT INTO events (uid, recurrence_id, source, sequence, title, description, start_at, \
         end_at, local_start, local_end, local_last_date, all_day, location_name, address, lat, \
         lon, facility_id, category, audiences, free, price, registration_url, image_url, \
         accessibility, cancelled, url, source_updated_at, content_hash, created_at, updated_at, \
         rev) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $29, {NEXT_REV}) \
         RETURNING id"
    );
    sqlx::query_scalar(&q)
        .bind(&event.uid)
        .bind(&event.recurrence_id)
        .bind(source)
        .bind(event.sequence.max(0))
        .bind(&event.title)
        .bind(&event.description)
        .bind(&event.start_at)
        .bind(&event.end_at)
        .bind(&event.local_start)
        .bind(&event.local_end)
        .bind(&event.local_last_date)
        .bind(event.all_day)
        .bind(&event.location_name)
        .bind(&event.address)
        .bind(event.position.map(|p| p.lat))
        .bind(event.position.map(|p| p.lon))
        .bind(event.facility_id)
        .bind(&event.category)
        .bind(audiences_text(&event.audiences))
        .bind(event.free)
        .bind(&event.price)
        .bind(&event.registration_url)
        .bind(&event.image_url)
        .bind(&event.accessibility)
        .bind(event.cancelled)
        .bind(&event.url)
        .bind(&event.source_updated_at)
        .bind(&event.content_hash)
        .bind(now)
        .fetch_one(conn)
        .await
}

/// Replaces everything of occurrence `id`, sets its sequence and moves it to the end of the
/// change counter.
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    source: &str,
    event: &NewEvent,
    sequence: i64,
    now: &str,
) -> sqlx::Result<()> {
    let q = format!(
        "UPDATE events SET source = $1, sequence = $2, title = $3, description = $4, \
         start_at = $5, end_at = $6, local_start = $7, local_end = $8, local_last_date = $9, \
         all_day = $10, location_name = $11, address = $12, lat = $13, lon = $14, \
         facility_id = $15, category = $16, audiences = $17, free = $18, price = $19, \
         registration_url = $20, image_url = $21, accessibility = $22, cancelled = $23, \
         url = $24, source_updated_at = $25, content_hash = $26, updated_at = $27, \
         rev = {NEXT_REV} WHERE id = $28"
    );
    sqlx::query(&q)
        .bind(source)
        .bind(sequence)
        .bind(&event.title)
        .bind(&event.description)
        .bind(&event.start_at)
        .bind(&event.end_at)
        .bind(&event.local_start)
        .bind(&event.local_end)
        .bind(&event.local_last_date)
        .bind(event.all_day)
        .bind(&event.location_name)
        .bind(&event.address)
        .bind(event.position.map(|p| p.lat))
        .bind(event.position.map(|p| p.lon))
        .bind(event.facility_id)
        .bind(&event.category)
        .bind(audiences_text(&event.audiences))
        .bind(event.free)
        .bind(&event.price)
        .bind(&event.registration_url)
        .bind(&event.image_url)
        .bind(&event.accessibility)
        .bind(event.cancelled)
        .bind(&event.url)
        .bind(&event.source_updated_at)
        .bind(&event.content_hash)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks cancelled the occurrences of `source` starting at or after `from` that are not in
/// `seen` (they left the feed); returns how many. Their content hash is cleared, so that
/// they come back to life if the feed lists them again.
pub async fn cancel_missing(
    conn: &mut SqliteConnection,
    source: &str,
    from: &str,
    seen: &std::collections::HashSet<i64>,
    now: &str,
) -> sqlx::Result<usize> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM events WHERE source = $1 AND cancelled = 0 AND start_at >= $2 \
         ORDER BY start_at, id",
    )
    .bind(source)
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    let mut count = 0;
    for id in ids.into_iter().filter(|id| !seen.contains(id)) {
        sqlx::query(&format!(
            "UPDATE events SET cancelled = 1, sequence = sequence + 1, content_hash = '', \
             updated_at = $1, rev = {NEXT_REV} WHERE id = $2"
        ))
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        count += 1;
    }
    Ok(count)
}

/// The latest change counter (0 when there is no event).
pub async fn max_rev(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(rev), 0) FROM events")
        .fetch_one(conn)
        .await
}

/// One event by id.
pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<Stored>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM events WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Up to `limit` events in `order`.
pub async fn list(
    conn: &mut SqliteConnection,
    order: &Order,
    limit: i64,
) -> sqlx::Result<Vec<Stored>> {
    let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS} FROM events WHERE "));
    match order {
        Order::Start { from, to, after } => {
            // `local_start < 'to + 1 day'` in text order, written as "the first day is not
            // after `to`": the first 10 characters of local_start are its date.
            q.push("substr(local_start, 1, 10) <= ")
                .push_bind(to.clone())
                .push(" AND local_last_date >= ")
                .push_bind(from.clone());
            if let Some((start_at, id)) = after {
                q.push(" AND (start_at > ")
                    .push_bind(start_at.clone())
                    .push(" OR (start_at = ")
                    .push_bind(start_at.clone())
                    .push(" AND id > ")
                    .push_bind(*id)
                    .push("))");
            }
            q.push(" ORDER BY start_at, id");
        }
        Order::Changes {
            since,
            after,
            until,
            window,
        } => {
            q.push("rev > ")
                .push_bind(*after)
                .push(" AND rev <= ")
                .push_bind(*until)
                .push(" AND (rev > ")
                .push_bind(*since);
            if let Some((old_to, new_to)) = window {
                q.push(" OR (local_last_date > ")
                    .push_bind(old_to.clone())
                    .push(" AND substr(local_start, 1, 10) <= ")
                    .push_bind(new_to.clone())
                    .push(")");
            }
            q.push(") ORDER BY rev");
        }
    }
    q.push(" LIMIT ").push_bind(limit);
    let rows = q.build().fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

const COLUMNS: &str = "id, uid, recurrence_id, sequence, rev, title, description, start_at, \
    end_at, local_start, local_end, local_last_date, all_day, location_name, address, lat, lon, \
    facility_id, category, audiences, free, price, registration_url, image_url, accessibility, \
    cancelled, url, created_at, updated_at";

fn audiences_text(audiences: &[Audience]) -> String {
    audiences
        .iter()
        .map(|a| a.slug())
        .collect::<Vec<_>>()
        .join(",")
}

fn from_row(row: &SqliteRow) -> sqlx::Result<Stored> {
    let lat: Option<f64> = row.try_get("lat")?;
    let lon: Option<f64> = row.try_get("lon")?;
    let audiences: String = row.try_get("audiences")?;
    Ok(Stored {
        rev: row.try_get("rev")?,
        sequence: row.try_get("sequence")?,
        uid: row.try_get("uid")?,
        recurrence_id: row.try_get("recurrence_id")?,
        created_at: row.try_get("created_at")?,
        event: Event {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            start: row.try_get("start_at")?,
            end: row.try_get("end_at")?,
            local_start: row.try_get("local_start")?,
            local_end: row.try_get("local_end")?,
            local_last_date: row.try_get("local_last_date")?,
            all_day: row.try_get("all_day")?,
            location_name: row.try_get("location_name")?,
            address: row.try_get("address")?,
            position: lat.zip(lon).map(|(lat, lon)| LatLon { lat, lon }),
            facility_id: row.try_get("facility_id")?,
            category: row.try_get("category")?,
            audiences: audiences
                .split(',')
                .filter_map(Audience::from_slug)
                .collect(),
            free: row.try_get("free")?,
            price: row.try_get("price")?,
            registration_url: row.try_get("registration_url")?,
            image_url: row.try_get("image_url")?,
            accessibility: row.try_get("accessibility")?,
            cancelled: row.try_get("cancelled")?,
            url: row.try_get("url")?,
            updated_at: row.try_get("updated_at")?,
        },
    })
}
