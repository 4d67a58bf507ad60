//! The facilities importer: a GeoJSON file (OSM exports included) or an SCDL « Équipements »
//! CSV, told apart by content, read whole, then written in one transaction. Each facility is
//! checked on its own: a bad one is left out (or kept with a remark) and reported, the others
//! are imported. Facilities are de-duplicated by their source key and updated only when what
//! the source says changed (content hash), so an unchanged re-import bumps no change counter.
//! A source that cannot be read at all, or holds no usable facility, writes nothing.
//!
//! Facilities that leave a source are kept: nothing is deleted (the wire has no tombstone yet).

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::draft::{Context, Draft};
use super::{geojson, scdl};
// The download is the agenda's: same size cap, time limit and client.
use crate::agenda::import::{ImportError as AgendaError, MAX_FEED_BYTES, fetch, http_client};
use crate::agenda::times::timestamp;
use crate::config::Config;
use crate::db::Db;
use crate::db::facilities::{self, NewFacility};
use crate::news::import::is_url;

/// The formats a facilities source can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// GeoJSON (RFC 7946), OSM exports included.
    GeoJson,
    /// The SCDL « Équipements » CSV.
    ScdlCsv,
}

impl SourceFormat {
    fn name(self) -> &'static str {
        match self {
            SourceFormat::GeoJson => "GeoJSON",
            SourceFormat::ScdlCsv => "SCDL CSV",
        }
    }
}

/// A remark about one facility of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// How the facility is named: `entité n° 3 « Piscine » (node/123)`, `ligne 12 …`, or
    /// `fichier` for the whole source.
    pub feature: String,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} : {}", self.feature, self.message)
    }
}

/// What one import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Ids of the facilities created.
    pub created: Vec<i64>,
    pub updated: usize,
    pub unchanged: usize,
    /// Facilities left out, and why.
    pub skipped: Vec<Issue>,
    /// Facilities imported with a remark (hours that do not parse, unknown category…).
    pub warnings: Vec<Issue>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} créés, {} mis à jour, {} inchangés, {} ignorés, {} remarques",
            self.created.len(),
            self.updated,
            self.unchanged,
            self.skipped.len(),
            self.warnings.len()
        )?;
        for issue in &self.skipped {
            write!(f, "\n  ignoré — {issue}")?;
        }
        for issue in &self.warnings {
            write!(f, "\n  remarque — {issue}")?;
        }
        Ok(())
    }
}

/// Why a source could not be imported; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{source_name}: the file is larger than {} MB", MAX_FEED_BYTES / 1024 / 1024)]
    TooLarge { source_name: String },
    #[error("{source_name}: cannot read it: {reason}")]
    Read { source_name: String, reason: String },
    #[error("{source_name}: not a valid {format} file: {reason}")]
    Parse {
        source_name: String,
        format: &'static str,
        reason: String,
    },
    #[error("{source_name}: no facility could be read{}", first_reasons(.skipped))]
    Empty {
        source_name: String,
        skipped: Vec<Issue>,
    },
    #[error("{source_name}: database error: {cause}")]
    Db {
        source_name: String,
        #[source]
        cause: sqlx::Error,
    },
}

fn first_reasons(skipped: &[Issue]) -> String {
    if skipped.is_empty() {
        return " (it lists none)".to_owned();
    }
    let shown: Vec<String> = skipped.iter().take(3).map(Issue::to_string).collect();
    let more = skipped.len().saturating_sub(3);
    let more = if more > 0 {
        format!(" (+{more})")
    } else {
        String::new()
    };
    format!(": {}{more}", shown.join(" ; "))
}

/// Imports facilities from an `http(s)://` URL or a file path.
pub async fn import_source(
    db: &Db,
    config: &Config,
    source: &str,
) -> Result<ImportReport, ImportError> {
    if is_url(source) {
        return import_url(db, config, &http_client(), source).await;
    }
    let bytes = read_file(source).await?;
    import_bytes(db, config, &bytes, source).await
}

/// Downloads and imports facilities from an `http(s)://` URL.
pub async fn import_url(
    db: &Db,
    config: &Config,
    client: &reqwest::Client,
    url: &str,
) -> Result<ImportReport, ImportError> {
    let bytes = fetch(client, url).await.map_err(|e| match e {
        AgendaError::TooLarge { .. } => ImportError::TooLarge {
            source_name: url.to_owned(),
        },
        AgendaError::Read { reason, .. } => ImportError::Read {
            source_name: url.to_owned(),
            reason,
        },
        other => ImportError::Read {
            source_name: url.to_owned(),
            reason: other.to_string(),
        },
    })?;
    import_bytes(db, config, &bytes, url).await
}

/// Imports facilities already read, now.
pub async fn import_bytes(
    db: &Db,
    config: &Config,
    bytes: &[u8],
    source: &str,
) -> Result<ImportReport, ImportError> {
    import_at(db, config, bytes, source, Utc::now()).await
}

async fn read_file(path: &str) -> Result<Vec<u8>, ImportError> {
    let read_error = |reason: String| ImportError::Read {
        source_name: path.to_owned(),
        reason,
    };
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| read_error(e.to_string()))?;
    if meta.len() > MAX_FEED_BYTES as u64 {
        return Err(ImportError::TooLarge {
            source_name: path.to_owned(),
        });
    }
    tokio::fs::read(path)
        .await
        .map_err(|e| read_error(e.to_string()))
}

/// GeoJSON when the content starts with `{`, CSV when its first line has a separator.
pub fn guess_format(bytes: &[u8]) -> Option<SourceFormat> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes.iter().copied().find(|b| !b.is_ascii_whitespace())?;
    if start == b'{' {
        return Some(SourceFormat::GeoJson);
    }
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    (start != b'<' && first_line.iter().any(|b| matches!(b, b';' | b',' | b'\t')))
        .then_some(SourceFormat::ScdlCsv)
}

/// Imports facilities as if it were `now`: read whole, each facility checked, then written in
/// one transaction.
pub async fn import_at(
    db: &Db,
    config: &Config,
    bytes: &[u8],
    source: &str,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let source_name = source.to_owned();
    if bytes.len() > MAX_FEED_BYTES {
        return Err(ImportError::TooLarge { source_name });
    }
    let format = guess_format(bytes).ok_or_else(|| ImportError::Parse {
        source_name: source_name.clone(),
        format: "GeoJSON or SCDL CSV",
        reason: "it is neither GeoJSON (a JSON object) nor a CSV with a header line".into(),
    })?;
    let ctx = Context {
        facilities: &config.facilities,
        bounds: config.commune.bounds.into(),
    };
    let parse_error = |reason: String| ImportError::Parse {
        source_name: source_name.clone(),
        format: format.name(),
        reason,
    };
    let mut report = ImportReport::default();
    let drafts: Vec<Draft> = match format {
        SourceFormat::GeoJson => geojson::parse(&ctx, bytes).map_err(parse_error)?,
        SourceFormat::ScdlCsv => {
            let parsed = scdl::parse(&ctx, bytes).map_err(parse_error)?;
            report
                .warnings
                .extend(parsed.notes.into_iter().map(|message| Issue {
                    feature: "fichier".into(),
                    message,
                }));
            parsed.drafts
        }
    };

    let mut accepted: Vec<NewFacility> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for draft in drafts {
        match draft.finish(&ctx) {
            Err(rejected) => report.skipped.push(Issue {
                feature: rejected.label,
                message: rejected.reason,
            }),
            Ok(finished) => {
                if let Some(first) = seen.get(&finished.facility.source_key) {
                    report.skipped.push(Issue {
                        feature: finished.label,
                        message: format!("même identifiant que {first} : doublon ignoré"),
                    });
                    continue;
                }
                seen.insert(finished.facility.source_key.clone(), finished.label.clone());
                report
                    .warnings
                    .extend(finished.warnings.into_iter().map(|message| Issue {
                        feature: finished.label.clone(),
                        message,
                    }));
                accepted.push(finished.facility);
            }
        }
    }
    if accepted.is_empty() {
        return Err(ImportError::Empty {
            source_name,
            skipped: report.skipped,
        });
    }
    write(db, source, &accepted, now, &mut report)
        .await
        .map_err(|cause| ImportError::Db { source_name, cause })?;
    Ok(report)
}

/// Applies the accepted facilities in one transaction.
async fn write(
    db: &Db,
    source: &str,
    accepted: &[NewFacility],
    now: DateTime<Utc>,
    report: &mut ImportReport,
) -> sqlx::Result<()> {
    let stamp = timestamp(now);
    let mut tx = facilities::begin_write(db).await?;
    for facility in accepted {
        let hash = fingerprint(facility);
        match facilities::find(&mut tx, &facility.source_key).await? {
            None => {
                let id = facilities::insert(&mut tx, source, facility, &hash, &stamp).await?;
                report.created.push(id);
            }
            Some(existing) if existing.content_hash == hash => report.unchanged += 1,
            Some(existing) => {
                facilities::update(&mut tx, existing.id, source, facility, &hash, &stamp).await?;
                report.updated += 1;
            }
        }
    }
    tx.commit().await
}

/// SHA-256 (hex) of what the source says about a facility: equal means unchanged.
fn fingerprint(facility: &NewFacility) -> String {
    Sha256::digest(format!("{facility:?}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_content() {
        assert_eq!(
            guess_format(b"\xef\xbb\xbf \n{\"type\":\"FeatureCollection\"}"),
            Some(SourceFormat::GeoJson)
        );
        assert_eq!(
            guess_format(b"\xef\xbb\xbfCOLL_NOM;EQUIP_NOM\n"),
            Some(SourceFormat::ScdlCsv)
        );
        assert_eq!(guess_format(b"<html><body>a,b</body>"), None);
        assert_eq!(guess_format(b"plain text"), None);
        assert_eq!(guess_format(b""), None);
    }

    #[test]
    fn a_report_lists_what_was_left_out_and_why() {
        let report = ImportReport {
            created: vec![1, 2],
            updated: 1,
            unchanged: 3,
            skipped: vec![Issue {
                feature: "entité n° 4 « Banc »".into(),
                message: "coordonnées absentes".into(),
            }],
            warnings: vec![],
        };
        assert_eq!(
            report.to_string(),
            "2 créés, 1 mis à jour, 3 inchangés, 1 ignorés, 0 remarques\n  ignoré — entité n° 4 \
             « Banc » : coordonnées absentes"
        );
    }
}
