//! The one error type of the API, answered as `application/problem+json` (RFC 9457) with a
//! French `detail` a resident can read; internal causes are logged, never sent.

use std::any::Any;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use parvis_core::Problem;
use parvis_core::problem::PROBLEM_JSON;
use serde::de::DeserializeOwned;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("validation failed: {0}")]
    Validation(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("request body too large")]
    TooLarge,
    #[error("unsupported media type")]
    Unsupported,
    /// Too many requests; the client may try again after this many seconds (`Retry-After`).
    #[error("rate limited (retry after {retry_after} s)")]
    RateLimited { retry_after: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unsupported => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document sent for this error (without `instance`, added by [`add_instance`]).
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let detail = match self {
            AppError::NotFound => "Cette adresse n’existe pas.".to_owned(),
            AppError::MethodNotAllowed => {
                "Cette action n’est pas possible à cette adresse.".to_owned()
            }
            AppError::BadRequest(d) | AppError::Validation(d) | AppError::Conflict(d) => d.clone(),
            AppError::TooLarge => {
                "Les données envoyées sont trop volumineuses. Réduisez la taille de la photo ou \
                 du texte, puis réessayez."
                    .to_owned()
            }
            AppError::Unsupported => "Ce format de données n’est pas accepté.".to_owned(),
            AppError::RateLimited { retry_after } => format!(
                "Trop de demandes en peu de temps. Réessayez dans {}.",
                french_duration(*retry_after)
            ),
            AppError::Unavailable(d) => d.clone(),
            AppError::Internal(_) => GENERIC_DETAIL.to_owned(),
        };
        Problem::new(
            status.as_u16(),
            status.canonical_reason().unwrap_or("Error"),
            detail,
        )
    }
}

const GENERIC_DETAIL: &str =
    "Une erreur est survenue de notre côté. Réessayez dans quelques instants.";

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let mut response = problem_response(&self.problem());
        // A 405's `Allow` is the route's own methods: axum's router adds it to the answer of
        // `method_not_allowed_fallback` when the answer has none.
        if let AppError::RateLimited { retry_after } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after.max(1)));
        }
        response
    }
}

/// « 5 minutes », « 1 minute », « 40 secondes »: how long to wait, for a resident.
fn french_duration(seconds: u64) -> String {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
    if seconds < 60 {
        plural(seconds.max(1), "seconde", "secondes")
    } else {
        plural(seconds.div_ceil(60), "minute", "minutes")
    }
}

/// Renders a problem as a response; the problem rides along in the extensions so that
/// [`add_instance`] can fill in the request path.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response.extensions_mut().insert(problem.clone());
    response
}

/// Middleware: sets `instance` (the request path) on every problem answered below it.
pub async fn add_instance(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    match response.extensions().get::<Problem>() {
        Some(problem) if problem.instance.is_none() => {
            let mut problem = problem.clone();
            problem.instance = Some(path);
            let (mut parts, _) = response.into_parts();
            let mut fresh = problem_response(&problem);
            // Keep the other headers (Allow, security headers set below us…).
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.remove(header::CONTENT_ENCODING);
            for (name, value) in fresh.headers().iter() {
                parts.headers.insert(name, value.clone());
            }
            parts.extensions.insert(problem);
            let body = std::mem::take(fresh.body_mut());
            Response::from_parts(parts, body)
        }
        _ => response,
    }
}

/// The answer to a panic in a handler (for `CatchPanicLayer`): a generic 500 problem.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a handler panicked");
    let status = StatusCode::INTERNAL_SERVER_ERROR;
    problem_response(&Problem::new(
        status.as_u16(),
        status.canonical_reason().unwrap_or("Internal Server Error"),
        GENERIC_DETAIL,
    ))
}

/// Fallback of `/api/…`: a problem, never the app's HTML.
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}

/// Fallback for a known path with the wrong method.
pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// A JSON body extractor whose rejections are problems like every other error.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::Unsupported,
        JsonRejection::JsonSyntaxError(_) => {
            AppError::BadRequest("Les données envoyées ne sont pas du JSON valide.".into())
        }
        JsonRejection::JsonDataError(e) => AppError::Validation(format!(
            "Les données envoyées sont incomplètes ou mal formées ({}).",
            e.body_text()
                .trim_start_matches("Failed to deserialize the JSON body into the target type: ")
        )),
        _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
        _ => AppError::BadRequest("Les données envoyées n’ont pas pu être lues.".into()),
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request as HttpRequest;

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Sample {
        #[expect(dead_code, reason = "only deserialised")]
        name: String,
    }

    async fn extract(content_type: Option<&str>, body: &str) -> Result<(), AppError> {
        let mut req = HttpRequest::post("/x");
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let req = req.body(Body::from(body.to_owned())).expect("request");
        ApiJson::<Sample>::from_request(req, &()).await.map(|_| ())
    }

    #[tokio::test]
    async fn bad_json_bodies_become_problems() {
        let ct = Some("application/json");
        assert!(extract(ct, r#"{"name":"x"}"#).await.is_ok());
        let syntax = extract(ct, "{").await.expect_err("syntax");
        assert_eq!(syntax.status(), StatusCode::BAD_REQUEST);
        let data = extract(ct, r#"{"nom":"x"}"#).await.expect_err("data");
        assert_eq!(data.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let ctype = extract(None, "{}").await.expect_err("content type");
        assert_eq!(ctype.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[test]
    fn a_panic_becomes_a_generic_french_problem() {
        let response = panic_response(Box::new("secret detail"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
        let problem = response.extensions().get::<Problem>().expect("problem");
        assert_eq!(problem.detail.as_deref(), Some(GENERIC_DETAIL));
    }

    #[test]
    fn a_rate_limit_says_when_to_come_back() {
        let response = AppError::RateLimited { retry_after: 301 }.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "301");
        let problem = response.extensions().get::<Problem>().expect("problem");
        assert!(
            problem
                .detail
                .as_deref()
                .unwrap_or_default()
                .contains("6 minutes")
        );
        assert_eq!(french_duration(1), "1 seconde");
        assert_eq!(french_duration(60), "1 minute");
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let problem = AppError::Internal(anyhow::anyhow!("SELECT * FROM secret")).problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.unwrap_or_default().contains("SELECT"));
    }
}
