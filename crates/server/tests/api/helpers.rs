//! `spawn_app()`: the server on a free port with its own temporary data directory and app build.

use std::path::{Path, PathBuf};

use parvis_server::Application;
use parvis_server::config::{Config, Sources};
use parvis_server::state::AppState;
use tempfile::TempDir;

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub address: String,
    pub client: reqwest::Client,
    /// The configuration the server runs with.
    pub config: Config,
    /// The server's shared state: its database, push sender, `published` channel.
    pub state: AppState,
    /// Keeps the data directory and the fake build alive for the test's duration.
    _dir: TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }
}

/// A server with the default configuration and a fake app build.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// A server with extra `PARVIS_*` overrides (applied after the test's own).
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let dist = dir.path().join("dist");
    write_fake_dist(&dist);
    let mut env = vec![
        ("PARVIS_SERVER__PORT".to_owned(), "0".to_owned()),
        ("PARVIS_SERVER__APP_DIR".to_owned(), path_str(&dist)),
        (
            "PARVIS_DATA_DIR".to_owned(),
            path_str(&dir.path().join("data")),
        ),
    ];
    env.extend(
        overrides
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let sources = Sources {
        env,
        ..Sources::default()
    };
    let config = Config::load(&sources).expect("test configuration is valid");
    let app = Application::build(config.clone())
        .await
        .expect("application builds");
    let address = format!("http://{}", app.local_addr());
    let state = app.state();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        client,
        config,
        state,
        _dir: dir,
    }
}

pub fn path_str(path: &Path) -> String {
    path.to_str().expect("temp paths are UTF-8").to_owned()
}

pub const HASHED_JS: &str = "app-0123456789abcdef.js";
/// With an inline script, as the build inlines preview.js.
pub const INDEX_HTML: &str = "<!doctype html><html lang=\"fr\"><head><title>Parvis</title></head>\
<body><div id=\"boot\"></div><script>paint()</script></body></html>";

/// The CSP source of the inline script of `INDEX_HTML` ("paint()"), computed apart:
/// `printf 'paint()' | openssl dgst -sha256 -binary | base64`.
pub const INDEX_SCRIPT_HASH: &str = "'sha256-6Z05mR7jGVRSmyHx7iStJaiOybZYZUjxiGbPhYYXh1o='";

/// A build like Trunk's: index, a hashed script with its `.br` sibling, the service worker,
/// and the manifest.
pub fn write_fake_dist(dist: &Path) -> PathBuf {
    std::fs::create_dir_all(dist).expect("dist dir");
    let write = |name: &str, body: &[u8]| std::fs::write(dist.join(name), body).expect("write");
    write("index.html", INDEX_HTML.as_bytes());
    write(HASHED_JS, b"console.log('parvis');\n");
    write(
        &format!("{HASHED_JS}.br"),
        b"\x0b\x0b\x80console.log('parvis');\n\x03",
    );
    write("sw.js", b"self.addEventListener('fetch', () => {});\n");
    write(
        "manifest.json",
        br##"{"name":"Parvis","short_name":"Parvis","lang":"en","theme_color":"#000000","display":"standalone","start_url":"/"}"##,
    );
    dist.to_owned()
}
