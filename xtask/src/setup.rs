//! Installs what the project needs, each step skipped when already right: rustup's wasm target,
//! Debian's Chromium and ChromeDriver (tests only), trunk and wasm-bindgen-cli at pinned versions,
//! the npm tools (wasm-opt from binaryen, esbuild, Playwright, axe-core), and the crates for offline builds.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::process::{cargo, cmd, output_of, run};

/// Trunk 0.22 needs a newer rustc than this toolchain (see shared/TOOLCHAIN.md).
const TRUNK_VERSION: &str = "0.21.14";
const DEBIAN_PACKAGES: [(&str, &str); 2] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
];

/// Everything: what the app build needs plus the browsers for the tests.
pub fn all(root: &Path) -> Result<()> {
    for_app_build(root)?;
    debian_packages()?;
    eprintln!("xtask: setup complete");
    Ok(())
}

/// What `trunk build --release` needs.
pub fn for_app_build(root: &Path) -> Result<()> {
    wasm_target(root)?;
    trunk(root)?;
    wasm_bindgen_cli(root)?;
    npm_tools(root)?;
    run(cmd(cargo(), root).args(["fetch", "--locked", "--quiet"]))
}

fn wasm_target(root: &Path) -> Result<()> {
    let installed = output_of(cmd("rustup", root).args(["target", "list", "--installed"]));
    if installed.is_some_and(|t| t.lines().any(|l| l == "wasm32-unknown-unknown")) {
        return Ok(());
    }
    run(cmd("rustup", root).args(["target", "add", "wasm32-unknown-unknown"]))
}

fn trunk(root: &Path) -> Result<()> {
    let version = output_of(cmd("trunk", root).arg("--version"));
    if version.as_deref() == Some(&format!("trunk {TRUNK_VERSION}")) {
        return Ok(());
    }
    eprintln!("xtask: installing trunk {TRUNK_VERSION} (about 12 minutes on 2 cores, once)");
    run(cmd(cargo(), root).args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))
}

/// wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock.
fn wasm_bindgen_cli(root: &Path) -> Result<()> {
    let wanted = locked_version(root, "wasm-bindgen")?;
    let have = output_of(cmd("wasm-bindgen", root).arg("--version"));
    let runner = output_of(cmd("wasm-bindgen-test-runner", root).arg("--version"));
    let expected = format!("wasm-bindgen {wanted}");
    if have.as_deref() == Some(expected.as_str())
        && runner.is_some_and(|r| r.contains(wanted.as_str()))
    {
        return Ok(());
    }
    eprintln!("xtask: installing wasm-bindgen-cli {wanted} (about 3 minutes, once)");
    // Not --locked: its lockfile names a crate version the registry here lacks.
    run(cmd(cargo(), root).args([
        "install",
        "--force",
        "wasm-bindgen-cli",
        "--version",
        &wanted,
    ]))
}

/// The version of a package in Cargo.lock.
pub fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle).map(|i| i + needle.len());
    let version = start.and_then(|s| lock[s..].split('"').next());
    version
        .map(str::to_owned)
        .with_context(|| format!("{package} is not in Cargo.lock"))
}

/// `npm ci` when package-lock.json changed since the last install.
fn npm_tools(root: &Path) -> Result<()> {
    let lock =
        std::fs::read(root.join("package-lock.json")).context("reading package-lock.json")?;
    let stamp = root.join("node_modules/.parvis-lock-stamp");
    let digest = crate::postbuild::hex_digest(&[&lock]);
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == digest) {
        return Ok(());
    }
    run(cmd("npm", root).args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]))?;
    std::fs::write(&stamp, digest).context("writing node_modules stamp")
}

/// Debian's Chromium and ChromeDriver, for the browser and end-to-end tests.
fn debian_packages() -> Result<()> {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .filter(|(_, bin)| !Path::new(bin).exists())
        .map(|(pkg, _)| *pkg)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let root_user = output_of(std::process::Command::new("id").arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut c = if root_user {
            std::process::Command::new("apt-get")
        } else {
            let mut s = std::process::Command::new("sudo");
            s.args(["-n", "apt-get"]);
            s
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut c)
    };
    if apt(&["update", "-qq"]).is_err() {
        bail!("cannot run apt-get (need root or passwordless sudo) to install {missing:?}");
    }
    let mut args = vec!["install", "-y", "-qq"];
    args.extend(&missing);
    apt(&args)
}
