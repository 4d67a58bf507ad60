//! The `parvis-server` binary itself: the ready line, exit codes and signals.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::helpers::{path_str, write_fake_dist};

const BIN: &str = env!("CARGO_BIN_EXE_parvis-server");

/// The binary in `cwd` with a clean `PARVIS_*` environment plus `env`.
fn command(cwd: &Path, env: &[(&str, String)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(cwd).env_remove("RUST_LOG");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PARVIS_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("PARVIS_SERVER__PORT", "0")
        .env("PARVIS_DATA_DIR", path_str(&cwd.join("data")))
        .env(
            "PARVIS_SERVER__APP_DIR",
            path_str(&write_fake_dist(&cwd.join("dist"))),
        )
        .env("PARVIS_LOG__LEVEL", "error");
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn wait_for(child: &mut Child, limit: Duration) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("parvis-server did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs the binary expecting a start-up failure; returns its stderr.
fn expect_startup_failure(cwd: &Path, env: &[(&str, String)], args: &[&str]) -> String {
    let mut child = command(cwd, env)
        .args(args)
        .spawn()
        .expect("spawn parvis-server");
    let status = wait_for(&mut child, Duration::from_secs(30));
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(status.code(), Some(2), "exit code; stderr: {stderr}");
    assert!(output.stdout.is_empty(), "nothing on stdout");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    stderr
}

#[test]
fn a_bad_configuration_stops_start_up_with_one_error_line_and_code_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stderr = expect_startup_failure(
        dir.path(),
        &[("PARVIS_COMMUNE__COLORS__PRIMARY", "#ffff00".into())],
        &[],
    );
    assert!(stderr.contains("commune.colors.primary"), "{stderr}");
}

#[test]
fn invalid_toml_in_parvis_toml_stops_start_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("parvis.toml"), "[server\n").expect("write");
    expect_startup_failure(dir.path(), &[], &[]);
}

#[test]
fn a_missing_config_file_given_explicitly_stops_start_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stderr = expect_startup_failure(dir.path(), &[], &["--config", "absent.toml"]);
    assert!(stderr.contains("absent.toml"), "{stderr}");
}

#[test]
fn an_unknown_argument_stops_start_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stderr = expect_startup_failure(dir.path(), &[], &["--frobnicate"]);
    assert!(stderr.contains("--frobnicate"), "{stderr}");
}

#[test]
fn a_port_in_use_stops_start_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let stderr = expect_startup_failure(
        dir.path(),
        &[("PARVIS_SERVER__PORT", port.to_string())],
        &[],
    );
    assert!(stderr.contains(&port.to_string()), "{stderr}");
}

#[test]
fn an_unusable_data_dir_stops_start_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"not a directory").expect("write");
    let stderr = expect_startup_failure(
        dir.path(),
        &[("PARVIS_DATA_DIR", path_str(&file.join("data")))],
        &[],
    );
    assert!(stderr.contains("data_dir"), "{stderr}");
}

#[tokio::test]
async fn the_server_announces_its_address_serves_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = command(
        dir.path(),
        &[("PARVIS_COMMUNE__NAME", "Ville-Binaire".into())],
    )
    .arg("serve")
    .spawn()
    .expect("spawn parvis-server");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });

    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("a ready line within 30 s");
    let url = line
        .strip_prefix("Parvis écoute sur ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"));
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix('/'))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected address: {url}"));
    assert_ne!(port, 0);

    // This test runs no server in-process: set the TLS provider reqwest needs itself.
    parvis_server::startup::install_tls_provider();
    let commune: parvis_core::Commune = reqwest::get(format!("{url}api/v1/commune"))
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON");
    assert_eq!(commune.name, "Ville-Binaire");
    assert!(
        dir.path().join("data/parvis.db").is_file(),
        "the database is in data_dir"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = wait_for(&mut child, Duration::from_secs(15));
    assert_eq!(status.code(), Some(0), "a clean exit after SIGTERM");
}
