//! `POST /api/v1/news` and `PUT /api/v1/news/{id}`: town-hall tools publish and correct
//! articles with a bearer key from `news.publish_keys`; a new article is pushed like an import.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parvis_core::news::NewArticle;
use parvis_core::problem::FieldError;
use parvis_core::{Article, Problem};
use sha2::{Digest, Sha256};

use crate::db;
use crate::error::{self, ApiJson, AppError};
use crate::news::import::{http_client, timestamp};
use crate::news::mirror::Mirror;
use crate::news::publish::{self, GUID_PREFIX, Stored};
use crate::state::AppState;

/// Why a publishing request was refused.
#[derive(Debug)]
pub enum PublishError {
    /// `news.publish_keys` is empty (403).
    Disabled,
    /// No bearer key, or not one of `news.publish_keys` (401).
    Unauthorized {
        key_given: bool,
    },
    /// Field errors (422).
    Invalid(Vec<FieldError>),
    App(AppError),
}

impl From<AppError> for PublishError {
    fn from(e: AppError) -> Self {
        PublishError::App(e)
    }
}

impl From<sqlx::Error> for PublishError {
    fn from(e: sqlx::Error) -> Self {
        PublishError::App(AppError::Internal(e.into()))
    }
}

impl IntoResponse for PublishError {
    fn into_response(self) -> Response {
        let problem = |status: StatusCode, detail: &str| {
            Problem::new(
                status.as_u16(),
                status.canonical_reason().unwrap_or("Error"),
                detail,
            )
        };
        match self {
            PublishError::Disabled => error::problem_response(&problem(
                StatusCode::FORBIDDEN,
                "La publication par l’API n’est pas activée.",
            )),
            PublishError::Unauthorized { key_given } => unauthorized(
                "Une clé de publication valide est nécessaire \
                 (en-tête « Authorization: Bearer … »).",
                key_given,
            ),
            PublishError::Invalid(errors) => {
                let mut p = problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "L’article n’a pas été publié : corrigez les champs signalés.",
                );
                p.errors = errors;
                error::problem_response(&p)
            }
            PublishError::App(e) => e.into_response(),
        }
    }
}

/// A request carrying one of `news.publish_keys` as its bearer token.
#[derive(Debug, Clone, Copy)]
pub struct Publisher;

impl FromRequestParts<AppState> for Publisher {
    type Rejection = PublishError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match check_bearer(&parts.headers, &state.config.news.publish_keys) {
            KeyCheck::Valid => Ok(Publisher),
            KeyCheck::Disabled => Err(PublishError::Disabled),
            KeyCheck::Refused { key_given } => Err(PublishError::Unauthorized { key_given }),
        }
    }
}

/// A request's bearer key against the keys of one capability (publishing, editing, agents).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyCheck {
    /// No key is configured: the capability is off (403).
    Disabled,
    Valid,
    /// No bearer key, or not one of the keys (401).
    Refused {
        key_given: bool,
    },
}

/// Checks the `Authorization: Bearer …` header against `keys`.
pub(crate) fn check_bearer(headers: &HeaderMap, keys: &[String]) -> KeyCheck {
    if keys.is_empty() {
        return KeyCheck::Disabled;
    }
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
    match given {
        Some(token) if key_matches(token, keys) => KeyCheck::Valid,
        given => KeyCheck::Refused {
            key_given: given.is_some(),
        },
    }
}

/// A 401 problem with its `WWW-Authenticate` challenge (RFC 6750: `invalid_token` when a key
/// was given but is not one of the keys).
pub(crate) fn unauthorized(detail: &str, key_given: bool) -> Response {
    let mut response = error::problem_response(&Problem::new(401, "Unauthorized", detail));
    let challenge = if key_given {
        "Bearer realm=\"parvis\", error=\"invalid_token\""
    } else {
        "Bearer realm=\"parvis\""
    };
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

/// Whether `given` is one of `keys`, comparing SHA-256 digests without an early exit, so
/// that timing tells nothing about how much of a key was right.
pub(crate) fn key_matches(given: &str, keys: &[String]) -> bool {
    let given = Sha256::digest(given.as_bytes());
    let mut found = 0u8;
    for key in keys {
        let key = Sha256::digest(key.as_bytes());
        let diff = given
            .iter()
            .zip(key.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        found |= u8::from(diff == 0);
    }
    found != 0
}

/// Publishes an article (town-hall tools). Requires `Authorization: Bearer <key>` (a key of
/// `news.publish_keys`) and an `Idempotency-Key`: the same key again answers the same article
/// instead of publishing a second one. The body is sanitised, the summary derived from the
/// body when absent, images copied onto the server; subscribers of its themes get it pushed.
#[utoipa::path(
    post,
    path = "/api/v1/news",
    tag = "news",
    request_body = NewArticle,
    params(
        ("Idempotency-Key" = String, Header, description = "Unique per article (e.g. a UUID): a retry with the same key publishes nothing new"),
    ),
    security(("publish_key" = [])),
    responses(
        (status = 201, description = "Published (or already published with this Idempotency-Key)", body = Article,
         headers(("Location" = String, description = "/api/v1/news/{id}"))),
        (status = 400, description = "Missing or malformed Idempotency-Key, or malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or unknown publishing key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Publishing through the API is not enabled", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The Idempotency-Key was used for a different article", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, listed in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn publish_article(
    _: Publisher,
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(submitted): ApiJson<NewArticle>,
) -> Result<Response, PublishError> {
    let key = headers
        .get("idempotency-key")
        .ok_or_else(|| {
            AppError::BadRequest(
                "L’en-tête « Idempotency-Key » est obligatoire (une valeur unique par article, \
                 par exemple un UUID)."
                    .into(),
            )
        })?
        .to_str()
        .ok()
        .and_then(publish::guid_for)
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "L’en-tête « Idempotency-Key » doit faire 1 à {} caractères ASCII visibles.",
                publish::MAX_IDEMPOTENCY_KEY_CHARS
            ))
        })?;
    let now = chrono::Utc::now();
    let article = publish::prepare(&state.config.news, &submitted, key, &timestamp(now), now)
        .map_err(PublishError::Invalid)?;
    // A retry answers at once, without downloading the images again.
    let stored = match publish::replay(&state.db, &article).await? {
        Some(stored) => stored,
        None => {
            let mirror = Mirror::new(&state.db, &state.config, http_client());
            publish::store_new(&state.db, &mirror, article).await?
        }
    };
    let id = match stored {
        Stored::Created(id) => {
            // After the commit: the push dispatcher reads the article. No listener is fine.
            let _ = state.published.send(id);
            tracing::info!(article_id = id, "news: article published through the API");
            id
        }
        Stored::Replayed(id) => id,
        Stored::KeyReused => {
            return Err(AppError::Conflict(
                "Cette clé « Idempotency-Key » a déjà servi pour un autre article. Utilisez une \
                 nouvelle clé pour chaque article."
                    .into(),
            )
            .into());
        }
    };
    article_response(&state, id, StatusCode::CREATED).await
}

/// Corrects an article published through the API (same key as publishing). Absent optional
/// fields are cleared, except `published_at`, which is kept. Nothing is pushed again.
#[utoipa::path(
    put,
    path = "/api/v1/news/{id}",
    tag = "news",
    request_body = NewArticle,
    params(("id" = i64, Path, description = "The article's id")),
    security(("publish_key" = [])),
    responses(
        (status = 200, description = "Updated", body = Article),
        (status = 401, description = "Missing or unknown publishing key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Publishing through the API is not enabled", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The article comes from a feed: change it at its source", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, listed in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_article(
    _: Publisher,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(submitted): ApiJson<NewArticle>,
) -> Result<Response, PublishError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let guid = db::articles::guid_of(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let existing = db::articles::find_by_guid(&mut conn, &guid)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    if !guid.starts_with(GUID_PREFIX) {
        return Err(AppError::Conflict(
            "Cet article vient d’un flux : modifiez-le à sa source, il sera mis à jour à la \
             prochaine importation."
                .into(),
        )
        .into());
    }
    let now = chrono::Utc::now();
    let mut article = publish::prepare(
        &state.config.news,
        &submitted,
        guid,
        &existing.published_at,
        now,
    )
    .map_err(PublishError::Invalid)?;
    // Keep the fingerprint of the original request: retrying it still answers this article.
    article.content_hash = existing.content_hash;
    let mirror = Mirror::new(&state.db, &state.config, http_client());
    publish::store_update(&state.db, &mirror, id, article).await?;
    article_response(&state, id, StatusCode::OK).await
}

async fn article_response(
    state: &AppState,
    id: i64,
    status: StatusCode,
) -> Result<Response, PublishError> {
    let article = db::articles::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("article {id} vanished")))?;
    let location = format!("{}/news/{id}", parvis_core::API_PREFIX);
    let mut response = (status, axum::Json(article)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_configured_key_matches() {
        let keys = vec!["0123456789abcdef".to_owned(), "fedcba9876543210".to_owned()];
        assert!(key_matches("fedcba9876543210", &keys));
        assert!(!key_matches("fedcba987654321", &keys));
        assert!(!key_matches("", &keys));
    }
}
