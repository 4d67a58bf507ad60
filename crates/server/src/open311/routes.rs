//! The Open311 handlers: `discovery`, `services`, `services/{code}`, `requests` (GET with the
//! specification's filters; POST form-encoded, or multipart with photos as FixMyStreet sends
//! them: `photo1`…`photoN`, or `media`), `requests/{id}` and `servicerequestupdates`.

use std::collections::HashMap;

use axum::Form;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use parvis_core::{Bounds, LatLon, NewReport, Report, ReportStatus};

use super::xml::{
    self, Discovery, Endpoint, PostedRequest, RequestUpdate, Service, ServiceDefinition,
    ServiceRequest,
};
use super::{Format, Open311Error, PREFIX, SPECIFICATION};
use crate::agenda::times::{local_midnight, timestamp};
use crate::api::news_publish::key_matches;
use crate::db;
use crate::feeds::news::base_url;
use crate::reports::idempotency::{self, Fingerprint};
use crate::reports::photos::PhotoError;
use crate::reports::rate_limit::ClientIp;
use crate::reports::submit::{self, Source, Submission, SubmitError};
use crate::reports::upload::{self, Upload, UploadError};
use crate::state::AppState;

/// Longest span of `GET requests` (the specification's 90 days).
pub const MAX_SPAN_DAYS: i64 = 90;
/// Most requests or updates in one answer.
pub const MAX_RESULTS: i64 = 1000;

type Params = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// `GET /open311/v2/{resource}`: `discovery`, `services`, `requests` or
/// `servicerequestupdates`, each `.xml` or `.json`.
pub async fn get_resource(
    State(state): State<AppState>,
    Path(resource): Path<String>,
    headers: HeaderMap,
    params: Params,
) -> Response {
    let Some((name, format)) = Format::split(&resource) else {
        return unsupported_format();
    };
    let params = match params {
        Ok(Query(params)) => params,
        Err(_) => {
            return Open311Error::bad_request(format, "Malformed query string").into_response();
        }
    };
    let answer = match name {
        "discovery" => Ok(discovery(&state, &headers, format)),
        "services" => Ok(services(&state, format)),
        "requests" => list_requests(&state, &headers, format, &params).await,
        "servicerequestupdates" => list_updates(&state, &headers, format, &params).await,
        _ => Err(Open311Error::not_found(format, "Resource")),
    };
    answer.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /open311/v2/requests(.xml|.json)`: a new service request.
pub async fn post_resource(
    State(state): State<AppState>,
    client: ClientIp,
    Path(resource): Path<String>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let Some((name, format)) = Format::split(&resource) else {
        return unsupported_format();
    };
    if name != "requests" {
        let mut response = Open311Error::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format,
            "Only requests can be posted",
        )
        .into_response();
        // The route takes POST for `requests` only: the other resources are read-only.
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    create_request(&state, client, format, &headers, request)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// `GET /open311/v2/services/{code}(.xml|.json)`: the definition of a service (none has extra
/// attributes).
pub async fn get_service(State(state): State<AppState>, Path(resource): Path<String>) -> Response {
    let Some((code, format)) = Format::split(&resource) else {
        return unsupported_format();
    };
    if !state.config.reports.has_category(code) {
        return Open311Error::not_found(format, "Service").into_response();
    }
    xml::render_service_definition(
        format,
        &ServiceDefinition {
            service_code: code.to_owned(),
            attributes: Vec::new(),
        },
    )
    .into_response()
}

/// `GET /open311/v2/requests/{id}(.xml|.json)`: one service request (a list of one).
pub async fn get_request(
    State(state): State<AppState>,
    Path(resource): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((id, format)) = Format::split(&resource) else {
        return unsupported_format();
    };
    let answer = async {
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| Open311Error::not_found(format, "Service request"))?;
        let mut conn = state.db.acquire().await.map_err(|e| internal(format, e))?;
        let report = db::reports::get(&mut conn, id)
            .await
            .map_err(|e| internal(format, e))?
            .ok_or_else(|| Open311Error::not_found(format, "Service request"))?;
        let base = base_url(&state, &headers);
        Ok::<_, Open311Error>(
            xml::render_requests(format, &[service_request(&state, &base, &report)])
                .into_response(),
        )
    };
    answer.await.unwrap_or_else(IntoResponse::into_response)
}

/// Any other path under `/open311/v2`: the specification's 404.
pub async fn not_found() -> Response {
    Open311Error::not_found(Format::Xml, "Resource").into_response()
}

/// A known path with the wrong method.
pub async fn method_not_allowed() -> Response {
    Open311Error::new(
        StatusCode::METHOD_NOT_ALLOWED,
        Format::Xml,
        "Method not allowed",
    )
    .into_response()
}

fn unsupported_format() -> Response {
    Open311Error::bad_request(Format::Xml, "Unsupported format: use .xml or .json").into_response()
}

fn internal(format: Format, e: impl Into<anyhow::Error>) -> Open311Error {
    Open311Error::internal(format, &e.into())
}

fn discovery(state: &AppState, headers: &HeaderMap, format: Format) -> Response {
    let base = base_url(state, headers);
    let changeset = state.reports.started_at.clone();
    let commune = &state.config.commune;
    let contact = match &commune.website {
        Some(site) => format!("{} — {site}", commune.name),
        None => commune.name.clone(),
    };
    let document = Discovery {
        changeset: changeset.clone(),
        contact,
        key_service: format!(
            "Ask {} for an api_key to post service requests; reading needs none.",
            commune.name
        ),
        endpoints: vec![Endpoint {
            specification: SPECIFICATION.into(),
            url: format!("{base}{PREFIX}"),
            changeset,
            kind: "production".into(),
            formats: vec!["text/xml".into(), "application/json".into()],
        }],
    };
    xml::render_discovery(format, &document).into_response()
}

fn services(state: &AppState, format: Format) -> Response {
    let services: Vec<Service> = state
        .config
        .reports
        .categories
        .iter()
        .map(|c| Service {
            service_code: c.service_code.clone(),
            service_name: c.name.clone(),
            description: c.description.clone(),
            metadata: false,
            kind: "realtime".into(),
            keywords: c.keywords.join(","),
            group: c.group.clone(),
        })
        .collect();
    xml::render_services(format, &services).into_response()
}

/// The public side of a report, as a service request.
fn service_request(state: &AppState, base: &str, report: &Report) -> ServiceRequest {
    let reports = &state.config.reports;
    let tz = state.config.commune.tz();
    ServiceRequest {
        service_request_id: report.id.to_string(),
        status: report.status.open311_status().into(),
        status_notes: report.status_note.clone(),
        service_name: reports
            .category(&report.category)
            .map_or_else(|| report.category.clone(), |c| c.name.clone()),
        service_code: report.category.clone(),
        description: report.description.clone(),
        agency_responsible: state.config.commune.name.clone(),
        service_notice: None,
        requested_datetime: report.created_at.clone(),
        updated_datetime: report.updated_at.clone(),
        expected_datetime: report
            .scheduled_for
            .as_deref()
            .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
            .map(|day| timestamp(local_midnight(tz, day))),
        address: report.address.clone(),
        address_id: None,
        zipcode: None,
        lat: report.position.lat,
        long: report.position.lon,
        media_url: report.photos.first().map(|p| format!("{base}{}", p.url)),
    }
}

/// The values of `name` in the query, split on commas (the specification's lists).
fn list_param(params: &[(String, String)], name: &str) -> Vec<String> {
    params
        .iter()
        .filter(|(k, _)| k == name)
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

fn single_param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A W3C date-time (`2026-03-01T09:30:00Z`, `…+01:00`) or a date (midnight, commune time).
fn parse_when(
    state: &AppState,
    format: Format,
    name: &str,
    text: &str,
) -> Result<DateTime<Utc>, Open311Error> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|day| local_midnight(state.config.commune.tz(), day))
        .map_err(|_| {
            Open311Error::bad_request(
                format,
                format!("{name} must be a W3C date-time such as 2026-03-01T00:00:00Z"),
            )
        })
}

/// `start_date`/`end_date` (defaults: the last 90 days; at most 90 days apart).
fn window(
    state: &AppState,
    format: Format,
    params: &[(String, String)],
    max_span: Option<i64>,
) -> Result<(String, String), Open311Error> {
    let start = single_param(params, "start_date")
        .map(|t| parse_when(state, format, "start_date", t))
        .transpose()?;
    let end = single_param(params, "end_date")
        .map(|t| parse_when(state, format, "end_date", t))
        .transpose()?;
    let span = Duration::days(max_span.unwrap_or(MAX_SPAN_DAYS));
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, Utc::now().min(s + span)),
        (None, Some(e)) => (e - span, e),
        (None, None) => {
            let now = Utc::now();
            (now - span, now)
        }
    };
    if end < start {
        return Err(Open311Error::bad_request(
            format,
            "end_date must not be before start_date",
        ));
    }
    if max_span.is_some() && end - start > span {
        return Err(Open311Error::bad_request(
            format,
            format!("start_date and end_date may not span more than {MAX_SPAN_DAYS} days"),
        ));
    }
    let text = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    Ok((text(start), text(end)))
}

/// `GET requests`: by `service_request_id` (a list, which overrides the rest), else by
/// `service_code`, `start_date`/`end_date` and `status` (`open`, `closed`), newest first.
async fn list_requests(
    state: &AppState,
    headers: &HeaderMap,
    format: Format,
    params: &[(String, String)],
) -> Result<Response, Open311Error> {
    let wanted = list_param(params, "service_request_id");
    let mut conn = state.db.acquire().await.map_err(|e| internal(format, e))?;
    let ids: Vec<i64> = if wanted.is_empty() {
        let mut statuses = Vec::new();
        for status in list_param(params, "status") {
            match status.to_ascii_lowercase().as_str() {
                "open" => statuses.extend(ReportStatus::ALL.into_iter().filter(|s| s.is_open())),
                "closed" => statuses.extend(ReportStatus::ALL.into_iter().filter(|s| !s.is_open())),
                _ => {
                    return Err(Open311Error::bad_request(
                        format,
                        "status must be open or closed",
                    ));
                }
            }
        }
        let (from, to) = window(state, format, params, Some(MAX_SPAN_DAYS))?;
        let filter = db::reports::Filter {
            from,
            to,
            categories: list_param(params, "service_code"),
            statuses,
            limit: MAX_RESULTS,
        };
        db::reports::search(&mut conn, &filter)
            .await
            .map_err(|e| internal(format, e))?
    } else {
        wanted
            .iter()
            .filter_map(|id| id.parse().ok())
            .take(usize::try_from(MAX_RESULTS).unwrap_or(usize::MAX))
            .collect()
    };
    let reports = db::reports::load(&mut conn, &ids)
        .await
        .map_err(|e| internal(format, e))?;
    drop(conn);
    let base = base_url(state, headers);
    let requests: Vec<ServiceRequest> = reports
        .iter()
        .map(|r| service_request(state, &base, r))
        .collect();
    Ok(xml::render_requests(format, &requests).into_response())
}

/// mySociety's `GET servicerequestupdates`: status changes between `start_date` and
/// `end_date` (default: the last 90 days), oldest first.
async fn list_updates(
    state: &AppState,
    _headers: &HeaderMap,
    format: Format,
    params: &[(String, String)],
) -> Result<Response, Open311Error> {
    let (from, to) = window(state, format, params, None)?;
    let mut conn = state.db.acquire().await.map_err(|e| internal(format, e))?;
    let rows = db::reports::updates(&mut conn, &from, &to, MAX_RESULTS)
        .await
        .map_err(|e| internal(format, e))?;
    let updates: Vec<RequestUpdate> = rows
        .into_iter()
        .map(|u| RequestUpdate {
            update_id: u.id.to_string(),
            service_request_id: u.report_id.to_string(),
            status: u.status.mysociety_status().into(),
            updated_datetime: u.at,
            description: u.note.unwrap_or_default(),
            media_url: None,
            external_status_code: u.status.slug().into(),
        })
        .collect();
    Ok(xml::render_updates(format, &updates).into_response())
}

/// Whether a multipart part is a photo as Open311 clients name them: `media` (the common
/// extension), `media[]`, or `photo`, `photo1`… (FixMyStreet).
fn is_open311_photo(name: &str) -> bool {
    name == "media"
        || name == "media[]"
        || name
            .strip_prefix("photo")
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
}

async fn create_request(
    state: &AppState,
    ClientIp(client): ClientIp,
    format: Format,
    headers: &HeaderMap,
    request: Request,
) -> Result<Response, Open311Error> {
    let config = &state.config.reports;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let upload = if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(|_| Open311Error::bad_request(format, "Unreadable multipart body"))?;
        upload::read(multipart, config.max_photo_bytes, is_open311_photo)
            .await
            .map_err(|e| upload_error(format, e, config.max_photo_bytes))?
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let Form(texts) = Form::<Vec<(String, String)>>::from_request(request, &())
            .await
            .map_err(|_| Open311Error::bad_request(format, "Unreadable form body"))?;
        Upload {
            texts,
            photos: Vec::new(),
        }
    } else {
        return Err(Open311Error::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format,
            "Send application/x-www-form-urlencoded or multipart/form-data",
        ));
    };
    let fields: HashMap<&str, &str> = upload
        .texts
        .iter()
        .rev() // the first value of a repeated field wins
        .map(|(k, v)| (k.as_str(), v.trim()))
        .filter(|(_, v)| !v.is_empty())
        .collect();

    if config.open311_keys.is_empty() {
        return Err(Open311Error::new(
            StatusCode::FORBIDDEN,
            format,
            "This endpoint does not accept service requests",
        ));
    }
    match fields.get("api_key") {
        Some(key) if key_matches(key, &config.open311_keys) => {}
        _ => {
            return Err(Open311Error::new(
                StatusCode::FORBIDDEN,
                format,
                "Invalid api_key",
            ));
        }
    }
    let key = idempotency::optional_key(headers).map_err(|_| {
        Open311Error::bad_request(
            format,
            "Idempotency-Key must be 1 to 200 visible ASCII characters",
        )
    })?;

    let mut missing = Vec::new();
    let service_code = fields.get("service_code").copied();
    if service_code.is_none() {
        missing.push("service_code is required".to_owned());
    }
    let coordinate = |name: &str| fields.get(name).and_then(|v| v.parse::<f64>().ok());
    let (lat, long) = (coordinate("lat"), coordinate("long"));
    if lat.is_none() || long.is_none() {
        missing.push(
            "lat and long are required (WGS84 decimal degrees); address_string alone is not \
             geocoded"
                .to_owned(),
        );
    }
    let (Some(service_code), Some(lat), Some(lon)) = (service_code, lat, long) else {
        return Err(Open311Error {
            status: StatusCode::BAD_REQUEST,
            format,
            descriptions: missing,
            retry_after: None,
        });
    };
    let text = |name: &str| fields.get(name).map(|v| (*v).to_owned());
    let reporter_name = [fields.get("first_name"), fields.get("last_name")]
        .into_iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let submitted = NewReport {
        category: service_code.to_owned(),
        description: text("description").unwrap_or_default(),
        position: LatLon { lat, lon },
        address: text("address_string"),
        email: text("email"),
        device_id: text("device_id"),
    };
    let phone = text("phone");
    let mut fingerprint = Fingerprint::new();
    for name in [
        "service_code",
        "lat",
        "long",
        "description",
        "address_string",
        "email",
        "device_id",
        "first_name",
        "last_name",
        "phone",
    ] {
        fingerprint = fingerprint.field(name, fields.get(name).copied());
    }
    for photo in &upload.photos {
        fingerprint = fingerprint.photo(&idempotency::sha256(&photo.bytes));
    }
    let fingerprint = fingerprint.finish();
    if fields.contains_key("media_url") {
        // A remote photo is not fetched: only photos sent with the request are re-encoded
        // and kept.
        tracing::debug!("open311: media_url ignored");
    }

    if let Some(key) = &key {
        let replayed = submit::replay(&state.reports, &state.db, key, &fingerprint)
            .await
            .map_err(|e| submit_error(format, e, config.max_photo_pixels))?;
        if let Some(outcome) = replayed {
            return Ok(posted(format, outcome.receipt().id));
        }
    }
    state
        .reports
        .limiter
        .check(client)
        .map_err(|retry_after| Open311Error {
            retry_after: Some(retry_after),
            ..Open311Error::new(
                StatusCode::TOO_MANY_REQUESTS,
                format,
                "Too many service requests from this address; try again later",
            )
        })?;
    let bounds = Bounds::from(state.config.commune.bounds);
    let report = submitted
        .validate(upload.photos.len(), bounds, |code| {
            config.has_category(code)
        })
        .map_err(|errors| Open311Error {
            status: StatusCode::BAD_REQUEST,
            format,
            descriptions: errors
                .iter()
                .map(|e| format!("{}: {}", open311_field(&e.field), e.message))
                .collect(),
            retry_after: None,
        })?;
    let submission = Submission {
        idempotency_key: key.unwrap_or_else(|| format!("open311:{}", uuid::Uuid::new_v4())),
        fingerprint,
        source: Source::Open311,
        report,
        reporter_name: Some(reporter_name).filter(|n| !n.is_empty()),
        phone,
        photos: upload.photos,
    };
    let outcome = submit::submit(&state.reports, &state.db, submission)
        .await
        .map_err(|e| submit_error(format, e, config.max_photo_pixels))?;
    tracing::info!(
        report_id = outcome.receipt().id,
        "open311: new service request"
    );
    Ok(posted(format, outcome.receipt().id))
}

/// Open311's name of a [`NewReport`] field.
fn open311_field(field: &str) -> &str {
    match field {
        "category" => "service_code",
        "position" => "lat/long",
        "address" => "address_string",
        "photo" => "media",
        other => other,
    }
}

fn posted(format: Format, id: i64) -> Response {
    xml::render_posted(
        format,
        &[PostedRequest {
            service_request_id: id.to_string(),
            service_notice: None,
            account_id: None,
        }],
    )
    .into_response()
}

fn upload_error(format: Format, e: UploadError, max_photo_bytes: usize) -> Open311Error {
    match e {
        UploadError::TooLarge { field } => Open311Error::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format,
            format!("{field}: larger than {max_photo_bytes} bytes"),
        ),
        UploadError::NotAnImage { field } => Open311Error::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format,
            format!("{field}: not a JPEG, PNG or WebP image"),
        ),
        UploadError::Malformed(detail) => Open311Error::bad_request(format, detail),
    }
}

fn submit_error(format: Format, e: SubmitError, max_pixels: u64) -> Open311Error {
    match e {
        SubmitError::KeyReused => Open311Error::new(
            StatusCode::CONFLICT,
            format,
            "This Idempotency-Key was used for another service request",
        ),
        SubmitError::Photo { field, error } => match error {
            PhotoError::NotAnImage => Open311Error::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format,
                format!("{field}: not a JPEG, PNG or WebP image"),
            ),
            PhotoError::TooManyPixels { .. } => Open311Error::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format,
                format!("{field}: more than {max_pixels} pixels"),
            ),
            PhotoError::Unreadable(_) => Open311Error::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format,
                format!("{field}: corrupt or unreadable image"),
            ),
        },
        SubmitError::Internal(e) => Open311Error::internal(format, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_told_by_the_names_open311_clients_use() {
        for name in ["media", "media[]", "photo", "photo1", "photo12"] {
            assert!(is_open311_photo(name), "{name}");
        }
        for name in ["photos", "photo_1", "description", "mediafile"] {
            assert!(!is_open311_photo(name), "{name}");
        }
    }

    #[test]
    fn list_parameters_are_comma_separated() {
        let params = vec![
            ("status".to_owned(), "open, closed".to_owned()),
            ("status".to_owned(), "".to_owned()),
            ("service_code".to_owned(), "voirie".to_owned()),
        ];
        assert_eq!(list_param(&params, "status"), ["open", "closed"]);
        assert_eq!(single_param(&params, "service_code"), Some("voirie"));
        assert_eq!(single_param(&params, "start_date"), None);
    }
}
