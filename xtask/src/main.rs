//! `cargo xtask`: the project's one entry point for setting up, running, testing and
//! benchmarking Parvis. Every tool the project needs is installed from here (see `setup`).

mod bench;
mod build;
mod postbuild;
mod process;
mod run;
mod setup;
mod size;
mod test;

use std::path::PathBuf;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

  setup              install what is missing (idempotent; fast when present)
  run [-- ARGS]      set up, build the app in release and start the server (ARGS go to it)
  test               set up, then every check: fmt, clippy (native, wasm32), cargo test,
                     browser tests, release build + size budget, end-to-end tests
  bench <name>       benchmarks: size, news, agenda, facilities
  build-app          build the PWA in release into dist/
  postbuild [DIR]    Trunk post_build hook (service-worker precache list, CSP-safe bootstrap,
                     precompressed siblings); DIR defaults to $TRUNK_STAGING_DIR";

fn main() {
    if let Err(err) = real_main() {
        eprintln!("xtask: error: {err:#}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("setup") => setup::all(&root),
        Some("run") => run::run(&root, &args[1..]),
        Some("test") => test::all(&root),
        Some("bench") => bench::run(&root, &args[1..]),
        Some("build-app") => {
            setup::for_app_build(&root)?;
            build::app_release(&root)
        }
        Some("postbuild") => postbuild::run(&root, args.get(1).map(PathBuf::from)),
        Some("help" | "-h" | "--help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    // `cargo run` sets it at run time: prefer it to the compile-time value, which is stale when
    // two checkouts share a target directory (cargo does not rebuild for a moved checkout).
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
