//! Reports (« signalements »): what residents send about the street (a pothole, a broken
//! lamp, fly-tipping…), with up to three photos, through the app or an Open311 client.
//!
//! `config` reads `[reports]`; `upload` reads multipart bodies with limits; `photos` checks
//! and re-encodes photos; `store` keeps them (local directory or S3); `idempotency` holds the
//! keys, fingerprints and tracking tokens; `rate_limit` counts new reports per client address;
//! `submit` runs a new report from checked input to its receipt; `sweep` deletes photos a crash
//! left without a report; `demo` ships a few examples.

pub mod config;
pub mod demo;
pub mod idempotency;
pub mod photos;
pub mod rate_limit;
pub mod store;
pub mod submit;
pub mod sweep;
pub mod upload;

use std::sync::Arc;

use anyhow::Context;
use tokio::sync::Semaphore;

use self::idempotency::TokenKey;
use self::photos::PhotoLimits;
use self::rate_limit::RateLimiter;
use self::store::PhotoStore;
use crate::config::Config;
use crate::db::Db;

/// What the report handlers share besides the database.
#[derive(Debug)]
pub struct Reports {
    pub store: PhotoStore,
    pub limiter: RateLimiter,
    /// New supports per client address.
    pub support_limiter: RateLimiter,
    pub tokens: TokenKey,
    pub photo_limits: PhotoLimits,
    /// Photos decoded at once (two at most): a decoded photo can take a hundred megabytes or
    /// more, so a burst of uploads waits here instead of exhausting memory.
    pub decoding: Arc<Semaphore>,
    /// When this server started (RFC 3339): Open311 discovery's `changeset`, since the
    /// categories can only change with a restart.
    pub started_at: String,
}

impl Reports {
    /// The photo store, the token secret (created on first start) and an empty rate limiter.
    pub async fn build(config: &Config, db: &Db) -> anyhow::Result<Self> {
        let store = PhotoStore::from_config(config)?;
        let tokens = TokenKey::load_or_create(db)
            .await
            .context("cannot read the report token secret")?;
        // Decoding is CPU-bound and memory-hungry: more at once than cores gains nothing.
        let slots = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 2));
        Ok(Self {
            store,
            limiter: RateLimiter::new(config.reports.rate_limit_per_hour),
            support_limiter: RateLimiter::new(config.reports.support_rate_limit_per_hour),
            tokens,
            photo_limits: PhotoLimits::from(&config.reports),
            decoding: Arc::new(Semaphore::new(slots)),
            started_at: crate::agenda::times::timestamp(chrono::Utc::now()),
        })
    }
}
