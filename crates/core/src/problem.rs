//! RFC 9457 problem details: the one error shape of the API, with a `detail` in French fit to
//! show a resident as it is.

use serde::{Deserialize, Serialize};

/// The media type of every error response.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem detail document (RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the problem type; `about:blank` when the status says it all.
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    /// A short, stable English summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, in French, for a resident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request path the problem is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Field-level messages for validation problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name, as in the request (JSON pointer-ish dotted path).
    pub field: String,
    /// What is wrong with it, in French.
    pub message: String,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

impl Problem {
    /// A problem with `type: about:blank`.
    pub fn new(status: u16, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            kind: about_blank(),
            title: title.into(),
            status,
            detail: Some(detail.into()),
            instance: None,
            errors: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_serialise_with_rfc_9457_member_names() {
        let p = Problem::new(404, "Not Found", "Cette adresse n'existe pas.");
        let v = serde_json::to_value(&p).expect("serialises");
        assert_eq!(v["type"], "about:blank");
        assert_eq!(v["status"], 404);
        assert_eq!(v["detail"], "Cette adresse n'existe pas.");
        assert!(v.get("errors").is_none(), "empty errors are omitted");
    }

    #[test]
    fn a_minimal_problem_parses_with_defaults() {
        let p: Problem = serde_json::from_str(r#"{"title":"Oops","status":500}"#).expect("parses");
        assert_eq!(p.kind, "about:blank");
        assert_eq!(p.detail, None);
    }
}
