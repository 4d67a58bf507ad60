//! `cargo xtask run`: one command from a fresh clone to the app on http://127.0.0.1:8080/
//! (embedded defaults: SQLite in ./data, the demo commune, local photo store).

use std::path::Path;

use anyhow::Result;

use crate::process::{cargo, cmd, run as run_cmd};
use crate::{build, setup};

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    setup::for_app_build(root)?;
    build::app_release(root)?;
    run_cmd(cmd(cargo(), root).args(["build", "--release", "--quiet", "-p", "parvis-server"]))?;
    let args: Vec<&String> = args.iter().skip_while(|a| *a == "--").collect();
    eprintln!("xtask: starting the server (Ctrl+C to stop); it prints its address when ready");
    // From the workspace root, the server's defaults find the build in ./dist and keep its
    // SQLite database in ./data; ./parvis.toml and PARVIS_* variables override them.
    run_cmd(
        cmd(
            crate::process::target_dir(root).join("release/parvis-server"),
            root,
        )
        .args(args),
    )
}
