//! The agenda importer: an iCalendar file or an OpenAgenda JSON export (format given or
//! guessed), parsed whole, then written in one transaction: occurrences de-duplicated by
//! (UID, recurrence id), changed ones updated with a higher sequence, future ones that left the
//! feed marked cancelled. Broken input is refused before anything is written.

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sha2::{Digest, Sha256};

use super::config::{AgendaConfig, FeedFormat};
use super::times::timestamp;
use super::{ical, openagenda};
use crate::config::Config;
use crate::db::Db;
use crate::db::events::{self, NewEvent};
use crate::news::import::{error_chain, is_url};

/// Largest feed accepted, in bytes.
pub const MAX_FEED_BYTES: usize = 10 * 1024 * 1024;

/// Occurrences of recurring events are kept from this many days back.
pub const PAST_DAYS: i64 = 31;

/// Time limit of one feed download.
const FETCH_TIMEOUT: Duration = Duration::from_secs(60);

/// What the parsers need to know.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub agenda: &'a AgendaConfig,
    /// The commune's time zone: local times are computed in it.
    pub tz: Tz,
    /// The import's clock: recurrences expand from it over `agenda.horizon_days`.
    pub now: DateTime<Utc>,
}

/// The occurrences of one event (one UID) as a source describes them.
#[derive(Debug, Clone)]
pub struct Group {
    pub uid: String,
    /// When the source last changed it (OpenAgenda's `updatedAt`).
    pub source_updated_at: Option<String>,
    /// Skip it when the stored copy is as recent as `source_updated_at`.
    pub incremental: bool,
    pub occurrences: Vec<NewEvent>,
}

/// A parsed feed.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub groups: Vec<Group>,
    /// Events left out (no UID, private, unreadable dates).
    pub skipped: usize,
}

/// What one import did, counted in occurrences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Ids of the occurrences created.
    pub inserted: Vec<i64>,
    pub updated: usize,
    pub unchanged: usize,
    /// Future occurrences that left the feed, now marked cancelled.
    pub withdrawn: usize,
    /// Events left out (no UID, private, unreadable dates).
    pub skipped: usize,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} nouveaux, {} mis à jour, {} inchangés, {} annulés (retirés du flux)",
            self.inserted.len(),
            self.updated,
            self.unchanged,
            self.withdrawn
        )?;
        if self.skipped > 0 {
            write!(f, ", {} ignorés", self.skipped)?;
        }
        Ok(())
    }
}

/// Why a feed could not be imported; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{feed}: the feed is larger than {} MB", MAX_FEED_BYTES / 1024 / 1024)]
    TooLarge { feed: String },
    #[error("{feed}: cannot read it: {reason}")]
    Read { feed: String, reason: String },
    #[error("{feed}: not a valid {format} feed: {reason}")]
    Parse {
        feed: String,
        format: &'static str,
        reason: String,
    },
    #[error("{feed}: database error: {cause}")]
    Db {
        feed: String,
        #[source]
        cause: sqlx::Error,
    },
}

/// Imports an agenda from an `http(s)://` URL or a file path.
pub async fn import_source(
    db: &Db,
    config: &Config,
    source: &str,
    format: Option<FeedFormat>,
) -> Result<ImportReport, ImportError> {
    let bytes = if is_url(source) {
        fetch(&http_client(), source).await?
    } else {
        read_file(source).await?
    };
    import_bytes(db, config, &bytes, source, format).await
}

/// Imports an agenda already read, now.
pub async fn import_bytes(
    db: &Db,
    config: &Config,
    bytes: &[u8],
    source: &str,
    format: Option<FeedFormat>,
) -> Result<ImportReport, ImportError> {
    import_at(db, config, bytes, source, format, Utc::now()).await
}

/// The HTTP client of agenda downloads (rustls with ring, the platform's certificates).
pub fn http_client() -> reqwest::Client {
    crate::startup::install_tls_provider();
    reqwest::Client::builder()
        .timeout(FETCH_TIMEOUT)
        .user_agent(concat!("parvis-server/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// Downloads a feed, refusing it past [`MAX_FEED_BYTES`] without reading the rest.
pub async fn fetch(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, ImportError> {
    let read_error = |reason: String| ImportError::Read {
        feed: url.to_owned(),
        reason,
    };
    let mut response = client
        .get(url)
        .header(
            reqwest::header::ACCEPT,
            "text/calendar, application/json;q=0.9, */*;q=0.1",
        )
        .send()
        .await
        .map_err(|e| read_error(error_chain(&e)))?;
    if !response.status().is_success() {
        return Err(read_error(format!("HTTP status {}", response.status())));
    }
    let too_large = || ImportError::TooLarge {
        feed: url.to_owned(),
    };
    if response
        .content_length()
        .is_some_and(|len| len > MAX_FEED_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| read_error(error_chain(&e)))?
    {
        if body.len() + chunk.len() > MAX_FEED_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

async fn read_file(path: &str) -> Result<Vec<u8>, ImportError> {
    let read_error = |reason: String| ImportError::Read {
        feed: path.to_owned(),
        reason,
    };
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| read_error(e.to_string()))?;
    if meta.len() > MAX_FEED_BYTES as u64 {
        return Err(ImportError::TooLarge {
            feed: path.to_owned(),
        });
    }
    tokio::fs::read(path)
        .await
        .map_err(|e| read_error(e.to_string()))
}

/// iCalendar or OpenAgenda JSON, from the first meaningful characters.
pub fn guess_format(bytes: &[u8]) -> Option<FeedFormat> {
    let start: Vec<u8> = bytes
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(bytes)
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take(15)
        .collect();
    if start.first().is_some_and(|b| *b == b'{' || *b == b'[') {
        Some(FeedFormat::Openagenda)
    } else if start.eq_ignore_ascii_case(b"BEGIN:VCALENDAR") {
        Some(FeedFormat::Ics)
    } else {
        None
    }
}

/// The `source` stored with the events of a feed.
fn source_key(source: &str, format: FeedFormat) -> String {
    match format {
        FeedFormat::Ics => source.to_owned(),
        FeedFormat::Openagenda if source.starts_with("openagenda:") => source.to_owned(),
        FeedFormat::Openagenda => format!("openagenda:{source}"),
    }
}

/// Imports an agenda as if it were `now`: parsed whole, then written in one transaction.
pub async fn import_at(
    db: &Db,
    config: &Config,
    bytes: &[u8],
    source: &str,
    format: Option<FeedFormat>,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    if bytes.len() > MAX_FEED_BYTES {
        return Err(ImportError::TooLarge {
            feed: source.to_owned(),
        });
    }
    let format = format
        .or_else(|| guess_format(bytes))
        .ok_or_else(|| ImportError::Parse {
            feed: source.to_owned(),
            format: "iCalendar or OpenAgenda",
            reason: "it is neither an iCalendar file (BEGIN:VCALENDAR) nor JSON".into(),
        })?;
    let ctx = Context {
        agenda: &config.agenda,
        tz: config
            .commune
            .time_zone
            .parse()
            .unwrap_or(chrono_tz::Europe::Paris),
        now,
    };
    let parsed = match format {
        FeedFormat::Ics => ical::parse(&ctx, bytes).map_err(|reason| ImportError::Parse {
            feed: source.to_owned(),
            format: "iCalendar",
            reason,
        })?,
        FeedFormat::Openagenda => {
            openagenda::parse(&ctx, bytes).map_err(|reason| ImportError::Parse {
                feed: source.to_owned(),
                format: "OpenAgenda JSON",
                reason,
            })?
        }
    };
    let key = source_key(source, format);
    write(db, &key, parsed, now)
        .await
        .map_err(|cause| ImportError::Db {
            feed: source.to_owned(),
            cause,
        })
}

/// Applies a parsed feed in one transaction.
async fn write(
    db: &Db,
    source: &str,
    parsed: Parsed,
    now: DateTime<Utc>,
) -> sqlx::Result<ImportReport> {
    let mut report = ImportReport {
        skipped: parsed.skipped,
        ..ImportReport::default()
    };
    let stamp = timestamp(now);
    let mut seen: HashSet<i64> = HashSet::new();
    let mut tx = events::begin_write(db).await?;
    for group in parsed.groups {
        if group.incremental
            && let Some(updated) = &group.source_updated_at
        {
            let (stored, ids) = events::source_updated(&mut tx, &group.uid).await?;
            if stored.as_ref().is_some_and(|s| s >= updated) {
                report.unchanged += group.occurrences.len();
                seen.extend(ids);
                continue;
            }
        }
        for mut event in group.occurrences {
            event.content_hash = fingerprint(&event);
            match events::find(&mut tx, &event.uid, &event.recurrence_id).await? {
                None => {
                    let id = events::insert(&mut tx, source, &event, &stamp).await?;
                    report.inserted.push(id);
                    seen.insert(id);
                }
                Some(existing) if existing.content_hash == event.content_hash => {
                    report.unchanged += 1;
                    seen.insert(existing.id);
                }
                Some(existing) => {
                    let sequence = (existing.sequence + 1).max(event.sequence);
                    events::update(&mut tx, existing.id, source, &event, sequence, &stamp).await?;
                    report.updated += 1;
                    seen.insert(existing.id);
                }
            }
        }
    }
    report.withdrawn = events::cancel_missing(&mut tx, source, &stamp, &seen, &stamp).await?;
    tx.commit().await?;
    Ok(report)
}

/// SHA-256 (hex) of what the source says about an occurrence: equal means unchanged. The
/// source's sequence and modification date are left out, so only real changes count.
fn fingerprint(event: &NewEvent) -> String {
    let mut copy = event.clone();
    copy.content_hash = String::new();
    copy.sequence = 0;
    copy.source_updated_at = None;
    Sha256::digest(format!("{copy:?}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_guessed_from_the_content() {
        assert_eq!(
            guess_format(b"\xef\xbb\xbf  BEGIN:VCALENDAR\r\n"),
            Some(FeedFormat::Ics)
        );
        assert_eq!(
            guess_format(b"\n{\"events\":[]}"),
            Some(FeedFormat::Openagenda)
        );
        assert_eq!(guess_format(b"<rss>"), None);
    }
}
