//! Running external commands with a readable trace and errors that say which step failed.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// A command to run from the workspace root, printed before it starts.
pub fn cmd(program: impl AsRef<OsStr>, root: &Path) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root).env("PATH", tool_path(root));
    c
}

/// Runs a command to completion, failing with its name when it exits non-zero.
pub fn run(c: &mut Command) -> Result<()> {
    eprintln!("xtask: $ {}", describe(c));
    let status = c
        .status()
        .with_context(|| format!("could not start `{}`", describe(c)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(c));
    }
    Ok(())
}

/// Runs a command and returns its trimmed stdout, or `None` if it can't start or fails.
pub fn output_of(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// PATH with the project's tools first: npm's local bin (wasm-opt, …) and cargo's bin.
pub fn tool_path(root: &Path) -> std::ffi::OsString {
    let mut dirs = vec![root.join("node_modules/.bin"), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// Where `cargo install` puts binaries.
pub fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// The `cargo` that runs us, so nested builds use the same toolchain.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `target/` in the workspace.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"))
}
