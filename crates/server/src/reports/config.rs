//! The `[reports]` configuration: the categories (Open311 services), the keys of town-hall
//! agents and Open311 clients, photo limits, the photo store, the rate limit of new reports and
//! the radius of « nearby » reports.

use std::path::{Path, PathBuf};

use parvis_core::ReportCategory;
use parvis_core::news::is_valid_slug;
use parvis_core::reports::MAX_PHOTOS;
use serde::{Deserialize, Serialize};

use crate::config::ConfigError;
use crate::news::config::{MIN_PUBLISH_KEY_CHARS, deserialize_keys};

/// Room for the text fields and the multipart framing of a report, besides its photos.
const FIELDS_ALLOWANCE_BYTES: usize = 256 * 1024;

/// `[reports]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportsConfig {
    /// Bearer keys of the town-hall tools allowed to change a report's status
    /// (`POST /api/v1/reports/{id}/updates`); empty disables it. A list, or one string of
    /// keys separated by commas (for `PARVIS_REPORTS__AGENT_KEYS`). Never serialised back.
    #[serde(default, deserialize_with = "deserialize_keys", skip_serializing)]
    pub agent_keys: Vec<String>,
    /// `api_key` values accepted by Open311's `POST /open311/v2/requests` (FixMyStreet and
    /// other clients); empty: Open311 is read-only. Never serialised back.
    #[serde(default, deserialize_with = "deserialize_keys", skip_serializing)]
    pub open311_keys: Vec<String>,
    /// Largest photo accepted, in bytes (413 beyond).
    pub max_photo_bytes: usize,
    /// Most pixels a photo may have, read from its header before decoding (422 beyond: a
    /// small file can claim a huge image).
    pub max_photo_pixels: u64,
    /// Longest side of a stored photo, in pixels: larger ones are scaled down.
    pub photo_max_side: u32,
    /// Longest side of a thumbnail, in pixels.
    pub thumbnail_side: u32,
    /// JPEG quality of the re-encoded photos (1–100).
    pub jpeg_quality: u8,
    /// Where photos go: `local` (a directory) or `s3` (an S3-compatible bucket).
    pub photo_store: PhotoStoreKind,
    /// The local photo directory; relative paths are under `data_dir`. Default:
    /// `<data_dir>/media/reports`.
    #[serde(default)]
    pub photo_dir: Option<PathBuf>,
    /// The bucket, when `photo_store = "s3"`.
    #[serde(default)]
    pub s3: Option<S3Config>,
    /// New reports a client address may send per hour (0: no limit). Retries of a report
    /// already received are always answered.
    pub rate_limit_per_hour: u32,
    /// New « Moi aussi » supports a client address may give per hour (0: no limit). A retry
    /// of a support already counted is always answered.
    pub support_rate_limit_per_hour: u32,
    /// How far `GET /api/v1/reports/nearby` looks, in metres.
    pub nearby_meters: u32,
    /// The categories, in display order (`[[reports.categories]]`).
    pub categories: Vec<ReportCategoryConfig>,
}

/// `reports.photo_store`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhotoStoreKind {
    Local,
    S3,
}

/// `[reports.s3]`: an S3-compatible bucket. Credentials come from the standard environment
/// variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), never from
/// the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Config {
    pub bucket: String,
    /// The region (`fr-par`, `eu-west-3`…).
    pub region: String,
    /// The service's URL for other providers than AWS (Scaleway, OVHcloud, MinIO…).
    #[serde(default)]
    pub endpoint: Option<String>,
    /// A folder inside the bucket, e.g. `parvis/reports`.
    #[serde(default)]
    pub prefix: Option<String>,
}

/// `[[reports.categories]]`: one category.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportCategoryConfig {
    /// Open311 `service_code`: lowercase ASCII with dashes, stable (reports keep it).
    pub service_code: String,
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub group: String,
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl From<&ReportCategoryConfig> for ReportCategory {
    fn from(c: &ReportCategoryConfig) -> Self {
        ReportCategory {
            service_code: c.service_code.clone(),
            name: c.name.clone(),
            name_en: c.name_en.clone(),
            description: c.description.clone(),
            group: c.group.clone(),
            keywords: c.keywords.clone(),
        }
    }
}

impl ReportsConfig {
    /// Checks the categories, keys, limits and the store.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |msg: String| Err(ConfigError(msg));
        if self.categories.is_empty() {
            return fail("reports.categories must list at least one category".into());
        }
        for (i, category) in self.categories.iter().enumerate() {
            let key = format!("reports.categories[{i}]");
            if !is_valid_slug(&category.service_code) {
                return fail(format!(
                    "{key}.service_code `{}` must be 1 to 40 characters of a-z, 0-9 and inner \
                     dashes",
                    category.service_code
                ));
            }
            if self.categories[..i]
                .iter()
                .any(|c| c.service_code == category.service_code)
            {
                return fail(format!(
                    "{key}.service_code `{}` is used twice",
                    category.service_code
                ));
            }
            if [
                &category.name,
                &category.name_en,
                &category.description,
                &category.group,
            ]
            .iter()
            .any(|text| text.trim().is_empty())
            {
                return fail(format!(
                    "{key}: name, name_en, description and group must not be empty"
                ));
            }
            if category.keywords.iter().any(|k| k.trim().is_empty()) {
                return fail(format!("{key}.keywords has an empty keyword"));
            }
        }
        for (name, keys) in [
            ("agent_keys", &self.agent_keys),
            ("open311_keys", &self.open311_keys),
        ] {
            for (i, key) in keys.iter().enumerate() {
                if key.chars().count() < MIN_PUBLISH_KEY_CHARS
                    || !key.bytes().all(|b| b.is_ascii_graphic())
                {
                    return fail(format!(
                        "reports.{name}[{i}] must have at least {MIN_PUBLISH_KEY_CHARS} visible \
                         ASCII characters, without spaces (e.g. from `openssl rand -hex 32`)"
                    ));
                }
            }
        }
        if !(1024..=100 * 1024 * 1024).contains(&self.max_photo_bytes) {
            return fail("reports.max_photo_bytes must be between 1024 and 104857600".into());
        }
        if !(1_000_000..=250_000_000).contains(&self.max_photo_pixels) {
            return fail("reports.max_photo_pixels must be between 1000000 and 250000000".into());
        }
        if !(320..=8192).contains(&self.photo_max_side) {
            return fail("reports.photo_max_side must be between 320 and 8192".into());
        }
        if !(64..=1024).contains(&self.thumbnail_side) || self.thumbnail_side > self.photo_max_side
        {
            return fail(
                "reports.thumbnail_side must be between 64 and 1024, and at most photo_max_side"
                    .into(),
            );
        }
        if !(30..=100).contains(&self.jpeg_quality) {
            return fail("reports.jpeg_quality must be between 30 and 100".into());
        }
        if !(10..=5000).contains(&self.nearby_meters) {
            return fail("reports.nearby_meters must be between 10 and 5000".into());
        }
        if self
            .photo_dir
            .as_ref()
            .is_some_and(|d| d.as_os_str().is_empty())
        {
            return fail(
                "reports.photo_dir must not be empty (leave it out for the default)".into(),
            );
        }
        match (self.photo_store, &self.s3) {
            (PhotoStoreKind::S3, None) => {
                return fail(
                    "reports.photo_store = \"s3\" needs a [reports.s3] section (bucket, region)"
                        .into(),
                );
            }
            (PhotoStoreKind::S3, Some(s3)) => s3.validate()?,
            (PhotoStoreKind::Local, _) => {}
        }
        Ok(())
    }

    /// Whether `code` is a configured category.
    pub fn has_category(&self, code: &str) -> bool {
        self.categories.iter().any(|c| c.service_code == code)
    }

    /// The category whose `service_code` is `code`.
    pub fn category(&self, code: &str) -> Option<&ReportCategoryConfig> {
        self.categories.iter().find(|c| c.service_code == code)
    }

    /// The wire categories, in configuration order.
    pub fn wire_categories(&self) -> Vec<ReportCategory> {
        self.categories.iter().map(ReportCategory::from).collect()
    }

    /// The local photo directory.
    pub fn photo_dir(&self, data_dir: &Path) -> PathBuf {
        match &self.photo_dir {
            Some(dir) if dir.is_absolute() => dir.clone(),
            Some(dir) => data_dir.join(dir),
            None => crate::media::media_dir(data_dir).join(crate::media::REPORTS),
        }
    }

    /// Largest body of a report with its photos (the limit of the upload routes).
    pub fn max_upload_bytes(&self) -> usize {
        self.max_photo_bytes
            .saturating_mul(MAX_PHOTOS)
            .saturating_add(FIELDS_ALLOWANCE_BYTES)
    }
}

impl S3Config {
    fn validate(&self) -> Result<(), ConfigError> {
        let fail = |msg: String| Err(ConfigError(msg));
        if self.bucket.trim().is_empty() || self.bucket.contains(char::is_whitespace) {
            return fail("reports.s3.bucket must be a bucket name".into());
        }
        if self.region.trim().is_empty() {
            return fail("reports.s3.region must not be empty (e.g. fr-par)".into());
        }
        if let Some(endpoint) = &self.endpoint
            && !(endpoint.starts_with("https://") || endpoint.starts_with("http://"))
        {
            return fail(format!(
                "reports.s3.endpoint `{endpoint}` must start with https:// (or http://)"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Sources};

    fn reports() -> ReportsConfig {
        Config::load(&Sources::default())
            .expect("defaults load")
            .reports
    }

    #[test]
    fn the_default_categories_are_valid_and_cover_the_usual_incidents() {
        let r = reports();
        r.validate().expect("valid");
        assert!(r.categories.len() >= 8);
        for code in [
            "voirie",
            "eclairage-public",
            "proprete",
            "depots-sauvages",
            "tags",
        ] {
            assert!(r.has_category(code), "{code}");
        }
        assert!(r.agent_keys.is_empty() && r.open311_keys.is_empty());
        assert_eq!(r.photo_store, PhotoStoreKind::Local);
        assert_eq!(r.max_upload_bytes(), 3 * 10 * 1024 * 1024 + 256 * 1024);
    }

    #[test]
    fn the_photo_dir_is_under_the_data_dir_unless_absolute() {
        let mut r = reports();
        let data = Path::new("/srv/parvis");
        assert_eq!(r.photo_dir(data), Path::new("/srv/parvis/media/reports"));
        r.photo_dir = Some("photos".into());
        assert_eq!(r.photo_dir(data), Path::new("/srv/parvis/photos"));
        r.photo_dir = Some("/var/photos".into());
        assert_eq!(r.photo_dir(data), Path::new("/var/photos"));
    }

    #[test]
    fn wrong_values_are_refused() {
        let cases: [fn(&mut ReportsConfig); 8] = [
            |r| r.categories[1].service_code = r.categories[0].service_code.clone(),
            |r| r.categories[0].service_code = "Voirie".into(),
            |r| r.categories[0].group = " ".into(),
            |r| r.agent_keys = vec!["short".into()],
            |r| r.open311_keys = vec!["with a space 0123456789".into()],
            |r| r.thumbnail_side = 4096,
            |r| r.photo_store = PhotoStoreKind::S3,
            |r| {
                r.photo_store = PhotoStoreKind::S3;
                r.s3 = Some(S3Config {
                    bucket: "photos".into(),
                    region: "fr-par".into(),
                    endpoint: Some("s3.fr-par.scw.cloud".into()),
                    prefix: None,
                });
            },
        ];
        for (i, case) in cases.iter().enumerate() {
            let mut r = reports();
            case(&mut r);
            assert!(r.validate().is_err(), "case {i}");
        }
    }
}
