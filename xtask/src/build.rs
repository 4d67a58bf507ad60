//! Builds the PWA in release with Trunk (offline, pinned tools), into `dist/`.

use std::path::Path;

use anyhow::Result;

use crate::process::{cmd, run};

/// `trunk build --release --offline`; Trunk runs our post_build hook (`xtask postbuild`).
pub fn app_release(root: &Path) -> Result<()> {
    run(cmd("trunk", root)
        .args(["build", "--release", "--offline"])
        // Otherwise Trunk asks the crates.io API for a newer version at every start.
        .env("TRUNK_SKIP_VERSION_CHECK", "true"))
}
