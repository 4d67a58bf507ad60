//! `cargo xtask bench <name>`: benchmarks whose results are recorded under bench/results/.

use std::path::Path;

use anyhow::{Result, bail};

use crate::{build, setup, size};

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("size") => bench_size(root),
        Some(other) => bail!("unknown benchmark `{other}` (available: size)"),
        None => bail!("which benchmark? (available: size)"),
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
