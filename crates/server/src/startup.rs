//! Start-up: from a validated configuration to a bound listener, and running until a signal.

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use tokio::net::TcpListener;

use crate::api::commune::commune_from_config;
use crate::config::{Config, logo_content_type};
use crate::db::{self, Db};
use crate::push::{self, Pusher};
use crate::security_headers::SecurityHeaders;
use crate::state::{AppState, Document};
use crate::{agenda, demo, facilities, news, routes, static_files};

/// The logo used when `commune.logo` is not set.
const DEFAULT_LOGO: &[u8] = include_bytes!("../assets/logo.svg");

/// A server ready to run: database migrated, port bound.
pub struct Application {
    listener: TcpListener,
    router: Router,
    local_addr: SocketAddr,
    db: Db,
    /// The feed pollers, stopped when the server stops.
    pollers: Vec<tokio::task::JoinHandle<()>>,
    state: AppState,
    /// Sends each published article to its push subscribers.
    push_dispatcher: tokio::task::JoinHandle<()>,
}

impl Application {
    /// Prepares everything that can fail before serving; each error is one line for an operator.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        install_tls_provider();
        prepare_data_dir(&config.data_dir)?;
        let logo = load_logo(&config)?;
        let commune = serde_json::to_vec(&commune_from_config(&config.commune))
            .context("serialising the commune")?;
        let security = SecurityHeaders::from_config(&config)?;
        static_files::warn_if_not_built(&config.server.app_dir);

        let db = prepare_database(&config).await?;
        demo::load_if_wanted(&db, &config)
            .await
            .context("cannot load the demo content")?;

        let address = config.bind_address();
        let listener = TcpListener::bind(&address)
            .await
            .with_context(|| format!("cannot listen on {address} (server.host, server.port)"))?;
        let local_addr = listener.local_addr().context("reading the bound address")?;

        let (published, _) = tokio::sync::broadcast::channel(crate::state::PUBLISHED_CAPACITY);
        let push = Arc::new(
            Pusher::build(&config, &db, local_addr)
                .await
                .context("cannot prepare Web Push")?,
        );
        let push_dispatcher =
            push::spawn_dispatcher(db.clone(), Arc::clone(&push), published.subscribe());
        let state = AppState {
            published: published.clone(),
            app_dir: Arc::new(config.server.app_dir.clone()),
            config: Arc::new(config),
            db: db.clone(),
            commune: Arc::new(Document::new(commune, "application/json")),
            logo: Arc::new(logo),
            push,
        };
        let router = routes::router(state.clone(), security);
        // Last, so that whoever subscribes to `published` above hears the first poll.
        let mut pollers = news::poll::spawn(db.clone(), &state.config, published);
        pollers.extend(agenda::poll::spawn(db.clone(), &state.config));
        pollers.extend(facilities::poll::spawn(db.clone(), &state.config));
        Ok(Self {
            listener,
            router,
            local_addr,
            db,
            pollers,
            state,
            push_dispatcher,
        })
    }

    /// The handlers' shared state (tests and benches use its database and push sender).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// The address actually bound (its port is the real one when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://HOST:PORT/`, as printed when ready.
    pub fn url(&self) -> String {
        format!("http://{}/", self.local_addr)
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await;
        for poller in &self.pollers {
            poller.abort();
        }
        self.push_dispatcher.abort();
        self.db.close().await;
        served
    }
}

/// Opens and migrates the database and stores the configured themes (also for `import news`).
pub async fn prepare_database(config: &Config) -> anyhow::Result<Db> {
    prepare_data_dir(&config.data_dir)?;
    let db = db::connect(config).await?;
    db::themes::sync(&db, &config.news.wire_themes())
        .await
        .context("cannot store the news themes")?;
    Ok(db)
}

/// Creates `data_dir` if needed and checks it can be written.
fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("data_dir {}: cannot create it", dir.display()))?;
    let probe = dir.join(".parvis-write-test");
    std::fs::write(&probe, b"ok")
        .with_context(|| format!("data_dir {}: cannot write in it", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

fn load_logo(config: &Config) -> anyhow::Result<Document> {
    match &config.commune.logo {
        None => Ok(Document::new(DEFAULT_LOGO, "image/svg+xml")),
        Some(path) => {
            let content_type = logo_content_type(path)?;
            let bytes = std::fs::read(path)
                .with_context(|| format!("commune.logo {}: cannot read it", path.display()))?;
            Ok(Document::new(bytes, content_type))
        }
    }
}

/// Makes rustls with ring the process's TLS provider. reqwest is built without one (to avoid
/// the aws-lc C build), so every reqwest client, in the server or its tests, needs it first;
/// installing it again is a harmless no-op.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Resolves on SIGINT (Ctrl+C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
