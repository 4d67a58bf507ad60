//! `GET /api/v1/openapi.json`: the OpenAPI 3 description of the API.

use axum::Json;
use parvis_core::news::NewArticle;
use parvis_core::problem::FieldError;
use parvis_core::push::{
    NewPushSubscription, PushKeys, PushSubscription, PushThemes, VapidPublicKey,
};
use parvis_core::{Article, ArticlePage, Audience, Event, EventCategory, EventPage, Theme};
use parvis_core::{Bounds, Color, Commune, CommuneColors, Health, LatLon, Locale, Problem};
use parvis_core::{
    Closure, Facility, FacilityCategory, FacilityPage, HolidayRules, SchoolZone, Wheelchair,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The API document; every handler is listed here.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Parvis API",
        description = "API of Parvis, the residents' app of a French commune. Errors are \
                       application/problem+json (RFC 9457) with a French `detail`."
    ),
    paths(
        super::health::get_health,
        super::commune::get_commune,
        super::commune::get_commune_logo,
        super::news::list_themes,
        super::news::list_news,
        super::news::get_article,
        super::news_publish::publish_article,
        super::news_publish::update_article,
        crate::feeds::news::get_news_atom,
        super::agenda::list_categories,
        super::agenda::list_events,
        super::agenda::get_event,
        crate::feeds::agenda::get_agenda_ics,
        super::facilities::list_categories,
        super::facilities::list_facilities,
        super::facilities::get_facility,
        super::facility_closures::update_closures,
        crate::feeds::facilities::get_facilities_geojson,
        super::push::get_push_key,
        super::push::create_push_subscription,
        super::push::update_push_subscription,
        super::push::delete_push_subscription,
        get_openapi,
    ),
    components(schemas(
        Health, Commune, CommuneColors, Color, LatLon, Bounds, Locale, Problem, FieldError,
        Theme, Article, ArticlePage, NewArticle,
        EventCategory, Event, EventPage, Audience,
        FacilityCategory, Facility, FacilityPage, Closure, Wheelchair, HolidayRules, SchoolZone,
        VapidPublicKey, NewPushSubscription, PushKeys, PushThemes, PushSubscription
    )),
    modifiers(&PublishKey, &EditKey),
    tags(
        (name = "system", description = "Health and API description"),
        (name = "commune", description = "The commune's identity"),
        (name = "news", description = "News by theme, and its Atom export"),
        (name = "agenda", description = "The agenda of events, and its iCalendar export"),
        (name = "facilities", description = "Municipal facilities, their hours and closures, and their GeoJSON export"),
        (name = "push", description = "Web Push notifications of the followed themes"),
    )
)]
pub struct ApiDoc;

/// The `publish_key` security scheme: a bearer key of `news.publish_keys`.
struct PublishKey;

impl Modify for PublishKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "publish_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A key of `news.publish_keys` in the server's configuration",
                    ))
                    .build(),
            ),
        );
    }
}

/// The `edit_key` security scheme: a bearer key of `facilities.edit_keys`.
struct EditKey;

impl Modify for EditKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "edit_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A key of `facilities.edit_keys` in the server's configuration",
                    ))
                    .build(),
            ),
        );
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "system",
    responses((status = 200, description = "The OpenAPI 3 document", content_type = "application/json"))
)]
pub async fn get_openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
