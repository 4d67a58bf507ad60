//! The first-visit size budget: what a phone downloads to show the app the first time
//! (index.html and everything it links, plus the manifest), raw, gzip and brotli.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::postbuild::{brotli, gzip};

/// The shell's first visit must stay at or under this many brotli bytes (250 KB).
pub const BUDGET_BROTLI_BYTES: usize = 250_000;
/// File kinds the budget counts: HTML, JS, Wasm, CSS and the manifest.
const COUNTED: [&str; 5] = ["html", "js", "wasm", "css", "json"];

#[derive(Debug)]
pub struct FileSize {
    pub url: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// Sizes of the first-visit files of a built `dist/`, index.html first.
pub fn first_visit(dist: &Path) -> Result<Vec<FileSize>> {
    let index = fs::read_to_string(dist.join("index.html")).with_context(|| {
        format!(
            "no build in {}: run `cargo xtask build-app`",
            dist.display()
        )
    })?;
    let mut urls = vec!["/index.html".to_owned()];
    for attr in ["href=\"", "src=\""] {
        for piece in index.split(attr).skip(1) {
            let url = piece.split('"').next().unwrap_or_default();
            if url.starts_with('/') && !urls.iter().any(|u| u == url) {
                urls.push(url.to_owned());
            }
        }
    }
    let mut out = Vec::new();
    for url in urls {
        let ext = url.rsplit('.').next().unwrap_or_default();
        if !COUNTED.contains(&ext) {
            continue;
        }
        let path: PathBuf = dist.join(url.trim_start_matches('/'));
        let raw =
            fs::read(&path).with_context(|| format!("index.html links {url}, not in the build"))?;
        out.push(FileSize {
            raw: raw.len(),
            gzip: gzip(&raw)?.len(),
            brotli: brotli(&raw)?.len(),
            url,
        });
    }
    Ok(out)
}

pub fn total_brotli(files: &[FileSize]) -> usize {
    files.iter().map(|f| f.brotli).sum()
}

/// The report written to bench/results/size.md.
pub fn report(files: &[FileSize]) -> String {
    let mut s = String::from(
        "# First-visit size of the app shell\n\n\
         Written by `cargo xtask bench size` from the release build in `dist/` \
         (Trunk, wasm-opt -Oz; brotli quality 11, gzip level 9, as the server sends them).\n\n\
         | file | raw | gzip | brotli |\n| --- | ---: | ---: | ---: |\n",
    );
    for f in files {
        let _ = writeln!(s, "| `{}` | {} | {} | {} |", f.url, f.raw, f.gzip, f.brotli);
    }
    let sum = |g: fn(&FileSize) -> usize| files.iter().map(g).sum::<usize>();
    let _ = writeln!(
        s,
        "| **total** | **{}** | **{}** | **{}** |\n\nBudget: {} bytes brotli; {}.",
        sum(|f| f.raw),
        sum(|f| f.gzip),
        sum(|f| f.brotli),
        BUDGET_BROTLI_BYTES,
        if total_brotli(files) <= BUDGET_BROTLI_BYTES {
            "within budget"
        } else {
            "OVER BUDGET"
        }
    );
    s
}

/// Fails when the first visit is over budget.
pub fn check_budget(dist: &Path) -> Result<()> {
    let files = first_visit(dist)?;
    let total = total_brotli(&files);
    eprintln!("xtask: first visit is {total} bytes brotli (budget {BUDGET_BROTLI_BYTES})");
    if total > BUDGET_BROTLI_BYTES {
        bail!(
            "the first visit is {total} bytes brotli, over the {BUDGET_BROTLI_BYTES}-byte budget\n{}",
            report(&files)
        );
    }
    Ok(())
}
