//! The Open311 documents and their two renderings. Element names follow GeoReport v2 and
//! mySociety's extension; XML comes from quick-xml's serde serializer (an absent value is an
//! empty element, as in the specification's examples), JSON from serde_json (`null`). XML
//! wraps lists in a root element (`<services><service>…`), JSON sends bare arrays.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::Format;

/// The service discovery document.
#[derive(Debug, Clone, Serialize)]
pub struct Discovery {
    pub changeset: String,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<Endpoint>,
}

/// One endpoint of the discovery document.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    pub specification: String,
    pub url: String,
    pub changeset: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub formats: Vec<String>,
}

/// A service: a report category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Whether the service has extra attributes (never, here).
    pub metadata: bool,
    /// `realtime`: the request's id comes back at once.
    #[serde(rename = "type")]
    pub kind: String,
    /// Comma-separated.
    pub keywords: String,
    pub group: String,
}

/// A service request: a report's public side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRequest {
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    pub description: String,
    pub agency_responsible: String,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: f64,
    pub long: f64,
    pub media_url: Option<String>,
}

/// The answer to a new service request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostedRequest {
    pub service_request_id: String,
    pub service_notice: Option<String>,
    pub account_id: Option<String>,
}

/// One status change (mySociety's `servicerequestupdates`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestUpdate {
    pub update_id: String,
    pub service_request_id: String,
    /// mySociety's extended states (`OPEN`, `INVESTIGATING`, `ACTION_SCHEDULED`,
    /// `IN_PROGRESS`, `FIXED`, `NO_FURTHER_ACTION`, `DUPLICATE`).
    pub status: String,
    pub updated_datetime: String,
    pub description: String,
    pub media_url: Option<String>,
    /// Parvis's own status, for clients that map states themselves.
    pub external_status_code: String,
}

/// One error of an error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Error {
    pub code: u16,
    pub description: String,
}

/// `<service_definition>`: a service has no extra attributes here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<()>,
}

#[derive(Serialize)]
#[serde(rename = "discovery")]
struct DiscoveryXml<'a> {
    changeset: &'a str,
    contact: &'a str,
    key_service: &'a str,
    endpoints: EndpointsXml<'a>,
}

#[derive(Serialize)]
struct EndpointsXml<'a> {
    endpoint: Vec<EndpointXml<'a>>,
}

#[derive(Serialize)]
struct EndpointXml<'a> {
    specification: &'a str,
    url: &'a str,
    changeset: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    formats: FormatsXml<'a>,
}

#[derive(Serialize)]
struct FormatsXml<'a> {
    format: &'a [String],
}

#[derive(Serialize)]
#[serde(rename = "services")]
struct ServicesXml<'a> {
    service: &'a [Service],
}

#[derive(Serialize)]
#[serde(rename = "service_definition")]
struct ServiceDefinitionXml<'a> {
    service_code: &'a str,
    attributes: AttributesXml,
}

#[derive(Serialize)]
struct AttributesXml {}

#[derive(Serialize)]
#[serde(rename = "service_requests")]
struct ServiceRequestsXml<'a> {
    request: &'a [ServiceRequest],
}

#[derive(Serialize)]
#[serde(rename = "service_requests")]
struct PostedRequestsXml<'a> {
    request: &'a [PostedRequest],
}

#[derive(Serialize)]
#[serde(rename = "service_request_updates")]
struct UpdatesXml<'a> {
    request_update: &'a [RequestUpdate],
}

#[derive(Serialize)]
#[serde(rename = "errors")]
struct ErrorsXml<'a> {
    error: &'a [Error],
}

/// A rendered document.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub format: Format,
    pub body: String,
}

impl IntoResponse for Rendered {
    fn into_response(self) -> Response {
        let mut response = self.body.into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.format.content_type()),
        );
        response
    }
}

/// The specification wants the declaration before the root element.
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

fn render(format: Format, xml: &impl Serialize, json: &impl Serialize) -> Rendered {
    let body = match format {
        Format::Xml => quick_xml::se::to_string(xml)
            .map(|doc| format!("{DECLARATION}{doc}"))
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "open311: cannot write XML");
                format!("{DECLARATION}<errors/>")
            }),
        Format::Json => serde_json::to_string(json).unwrap_or_else(|e| {
            tracing::error!(error = %e, "open311: cannot write JSON");
            "[]".into()
        }),
    };
    Rendered { format, body }
}

pub fn render_discovery(format: Format, d: &Discovery) -> Rendered {
    let endpoints = d
        .endpoints
        .iter()
        .map(|e| EndpointXml {
            specification: &e.specification,
            url: &e.url,
            changeset: &e.changeset,
            kind: &e.kind,
            formats: FormatsXml { format: &e.formats },
        })
        .collect();
    let xml = DiscoveryXml {
        changeset: &d.changeset,
        contact: &d.contact,
        key_service: &d.key_service,
        endpoints: EndpointsXml {
            endpoint: endpoints,
        },
    };
    render(format, &xml, d)
}

pub fn render_services(format: Format, services: &[Service]) -> Rendered {
    render(format, &ServicesXml { service: services }, &services)
}

pub fn render_service_definition(format: Format, definition: &ServiceDefinition) -> Rendered {
    let xml = ServiceDefinitionXml {
        service_code: &definition.service_code,
        attributes: AttributesXml {},
    };
    render(format, &xml, definition)
}

pub fn render_requests(format: Format, requests: &[ServiceRequest]) -> Rendered {
    render(format, &ServiceRequestsXml { request: requests }, &requests)
}

pub fn render_posted(format: Format, posted: &[PostedRequest]) -> Rendered {
    render(format, &PostedRequestsXml { request: posted }, &posted)
}

pub fn render_updates(format: Format, updates: &[RequestUpdate]) -> Rendered {
    render(
        format,
        &UpdatesXml {
            request_update: updates,
        },
        &updates,
    )
}

pub fn render_errors(format: Format, errors: &[Error]) -> Rendered {
    render(format, &ErrorsXml { error: errors }, &errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> ServiceRequest {
        ServiceRequest {
            service_request_id: "12".into(),
            status: "open".into(),
            status_notes: None,
            service_name: "Voirie & trottoirs".into(),
            service_code: "voirie".into(),
            description: "Trou <profond>".into(),
            agency_responsible: "Mairie".into(),
            service_notice: None,
            requested_datetime: "2026-03-01T09:30:00Z".into(),
            updated_datetime: "2026-03-01T09:30:00Z".into(),
            expected_datetime: None,
            address: Some("Rue des Écoles".into()),
            address_id: None,
            zipcode: None,
            lat: 47.39,
            long: 0.69,
            media_url: None,
        }
    }

    #[test]
    fn lists_are_wrapped_in_xml_and_bare_in_json() {
        let xml = render_requests(Format::Xml, &[request()]).body;
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<service_requests><request><service_request_id>12</service_request_id><status>open</status><status_notes/>"), "{xml}");
        assert!(
            xml.contains("<description>Trou &lt;profond&gt;</description>"),
            "{xml}"
        );
        assert!(xml.contains("<lat>47.39</lat><long>0.69</long>"), "{xml}");
        let json: serde_json::Value =
            serde_json::from_str(&render_requests(Format::Json, &[request()]).body).expect("JSON");
        assert_eq!(json[0]["service_request_id"], "12");
        assert_eq!(json[0]["status_notes"], serde_json::Value::Null);
        assert_eq!(
            render_requests(Format::Xml, &[]).body,
            format!("{DECLARATION}<service_requests/>")
        );
    }

    #[test]
    fn errors_and_definitions_follow_the_specification() {
        let errors = [Error {
            code: 403,
            description: "Invalid api_key".into(),
        }];
        assert_eq!(
            render_errors(Format::Xml, &errors).body,
            format!(
                "{DECLARATION}<errors><error><code>403</code><description>Invalid api_key\
                 </description></error></errors>"
            )
        );
        assert_eq!(
            render_errors(Format::Json, &errors).body,
            r#"[{"code":403,"description":"Invalid api_key"}]"#
        );
        let definition = ServiceDefinition {
            service_code: "voirie".into(),
            attributes: Vec::new(),
        };
        assert_eq!(
            render_service_definition(Format::Xml, &definition).body,
            format!(
                "{DECLARATION}<service_definition><service_code>voirie</service_code>\
                 <attributes/></service_definition>"
            )
        );
        assert_eq!(
            render_service_definition(Format::Json, &definition).body,
            r#"{"service_code":"voirie","attributes":[]}"#
        );
    }
}
