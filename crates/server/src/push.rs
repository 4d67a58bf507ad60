//! Web Push (RFC 8030/8291/8292): the server's VAPID identity, and the fan-out of a newly
//! published article to the subscriptions following one of its themes.
//!
//! `vapid` signs, `payload` builds the notification, `sender` delivers one message with
//! retries over `client`, `fanout` sends an article to every matching subscription, once.

pub mod client;
pub mod fanout;
pub mod payload;
pub mod sender;
pub mod vapid;

use anyhow::Context;
use std::net::SocketAddr;
use std::sync::Arc;

pub use fanout::{DispatchReport, dispatch_article, spawn_dispatcher, sweep};
pub use vapid::VapidKey;

use crate::config::{Config, PushConfig};
use crate::db::Db;

/// Everything a fan-out needs besides the database; one per server, shared.
#[derive(Debug)]
pub struct Pusher {
    vapid: VapidKey,
    client: client::PushClient,
    settings: Arc<PushConfig>,
    /// Where the app lives: `server.public_url`, or the bound address.
    base_url: String,
    /// Language of the notifications' text (the commune's default).
    lang: &'static str,
    /// One fan-out at a time in this process, so two dispatches of the same article cannot
    /// both pass the "not delivered yet" check.
    dispatching: tokio::sync::Mutex<()>,
}

impl Pusher {
    /// Loads (or creates, on first start) the VAPID key and prepares the HTTP client.
    pub async fn build(config: &Config, db: &Db, local_addr: SocketAddr) -> anyhow::Result<Self> {
        let vapid = VapidKey::load_or_create(db).await?;
        let client = client::build().context("cannot prepare the Web Push HTTP client")?;
        let base_url = match &config.server.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{local_addr}"),
        };
        Ok(Self {
            vapid,
            client,
            settings: Arc::new(config.push.clone()),
            base_url,
            lang: config.commune.default_locale.tag(),
            dispatching: tokio::sync::Mutex::new(()),
        })
    }

    /// The VAPID public key (base64url), the app's `applicationServerKey`.
    pub fn public_key(&self) -> &str {
        self.vapid.public_key()
    }

    /// The absolute URL of an article's page in the app.
    pub fn article_url(&self, id: i64) -> String {
        format!("{}/actualites/{id}", self.base_url)
    }
}
