//! What every handler shares: the database and the documents built once from the configuration.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;

use crate::config::Config;
use crate::db::Db;

/// Handler state, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    /// `GET /api/v1/commune`, serialised once (the configuration does not change while running).
    pub commune: Arc<Document>,
    /// The commune's logo (configured file or the embedded default).
    pub logo: Arc<Document>,
    /// The built PWA.
    pub app_dir: Arc<PathBuf>,
    /// The id of each newly published article, sent once its import has committed (not for
    /// updates). Web Push subscribes to it; sending with no subscriber is not an error.
    pub published: tokio::sync::broadcast::Sender<i64>,
    /// Web Push: the VAPID key and the sender.
    pub push: Arc<crate::push::Pusher>,
    /// Reports: the photo store, the rate limiter and the token secret.
    pub reports: Arc<crate::reports::Reports>,
}

/// Room in the `published` channel: a slow subscriber lags (and is told so) past this.
pub const PUBLISHED_CAPACITY: usize = 1024;

/// A response body with its strong ETag and media type.
#[derive(Debug, Clone)]
pub struct Document {
    pub body: Bytes,
    pub etag: String,
    pub content_type: &'static str,
}

impl Document {
    pub fn new(body: impl Into<Bytes>, content_type: &'static str) -> Self {
        let body = body.into();
        let etag = crate::conditional::etag_of(&body);
        Self {
            body,
            etag,
            content_type,
        }
    }
}
