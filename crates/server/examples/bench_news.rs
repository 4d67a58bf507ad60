//! Benchmark of the news list API: a server with 10,000 articles in a temporary SQLite database,
//! on a free port, loaded over loopback HTTP with bounded concurrency. Prints a markdown table
//! (throughput, p50 and p99 latency) on stdout; `cargo xtask bench news` records it.
//!
//! `BENCH_REQUESTS` (default 2000) and `BENCH_CONCURRENCY` (default 16) tune the load.

use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::StreamExt;
use parvis_core::ArticlePage;
use parvis_server::Application;
use parvis_server::config::{Config, Sources};
use parvis_server::db;
use parvis_server::db::articles::NewArticle;
use parvis_server::news::import::timestamp;
use parvis_server::startup::prepare_database;

const ARTICLES: usize = 10_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let requests = env_number("BENCH_REQUESTS", 2000);
    let concurrency = env_number("BENCH_CONCURRENCY", 16);
    let dir = tempfile::tempdir().context("temp dir")?;
    let env = [
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
    let config = Config::load(&Sources {
        env: env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
        ..Sources::default()
    })?;

    let started = Instant::now();
    let pool = prepare_database(&config).await?;
    fill(&pool, &config).await?;
    let fill_time = started.elapsed();
    pool.close().await;

    let app = Application::build(config).await?;
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;

    // A sync token from the middle of the history: the next 50 changes.
    let middle: ArticlePage = client
        .get(format!("{base}/api/v1/news?limit=50&since=cjUwMDA"))
        .send()
        .await?
        .json()
        .await?;
    let second_page_cursor = {
        let first: ArticlePage = client
            .get(format!("{base}/api/v1/news?limit=50"))
            .send()
            .await?
            .json()
            .await?;
        first.next_cursor.context("a second page")?
    };
    let etag = client
        .get(format!("{base}/api/v1/news?limit=50"))
        .send()
        .await?
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .context("an ETag")?
        .to_owned();
    assert_eq!(middle.items.len(), 50);

    let scenarios: Vec<(&str, String, Option<String>)> = vec![
        ("newest 50", "/api/v1/news?limit=50".into(), None),
        (
            "newest 50, themes culture,sport",
            "/api/v1/news?limit=50&theme=culture,sport".into(),
            None,
        ),
        (
            "second page (cursor)",
            format!("/api/v1/news?limit=50&cursor={second_page_cursor}"),
            None,
        ),
        (
            "50 changes since a token",
            "/api/v1/news?limit=50&since=cjUwMDA".into(),
            None,
        ),
        (
            "newest 50, If-None-Match (304)",
            "/api/v1/news?limit=50".into(),
            Some(etag),
        ),
        ("Atom feed (50 entries)", "/feeds/news.atom".into(), None),
    ];

    println!(
        "{ARTICLES} articles in SQLite (inserted in {:.1} s); {requests} requests per row, \
         {concurrency} in flight.\n",
        fill_time.as_secs_f64()
    );
    println!("| request | req/s | p50 (ms) | p99 (ms) | errors |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (name, path, if_none_match) in scenarios {
        let url = format!("{base}{path}");
        // Warm-up: connections and SQLite's page cache.
        run(&client, &url, if_none_match.as_deref(), 100, concurrency).await;
        let start = Instant::now();
        let (mut latencies, errors) = run(
            &client,
            &url,
            if_none_match.as_deref(),
            requests,
            concurrency,
        )
        .await;
        let elapsed = start.elapsed();
        latencies.sort_unstable();
        println!(
            "| {name} | {:.0} | {:.2} | {:.2} | {errors} |",
            requests as f64 / elapsed.as_secs_f64(),
            ms(percentile(&latencies, 0.50)),
            ms(percentile(&latencies, 0.99)),
        );
    }
    Ok(())
}

/// Sends `n` GETs with at most `concurrency` in flight; returns the latencies and error count.
async fn run(
    client: &reqwest::Client,
    url: &str,
    if_none_match: Option<&str>,
    n: usize,
    concurrency: usize,
) -> (Vec<Duration>, usize) {
    let results: Vec<Result<Duration, ()>> = futures_util::stream::iter(0..n)
        .map(|_| async move {
            let start = Instant::now();
            let mut request = client.get(url);
            if let Some(etag) = if_none_match {
                request = request.header("if-none-match", etag);
            }
            let response = request.send().await.map_err(|_| ())?;
            let status = response.status();
            response.bytes().await.map_err(|_| ())?;
            if status.is_success() || status.as_u16() == 304 {
                Ok(start.elapsed())
            } else {
                Err(())
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let errors = results.iter().filter(|r| r.is_err()).count();
    (results.into_iter().flatten().collect(), errors)
}

/// 10,000 articles over two years, one or two themes each, bodies of about 1 kB.
async fn fill(pool: &db::Db, config: &Config) -> anyhow::Result<()> {
    let themes: Vec<String> = config.news.themes.iter().map(|t| t.slug.clone()).collect();
    let now = chrono::Utc::now();
    let mut tx = db::articles::begin_write(pool).await?;
    for i in 0..ARTICLES {
        let published = now - chrono::Duration::minutes(105 * i as i64);
        let mut article_themes = vec![themes[i % themes.len()].clone()];
        if i % 3 == 0 {
            article_themes.push(themes[(i / 3 + 1) % themes.len()].clone());
            article_themes.dedup();
        }
        let article = NewArticle {
            guid: format!("bench-{i}"),
            link: None,
            title: format!("Article de test numéro {i} : travaux, collecte et vie locale"),
            summary: "Un résumé d’une ou deux phrases, comme ceux que la mairie publie, qui tient \
                      sur deux lignes d’un téléphone."
                .into(),
            body_html: format!(
                "<p>{}</p><ul><li>premier point</li><li>second point</li></ul>",
                "Texte de l’article, assez long pour ressembler à une vraie actualité. ".repeat(12)
            ),
            image_url: None,
            image_alt: None,
            published_at: timestamp(published),
            updated_at: timestamp(published),
            source_url: None,
            feed_url: None,
            content_hash: format!("{i:064x}"),
            themes: article_themes,
        };
        db::articles::insert(&mut tx, &article).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}
