//! `cargo xtask bench <name>`: benchmarks whose results are recorded under bench/results/.

use std::path::Path;

use anyhow::{Result, bail};

use crate::process::{cargo, cmd};
use crate::{build, setup, size};

const AVAILABLE: &str = "size, news, agenda, facilities, reports";

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("size") => bench_size(root),
        Some("news") => bench_news(root),
        Some("agenda") => browser_bench(root, "bench/agenda.mjs"),
        Some("facilities") => browser_bench(root, "bench/facilities.mjs"),
        Some("reports") => bench_reports(root),
        Some(other) => bail!("unknown benchmark `{other}` (available: {AVAILABLE})"),
        None => bail!("which benchmark? (available: {AVAILABLE})"),
    }
}

/// Builds the release app and records the first-visit sizes.
fn bench_size(root: &Path) -> Result<()> {
    setup::for_app_build(root)?;
    build::app_release(root)?;
    let files = size::first_visit(&root.join("dist"))?;
    let report = size::report(&files);
    let out = root.join("bench/results/size.md");
    std::fs::create_dir_all(out.parent().unwrap_or(root))?;
    std::fs::write(&out, &report)?;
    println!("{report}\nwritten to {}", out.display());
    Ok(())
}

/// Runs one of the server's bench examples in release mode and returns its markdown output.
fn server_example(root: &Path, example: &str) -> Result<String> {
    let mut c = cmd(cargo(), root);
    c.args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "parvis-server",
        "--example",
        example,
    ]);
    eprintln!("xtask: $ cargo run --release -p parvis-server --example {example}");
    let out = c.stderr(std::process::Stdio::inherit()).output()?;
    if !out.status.success() {
        bail!("`{example}` failed ({})", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// News API throughput and latency with 10,000 articles; push fan-out to 10,000 subscriptions.
fn bench_news(root: &Path) -> Result<()> {
    let list = server_example(root, "bench_news")?;
    let push = server_example(root, "bench_push")?;
    let report = format!(
        "# News benchmarks\n\nWritten by `cargo xtask bench news` (release build, this machine: 2 cores; \
         server and load generator in one process, over loopback HTTP).\n\n\
         ## List API with 10,000 articles\n\n{list}\n## Web Push fan-out of one article to 10,000 subscriptions\n\n{push}"
    );
    let out = root.join("bench/results/news.md");
    std::fs::create_dir_all(out.parent().unwrap_or(root))?;
    std::fs::write(&out, &report)?;
    println!("{report}\nwritten to {}", out.display());
    Ok(())
}

/// A benchmark on the device, in headless Chromium against the release builds of the app and
/// the server: `bench/agenda.mjs` (2,000 events in IndexedDB: first screen, search keystrokes)
/// or `bench/facilities.mjs` (5,000 facilities: statuses by our Wasm vs opening_hours.js, first
/// clustered render of their markers). Each writes its bench/results/*.md.
fn browser_bench(root: &Path, script: &str) -> Result<()> {
    let server_bin = release_builds(root)?;
    crate::process::run(
        cmd("node", root)
            .arg(script)
            .env("PARVIS_SERVER_BIN", server_bin)
            .env("PARVIS_DIST", root.join("dist")),
    )
}

/// What the browser benches measure: the tools, the app's release build in `dist/` and the
/// release server, whose path it returns.
fn release_builds(root: &Path) -> Result<std::path::PathBuf> {
    setup::all(root)?;
    build::app_release(root)?;
    crate::process::run(cmd(cargo(), root).args(["build", "--release", "-p", "parvis-server"]))?;
    Ok(crate::process::target_dir(root).join("release/parvis-server"))
}

/// Reports: ingest rate with 300 KB photos and the server's peak memory with 50 concurrent
/// uploads (release server as its own process, `examples/bench_reports.rs`); in-browser
/// preparation of a 12 MP photo by the photo worker (bench/reports.mjs).
fn bench_reports(root: &Path) -> Result<()> {
    let server_bin = release_builds(root)?;
    let mut example = cmd(cargo(), root);
    example
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "parvis-server",
            "--example",
            "bench_reports",
        ])
        .env("PARVIS_SERVER_BIN", &server_bin);
    eprintln!("xtask: $ cargo run --release -p parvis-server --example bench_reports");
    let out = example.stderr(std::process::Stdio::inherit()).output()?;
    if !out.status.success() {
        bail!("`bench_reports` failed ({})", out.status);
    }
    let server = String::from_utf8_lossy(&out.stdout).into_owned();
    let out = cmd("node", root)
        .arg("bench/reports.mjs")
        .env("PARVIS_SERVER_BIN", &server_bin)
        .env("PARVIS_DIST", root.join("dist"))
        .stderr(std::process::Stdio::inherit())
        .output()?;
    if !out.status.success() {
        bail!("bench/reports.mjs failed ({})", out.status);
    }
    let browser = String::from_utf8_lossy(&out.stdout).into_owned();
    let report = format!(
        "# Reports benchmarks\n\nWritten by `cargo xtask bench reports` on this machine (2 cores).\n\n\
         ## Ingest and server memory\n\n{server}\n## Photo preparation in the browser\n\n{browser}"
    );
    let path = root.join("bench/results/reports.md");
    std::fs::write(&path, &report)?;
    println!("{report}\nwritten to {}", path.display());
    Ok(())
}
