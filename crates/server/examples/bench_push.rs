//! Benchmark of the Web Push fan-out: 10,000 subscriptions (made through the API) to a local
//! push service that counts what it receives, then one article sent to all of them, encrypted
//! and signed for real. Prints a markdown table on stdout; `cargo xtask bench news` records it.
//!
//! `BENCH_SUBSCRIPTIONS` (default 10000) and `BENCH_PUSH_CONCURRENCY` (default: the configured
//! `push.concurrency`) tune the run.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use axum::http::StatusCode;
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::StreamExt;
use p256::SecretKey;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use parvis_server::Application;
use parvis_server::config::{Config, Sources};
use parvis_server::db;
use parvis_server::db::articles::NewArticle;
use parvis_server::push::dispatch_article;
use serde_json::json;

/// Distinct subscription key pairs, reused round-robin (the sender derives a fresh shared
/// secret per message anyway, so this does not make its work lighter).
const KEY_PAIRS: usize = 16;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let subscriptions = env_number("BENCH_SUBSCRIPTIONS", 10_000);
    let dir = tempfile::tempdir().context("temp dir")?;
    let mut env = vec![
        ("PARVIS_SERVER__PORT", "0".to_owned()),
        ("PARVIS_DEMO__LOAD", "false".to_owned()),
        ("PARVIS_LOG__LEVEL", "error".to_owned()),
        (
            "PARVIS_DATA_DIR",
            dir.path().join("data").display().to_string(),
        ),
        (
            "PARVIS_SERVER__APP_DIR",
            dir.path().join("dist").display().to_string(),
        ),
    ];
    if let Ok(concurrency) = std::env::var("BENCH_PUSH_CONCURRENCY") {
        env.push(("PARVIS_PUSH__CONCURRENCY", concurrency));
    }
    let config = Config::load(&Sources {
        env: env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
        ..Sources::default()
    })?;
    let theme = config
        .news
        .themes
        .first()
        .map(|t| t.slug.clone())
        .context("at least one configured theme")?;
    let concurrency = config.push.concurrency;

    let app = Application::build(config).await?;
    let base = format!("http://{}", app.local_addr());
    let state = app.state();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let (receiver, received) = start_counting_push_service().await?;

    // Subscribe through the API, as browsers would.
    let keys: Vec<(String, String)> = (0..KEY_PAIRS)
        .map(|i| {
            let secret = SecretKey::random(&mut rand_core::OsRng);
            let p256dh =
                URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes());
            (p256dh, URL_SAFE_NO_PAD.encode([i as u8; 16]))
        })
        .collect();
    let client = reqwest::Client::new();
    let started = Instant::now();
    let statuses: Vec<u16> = futures_util::stream::iter(0..subscriptions)
        .map(|i| {
            let (p256dh, auth) = &keys[i % KEY_PAIRS];
            let body = json!({
                "endpoint": format!("{receiver}/push/{i}"),
                "keys": { "p256dh": p256dh, "auth": auth },
                "themes": [theme],
            });
            let request = client
                .post(format!("{base}/api/v1/push/subscriptions"))
                .json(&body)
                .send();
            async move { request.await.map_or(0, |r| r.status().as_u16()) }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let subscribe_time = started.elapsed();
    if let Some(status) = statuses.iter().find(|s| **s != 201) {
        bail!("a subscription was answered {status}");
    }

    let article = NewArticle {
        guid: "bench-push".into(),
        link: None,
        title: "Coupure d’eau rue de la Mairie".into(),
        summary: "L’eau sera coupée mardi de 9 h à 12 h pour des travaux sur le réseau.".into(),
        body_html: "<p>Texte.</p>".into(),
        image_url: None,
        image_alt: None,
        published_at: parvis_server::news::import::timestamp(chrono::Utc::now()),
        updated_at: parvis_server::news::import::timestamp(chrono::Utc::now()),
        source_url: None,
        feed_url: None,
        content_hash: "bench".into(),
        themes: vec![theme],
    };
    let mut tx = db::articles::begin_write(&state.db).await?;
    let article_id = db::articles::insert(&mut tx, &article).await?;
    tx.commit().await?;

    let rss_before = peak_rss_kib();
    let started = Instant::now();
    let report = dispatch_article(&state.db, &state.push, article_id).await?;
    let fanout_time = started.elapsed();
    let rss_after = peak_rss_kib();
    let again = dispatch_article(&state.db, &state.push, article_id).await?;

    let delivered = received.load(Ordering::Relaxed);
    if report.delivered != subscriptions || delivered != subscriptions || again.recipients != 0 {
        bail!(
            "expected {subscriptions} deliveries once: {report:?}, received {delivered}, again {again:?}"
        );
    }
    let secs = fanout_time.as_secs_f64();
    println!("| measure | value |");
    println!("| --- | --- |");
    println!("| subscriptions (created through the API) | {subscriptions} |");
    println!(
        "| subscribe rate (16 concurrent POSTs) | {:.0} /s |",
        subscriptions as f64 / subscribe_time.as_secs_f64()
    );
    println!("| fan-out concurrency (`push.concurrency`) | {concurrency} |");
    println!("| fan-out time of one article | {:.2} s |", secs);
    println!(
        "| deliveries per second (encrypt + sign + POST + record) | {:.0} |",
        report.delivered as f64 / secs
    );
    println!(
        "| deliveries recorded / received by the push service | {} / {delivered} |",
        report.delivered
    );
    println!(
        "| second dispatch of the same article | {} sent |",
        again.recipients
    );
    println!(
        "| peak RSS of the process (VmHWM) before → after the fan-out | {} → {} MiB |",
        rss_before / 1024,
        rss_after / 1024
    );
    Ok(())
}

/// A push service on a free port that answers 201 to every POST and counts them.
async fn start_counting_push_service() -> anyhow::Result<(String, Arc<AtomicUsize>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let origin = format!("http://{}", listener.local_addr()?);
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    let router = axum::Router::new().route(
        "/push/{id}",
        post(move || {
            counter.fetch_add(1, Ordering::Relaxed);
            async { StatusCode::CREATED }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok((origin, count))
}

/// The process's peak resident set size (`VmHWM`), in KiB; 0 where /proc is missing.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
