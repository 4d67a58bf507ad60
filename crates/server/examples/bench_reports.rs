//! Benchmark of report ingestion against the real server binary (`PARVIS_SERVER_BIN`, a release
//! build), run as its own process so its memory can be read from `/proc`: the ingest rate of
//! reports carrying one 300 KB photo, then the server's peak memory while 50 reports with three
//! such photos each arrive at once. Prints a markdown section on stdout; `cargo xtask bench
//! reports` records it.
//!
//! `BENCH_REPORTS` (default 200) and `BENCH_CONCURRENCY` (default 4) tune the ingest run.

use std::io::{BufRead, BufReader, Cursor};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures_util::StreamExt;
use image::{ImageFormat, RgbImage};

const BURST: usize = 50;
const PHOTOS_PER_BURST_REPORT: usize = 3;
const TARGET_PHOTO_BYTES: usize = 300 * 1024;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A JPEG of about 300 KB, like a phone photo after the app's resizing (1600 px): a textured
/// picture (a smooth gradient would compress to a few kilobytes).
fn photo() -> anyhow::Result<Vec<u8>> {
    let (width, height) = (1600u32, 1200u32);
    let mut seed = 0x2545_f491_u32;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed & 0xff) as u8
    };
    // More texture, bigger file: the amplitude whose file is nearest the target.
    let mut best: Vec<u8> = Vec::new();
    for amplitude in (2u8..=80).step_by(2) {
        let image = RgbImage::from_fn(width, height, |x, y| {
            let base = ((x / 7 + y / 5) % 200) as u8;
            let n = noise() % amplitude;
            image::Rgb([
                base.saturating_add(n),
                (y % 255) as u8 / 2 + n / 2,
                90u8.saturating_add(n),
            ])
        });
        let mut bytes = Vec::new();
        image.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg)?;
        let distance = |b: &[u8]| b.len().abs_diff(TARGET_PHOTO_BYTES);
        if best.is_empty() || distance(&bytes) < distance(&best) {
            best = bytes;
        } else if bytes.len() > TARGET_PHOTO_BYTES {
            break;
        }
    }
    Ok(best)
}

/// A multipart body: the `report` JSON part, then the photos.
fn body(boundary: &str, description: &str, photos: &[&[u8]]) -> Vec<u8> {
    let report = serde_json::json!({
        "category": "voirie",
        "description": description,
        "position": { "lat": 47.3936, "lon": 0.6892 },
    });
    let mut out = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"report\"\r\nContent-Type: application/json\r\n\r\n{report}\r\n"
    )
    .into_bytes();
    for (i, photo) in photos.iter().enumerate() {
        out.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"photo-{}.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n",
                i + 1
            )
            .as_bytes(),
        );
        out.extend_from_slice(photo);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

/// Resident memory of a process, in KiB: (current, peak) from `/proc/<pid>/status`.
fn memory_kib(pid: u32) -> anyhow::Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Ok((field("VmRSS:"), field("VmHWM:")))
}

struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server() -> anyhow::Result<Server> {
    let bin = std::env::var("PARVIS_SERVER_BIN").context("PARVIS_SERVER_BIN")?;
    let dir = tempfile::tempdir()?;
    std::fs::create_dir_all(dir.path().join("dist"))?;
    std::fs::write(dir.path().join("dist/index.html"), "<!doctype html>")?;
    let mut child = Command::new(bin)
        .env("PARVIS_SERVER__HOST", "127.0.0.1")
        .env("PARVIS_SERVER__PORT", "0")
        .env("PARVIS_DATA_DIR", dir.path().join("data"))
        .env("PARVIS_SERVER__APP_DIR", dir.path().join("dist"))
        .env("PARVIS_DEMO__LOAD", "false")
        .env("PARVIS_LOG__LEVEL", "error")
        .env("PARVIS_REPORTS__RATE_LIMIT_PER_HOUR", "1000000")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting the server")?;
    let stdout = child.stdout.take().context("server stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let Some(line) = lines.next() else {
            bail!("the server stopped before it was ready");
        };
        let line = line?;
        if let Some(at) = line.find("http://") {
            break line[at..].trim().trim_end_matches('/').to_owned();
        }
    };
    // Keep draining its output.
    std::thread::spawn(move || for _ in lines {});
    Ok(Server {
        child,
        base,
        _dir: dir,
    })
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    key: &str,
    body: Vec<u8>,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let response = client
        .post(format!("{base}/api/v1/reports"))
        .header("Idempotency-Key", key)
        .header("Content-Type", "multipart/form-data; boundary=parvis-bench")
        .body(body)
        .send()
        .await?;
    let status = response.status();
    let text = response.text().await?;
    if status.as_u16() != 201 {
        bail!("{status}: {text}");
    }
    Ok(started.elapsed())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let reports = env_number("BENCH_REPORTS", 200);
    let concurrency = env_number("BENCH_CONCURRENCY", 4);
    // reqwest is built without a TLS provider of its own (see the workspace's rustls line).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let photo = photo()?;
    let server = start_server()?;
    let pid = server.child.id();
    let client = reqwest::Client::builder().build()?;
    let (idle_rss, _) = memory_kib(pid)?;

    // Ingest: one photo each, `concurrency` at a time.
    let started = Instant::now();
    let mut latencies: Vec<Duration> = futures_util::stream::iter(0..reports)
        .map(|i| {
            let body = body("parvis-bench", &format!("Ingest {i}"), &[&photo]);
            let (client, base) = (&client, server.base.as_str());
            async move { post(client, base, &format!("bench-ingest-{i}"), body).await }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    let elapsed = started.elapsed();
    latencies.sort();
    let rate = reports as f64 / elapsed.as_secs_f64();
    let megabytes = (reports * photo.len()) as f64 / 1_000_000.0 / elapsed.as_secs_f64();
    let p = |q: f64| {
        latencies[((latencies.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0
    };
    let (after_ingest_rss, _) = memory_kib(pid)?;

    // Burst: 50 reports with three photos each, all at once; memory sampled meanwhile.
    let bodies: Vec<Vec<u8>> = (0..BURST)
        .map(|i| {
            let photos: Vec<&[u8]> = (0..PHOTOS_PER_BURST_REPORT)
                .map(|_| photo.as_slice())
                .collect();
            body("parvis-bench", &format!("Burst {i}"), &photos)
        })
        .collect();
    let in_flight: usize = bodies.iter().map(Vec::len).sum();
    let sampling = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        std::thread::spawn(move || {
            let mut peak = 0u64;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok((rss, _)) = memory_kib(pid) {
                    peak = peak.max(rss);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            peak
        })
    };
    let burst_started = Instant::now();
    let results =
        futures_util::future::join_all(bodies.into_iter().enumerate().map(|(i, body)| {
            let (client, base) = (&client, server.base.as_str());
            async move { post(client, base, &format!("bench-burst-{i}"), body).await }
        }))
        .await;
    let burst_time = burst_started.elapsed();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let sampled_peak = sampler.join().unwrap_or(0);
    for result in results {
        result?;
    }
    let (_, high_water) = memory_kib(pid)?;

    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "Server: the release binary as its own process (SQLite, local photo store, photos decoded \
         and re-encoded as JPEG with a thumbnail), client on the same 2-core machine over loopback.\n\n\
         | measure | value |\n| --- | ---: |\n\
         | photo size | {} KB ({} × 1 photo per report) |\n\
         | ingest rate ({reports} reports, {concurrency} at a time) | {rate:.1} reports/s, {megabytes:.2} MB/s of photos |\n\
         | ingest latency p50 / p95 | {:.0} ms / {:.0} ms |\n\
         | 50 concurrent uploads (3 photos each, {:.1} MB in flight) | all 201 in {:.1} s |\n\
         | server memory: idle → after ingest | {:.1} MiB → {:.1} MiB |\n\
         | server peak memory during the 50 concurrent uploads (sampled every 5 ms) | {:.1} MiB |\n\
         | server peak memory over the whole run (VmHWM) | {:.1} MiB |\n",
        photo.len() / 1024,
        reports,
        p(0.5),
        p(0.95),
        in_flight as f64 / 1_000_000.0,
        burst_time.as_secs_f64(),
        mib(idle_rss),
        mib(after_ingest_rss),
        mib(sampled_peak),
        mib(high_water),
    );
    Ok(())
}
