//! Open311 GeoReport v2 at `/open311/v2/`, so that FixMyStreet and other Open311 tools read the
//! commune's reports and may send new ones: service discovery, services (the report
//! categories), service requests (the reports), and mySociety's `servicerequestupdates` (the
//! status history).
//!
//! Every resource is XML (required by the specification) or JSON, by its extension
//! (`services.xml`, `requests/12.json`; XML without one). Errors are the specification's
//! `[{code, description}]` list (`<errors><error>…`), never problem+json. The reporter's email,
//! phone, name and device never appear in an answer.
//!
//! `xml` holds the documents and renders them; `routes` holds the handlers.

pub mod routes;
pub mod xml;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The URL prefix of the Open311 endpoint.
pub const PREFIX: &str = "/open311/v2";

/// The specification's URL, named in the discovery document.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

/// The two formats of every resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// `services.json` → (`services`, JSON); `services` → (`services`, XML, the required
    /// format); `None` for another extension.
    pub fn split(resource: &str) -> Option<(&str, Format)> {
        match resource.rsplit_once('.') {
            Some((name, "xml")) => Some((name, Format::Xml)),
            Some((name, "json")) => Some((name, Format::Json)),
            Some(_) => None,
            None => Some((resource, Format::Xml)),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "text/xml; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
        }
    }
}

/// An Open311 error answer: one or more `{code, description}` with an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Error {
    pub status: StatusCode,
    pub format: Format,
    /// English descriptions, like the specification's examples (Open311 clients log them).
    pub descriptions: Vec<String>,
    /// Seconds, for a 429.
    pub retry_after: Option<u64>,
}

impl Open311Error {
    pub fn new(status: StatusCode, format: Format, description: impl Into<String>) -> Self {
        Self {
            status,
            format,
            descriptions: vec![description.into()],
            retry_after: None,
        }
    }

    pub fn not_found(format: Format, what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format, format!("{what} not found"))
    }

    pub fn bad_request(format: Format, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, format, description)
    }

    pub fn internal(format: Format, cause: &anyhow::Error) -> Self {
        tracing::error!(error = format!("{cause:#}"), "open311: internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format,
            "Internal error; please try again later",
        )
    }
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let errors: Vec<xml::Error> = self
            .descriptions
            .into_iter()
            .map(|description| xml::Error {
                code: self.status.as_u16(),
                description,
            })
            .collect();
        let mut response = xml::render_errors(self.format, &errors).into_response();
        *response.status_mut() = self.status;
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_gives_the_format() {
        assert_eq!(
            Format::split("services.json"),
            Some(("services", Format::Json))
        );
        assert_eq!(
            Format::split("requests.xml"),
            Some(("requests", Format::Xml))
        );
        assert_eq!(Format::split("discovery"), Some(("discovery", Format::Xml)));
        assert_eq!(Format::split("12.csv"), None);
    }
}
