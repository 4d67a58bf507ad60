//! `cargo xtask test`: every check the project has, in the order that fails fastest.
//! `.ci/run` calls exactly this.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::process::{cargo, cmd, run};
use crate::{build, setup, size};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WASM: &str = "wasm32-unknown-unknown";

pub fn all(root: &Path) -> Result<()> {
    let started = Instant::now();
    let mut timings = Vec::new();
    let mut step = |name: &str, f: &mut dyn FnMut() -> Result<()>| -> Result<()> {
        eprintln!("\nxtask: ── {name}");
        let t = Instant::now();
        f().with_context(|| format!("step `{name}` failed"))?;
        timings.push((name.to_owned(), t.elapsed()));
        Ok(())
    };

    step("setup", &mut || setup::all(root))?;
    step("fmt", &mut || {
        run(cmd(cargo(), root).args(["fmt", "--all", "--check"]))
    })?;
    step("clippy (native)", &mut || {
        run(cmd(cargo(), root).args([
            "clippy",
            "--workspace",
            "--exclude",
            "parvis",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("clippy (wasm32)", &mut || {
        run(cmd(cargo(), root).args([
            "clippy",
            "--target",
            WASM,
            "-p",
            "parvis",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
        // Core's library as the app compiles it; its tests run natively (proptest's random
        // source does not build for wasm32-unknown-unknown).
        run(cmd(cargo(), root).args([
            "clippy",
            "--target",
            WASM,
            "-p",
            "parvis-core",
            "--lib",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    // The app is excluded here: it only builds for wasm32 and is tested in the browser below.
    step("cargo test (native)", &mut || {
        run(cmd(cargo(), root).args(["test", "--workspace", "--exclude", "parvis"]))
    })?;
    step(
        "browser tests (wasm-bindgen-test, headless Chromium)",
        &mut || {
            run(cmd(cargo(), root)
                .args(["test", "--target", WASM, "-p", "parvis"])
                .env("CHROMEDRIVER", CHROMEDRIVER))
        },
    )?;
    step("release build of the app", &mut || build::app_release(root))?;
    step("size budget", &mut || {
        size::check_budget(&root.join("dist"))
    })?;
    step(
        "end-to-end tests (Playwright, Debian Chromium)",
        &mut || e2e(root),
    )?;

    eprintln!("\nxtask: all checks passed in {:.0?}", started.elapsed());
    for (name, t) in timings {
        eprintln!("  {:>7.1?}  {name}", t);
    }
    Ok(())
}

/// The end-to-end specs run with node's test runner against the real server binary and the
/// release build in dist/ (each spec starts its own server on a free port with a fresh DB).
fn e2e(root: &Path) -> Result<()> {
    run(cmd(cargo(), root).args(["build", "--quiet", "-p", "parvis-server"]))?;
    let mut specs: Vec<String> = std::fs::read_dir(root.join("tests/e2e"))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("tests/e2e/{name}"))
        .collect();
    specs.sort();
    let mut node = cmd("node", root);
    node.args(["--test", "--test-concurrency=1"])
        .args(&specs)
        .env(
            "PARVIS_SERVER_BIN",
            crate::process::target_dir(root).join("debug/parvis-server"),
        )
        .env("PARVIS_DIST", root.join("dist"));
    run(&mut node)
}
