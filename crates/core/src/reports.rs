//! Street-incident reports (« signalements »): the wire types of `/api/v1/reports…`, the rules a
//! new report and a status change must follow, and how statuses map to Open311 GeoReport v2
//! (`open`/`closed`) and to mySociety's extended states.
//!
//! The reporter's email and device id travel in [`NewReport`] only: no type the server sends
//! back carries them.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::{Bounds, LatLon};

/// Most photos one report may carry.
pub const MAX_PHOTOS: usize = 3;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
/// Longest address, in characters.
pub const MAX_ADDRESS_CHARS: usize = 300;
/// Longest public note of a status change, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;
/// Longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest device id, in characters.
pub const MAX_DEVICE_ID_CHARS: usize = 100;
/// Longest side, in pixels, of a photo as the app queues and sends it (the server accepts more).
pub const PHOTO_LONG_SIDE: u32 = 1600;
/// The message of a position outside the commune, also the problem's `detail`.
pub const OUTSIDE_COMMUNE: &str = "Ce lieu est hors de la commune.";

/// A kind of incident residents can report (an Open311 service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportCategory {
    /// Stable identifier, lowercase ASCII with dashes (Open311 `service_code`).
    pub service_code: String,
    /// French name (Open311 `service_name`).
    pub name: String,
    pub name_en: String,
    /// What belongs here, in French, to help residents choose.
    pub description: String,
    /// Where the category sits in the list (Open311 `group`), e.g. « Espace public ».
    pub group: String,
    /// Words residents may type to find it (« nid-de-poule », « lampadaire »…).
    pub keywords: Vec<String>,
}

/// Where a report stands. Every change is kept in the report's history with a public note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Received, not looked at yet.
    Submitted,
    /// Seen by the town hall.
    Acknowledged,
    /// Work planned on a given day (`scheduled_for`).
    Scheduled,
    InProgress,
    Resolved,
    /// Not handled, with a reason (not the commune's, private land…).
    Rejected,
    /// Already reported: see `duplicate_of`.
    Duplicate,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 7] = [
        ReportStatus::Submitted,
        ReportStatus::Acknowledged,
        ReportStatus::Scheduled,
        ReportStatus::InProgress,
        ReportStatus::Resolved,
        ReportStatus::Rejected,
        ReportStatus::Duplicate,
    ];

    /// The value used in JSON and in the database.
    pub fn slug(self) -> &'static str {
        match self {
            ReportStatus::Submitted => "submitted",
            ReportStatus::Acknowledged => "acknowledged",
            ReportStatus::Scheduled => "scheduled",
            ReportStatus::InProgress => "in_progress",
            ReportStatus::Resolved => "resolved",
            ReportStatus::Rejected => "rejected",
            ReportStatus::Duplicate => "duplicate",
        }
    }

    /// Parses [`ReportStatus::slug`].
    pub fn from_slug(slug: &str) -> Option<ReportStatus> {
        ReportStatus::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// Whether something is still to be done (a nearby open report can be supported).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            ReportStatus::Resolved | ReportStatus::Rejected | ReportStatus::Duplicate
        )
    }

    /// The GeoReport v2 status: `open` or `closed`.
    pub fn open311_status(self) -> &'static str {
        if self.is_open() { "open" } else { "closed" }
    }

    /// mySociety's extended Open311 state (FixMyStreet's `servicerequestupdates`).
    pub fn mysociety_status(self) -> &'static str {
        match self {
            ReportStatus::Submitted => "OPEN",
            ReportStatus::Acknowledged => "INVESTIGATING",
            ReportStatus::Scheduled => "ACTION_SCHEDULED",
            ReportStatus::InProgress => "IN_PROGRESS",
            ReportStatus::Resolved => "FIXED",
            ReportStatus::Rejected => "NO_FURTHER_ACTION",
            ReportStatus::Duplicate => "DUPLICATE",
        }
    }
}

/// A new report, as the app sends it: the `report` part (JSON) of the multipart body of
/// `POST /api/v1/reports`, beside 0 to 3 `photo` parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReport {
    /// A category's `service_code`.
    pub category: String,
    /// Plain text; may be empty when the report has a photo.
    #[serde(default)]
    pub description: String,
    /// Where the incident is: inside the commune.
    pub position: LatLon,
    /// Human-readable place (« devant le 12 rue des Écoles »).
    #[serde(default)]
    pub address: Option<String>,
    /// To be contacted by the town hall; never shown publicly.
    #[serde(default)]
    pub email: Option<String>,
    /// The installation's random id; never shown publicly.
    #[serde(default)]
    pub device_id: Option<String>,
}

impl NewReport {
    /// The report cleaned (trimmed, spaces collapsed, empty optional fields dropped), or one
    /// error per invalid field. `photos` is how many photos come with it; `known_category`
    /// tells whether a `service_code` exists.
    pub fn validate(
        &self,
        photos: usize,
        bounds: Bounds,
        known_category: impl Fn(&str) -> bool,
    ) -> Result<NewReport, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.to_owned(),
                message,
            })
        };
        let category = self.category.trim().to_owned();
        if category.is_empty() {
            fail("category", "Choisissez une catégorie.".into());
        } else if !known_category(&category) {
            let shown: String = category.chars().take(40).collect();
            fail(
                "category",
                format!(
                    "La catégorie « {shown} » n’existe pas. Consultez /api/v1/report-categories."
                ),
            );
        }
        let description = one_line_paragraphs(&self.description);
        if description.is_empty() && photos == 0 {
            fail(
                "description",
                "Décrivez le problème ou joignez une photo.".into(),
            );
        } else if description.chars().count() > MAX_DESCRIPTION_CHARS {
            fail(
                "description",
                format!("La description fait au plus {MAX_DESCRIPTION_CHARS} caractères."),
            );
        }
        if photos > MAX_PHOTOS {
            fail(
                "photo",
                format!("Un signalement porte au plus {MAX_PHOTOS} photos."),
            );
        }
        if !self.position.is_valid() {
            fail(
                "position",
                "La position doit avoir une latitude entre -90 et 90 et une longitude entre \
                 -180 et 180."
                    .into(),
            );
        } else if !bounds.contains(self.position) {
            fail("position", OUTSIDE_COMMUNE.into());
        }
        let address = non_empty(self.address.as_deref());
        if address
            .as_ref()
            .is_some_and(|a| a.chars().count() > MAX_ADDRESS_CHARS)
        {
            fail(
                "address",
                format!("L’adresse fait au plus {MAX_ADDRESS_CHARS} caractères."),
            );
        }
        let email = non_empty(self.email.as_deref());
        if let Some(email) = &email
            && !is_plausible_email(email)
        {
            fail(
                "email",
                "L’adresse électronique n’est pas valide (exemple : nom@exemple.fr).".into(),
            );
        }
        let device_id = non_empty(self.device_id.as_deref());
        if let Some(id) = &device_id
            && (id.chars().count() > MAX_DEVICE_ID_CHARS
                || !id.bytes().all(|b| b.is_ascii_graphic()))
        {
            fail(
                "device_id",
                format!(
                    "L’identifiant de l’appareil fait 1 à {MAX_DEVICE_ID_CHARS} caractères \
                     ASCII visibles."
                ),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewReport {
            category,
            description,
            position: self.position,
            address,
            email,
            device_id,
        })
    }
}

/// What `POST /api/v1/reports` answers, and answers again for the same `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportReceipt {
    pub id: i64,
    /// Secret: with the id, it reads the report's status (`GET /api/v1/reports/{id}?token=…`).
    pub token: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// A photo of a report, re-encoded by the server (no EXIF), served same-origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportPhoto {
    /// Root-relative URL of the JPEG.
    pub url: String,
    /// Root-relative URL of a small JPEG (400 px at most on its longer side).
    pub thumbnail_url: String,
    pub width: u32,
    pub height: u32,
}

/// One entry of a report's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub status: ReportStatus,
    /// Public note, in French (the reason of a rejection).
    pub note: Option<String>,
    /// `YYYY-MM-DD`, for `scheduled`.
    pub scheduled_for: Option<String>,
    /// The original report, for `duplicate`.
    pub duplicate_of: Option<i64>,
    /// RFC 3339, UTC.
    pub at: String,
}

/// A status change sent by a town-hall tool (`POST /api/v1/reports/{id}/updates`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStatusChange {
    /// Any status but `submitted`; the same status again adds a note.
    pub status: ReportStatus,
    /// Public note; required for `rejected` (the reason).
    #[serde(default)]
    pub note: Option<String>,
    /// `YYYY-MM-DD`; required for `scheduled`, refused otherwise.
    #[serde(default)]
    pub scheduled_for: Option<String>,
    /// The original report's id; required for `duplicate`, refused otherwise.
    #[serde(default)]
    pub duplicate_of: Option<i64>,
}

impl NewStatusChange {
    /// The change cleaned, or one error per invalid field. Whether `duplicate_of` exists is
    /// for the caller to check.
    pub fn validate(&self, report_id: i64) -> Result<NewStatusChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                message: message.to_owned(),
            })
        };
        if self.status == ReportStatus::Submitted {
            fail(
                "status",
                "Un signalement ne peut pas revenir à l’état « submitted ».",
            );
        }
        let note = non_empty(self.note.as_deref()).map(|n| one_line_paragraphs(&n));
        if note
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
        {
            fail(
                "note",
                &format!("La note fait au plus {MAX_NOTE_CHARS} caractères."),
            );
        }
        if self.status == ReportStatus::Rejected && note.is_none() {
            fail("note", "Donnez la raison du refus dans la note.");
        }
        let scheduled_for = non_empty(self.scheduled_for.as_deref());
        match (&scheduled_for, self.status) {
            (None, ReportStatus::Scheduled) => {
                fail("scheduled_for", "Indiquez la date prévue (AAAA-MM-JJ).")
            }
            (Some(day), ReportStatus::Scheduled) => {
                if chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err() || day.len() != 10 {
                    fail(
                        "scheduled_for",
                        "La date prévue doit être une date valide au format AAAA-MM-JJ.",
                    );
                }
            }
            (Some(_), _) => fail(
                "scheduled_for",
                "Une date prévue ne va qu’avec l’état « scheduled ».",
            ),
            (None, _) => {}
        }
        match (self.duplicate_of, self.status) {
            (None, ReportStatus::Duplicate) => fail(
                "duplicate_of",
                "Indiquez le numéro du signalement d’origine.",
            ),
            (Some(id), ReportStatus::Duplicate) if id == report_id => fail(
                "duplicate_of",
                "Un signalement ne peut pas être le doublon de lui-même.",
            ),
            (Some(_), ReportStatus::Duplicate) | (None, _) => {}
            (Some(_), _) => fail(
                "duplicate_of",
                "Un signalement d’origine ne va qu’avec l’état « duplicate ».",
            ),
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewStatusChange {
            status: self.status,
            note,
            scheduled_for,
            duplicate_of: self.duplicate_of,
        })
    }
}

/// A report as its reporter (or a supporter) follows it: public fields and history only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub id: i64,
    /// The category's `service_code`.
    pub category: String,
    pub description: String,
    pub position: LatLon,
    pub address: Option<String>,
    pub status: ReportStatus,
    /// The last public note.
    pub status_note: Option<String>,
    /// `YYYY-MM-DD`, while `scheduled`.
    pub scheduled_for: Option<String>,
    /// The original report, when `duplicate`.
    pub duplicate_of: Option<i64>,
    pub photos: Vec<ReportPhoto>,
    /// How many residents said « Moi aussi ».
    pub supporters: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC: the last status change or support.
    pub updated_at: String,
    /// Every status, oldest first, starting with `submitted`.
    pub history: Vec<StatusChange>,
}

/// An open report of the same category near a place (`GET /api/v1/reports/nearby`), to
/// support instead of reporting twice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NearbyReport {
    pub id: i64,
    pub category: String,
    pub description: String,
    pub position: LatLon,
    pub address: Option<String>,
    pub status: ReportStatus,
    /// From the place asked about, in metres.
    pub distance_m: u32,
    pub supporters: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The first photo's thumbnail.
    pub thumbnail_url: Option<String>,
}

/// A report the app follows: its id and tracking token (`POST /api/v1/reports/status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportTracker {
    pub id: i64,
    pub token: String,
}

/// The answer to `POST /api/v1/reports/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportStatuses {
    /// The reports whose token matched, in the order asked.
    pub items: Vec<Report>,
    /// Ids that do not exist or whose token does not match: the app may stop following them.
    pub not_found: Vec<i64>,
}

/// The optional body of `POST /api/v1/reports/{id}/support` (« Moi aussi »).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSupport {
    /// The installation's random id: one support per device, whatever the Idempotency-Key.
    #[serde(default)]
    pub device_id: Option<String>,
}

/// What « Moi aussi » answers: a token to follow the report like one's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupportReceipt {
    pub report_id: i64,
    /// Secret, like [`ReportReceipt::token`].
    pub token: String,
    pub supporters: u32,
}

/// The size of a `width` × `height` photo scaled down (never up) so that its longer side is at
/// most `long_side`, keeping its proportions; no side below 1 pixel.
pub fn fit_long_side(width: u32, height: u32, long_side: u32) -> (u32, u32) {
    let longer = width.max(height);
    if longer <= long_side || longer == 0 {
        return (width, height);
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(long_side) + u64::from(longer) / 2) / u64::from(longer))
            .max(1) as u32
    };
    (scale(width), scale(height))
}

/// Trims, drops control characters but line breaks, collapses runs of spaces inside lines and
/// keeps at most one blank line between paragraphs.
fn one_line_paragraphs(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if line.is_empty() && lines.last().is_none_or(String::is_empty) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// One `@` with something before and a dotted domain after, no spaces: enough to catch typos
/// (deliverability is the mail server's business).
fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.chars().count() <= MAX_EMAIL_CHARS
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Bounds = Bounds {
        south: 47.3,
        west: 0.6,
        north: 47.5,
        east: 0.8,
    };

    fn report() -> NewReport {
        NewReport {
            category: " voirie ".into(),
            description: "  Nid-de-poule   profond\n\n\n devant l’école  ".into(),
            position: LatLon {
                lat: 47.39,
                lon: 0.69,
            },
            address: Some("  ".into()),
            email: Some(" ana@example.fr ".into()),
            device_id: None,
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_report_is_cleaned() {
        let clean = report()
            .validate(0, BOUNDS, |c| c == "voirie")
            .expect("valid");
        assert_eq!(clean.category, "voirie");
        assert_eq!(clean.description, "Nid-de-poule profond\n\ndevant l’école");
        assert_eq!(clean.address, None);
        assert_eq!(clean.email.as_deref(), Some("ana@example.fr"));
    }

    #[test]
    fn every_invalid_field_is_reported() {
        let mut bad = report();
        bad.category = "ovni".into();
        bad.description = " ".into();
        bad.email = Some("ana@".into());
        bad.device_id = Some("a b".into());
        let errors = bad.validate(0, BOUNDS, |c| c == "voirie").expect_err("bad");
        assert_eq!(
            fields(&errors),
            ["category", "description", "email", "device_id"]
        );
        bad.description = String::new();
        let errors = bad.validate(1, BOUNDS, |_| true).expect_err("bad");
        assert_eq!(fields(&errors), ["email", "device_id"]);
    }

    #[test]
    fn a_place_outside_the_commune_is_refused_in_french() {
        let mut far = report();
        far.position = LatLon {
            lat: 48.85,
            lon: 2.35,
        };
        let errors = far.validate(0, BOUNDS, |_| true).expect_err("outside");
        assert_eq!(errors[0].field, "position");
        assert_eq!(errors[0].message, OUTSIDE_COMMUNE);
        far.position.lat = f64::NAN;
        let errors = far.validate(0, BOUNDS, |_| true).expect_err("invalid");
        assert_ne!(errors[0].message, OUTSIDE_COMMUNE);
    }

    #[test]
    fn too_many_photos_are_refused() {
        let errors = report()
            .validate(MAX_PHOTOS + 1, BOUNDS, |_| true)
            .expect_err("four photos");
        assert_eq!(fields(&errors), ["photo"]);
    }

    #[test]
    fn status_changes_need_their_companion_fields() {
        let change = |status, note: Option<&str>, day: Option<&str>, dup| NewStatusChange {
            status,
            note: note.map(str::to_owned),
            scheduled_for: day.map(str::to_owned),
            duplicate_of: dup,
        };
        assert!(
            change(ReportStatus::Scheduled, None, Some("2026-05-04"), None)
                .validate(1)
                .is_ok()
        );
        let ok = change(
            ReportStatus::Rejected,
            Some("  Terrain  privé "),
            None,
            None,
        )
        .validate(1)
        .expect("valid");
        assert_eq!(ok.note.as_deref(), Some("Terrain privé"));
        let cases = [
            (change(ReportStatus::Submitted, None, None, None), "status"),
            (
                change(ReportStatus::Rejected, Some(" "), None, None),
                "note",
            ),
            (
                change(ReportStatus::Scheduled, None, None, None),
                "scheduled_for",
            ),
            (
                change(ReportStatus::Scheduled, None, Some("2026-02-30"), None),
                "scheduled_for",
            ),
            (
                change(ReportStatus::Resolved, None, Some("2026-05-04"), None),
                "scheduled_for",
            ),
            (
                change(ReportStatus::Duplicate, None, None, None),
                "duplicate_of",
            ),
            (
                change(ReportStatus::Duplicate, None, None, Some(1)),
                "duplicate_of",
            ),
            (
                change(ReportStatus::Resolved, None, None, Some(2)),
                "duplicate_of",
            ),
        ];
        for (change, field) in cases {
            let errors = change.validate(1).expect_err("invalid");
            assert_eq!(fields(&errors), [field], "{change:?}");
        }
    }

    #[test]
    fn statuses_map_to_open311() {
        for status in ReportStatus::ALL {
            assert_eq!(ReportStatus::from_slug(status.slug()), Some(status));
            let json = serde_json::to_value(status).expect("serialises");
            assert_eq!(json, status.slug());
        }
        assert_eq!(ReportStatus::Scheduled.open311_status(), "open");
        assert_eq!(ReportStatus::Duplicate.open311_status(), "closed");
        assert_eq!(ReportStatus::Resolved.mysociety_status(), "FIXED");
        assert_eq!(
            ReportStatus::Scheduled.mysociety_status(),
            "ACTION_SCHEDULED"
        );
    }

    #[test]
    fn photos_are_scaled_down_to_their_long_side() {
        assert_eq!(fit_long_side(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit_long_side(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit_long_side(1200, 900, 1600), (1200, 900));
        assert_eq!(fit_long_side(4032, 3024, 1600), (1600, 1200));
        assert_eq!(fit_long_side(20000, 3, 1600), (1600, 1));
        assert_eq!(fit_long_side(0, 0, 1600), (0, 0));
    }

    #[test]
    fn emails_are_checked_loosely() {
        assert!(is_plausible_email("a.b+c@mairie.example.fr"));
        for bad in ["a", "a@b", "@b.fr", "a@b.fr.", "a b@c.fr", "a@b@c.fr"] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }
}
