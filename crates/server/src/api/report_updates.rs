//! `POST /api/v1/reports/{id}/updates`: town-hall tools change a report's status (with a
//! public note, a planned date, the original of a duplicate) with a bearer key from
//! `reports.agent_keys`; each change joins the report's history, which its reporter, its
//! supporters and Open311 clients read.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use parvis_core::problem::FieldError;
use parvis_core::{NewStatusChange, Problem, Report};

use super::reports::ReportError;
use crate::agenda::times::timestamp;
use crate::api::news_publish::{KeyCheck, check_bearer, unauthorized};
use crate::db;
use crate::error::{self, ApiJson, AppError};
use crate::state::AppState;

/// A request carrying one of `reports.agent_keys` as its bearer token.
#[derive(Debug, Clone, Copy)]
pub struct Agent;

/// Why a request is not an agent's.
#[derive(Debug, Clone, Copy)]
pub enum AgentRejection {
    /// `reports.agent_keys` is empty (403).
    Disabled,
    /// No bearer key, or not one of `reports.agent_keys` (401).
    Unauthorized { key_given: bool },
}

impl IntoResponse for AgentRejection {
    fn into_response(self) -> Response {
        match self {
            AgentRejection::Disabled => error::problem_response(&Problem::new(
                403,
                "Forbidden",
                "Le suivi des signalements par l’API n’est pas activé.",
            )),
            AgentRejection::Unauthorized { key_given } => unauthorized(
                "Une clé d’agent valide est nécessaire (en-tête « Authorization: Bearer … »).",
                key_given,
            ),
        }
    }
}

impl FromRequestParts<AppState> for Agent {
    type Rejection = AgentRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match check_bearer(&parts.headers, &state.config.reports.agent_keys) {
            KeyCheck::Valid => Ok(Agent),
            KeyCheck::Disabled => Err(AgentRejection::Disabled),
            KeyCheck::Refused { key_given } => Err(AgentRejection::Unauthorized { key_given }),
        }
    }
}

/// Changes a report's status; the same change sent twice in a row is recorded once.
#[utoipa::path(
    post,
    path = "/api/v1/reports/{id}/updates",
    tag = "reports",
    request_body = NewStatusChange,
    params(("id" = i64, Path, description = "The report's id")),
    security(("agent_key" = [])),
    responses(
        (status = 201, description = "Recorded; the report as residents now see it", body = Report),
        (status = 200, description = "The same change as the last one: nothing new recorded", body = Report),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or unknown agent key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Status changes through the API are not enabled", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid change, listed in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_report_status(
    _: Agent,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(submitted): ApiJson<NewStatusChange>,
) -> Result<Response, ReportError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let change = submitted
        .validate(id)
        .map_err(|errors| ReportError::invalid("Le changement d’état", errors))?;
    let mut tx = db::reports::begin_write(&state.db).await?;
    let report = db::reports::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(original) = change.duplicate_of
        && db::reports::status_of(&mut tx, original).await?.is_none()
    {
        return Err(ReportError::invalid(
            "Le changement d’état",
            vec![FieldError {
                field: "duplicate_of".into(),
                message: format!("Le signalement n° {original} n’existe pas."),
            }],
        ));
    }
    let same_as_last = report.history.last().is_some_and(|last| {
        last.status == change.status
            && last.note == change.note
            && last.scheduled_for == change.scheduled_for
            && last.duplicate_of == change.duplicate_of
    });
    // A retried request must not add a second, identical entry to the history.
    let status = if same_as_last {
        StatusCode::OK
    } else {
        db::reports::change_status(&mut tx, id, &change, &timestamp(Utc::now())).await?;
        StatusCode::CREATED
    };
    let report = db::reports::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    if status == StatusCode::CREATED {
        tracing::info!(
            report_id = id,
            status = change.status.slug(),
            "reports: status changed"
        );
    }
    Ok((status, axum::Json(report)).into_response())
}
