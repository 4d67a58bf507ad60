//! The `facilities` table: one row per municipal facility, keyed by its identity in the source,
//! with its change counter.
//!
//! Closures are stored as a JSON array sorted by their first day; the API leaves out those that
//! have ended (see `api::facilities`), the table keeps them.

use parvis_core::{Closure, Facility, LatLon, Wheelchair};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::Db;
use crate::news::config::fold;

pub use super::articles::begin_write;

/// A facility as an importer hands it over (checked, cleaned).
#[derive(Debug, Clone, PartialEq)]
pub struct NewFacility {
    /// Stable identity in the source (`osm:node/123`, `scdl:…`, a feature id…).
    pub source_key: String,
    pub name: String,
    pub category: String,
    pub address: Option<String>,
    pub position: LatLon,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub opening_hours: Option<String>,
    /// `None` when the source says nothing of closures: the stored ones are kept.
    pub closures: Option<Vec<Closure>>,
    pub wheelchair: Option<Wheelchair>,
    pub services: Vec<String>,
    pub photo_url: Option<String>,
}

/// What is stored about a facility with a given source key.
#[derive(Debug, Clone)]
pub struct Existing {
    pub id: i64,
    pub content_hash: String,
}

/// A facility as listed, with its change counter and source key.
#[derive(Debug, Clone)]
pub struct Stored {
    pub facility: Facility,
    pub rev: i64,
    pub sort_name: String,
    pub source_key: String,
}

/// Which facilities a list wants, and in which order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Order {
    /// By folded name then id; strictly after the given (folded name, id) when set.
    Name { after: Option<(String, i64)> },
    /// By change counter, after `after` up to `until` included.
    Changes { after: i64, until: i64 },
}

const NEXT_REV: &str = "(SELECT COALESCE(MAX(rev), 0) + 1 FROM facilities)";

const COLUMNS: &str = "id, rev, source_key, name, sort_name, category, address, lat, lon, phone, \
    email, website, description, opening_hours, closures, wheelchair, services, photo_url, \
    updated_at";

/// The facility stored under `source_key`, if any.
pub async fn find(conn: &mut SqliteConnection, source_key: &str) -> sqlx::Result<Option<Existing>> {
    let row = sqlx::query("SELECT id, content_hash FROM facilities WHERE source_key = $1")
        .bind(source_key)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        Ok(Existing {
            id: row.try_get("id")?,
            content_hash: row.try_get("content_hash")?,
        })
    })
    .transpose()
}

/// Inserts a facility with the next change counter; returns its id.
pub async fn insert(
    conn: &mut SqliteConnection,
    source: &str,
    f: &NewFacility,
    content_hash: &str,
    now: &str,
) -> sqlx::Result<i64> {
    let q = format!(
        "INSERT INTO facilities (source_key, source, name, sort_name, category, address, lat, \
         lon, phone, email, website, description, opening_hours, closures, wheelchair, services, \
         photo_url, content_hash, created_at, updated_at, rev) VALUES ($1, $2, $3, $4, $5, $6, \
         $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, {NEXT_REV}) \
         RETURNING id"
    );
    sqlx::query_scalar(&q)
        .bind(&f.source_key)
        .bind(source)
        .bind(&f.name)
        .bind(fold(&f.name))
        .bind(&f.category)
        .bind(&f.address)
        .bind(f.position.lat)
        .bind(f.position.lon)
        .bind(&f.phone)
        .bind(&f.email)
        .bind(&f.website)
        .bind(&f.description)
        .bind(&f.opening_hours)
        .bind(closures_json(f.closures.as_deref().unwrap_or_default()))
        .bind(f.wheelchair.map(wheelchair_text))
        .bind(json_list(&f.services))
        .bind(&f.photo_url)
        .bind(content_hash)
        .bind(now)
        .fetch_one(conn)
        .await
}

/// Replaces what the source says of facility `id` (its closures only when the source gives
/// them) and moves it to the end of the change counter.
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    source: &str,
    f: &NewFacility,
    content_hash: &str,
    now: &str,
) -> sqlx::Result<()> {
    let q = format!(
        "UPDATE facilities SET source = $1, name = $2, sort_name = $3, category = $4, \
         address = $5, lat = $6, lon = $7, phone = $8, email = $9, website = $10, \
         description = $11, opening_hours = $12, closures = COALESCE($13, closures), \
         wheelchair = $14, services = $15, photo_url = $16, content_hash = $17, \
         updated_at = $18, rev = {NEXT_REV} WHERE id = $19"
    );
    sqlx::query(&q)
        .bind(source)
        .bind(&f.name)
        .bind(fold(&f.name))
        .bind(&f.category)
        .bind(&f.address)
        .bind(f.position.lat)
        .bind(f.position.lon)
        .bind(&f.phone)
        .bind(&f.email)
        .bind(&f.website)
        .bind(&f.description)
        .bind(&f.opening_hours)
        .bind(f.closures.as_deref().map(closures_json))
        .bind(f.wheelchair.map(wheelchair_text))
        .bind(json_list(&f.services))
        .bind(&f.photo_url)
        .bind(content_hash)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces the closures of facility `id` and moves it to the end of the change counter;
/// `false` when there is no such facility.
pub async fn set_closures(
    conn: &mut SqliteConnection,
    id: i64,
    closures: &[Closure],
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(&format!(
        "UPDATE facilities SET closures = $1, updated_at = $2, rev = {NEXT_REV} WHERE id = $3"
    ))
    .bind(closures_json(closures))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The latest change counter (0 when there is no facility).
pub async fn max_rev(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(rev), 0) FROM facilities")
        .fetch_one(conn)
        .await
}

/// One facility by id.
pub async fn get(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<Stored>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM facilities WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Up to `limit` facilities in `order`.
pub async fn list(
    conn: &mut SqliteConnection,
    order: &Order,
    limit: i64,
) -> sqlx::Result<Vec<Stored>> {
    let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS} FROM facilities"));
    match order {
        Order::Name { after } => {
            if let Some((sort_name, id)) = after {
                q.push(" WHERE sort_name > ")
                    .push_bind(sort_name.clone())
                    .push(" OR (sort_name = ")
                    .push_bind(sort_name.clone())
                    .push(" AND id > ")
                    .push_bind(*id)
                    .push(")");
            }
            q.push(" ORDER BY sort_name, id");
        }
        Order::Changes { after, until } => {
            q.push(" WHERE rev > ")
                .push_bind(*after)
                .push(" AND rev <= ")
                .push_bind(*until)
                .push(" ORDER BY rev");
        }
    }
    q.push(" LIMIT ").push_bind(limit);
    let rows = q.build().fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

/// How many facilities are stored.
pub async fn count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM facilities")
        .fetch_one(db)
        .await
}

/// Closures as stored: a JSON array sorted by first day, then last day.
fn closures_json(closures: &[Closure]) -> String {
    let mut sorted = closures.to_vec();
    sorted.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
    serde_json::to_string(&sorted).unwrap_or_else(|_| "[]".into())
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// OSM's value of a wheelchair access.
pub fn wheelchair_text(w: Wheelchair) -> &'static str {
    match w {
        Wheelchair::Yes => "yes",
        Wheelchair::Limited => "limited",
        Wheelchair::No => "no",
    }
}

fn from_row(row: &SqliteRow) -> sqlx::Result<Stored> {
    let closures: String = row.try_get("closures")?;
    let services: String = row.try_get("services")?;
    let wheelchair: Option<String> = row.try_get("wheelchair")?;
    let decode = |column: &str, e: serde_json::Error| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(e),
    };
    Ok(Stored {
        rev: row.try_get("rev")?,
        sort_name: row.try_get("sort_name")?,
        source_key: row.try_get("source_key")?,
        facility: Facility {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            category: row.try_get("category")?,
            address: row.try_get("address")?,
            position: LatLon {
                lat: row.try_get("lat")?,
                lon: row.try_get("lon")?,
            },
            phone: row.try_get("phone")?,
            email: row.try_get("email")?,
            website: row.try_get("website")?,
            description: row.try_get("description")?,
            opening_hours: row.try_get("opening_hours")?,
            closures: serde_json::from_str(&closures).map_err(|e| decode("closures", e))?,
            wheelchair: wheelchair.as_deref().and_then(Wheelchair::from_osm),
            services: serde_json::from_str(&services).map_err(|e| decode("services", e))?,
            photo_url: row.try_get("photo_url")?,
            updated_at: row.try_get("updated_at")?,
        },
    })
}
