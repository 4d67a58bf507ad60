//! Reports from the app: `GET /api/v1/report-categories`, `POST /api/v1/reports` (multipart:
//! a `report` JSON part and 0–3 `photo` parts, `Idempotency-Key` required), the reporter's
//! view `GET /api/v1/reports/{id}?token=…`, « Mes signalements » in one request
//! (`POST /api/v1/reports/status`), open reports nearby, and « Moi aussi »
//! (`POST /api/v1/reports/{id}/support`).

use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use parvis_core::problem::FieldError;
use parvis_core::reports::{MAX_DEVICE_ID_CHARS, OUTSIDE_COMMUNE};
use parvis_core::{
    Bounds, LatLon, NearbyReport, NewReport, NewSupport, Problem, Report, ReportCategory,
    ReportReceipt, ReportStatus, ReportStatuses, ReportTracker, SupportReceipt,
};
use serde::Deserialize;

use crate::agenda::times::timestamp;
use crate::conditional;
use crate::db;
use crate::error::{self, ApiJson, AppError};
use crate::reports::idempotency::{self, Fingerprint, token_hash};
use crate::reports::photos::PhotoError;
use crate::reports::rate_limit::ClientIp;
use crate::reports::submit::{self, Outcome, Source, Submission, SubmitError};
use crate::reports::upload::{self, UploadError};
use crate::state::AppState;

const JSON: &str = "application/json";

/// Most reports asked about in one `POST /api/v1/reports/status`.
pub const MAX_TRACKED: usize = 200;
/// Most reports `nearby` answers.
pub const MAX_NEARBY: usize = 20;

/// Why a report request was refused, when the generic [`AppError`] details do not say enough.
#[derive(Debug)]
pub enum ReportError {
    /// A problem with its own French detail and field errors.
    Refused {
        status: StatusCode,
        detail: String,
        errors: Vec<FieldError>,
    },
    App(AppError),
}

impl ReportError {
    fn refused(status: StatusCode, detail: impl Into<String>, errors: Vec<FieldError>) -> Self {
        ReportError::Refused {
            status,
            detail: detail.into(),
            errors,
        }
    }

    /// 422 for field errors; the detail is « Ce lieu est hors de la commune. » when that is
    /// what is wrong, else it names the first field.
    pub fn invalid(what: &str, errors: Vec<FieldError>) -> Self {
        let detail = if errors.iter().any(|e| e.message == OUTSIDE_COMMUNE) {
            OUTSIDE_COMMUNE.to_owned()
        } else {
            let first = errors
                .first()
                .map(|e| format!(" ({} : {})", e.field, e.message))
                .unwrap_or_default();
            format!("{what} n’a pas été enregistré : corrigez les champs signalés{first}.")
        };
        Self::refused(StatusCode::UNPROCESSABLE_ENTITY, detail, errors)
    }
}

impl From<AppError> for ReportError {
    fn from(e: AppError) -> Self {
        ReportError::App(e)
    }
}

impl From<sqlx::Error> for ReportError {
    fn from(e: sqlx::Error) -> Self {
        ReportError::App(AppError::Internal(e.into()))
    }
}

impl IntoResponse for ReportError {
    fn into_response(self) -> Response {
        match self {
            ReportError::Refused {
                status,
                detail,
                errors,
            } => {
                let mut problem = Problem::new(
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("Error"),
                    detail,
                );
                problem.errors = errors;
                error::problem_response(&problem)
            }
            ReportError::App(e) => e.into_response(),
        }
    }
}

/// The French problem of an upload refusal.
pub fn upload_error(e: UploadError, max_photo_bytes: usize) -> ReportError {
    match e {
        UploadError::TooLarge { field } if field.starts_with("photo") || field == "media" => {
            let detail = format!(
                "La photo « {field} » dépasse {} : réduisez-la puis réessayez.",
                megabytes(max_photo_bytes)
            );
            ReportError::refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                detail.clone(),
                vec![field_error(&field, &detail)],
            )
        }
        UploadError::TooLarge { .. } => AppError::TooLarge.into(),
        UploadError::NotAnImage { field } => not_an_image(&field),
        UploadError::Malformed(detail) => AppError::BadRequest(detail).into(),
    }
}

/// The French problem of a submission refusal.
pub fn submit_error(e: SubmitError, max_pixels: u64) -> ReportError {
    match e {
        SubmitError::KeyReused => AppError::Conflict(
            "Cette clé « Idempotency-Key » a déjà servi pour un autre signalement. Utilisez une \
             nouvelle clé pour chaque signalement."
                .into(),
        )
        .into(),
        SubmitError::Photo { field, error } => match error {
            PhotoError::NotAnImage => not_an_image(&field),
            PhotoError::TooManyPixels { .. } => {
                let detail = format!(
                    "La photo « {field} » a trop de pixels (au plus {} mégapixels) : \
                     réduisez-la puis réessayez.",
                    max_pixels / 1_000_000
                );
                ReportError::refused(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    detail.clone(),
                    vec![field_error(&field, &detail)],
                )
            }
            PhotoError::Unreadable(_) => {
                let detail = format!(
                    "La photo « {field} » est abîmée ou illisible : reprenez-la puis réessayez."
                );
                ReportError::refused(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    detail.clone(),
                    vec![field_error(&field, &detail)],
                )
            }
        },
        SubmitError::Internal(e) => AppError::Internal(e).into(),
    }
}

fn not_an_image(field: &str) -> ReportError {
    let detail = format!(
        "La pièce jointe « {field} » n’est pas une photo JPEG, PNG ou WebP (d’après son contenu)."
    );
    ReportError::refused(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        detail.clone(),
        vec![field_error(field, &detail)],
    )
}

fn field_error(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    }
}

/// « 10 Mo ».
fn megabytes(bytes: usize) -> String {
    format!("{} Mo", bytes.div_ceil(1024 * 1024))
}

/// The report categories, in display order.
#[utoipa::path(
    get,
    path = "/api/v1/report-categories",
    tag = "reports",
    responses(
        (status = 200, description = "Every category, in display order", body = [ReportCategory]),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
    )
)]
pub async fn list_categories(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let body = serde_json::to_vec(&state.config.reports.wire_categories()).unwrap_or_default();
    let etag = conditional::etag_of(&body);
    conditional::respond(&headers, body, &etag, JSON)
}

/// The multipart body of `POST /api/v1/reports` (for the OpenAPI document).
#[derive(Debug, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "only describes the multipart body in the OpenAPI document"
)]
pub struct ReportUpload {
    /// The report, as JSON (`Content-Type: application/json` or none).
    report: NewReport,
    /// 0 to 3 photos (parts named `photo`, or `photo1` to `photo3`): JPEG, PNG or WebP, told
    /// by their content, 10 MB each at most.
    #[schema(value_type = Vec<String>, format = Binary)]
    photo: Vec<Vec<u8>>,
}

/// Sends a report with up to three photos.
///
/// The body is `multipart/form-data`: a `report` part (JSON) and 0 to 3 `photo` parts. The
/// `Idempotency-Key` (the outbox item's UUID) makes retries safe: the same key with the same
/// content answers the same receipt, even when the first answer was lost, and never makes a
/// second report. Photos are checked by content (JPEG, PNG or WebP), re-encoded as JPEG
/// without EXIF and served at `/media/reports/…`.
#[utoipa::path(
    post,
    path = "/api/v1/reports",
    tag = "reports",
    request_body(content = ReportUpload, content_type = "multipart/form-data"),
    params(
        ("Idempotency-Key" = String, Header, description = "Unique per report (the outbox UUID): a retry with the same key and content answers the same receipt"),
    ),
    responses(
        (status = 201, description = "Received (or received before with this Idempotency-Key)", body = ReportReceipt,
         headers(("Location" = String, description = "/api/v1/reports/{id}"))),
        (status = 400, description = "Missing or malformed Idempotency-Key, or unreadable multipart body", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The Idempotency-Key was used for a different report", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A photo over 10 MB, or a body over the limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart, or a photo that is not JPEG, PNG or WebP", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`errors`), a place outside the commune, a corrupt photo or one with too many pixels", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many new reports from this address; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_report(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ReportError> {
    let key = idempotency::required_key(&headers, "signalement")?;
    let multipart = multipart.map_err(|_| {
        ReportError::refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Envoyez le signalement en multipart/form-data : une partie « report » (JSON) et \
             jusqu’à trois parties « photo ».",
            Vec::new(),
        )
    })?;
    let config = &state.config.reports;
    let upload = upload::read(multipart, config.max_photo_bytes, |name| {
        name.starts_with("photo")
    })
    .await
    .map_err(|e| upload_error(e, config.max_photo_bytes))?;
    let submitted: NewReport = match upload.text("report") {
        None => {
            return Err(ReportError::invalid(
                "Le signalement",
                vec![field_error(
                    "report",
                    "La partie « report » (le signalement en JSON) manque.",
                )],
            ));
        }
        Some(text) => serde_json::from_str(text).map_err(|e| {
            ReportError::invalid(
                "Le signalement",
                vec![field_error(
                    "report",
                    &format!("Le signalement n’est pas un JSON valide ({e})."),
                )],
            )
        })?,
    };
    let mut fingerprint = Fingerprint::new()
        .field("category", Some(&submitted.category))
        .field("description", Some(&submitted.description))
        .field("lat", Some(&submitted.position.lat.to_string()))
        .field("lon", Some(&submitted.position.lon.to_string()))
        .field("address", submitted.address.as_deref())
        .field("email", submitted.email.as_deref())
        .field("device_id", submitted.device_id.as_deref());
    for photo in &upload.photos {
        fingerprint = fingerprint.photo(&idempotency::sha256(&photo.bytes));
    }
    let fingerprint = fingerprint.finish();

    // A retry is answered before anything else: what was accepted is never refused later.
    let replayed = submit::replay(&state.reports, &state.db, &key, &fingerprint)
        .await
        .map_err(|e| submit_error(e, config.max_photo_pixels))?;
    if let Some(outcome) = replayed {
        return Ok(receipt_response(outcome.receipt()));
    }
    state
        .reports
        .limiter
        .check(client)
        .map_err(|retry_after| AppError::RateLimited { retry_after })?;
    let bounds = Bounds::from(state.config.commune.bounds);
    let report = submitted
        .validate(upload.photos.len(), bounds, |code| {
            config.has_category(code)
        })
        .map_err(|errors| ReportError::invalid("Le signalement", errors))?;
    let submission = Submission {
        idempotency_key: key,
        fingerprint,
        source: Source::App,
        report,
        reporter_name: None,
        phone: None,
        photos: upload.photos,
    };
    let outcome = submit::submit(&state.reports, &state.db, submission)
        .await
        .map_err(|e| submit_error(e, config.max_photo_pixels))?;
    if let Outcome::Created(receipt) = &outcome {
        tracing::info!(report_id = receipt.id, "reports: new report");
    }
    Ok(receipt_response(outcome.receipt()))
}

fn receipt_response(receipt: &ReportReceipt) -> Response {
    let mut response = (StatusCode::CREATED, axum::Json(receipt)).into_response();
    let location = format!("{}/reports/{}", parvis_core::API_PREFIX, receipt.id);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Query of `GET /api/v1/reports/{id}`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenParams {
    /// The tracking token of the receipt (or of « Moi aussi »).
    pub token: Option<String>,
}

/// A report as its reporter or a supporter follows it: status, public notes and history.
#[utoipa::path(
    get,
    path = "/api/v1/reports/{id}",
    tag = "reports",
    params(("id" = i64, Path, description = "The report's id"), TokenParams),
    responses(
        (status = 200, description = "The report", body = Report),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 400, description = "No token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report, or a token that does not match it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    params: Result<Query<TokenParams>, QueryRejection>,
) -> Result<Response, ReportError> {
    let Query(params) = params.map_err(|_| {
        AppError::BadRequest("Les paramètres de la demande sont mal formés.".into())
    })?;
    let token = params
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            AppError::BadRequest(
                "Le paramètre « token » (le jeton de suivi reçu avec le signalement) est \
                 obligatoire."
                    .into(),
            )
        })?;
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    if !db::reports::is_tracked(&mut conn, id, &token_hash(token)).await? {
        return Err(not_found());
    }
    let report = db::reports::get(&mut conn, id)
        .await?
        .ok_or_else(not_found)?;
    drop(conn);
    let body = serde_json::to_vec(&report).map_err(|e| AppError::Internal(e.into()))?;
    let etag = conditional::etag_of(&body);
    Ok(private(conditional::respond(&headers, body, &etag, JSON)))
}

/// Only the token's holder may keep it: no shared cache.
fn private(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

fn not_found() -> ReportError {
    ReportError::refused(
        StatusCode::NOT_FOUND,
        "Ce signalement est introuvable, ou son jeton de suivi ne correspond pas.",
        Vec::new(),
    )
}

/// « Mes signalements »: the reports whose tokens the app keeps, in one request.
#[utoipa::path(
    post,
    path = "/api/v1/reports/status",
    tag = "reports",
    request_body = [ReportTracker],
    responses(
        (status = 200, description = "The reports whose token matches, in the order asked; the others in `not_found`", body = ReportStatuses),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "More than 200 reports", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn report_statuses(
    State(state): State<AppState>,
    ApiJson(trackers): ApiJson<Vec<ReportTracker>>,
) -> Result<Response, ReportError> {
    if trackers.len() > MAX_TRACKED {
        return Err(ReportError::invalid(
            "La demande",
            vec![field_error(
                "[]",
                &format!("Au plus {MAX_TRACKED} signalements par demande."),
            )],
        ));
    }
    let mut conn = state.db.acquire().await?;
    let mut found = Vec::new();
    let mut not_found = Vec::new();
    for tracker in &trackers {
        if found.contains(&tracker.id) || not_found.contains(&tracker.id) {
            continue;
        }
        if db::reports::is_tracked(&mut conn, tracker.id, &token_hash(tracker.token.trim())).await?
        {
            found.push(tracker.id);
        } else {
            not_found.push(tracker.id);
        }
    }
    let items = db::reports::load(&mut conn, &found).await?;
    let answer = ReportStatuses { items, not_found };
    Ok(private(
        (StatusCode::OK, axum::Json(answer)).into_response(),
    ))
}

/// Query of `GET /api/v1/reports/nearby`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NearbyParams {
    pub lat: Option<String>,
    pub lon: Option<String>,
    /// A category's `service_code`.
    pub category: Option<String>,
}

/// Open reports of the same category near a place (250 m by default, nearest first, 20 at
/// most), so that a resident can say « Moi aussi » instead of reporting twice. Public fields
/// only.
#[utoipa::path(
    get,
    path = "/api/v1/reports/nearby",
    tag = "reports",
    params(NearbyParams),
    responses(
        (status = 200, description = "Open reports nearby, nearest first", body = [NearbyReport]),
        (status = 400, description = "Missing or malformed lat, lon or category", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown category, or a place outside the commune", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn nearby_reports(
    State(state): State<AppState>,
    params: Result<Query<NearbyParams>, QueryRejection>,
) -> Result<Response, ReportError> {
    let Query(params) = params.map_err(|_| {
        AppError::BadRequest("Les paramètres de la demande sont mal formés.".into())
    })?;
    let number = |name: &str, value: Option<&str>| {
        value
            .and_then(|v| v.trim().parse::<f64>().ok())
            .ok_or_else(|| {
                ReportError::from(AppError::BadRequest(format!(
                    "Le paramètre « {name} » est obligatoire et doit être un nombre décimal."
                )))
            })
    };
    let place = LatLon {
        lat: number("lat", params.lat.as_deref())?,
        lon: number("lon", params.lon.as_deref())?,
    };
    let category = params
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| AppError::BadRequest("Le paramètre « category » est obligatoire.".into()))?;
    let config = &state.config.reports;
    let mut errors = Vec::new();
    if !config.has_category(category) {
        errors.push(field_error(
            "category",
            "Cette catégorie n’existe pas. Consultez /api/v1/report-categories.",
        ));
    }
    if !place.is_valid() {
        errors.push(field_error("lat", "La position n’est pas valide."));
    } else if !Bounds::from(state.config.commune.bounds).contains(place) {
        errors.push(field_error("lat", OUTSIDE_COMMUNE));
    }
    if !errors.is_empty() {
        return Err(ReportError::invalid("La recherche", errors));
    }

    let radius = f64::from(config.nearby_meters);
    // A box around the place narrows the search in SQL; the exact distance decides.
    let dlat = radius / 111_320.0;
    let dlon = radius / (111_320.0 * place.lat.to_radians().cos().max(0.01));
    let mut conn = state.db.acquire().await?;
    let candidates = db::reports::open_in_box(
        &mut conn,
        category,
        LatLon {
            lat: place.lat - dlat,
            lon: place.lon - dlon,
        },
        LatLon {
            lat: place.lat + dlat,
            lon: place.lon + dlon,
        },
    )
    .await?;
    let mut near: Vec<(i64, f64)> = candidates
        .into_iter()
        .map(|(id, position)| (id, place.distance_m(position)))
        .filter(|(_, d)| *d <= radius)
        .collect();
    near.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    near.truncate(MAX_NEARBY);
    let ids: Vec<i64> = near.iter().map(|(id, _)| *id).collect();
    let reports = db::reports::load(&mut conn, &ids).await?;
    drop(conn);
    let answer: Vec<NearbyReport> = reports
        .into_iter()
        .zip(near)
        .map(|(r, (_, distance))| NearbyReport {
            id: r.id,
            category: r.category,
            description: r.description,
            position: r.position,
            address: r.address,
            status: r.status,
            // Rounded to the metre; a commune is far smaller than u32::MAX metres.
            distance_m: distance.round() as u32,
            supporters: r.supporters,
            created_at: r.created_at,
            thumbnail_url: r.photos.first().map(|p| p.thumbnail_url.clone()),
        })
        .collect();
    Ok((StatusCode::OK, axum::Json(answer)).into_response())
}

/// « Moi aussi »: counts the caller as one more resident concerned by an open report, once per
/// device (or per `Idempotency-Key` without a device id), and gives a token to follow it.
#[utoipa::path(
    post,
    path = "/api/v1/reports/{id}/support",
    tag = "reports",
    request_body(content = Option<NewSupport>, description = "Optional: the device id, so that a device counts once whatever its keys"),
    params(
        ("id" = i64, Path, description = "The report's id"),
        ("Idempotency-Key" = String, Header, description = "Unique per support: a retry counts nothing more"),
    ),
    responses(
        (status = 200, description = "Counted (or counted before): a token to follow the report", body = SupportReceipt),
        (status = 400, description = "Missing Idempotency-Key or malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The report is closed, or it is the caller's own", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid device id", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many new supports from this address (`Retry-After` says when to come back); a support already counted is always answered", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn support_report(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ReportError> {
    let key = idempotency::required_key(&headers, "soutien")?;
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let support: NewSupport = if body.iter().all(u8::is_ascii_whitespace) {
        NewSupport::default()
    } else {
        serde_json::from_slice(&body).map_err(|_| {
            AppError::BadRequest(
                "Le corps de la demande doit être vide ou un objet JSON {\"device_id\": …}.".into(),
            )
        })?
    };
    let device = support
        .device_id
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if let Some(device) = device
        && (device.chars().count() > MAX_DEVICE_ID_CHARS
            || !device.bytes().all(|b| b.is_ascii_graphic()))
    {
        return Err(ReportError::invalid(
            "Le soutien",
            vec![field_error(
                "device_id",
                &format!(
                    "L’identifiant de l’appareil fait 1 à {MAX_DEVICE_ID_CHARS} caractères ASCII \
                     visibles."
                ),
            )],
        ));
    }
    let supporter = match device {
        Some(device) => format!("device:{device}"),
        None => format!("key:{key}"),
    };

    let mut tx = db::reports::begin_write(&state.db).await?;
    let report = db::reports::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(device) = device
        && db::reports::device_of(&mut tx, id).await?.as_deref() == Some(device)
    {
        return Err(AppError::Conflict(
            "C’est votre propre signalement : vous le suivez déjà.".into(),
        )
        .into());
    }
    let token = state.reports.tokens.supporter_token(id, &supporter);
    let known = db::reports::is_tracked(&mut tx, id, &token_hash(&token)).await?;
    // A retry of a support already given is answered before the limit, like a report's.
    if !known {
        state
            .reports
            .support_limiter
            .check(client)
            .map_err(|retry_after| AppError::RateLimited { retry_after })?;
    }
    let now = timestamp(Utc::now());
    let counted = if report.status.is_open() {
        db::reports::add_support(&mut tx, id, &supporter, &now).await?
    } else {
        false
    };
    if !report.status.is_open() && !counted {
        // A support given while the report was open still answers its token.
        if !known {
            let detail = match (report.status, report.duplicate_of) {
                (ReportStatus::Duplicate, Some(original)) => format!(
                    "Ce signalement est un doublon : soutenez plutôt le signalement n° {original}."
                ),
                _ => "Ce signalement est clos : il n’attend plus de soutien.".to_owned(),
            };
            return Err(AppError::Conflict(detail).into());
        }
    }
    db::reports::insert_tracker(&mut tx, id, &token_hash(&token), "supporter", &now).await?;
    tx.commit().await?;
    let supporters = report.supporters + u32::from(counted);
    if counted {
        tracing::info!(report_id = id, supporters, "reports: one more supporter");
    }
    let receipt = SupportReceipt {
        report_id: id,
        token,
        supporters,
    };
    Ok((StatusCode::OK, axum::Json(receipt)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_the_commune_is_the_detail_itself() {
        let ReportError::Refused { status, detail, .. } = ReportError::invalid(
            "Le signalement",
            vec![
                field_error("description", "x"),
                field_error("position", OUTSIDE_COMMUNE),
            ],
        ) else {
            panic!("a refusal");
        };
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(detail, OUTSIDE_COMMUNE);
        let ReportError::Refused { detail, .. } = ReportError::invalid(
            "Le signalement",
            vec![field_error("category", "Choisissez.")],
        ) else {
            panic!("a refusal");
        };
        assert!(detail.contains("(category : Choisissez.)"), "{detail}");
        assert_eq!(megabytes(10 * 1024 * 1024), "10 Mo");
    }
}
