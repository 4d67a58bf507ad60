//! The router: every route of the server and the layers around them, in one place.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use parvis_core::API_PREFIX;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::api::{
    agenda, commune, facilities, facility_closures, health, news, news_publish, openapi, push,
};
use crate::error::{self, AppError};
use crate::security_headers::{self, SecurityHeaders};
use crate::state::AppState;
use crate::{feeds, media, static_files};

/// The whole application: the API, the manifest and the PWA.
pub fn router(state: AppState, security: SecurityHeaders) -> Router {
    let max_body = state.config.server.max_body_bytes;
    let api = Router::new()
        .route("/health", get(health::get_health))
        .route("/commune", get(commune::get_commune))
        .route("/commune/logo", get(commune::get_commune_logo))
        .route("/openapi.json", get(openapi::get_openapi))
        .route("/themes", get(news::list_themes))
        .route(
            "/news",
            get(news::list_news).post(news_publish::publish_article),
        )
        .route(
            "/news/{id}",
            get(news::get_article).put(news_publish::update_article),
        )
        .route("/event-categories", get(agenda::list_categories))
        .route("/events", get(agenda::list_events))
        .route("/events/{id}", get(agenda::get_event))
        .route("/facility-categories", get(facilities::list_categories))
        .route("/facilities", get(facilities::list_facilities))
        .route("/facilities/{id}", get(facilities::get_facility))
        .route(
            "/facilities/{id}/closures",
            put(facility_closures::update_closures),
        )
        .route("/push/key", get(push::get_push_key))
        .route("/push/subscriptions", post(push::create_push_subscription))
        .route(
            "/push/subscriptions/{id}",
            put(push::update_push_subscription).delete(push::delete_push_subscription),
        )
        .fallback(error::api_not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(CompressionLayer::new());

    Router::new()
        .nest(API_PREFIX, api)
        .route("/manifest.json", get(static_files::get_manifest))
        .route("/media/news/{file}", get(media::get_news_image))
        .route(
            "/feeds/news.atom",
            get(feeds::news::get_news_atom).layer(CompressionLayer::new()),
        )
        .route(
            "/feeds/agenda.ics",
            get(feeds::agenda::get_agenda_ics).layer(CompressionLayer::new()),
        )
        .route(
            "/feeds/facilities.geojson",
            get(feeds::facilities::get_facilities_geojson).layer(CompressionLayer::new()),
        )
        .fallback(static_files::serve_app)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(max_body, limit_body))
        .layer(middleware::from_fn(error::add_instance))
        .layer(middleware::map_response_with_state(
            security,
            security_headers::apply,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                        request_id = %id,
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Refuses a body announced larger than `server.max_body_bytes` before anything reads it
/// (streamed bodies are capped by `DefaultBodyLimit` in the extractors).
async fn limit_body(State(max): State<usize>, request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match announced {
        Some(len) if len > max as u64 => AppError::TooLarge.into_response(),
        _ => next.run(request).await,
    }
}
