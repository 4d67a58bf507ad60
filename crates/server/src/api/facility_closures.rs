//! `PUT /api/v1/facilities/{id}/closures`: town-hall tools set a facility's exceptional
//! closures (works, annual maintenance…) with a bearer key from `facilities.edit_keys`. The
//! change moves the facility to the end of the change counter, so the next `since` sync of
//! every phone brings it.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use parvis_core::problem::FieldError;
use parvis_core::{Closure, ExceptionalClosure, Facility, HoursError, Problem};
use serde::Deserialize;

use crate::agenda::times::timestamp;
use crate::api::agenda::{date_text, today};
use crate::api::facilities::{drop_past_closures, find};
use crate::api::news_publish::{KeyCheck, check_bearer, unauthorized};
use crate::db;
use crate::error::{self, ApiJson, AppError};
use crate::state::AppState;

/// Most closures a facility may have.
pub const MAX_CLOSURES: usize = 100;
/// Longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// Why an edit was refused.
#[derive(Debug)]
pub enum EditError {
    /// `facilities.edit_keys` is empty (403).
    Disabled,
    /// No bearer key, or not one of `facilities.edit_keys` (401).
    Unauthorized {
        key_given: bool,
    },
    /// Field errors (422); `detail` names the first.
    Invalid(Vec<FieldError>),
    App(AppError),
}

impl From<AppError> for EditError {
    fn from(e: AppError) -> Self {
        EditError::App(e)
    }
}

impl From<sqlx::Error> for EditError {
    fn from(e: sqlx::Error) -> Self {
        EditError::App(AppError::Internal(e.into()))
    }
}

impl IntoResponse for EditError {
    fn into_response(self) -> Response {
        let problem = |status: StatusCode, detail: &str| {
            Problem::new(
                status.as_u16(),
                status.canonical_reason().unwrap_or("Error"),
                detail,
            )
        };
        match self {
            EditError::Disabled => error::problem_response(&problem(
                StatusCode::FORBIDDEN,
                "La modification des équipements par l’API n’est pas activée.",
            )),
            EditError::Unauthorized { key_given } => unauthorized(
                "Une clé de modification valide est nécessaire \
                 (en-tête « Authorization: Bearer … »).",
                key_given,
            ),
            EditError::Invalid(errors) => {
                let first = errors
                    .first()
                    .map(|e| format!(" ({} : {})", e.field, e.message))
                    .unwrap_or_default();
                let mut p = problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &format!(
                        "Les fermetures n’ont pas été enregistrées : corrigez les champs \
                         signalés{first}."
                    ),
                );
                p.errors = errors;
                error::problem_response(&p)
            }
            EditError::App(e) => e.into_response(),
        }
    }
}

/// A request carrying one of `facilities.edit_keys` as its bearer token.
#[derive(Debug, Clone, Copy)]
pub struct Editor;

impl FromRequestParts<AppState> for Editor {
    type Rejection = EditError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match check_bearer(&parts.headers, &state.config.facilities.edit_keys) {
            KeyCheck::Valid => Ok(Editor),
            KeyCheck::Disabled => Err(EditError::Disabled),
            KeyCheck::Refused { key_given } => Err(EditError::Unauthorized { key_given }),
        }
    }
}

/// One closure as sent; `reason` is checked here rather than by serde, for a French message.
#[derive(Debug, Clone, Deserialize)]
pub struct ClosureInput {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub reason: String,
}

/// Replaces the exceptional closures of a facility (town-hall tools). Requires
/// `Authorization: Bearer <key>` (a key of `facilities.edit_keys`). The body is the whole list,
/// `[]` to remove every closure; dates are `YYYY-MM-DD`, `to` inclusive. Closures already
/// over are accepted and kept, but no longer listed. Sending the same list again changes nothing.
#[utoipa::path(
    put,
    path = "/api/v1/facilities/{id}/closures",
    tag = "facilities",
    request_body = [Closure],
    params(("id" = i64, Path, description = "The facility's id")),
    security(("edit_key" = [])),
    responses(
        (status = 200, description = "Saved; the facility as now listed", body = Facility),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or unknown edit key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Editing through the API is not enabled", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such facility", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid closures, listed in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_closures(
    _: Editor,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(submitted): ApiJson<Vec<ClosureInput>>,
) -> Result<Response, EditError> {
    let closures = validate(&submitted).map_err(EditError::Invalid)?;
    let stored = find(&state, &id).await?;
    let mut sorted = closures.clone();
    sorted.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
    // PUT is idempotent: the same list again bumps no change counter.
    if sorted != stored.facility.closures {
        let mut tx = db::facilities::begin_write(&state.db).await?;
        let now = timestamp(Utc::now());
        if !db::facilities::set_closures(&mut tx, stored.facility.id, &sorted, &now).await? {
            return Err(AppError::NotFound.into());
        }
        tx.commit().await?;
        tracing::info!(
            facility_id = stored.facility.id,
            closures = sorted.len(),
            "facilities: closures updated through the API"
        );
    }
    let mut facility = find(&state, &id).await?.facility;
    drop_past_closures(&mut facility, &date_text(today(&state)));
    Ok((StatusCode::OK, axum::Json(facility)).into_response())
}

/// Each closure checked with the rules of opening hours; every error is listed.
pub fn validate(submitted: &[ClosureInput]) -> Result<Vec<Closure>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if submitted.len() > MAX_CLOSURES {
        errors.push(FieldError {
            field: "closures".into(),
            message: format!("Au plus {MAX_CLOSURES} fermetures par équipement."),
        });
        return Err(errors);
    }
    let mut closures = Vec::with_capacity(submitted.len());
    for (i, input) in submitted.iter().enumerate() {
        let field = |name: &str| format!("[{i}].{name}");
        let reason = input
            .reason
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if reason.is_empty() {
            errors.push(FieldError {
                field: field("reason"),
                message: "Indiquez le motif de la fermeture (il est affiché aux habitants).".into(),
            });
        } else if reason.chars().count() > MAX_REASON_CHARS {
            errors.push(FieldError {
                field: field("reason"),
                message: format!("Le motif dépasse {MAX_REASON_CHARS} caractères."),
            });
        }
        match ExceptionalClosure::parse(&input.from, &input.to, &reason) {
            Ok(closure) => closures.push(Closure {
                from: date_text(closure.from),
                to: date_text(closure.to),
                reason,
            }),
            Err(e) => errors.push(date_error(i, input, &e)),
        }
    }
    if errors.is_empty() {
        Ok(closures)
    } else {
        Err(errors)
    }
}

/// A French message for a closure the hours rules refused, naming the faulty date.
fn date_error(i: usize, input: &ClosureInput, e: &HoursError) -> FieldError {
    let is_date = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").is_ok();
    let shown = |s: &str| s.chars().take(40).collect::<String>();
    let (field, message) = if !is_date(&input.from) {
        (
            "from",
            format!(
                "« {} » n’est pas une date : écrivez-la AAAA-MM-JJ, par exemple 2026-08-03 ({e}).",
                shown(&input.from)
            ),
        )
    } else if !is_date(&input.to) {
        (
            "to",
            format!(
                "« {} » n’est pas une date : écrivez-la AAAA-MM-JJ, par exemple 2026-08-24 ({e}).",
                shown(&input.to)
            ),
        )
    } else {
        (
            "to",
            format!(
                "La fermeture finit ({}) avant de commencer ({}) ({e}).",
                input.to.trim(),
                input.from.trim()
            ),
        )
    };
    FieldError {
        field: format!("[{i}].{field}"),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(from: &str, to: &str, reason: &str) -> ClosureInput {
        ClosureInput {
            from: from.into(),
            to: to.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn closures_are_checked_one_by_one() {
        let ok =
            validate(&[input("2026-08-03", "2026-08-24", "  Vidange   annuelle ")]).expect("valid");
        assert_eq!(ok[0].reason, "Vidange annuelle");
        let errors = validate(&[
            input("2026-08-03", "2026-08-24", "Travaux"),
            input("2026-13-01", "2026-12-31", "Travaux"),
            input("2026-08-24", "2026-08-03", ""),
        ])
        .expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["[1].from", "[2].reason", "[2].to"]);
        assert!(
            errors[2].message.contains("avant de commencer"),
            "{errors:?}"
        );
        assert!(errors[0].message.contains("invalid closure"), "{errors:?}");
    }
}
