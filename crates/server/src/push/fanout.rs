//! The fan-out of one article: every subscription following one of its themes gets one
//! notification, with bounded concurrency; deliveries are recorded so none is sent twice.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::StreamExt;
use futures_util::stream;
use tokio::sync::broadcast;
use url::Url;

use super::Pusher;
use super::payload::{self, ArticleNotice};
use super::sender::{self, Message, Outcome, Urgency};
use super::vapid;
use crate::db::{self, Db};

/// Deliveries are written in batches of this size (one transaction each).
const RECORD_BATCH: usize = 256;

/// How VAPID tokens are valid (RFC 8292 allows at most 24 h).
const TOKEN_VALIDITY_SECONDS: i64 = 12 * 3600;

/// What one dispatch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DispatchReport {
    /// Subscriptions that follow a theme of the article and had not received it yet.
    pub recipients: usize,
    /// Accepted by their push service (and recorded).
    pub delivered: usize,
    /// Expired subscriptions (404/410), removed.
    pub removed: usize,
    /// Refused for good by the push service (other 4xx), kept.
    pub rejected: usize,
    /// Still failing after the last retry; a later dispatch of the article may reach them.
    pub failed: usize,
    /// The article was published longer ago than `push.ttl_seconds`: not news any more (a
    /// feed added with years of history must not flood residents), so nothing was sent.
    pub too_old: bool,
}

/// Sends article `article_id` to every subscription following one of its themes that has not
/// received it yet. Running it again for the same article sends nothing new.
pub async fn dispatch_article(
    db: &Db,
    pusher: &Pusher,
    article_id: i64,
) -> anyhow::Result<DispatchReport> {
    let _one_at_a_time = pusher.dispatching.lock().await;
    let mut report = DispatchReport::default();
    let Some(article) = db::push::article_for_push(db, article_id)
        .await
        .context("reading the article to push")?
    else {
        tracing::warn!(article_id, "push: no such article");
        return Ok(report);
    };
    let age = DateTime::parse_from_rfc3339(&article.published_at)
        .map(|published| Utc::now().signed_duration_since(published))
        .unwrap_or_default();
    if age.num_seconds() > i64::from(pusher.settings.ttl_seconds) {
        tracing::info!(
            article_id,
            published_at = article.published_at,
            "push: article too old to notify"
        );
        report.too_old = true;
        return Ok(report);
    }
    let recipients = db::push::recipients(
        db,
        article_id,
        &article.themes,
        article.created_at.as_deref(),
    )
    .await
    .context("selecting push recipients")?;
    report.recipients = recipients.len();
    if recipients.is_empty() {
        return Ok(report);
    }

    let tag = payload::article_tag(article_id);
    let message = Arc::new(Message {
        plaintext: payload::article_message(&ArticleNotice {
            id: article_id,
            title: &article.title,
            summary: &article.summary,
            navigate: pusher.article_url(article_id),
            lang: pusher.lang,
        }),
        urgency: if article.urgent {
            Urgency::High
        } else {
            Urgency::Normal
        },
        topic: article.urgent.then(|| tag.clone()),
    });

    // One VAPID token per push service origin (a few of them for thousands of subscriptions).
    let expires = Utc::now().timestamp() + TOKEN_VALIDITY_SECONDS;
    let mut tokens: HashMap<String, Arc<str>> = HashMap::new();
    let jobs = recipients.into_iter().map(|subscription| {
        let authorization = Url::parse(&subscription.endpoint).ok().map(|url| {
            let audience = vapid::audience(&url);
            tokens
                .entry(audience)
                .or_insert_with_key(|aud| {
                    pusher
                        .vapid
                        .authorization(aud, &pusher.settings.contact, expires)
                        .into()
                })
                .clone()
        });
        let client = pusher.client.clone();
        let settings = Arc::clone(&pusher.settings);
        let message = Arc::clone(&message);
        // Spawned, so that encryption uses every core; `buffer_unordered` bounds how many run.
        tokio::spawn(async move {
            let outcome = match authorization {
                Some(authorization) => {
                    sender::send(&client, &settings, &subscription, &authorization, &message).await
                }
                None => Outcome::Rejected("endpoint is not a URL".into()),
            };
            (subscription.id, outcome)
        })
    });
    let mut outcomes = stream::iter(jobs).buffer_unordered(pusher.settings.concurrency);

    let mut delivered = Vec::new();
    while let Some(joined) = outcomes.next().await {
        let (subscription_id, outcome) = match joined {
            Ok(done) => done,
            Err(e) => {
                tracing::error!(article_id, error = %e, "push: a send task failed");
                report.failed += 1;
                continue;
            }
        };
        match outcome {
            Outcome::Delivered(status) => {
                report.delivered += 1;
                delivered.push((subscription_id, status));
                if delivered.len() >= RECORD_BATCH {
                    record(db, article_id, &mut delivered).await?;
                }
            }
            Outcome::Gone(status) => {
                report.removed += 1;
                tracing::info!(
                    article_id,
                    subscription_id,
                    status,
                    "push: subscription expired, removed"
                );
                db::push::delete_subscription(db, &subscription_id)
                    .await
                    .context("removing an expired subscription")?;
            }
            Outcome::Rejected(reason) => {
                report.rejected += 1;
                tracing::warn!(article_id, subscription_id, reason, "push: refused");
            }
            Outcome::Failed(reason) => {
                report.failed += 1;
                tracing::warn!(
                    article_id,
                    subscription_id,
                    reason,
                    "push: gave up after retries"
                );
            }
        }
    }
    record(db, article_id, &mut delivered).await?;
    tracing::info!(
        article_id,
        recipients = report.recipients,
        delivered = report.delivered,
        removed = report.removed,
        rejected = report.rejected,
        failed = report.failed,
        "push: article sent"
    );
    Ok(report)
}

async fn record(
    db: &Db,
    article_id: i64,
    delivered: &mut Vec<(String, u16)>,
) -> anyhow::Result<()> {
    if delivered.is_empty() {
        return Ok(());
    }
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    db::push::record_deliveries(db, article_id, delivered, &now)
        .await
        .context("recording push deliveries")?;
    delivered.clear();
    Ok(())
}

/// Runs [`dispatch_article`] for every id published on `published`, one after the other,
/// until the channel closes; and sweeps at start-up, every `push.sweep_seconds` and whenever
/// the channel overflowed, so that articles nobody announced (imported by the CLI, another
/// process, or missed here) are pushed too. [`dispatch_article`] runs one at a time and skips
/// deliveries already made, so the sweep and the channel never send an article twice.
pub fn spawn_dispatcher(
    db: Db,
    pusher: Arc<Pusher>,
    mut published: broadcast::Receiver<i64>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut sweeps =
            tokio::time::interval(Duration::from_secs(pusher.settings.sweep_seconds.max(1)));
        sweeps.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                received = published.recv() => match received {
                    Ok(article_id) => dispatch_logged(&db, &pusher, article_id).await,
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "push: too many articles at once, sweeping");
                        sweep(&db, &pusher).await;
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                _ = sweeps.tick() => sweep(&db, &pusher).await,
            }
        }
    })
}

async fn dispatch_logged(db: &Db, pusher: &Pusher, article_id: i64) {
    if let Err(e) = dispatch_article(db, pusher, article_id).await {
        tracing::error!(
            article_id,
            error = format!("{e:#}"),
            "push: dispatch failed"
        );
    }
}

/// Dispatches every article stored here and published within `push.ttl_seconds`; each one
/// reaches only the subscriptions that existed when it was stored and have not received it.
pub async fn sweep(db: &Db, pusher: &Pusher) {
    let since = Utc::now() - chrono::Duration::seconds(i64::from(pusher.settings.ttl_seconds));
    let since = since.to_rfc3339_opts(SecondsFormat::Secs, true);
    let articles = match db::push::recent_articles(db, &since).await {
        Ok(articles) => articles,
        Err(e) => {
            tracing::error!(error = %e, "push: cannot list the articles to sweep");
            return;
        }
    };
    for article_id in articles {
        dispatch_logged(db, pusher, article_id).await;
    }
}
