//! Open311 GeoReport v2 over real HTTP, read back with an XML parser: discovery, services,
//! a service request posted form-encoded with an api_key (refused with the specification's
//! errors without one) and as multipart with photos the way FixMyStreet sends them, requests
//! by id and by filter in XML and JSON, and mySociety's status updates.

use quick_xml::de::from_str;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::report_helpers::{
    GPS_JPEG, INSIDE, OPEN311_KEY, Part, has_exif, multipart, png, reports_app, stored_files,
};
use crate::reports::update;

#[derive(Debug, Deserialize)]
struct DiscoveryXml {
    changeset: String,
    endpoints: EndpointsXml,
}

#[derive(Debug, Deserialize)]
struct EndpointsXml {
    endpoint: Vec<EndpointXml>,
}

#[derive(Debug, Deserialize)]
struct EndpointXml {
    specification: String,
    url: String,
    #[serde(rename = "type")]
    kind: String,
    formats: FormatsXml,
}

#[derive(Debug, Deserialize)]
struct FormatsXml {
    format: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ServicesXml {
    service: Vec<ServiceXml>,
}

#[derive(Debug, Deserialize)]
struct ServiceXml {
    service_code: String,
    service_name: String,
    description: String,
    metadata: bool,
    #[serde(rename = "type")]
    kind: String,
    keywords: String,
    group: String,
}

#[derive(Debug, Deserialize)]
struct RequestsXml {
    #[serde(default)]
    request: Vec<RequestXml>,
}

#[derive(Debug, Deserialize)]
struct RequestXml {
    service_request_id: String,
    status: String,
    status_notes: Option<String>,
    service_name: String,
    service_code: String,
    description: String,
    agency_responsible: String,
    requested_datetime: String,
    updated_datetime: String,
    expected_datetime: Option<String>,
    address: Option<String>,
    lat: f64,
    long: f64,
    media_url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PostedXml {
    request: Vec<PostedRequestXml>,
}

#[derive(Debug, Deserialize)]
struct PostedRequestXml {
    service_request_id: String,
}

#[derive(Debug, Deserialize)]
struct ErrorsXml {
    error: Vec<ErrorXml>,
}

#[derive(Debug, Deserialize)]
struct ErrorXml {
    code: u16,
    description: String,
}

#[derive(Debug, Deserialize)]
struct UpdatesXml {
    #[serde(default)]
    request_update: Vec<UpdateXml>,
}

#[derive(Debug, Deserialize)]
struct UpdateXml {
    update_id: String,
    service_request_id: String,
    status: String,
    updated_datetime: String,
    description: String,
}

/// The body of an XML answer, checked to be UTF-8 XML with its declaration.
async fn xml_body(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "text/xml; charset=utf-8"
    );
    let text = response.text().await.expect("body");
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{text}"
    );
    text
}

async fn json_body(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    response.json().await.expect("JSON")
}

fn form(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A pothole as FixMyStreet posts it (form-encoded).
fn fixmystreet_fields(api_key: &str) -> Vec<(String, String)> {
    let (lat, lon) = (INSIDE.0.to_string(), INSIDE.1.to_string());
    form(&[
        ("jurisdiction_id", "saint-aubin"),
        ("api_key", api_key),
        ("service_code", "voirie"),
        ("lat", &lat),
        ("long", &lon),
        (
            "description",
            "title: Nid-de-poule\n\ndetail: Profond, devant la poste",
        ),
        ("address_string", "Place de la Poste"),
        ("email", "jean.secret@example.org"),
        ("first_name", "Jean"),
        ("last_name", "Secret"),
        ("phone", "+33 6 00 00 00 00"),
        ("attribute[easting]", "12345"),
    ])
}

async fn post_form(app: &TestApp, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .expect("request sent")
}

#[tokio::test]
async fn discovery_names_the_endpoint_and_both_formats() {
    let app = reports_app().await;

    let xml: DiscoveryXml =
        from_str(&xml_body(app.get("/open311/v2/discovery.xml").await, 200).await).expect("XML");
    let json = json_body(app.get("/open311/v2/discovery.json").await, 200).await;

    let endpoint = &xml.endpoints.endpoint[0];
    assert_eq!(
        endpoint.specification,
        "http://wiki.open311.org/GeoReport_v2"
    );
    assert_eq!(endpoint.url, format!("{}/open311/v2", app.address));
    assert_eq!(endpoint.kind, "production");
    assert_eq!(endpoint.formats.format, ["text/xml", "application/json"]);
    assert!(chrono::DateTime::parse_from_rfc3339(&xml.changeset).is_ok());
    assert_eq!(
        json["endpoints"][0]["formats"],
        json!(["text/xml", "application/json"])
    );
    // Without an extension: XML, the required format.
    xml_body(app.get("/open311/v2/discovery").await, 200).await;
    // Only `requests` can be posted; the others say what they take.
    let posted = post_form(&app, "/open311/v2/discovery.json", &[]).await;
    assert_eq!(posted.headers()["allow"], "GET, HEAD");
    json_body(posted, 405).await;
}

#[tokio::test]
async fn services_are_the_report_categories() {
    let app = reports_app().await;

    let xml: ServicesXml =
        from_str(&xml_body(app.get("/open311/v2/services.xml").await, 200).await).expect("XML");
    let json = json_body(app.get("/open311/v2/services.json").await, 200).await;

    assert_eq!(xml.service.len(), app.config.reports.categories.len());
    let voirie = xml
        .service
        .iter()
        .find(|s| s.service_code == "voirie")
        .expect("voirie");
    assert_eq!(voirie.service_name, "Voirie");
    assert!(!voirie.description.is_empty() && !voirie.group.is_empty());
    assert!(!voirie.metadata);
    assert_eq!(voirie.kind, "realtime");
    assert!(voirie.keywords.contains("nid-de-poule,"));
    assert_eq!(json[0]["service_code"], xml.service[0].service_code);
    assert_eq!(json[0]["metadata"], false);

    let definition = xml_body(app.get("/open311/v2/services/voirie.xml").await, 200).await;
    assert!(definition.contains(
        "<service_definition><service_code>voirie</service_code><attributes/></service_definition>"
    ));
    let unknown: ErrorsXml =
        from_str(&xml_body(app.get("/open311/v2/services/ovni.xml").await, 404).await)
            .expect("XML");
    assert_eq!(unknown.error[0].code, 404);
}

#[tokio::test]
async fn a_service_request_posted_with_the_api_key_is_read_back_in_xml_and_json() {
    let app = reports_app().await;

    let response = post_form(
        &app,
        "/open311/v2/requests.xml",
        &fixmystreet_fields(OPEN311_KEY),
    )
    .await;

    let posted: PostedXml = from_str(&xml_body(response, 200).await).expect("XML");
    let id = posted.request[0].service_request_id.clone();
    assert!(id.parse::<i64>().is_ok(), "{id}");

    let xml: RequestsXml = from_str(
        &xml_body(
            app.get(&format!("/open311/v2/requests/{id}.xml")).await,
            200,
        )
        .await,
    )
    .expect("XML");
    let request = &xml.request[0];
    assert_eq!(request.service_request_id, id);
    assert_eq!(request.status, "open");
    // XML has no null: an absent value is an empty element.
    assert_eq!(request.status_notes.as_deref(), Some(""));
    assert_eq!(request.service_code, "voirie");
    assert_eq!(request.service_name, "Voirie");
    assert_eq!(
        request.description,
        "title: Nid-de-poule\n\ndetail: Profond, devant la poste"
    );
    assert_eq!(request.agency_responsible, "Saint-Aubin-sur-Loire");
    assert_eq!(request.address.as_deref(), Some("Place de la Poste"));
    assert_eq!((request.lat, request.long), INSIDE);
    assert!(request.requested_datetime.ends_with('Z'));
    assert_eq!(request.updated_datetime, request.requested_datetime);
    assert_eq!(request.media_url.as_deref(), Some(""));
    assert_eq!(request.expected_datetime.as_deref(), Some(""));

    let json = json_body(
        app.get(&format!("/open311/v2/requests/{id}.json")).await,
        200,
    )
    .await;
    assert_eq!(json[0]["service_request_id"], id);
    assert_eq!(json[0]["lat"], INSIDE.0);
    assert_eq!(json[0]["long"], INSIDE.1);
    assert_eq!(json[0]["status_notes"], Value::Null);
    let text = json.to_string();
    for private in ["jean.secret", "Secret", "+33 6"] {
        assert!(!text.contains(private), "{private} leaked");
    }

    // The same request posted as JSON answer.
    let posted = json_body(
        post_form(
            &app,
            "/open311/v2/requests.json",
            &fixmystreet_fields(OPEN311_KEY),
        )
        .await,
        200,
    )
    .await;
    assert!(posted[0]["service_request_id"].as_str().is_some());
}

#[tokio::test]
async fn a_wrong_or_missing_api_key_is_refused_with_the_specification_errors() {
    let app = reports_app().await;

    let xml = xml_body(
        post_form(
            &app,
            "/open311/v2/requests.xml",
            &fixmystreet_fields("wrong-key-0123456789"),
        )
        .await,
        403,
    )
    .await;
    let errors: ErrorsXml = from_str(&xml).expect("XML");
    assert_eq!(errors.error[0].code, 403);
    assert!(errors.error[0].description.contains("api_key"));
    assert!(xml.contains("<errors><error><code>403</code><description>"));

    let mut without = fixmystreet_fields(OPEN311_KEY);
    without.retain(|(k, _)| k != "api_key");
    let json = json_body(
        post_form(&app, "/open311/v2/requests.json", &without).await,
        403,
    )
    .await;
    assert_eq!(json[0]["code"], 403);
    assert!(json[0]["description"].as_str().is_some());

    let read_only = crate::helpers::spawn_app_with(&[("PARVIS_DEMO__LOAD", "false")]).await;
    let refused = post_form(
        &read_only,
        "/open311/v2/requests.xml",
        &fixmystreet_fields(OPEN311_KEY),
    )
    .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        parvis_server::db::reports::count(&app.state.db)
            .await
            .expect("count"),
        0
    );
}

#[tokio::test]
async fn bad_service_requests_get_one_error_per_problem() {
    let app = reports_app().await;
    let key = OPEN311_KEY;

    let no_position = form(&[
        ("api_key", key),
        ("service_code", "voirie"),
        ("description", "x"),
    ]);
    let errors: ErrorsXml = from_str(
        &xml_body(
            post_form(&app, "/open311/v2/requests.xml", &no_position).await,
            400,
        )
        .await,
    )
    .expect("XML");
    assert!(errors.error[0].description.contains("lat and long"));

    let outside = form(&[
        ("api_key", key),
        ("service_code", "ovni"),
        ("lat", "48.85"),
        ("long", "2.35"),
        ("description", "x"),
    ]);
    let json = json_body(
        post_form(&app, "/open311/v2/requests.json", &outside).await,
        400,
    )
    .await;
    let descriptions: Vec<&str> = json
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|e| e["description"].as_str())
        .collect();
    assert_eq!(descriptions.len(), 2, "{descriptions:?}");
    assert!(descriptions[0].starts_with("service_code:"));
    assert!(descriptions[1].contains("hors de la commune"));

    let csv = app.get("/open311/v2/services.csv").await;
    assert_eq!(csv.status(), 400);
    let unknown = xml_body(app.get("/open311/v2/nothing.xml").await, 404).await;
    assert!(unknown.contains("<code>404</code>"));
    let missing_request = xml_body(app.get("/open311/v2/requests/999.xml").await, 404).await;
    assert!(missing_request.contains("<errors>"));
}

#[tokio::test]
async fn photos_sent_as_fixmystreet_does_are_re_encoded() {
    let app = reports_app().await;
    let (lat, lon) = (INSIDE.0.to_string(), INSIDE.1.to_string());
    let parts = [
        Part::text("api_key", OPEN311_KEY),
        Part::text("service_code", "eclairage-public"),
        Part::text("lat", &lat),
        Part::text("long", &lon),
        Part::text("description", "Lampadaire éteint"),
        Part::photo("photo1", GPS_JPEG),
        Part::photo("photo2", &png(30, 30)),
    ];
    let (content_type, body) = multipart(&parts);

    let response = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("sent");

    let posted = json_body(response, 200).await;
    let id = posted[0]["service_request_id"]
        .as_str()
        .expect("id")
        .to_owned();
    let request = json_body(
        app.get(&format!("/open311/v2/requests/{id}.json")).await,
        200,
    )
    .await;
    let media_url = request[0]["media_url"].as_str().expect("a media URL");
    assert!(
        media_url.starts_with(&format!("{}/media/reports/", app.address)),
        "{media_url}"
    );
    let photo = app.client.get(media_url).send().await.expect("photo");
    assert_eq!(photo.status(), 200);
    assert!(!has_exif(&photo.bytes().await.expect("bytes")));
    assert_eq!(
        stored_files(&app).len(),
        4,
        "two photos and their thumbnails"
    );

    // `media` is the other name clients use.
    let (content_type, body) = multipart(&[
        Part::text("api_key", OPEN311_KEY),
        Part::text("service_code", "tags"),
        Part::text("lat", &lat),
        Part::text("long", &lon),
        Part::photo("media", &png(12, 12)),
    ]);
    let response = app
        .client
        .post(app.url("/open311/v2/requests.xml"))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("sent");
    xml_body(response, 200).await;
    assert_eq!(stored_files(&app).len(), 6);

    // A file that is not an image: the specification's error, nothing stored.
    let (content_type, body) = multipart(&[
        Part::text("api_key", OPEN311_KEY),
        Part::text("service_code", "tags"),
        Part::text("lat", &lat),
        Part::text("long", &lon),
        Part::photo("photo1", b"not an image"),
    ]);
    let response = app
        .client
        .post(app.url("/open311/v2/requests.xml"))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("sent");
    let errors: ErrorsXml = from_str(&xml_body(response, 415).await).expect("XML");
    assert_eq!(errors.error[0].code, 415);
    assert_eq!(stored_files(&app).len(), 6);
}

#[tokio::test]
async fn requests_are_filtered_like_the_specification_says() {
    let app = reports_app().await;
    let mut ids = Vec::new();
    for code in ["voirie", "voirie", "tags"] {
        let mut fields = fixmystreet_fields(OPEN311_KEY);
        for (k, v) in &mut fields {
            if k == "service_code" {
                *v = code.into();
            }
        }
        let posted: PostedXml = from_str(
            &xml_body(
                post_form(&app, "/open311/v2/requests.xml", &fields).await,
                200,
            )
            .await,
        )
        .expect("XML");
        ids.push(posted.request[0].service_request_id.clone());
    }
    let closed: i64 = ids[1].parse().expect("id");
    update(
        &app,
        closed,
        &json!({ "status": "resolved", "note": "Rebouché." }),
    )
    .await;

    let list = |query: &'static str| {
        let app = &app;
        async move {
            let body = xml_body(
                app.get(&format!("/open311/v2/requests.xml{query}")).await,
                200,
            )
            .await;
            let requests: RequestsXml = from_str(&body).expect("XML");
            requests
                .request
                .into_iter()
                .map(|r| r.service_request_id)
                .collect::<Vec<_>>()
        }
    };

    assert_eq!(
        list("").await,
        [ids[2].clone(), ids[1].clone(), ids[0].clone()],
        "newest first"
    );
    assert_eq!(
        list("?service_code=voirie").await,
        [ids[1].clone(), ids[0].clone()]
    );
    assert_eq!(list("?status=closed").await, [ids[1].clone()]);
    assert_eq!(
        list("?status=open&service_code=voirie,tags").await,
        [ids[2].clone(), ids[0].clone()]
    );
    let by_id = format!("?service_request_id={},{}&status=closed", ids[0], ids[2]);
    let body = xml_body(
        app.get(&format!("/open311/v2/requests.xml{by_id}")).await,
        200,
    )
    .await;
    let requests: RequestsXml = from_str(&body).expect("XML");
    assert_eq!(requests.request.len(), 2, "ids override the other filters");
    assert_eq!(
        list("?start_date=2001-01-01T00:00:00Z&end_date=2001-02-01T00:00:00Z").await,
        Vec::<String>::new()
    );

    let too_long = app
        .get("/open311/v2/requests.xml?start_date=2001-01-01T00:00:00Z&end_date=2002-01-01T00:00:00Z")
        .await;
    let errors: ErrorsXml = from_str(&xml_body(too_long, 400).await).expect("XML");
    assert!(errors.error[0].description.contains("90 days"));
    let bad_status = app.get("/open311/v2/requests.json?status=pending").await;
    assert_eq!(bad_status.status(), 400);
    let bad_date = app.get("/open311/v2/requests.json?start_date=hier").await;
    assert_eq!(bad_date.status(), 400);

    let resolved = xml_body(
        app.get(&format!("/open311/v2/requests/{closed}.xml")).await,
        200,
    )
    .await;
    let resolved: RequestsXml = from_str(&resolved).expect("XML");
    assert_eq!(resolved.request[0].status, "closed");
    assert_eq!(
        resolved.request[0].status_notes.as_deref(),
        Some("Rebouché.")
    );
    assert!(resolved.request[0].updated_datetime >= resolved.request[0].requested_datetime);
}

#[tokio::test]
async fn status_updates_are_listed_with_mysociety_states() {
    let app = reports_app().await;
    let posted: PostedXml = from_str(
        &xml_body(
            post_form(
                &app,
                "/open311/v2/requests.xml",
                &fixmystreet_fields(OPEN311_KEY),
            )
            .await,
            200,
        )
        .await,
    )
    .expect("XML");
    let id: i64 = posted.request[0].service_request_id.parse().expect("id");
    update(
        &app,
        id,
        &json!({ "status": "scheduled", "scheduled_for": "2030-06-01", "note": "Prévu en juin." }),
    )
    .await;
    let scheduled: RequestsXml = from_str(
        &xml_body(
            app.get(&format!("/open311/v2/requests/{id}.xml")).await,
            200,
        )
        .await,
    )
    .expect("XML");
    // Local midnight of the planned day (Paris, summer time), in UTC.
    assert_eq!(
        scheduled.request[0].expected_datetime.as_deref(),
        Some("2030-05-31T22:00:00Z")
    );
    update(
        &app,
        id,
        &json!({ "status": "resolved", "note": "C’est réparé." }),
    )
    .await;

    let body = xml_body(app.get("/open311/v2/servicerequestupdates.xml").await, 200).await;
    let updates: UpdatesXml = from_str(&body).expect("XML");
    let json = json_body(app.get("/open311/v2/servicerequestupdates.json").await, 200).await;

    let states: Vec<(&str, &str)> = updates
        .request_update
        .iter()
        .map(|u| (u.status.as_str(), u.description.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("ACTION_SCHEDULED", "Prévu en juin."),
            ("FIXED", "C’est réparé.")
        ]
    );
    assert!(
        updates
            .request_update
            .iter()
            .all(|u| u.service_request_id == id.to_string())
    );
    assert_ne!(
        updates.request_update[0].update_id,
        updates.request_update[1].update_id
    );
    assert!(
        updates.request_update[0].updated_datetime <= updates.request_update[1].updated_datetime
    );
    assert_eq!(json[1]["external_status_code"], "resolved");

    let scheduled: RequestsXml = from_str(
        &xml_body(
            app.get(&format!("/open311/v2/requests/{id}.xml")).await,
            200,
        )
        .await,
    )
    .expect("XML");
    assert_eq!(
        scheduled.request[0].expected_datetime.as_deref(),
        Some(""),
        "resolved: no date any more"
    );

    let past = app
        .get("/open311/v2/servicerequestupdates.xml?start_date=2001-01-01T00:00:00Z&end_date=2001-01-02T00:00:00Z")
        .await;
    let none: UpdatesXml = from_str(&xml_body(past, 200).await).expect("XML");
    assert!(none.request_update.is_empty());
}
