//! The `parvis-server` binary: arguments, configuration, start-up and exit codes
//! (0 after a clean shutdown, 2 when start-up fails, 1 when serving fails; `import
//! news|events|facilities`: 0 when imported, 1 when the source is refused (for facilities: when
//! nothing could be read from it), 2 when the configuration is wrong).

use std::io::Write;
use std::process::ExitCode;

use parvis_server::cli::{self, Command};
use parvis_server::config::{Config, Sources};
use parvis_server::{Application, agenda, facilities, news, startup, telemetry};

fn main() -> ExitCode {
    let config_path = match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Serve { config }) => config,
        Ok(Command::ImportNews { config, source }) => {
            return import(config, |db, config| {
                Box::pin(async move {
                    news::import::import_source(&db, &config, &source)
                        .await
                        .map(|r| r.to_string())
                        .map_err(|e| e.to_string())
                })
            });
        }
        Ok(Command::ImportEvents {
            config,
            source,
            format,
        }) => {
            return import(config, |db, config| {
                Box::pin(async move {
                    agenda::import::import_source(&db, &config, &source, format)
                        .await
                        .map(|r| r.to_string())
                        .map_err(|e| e.to_string())
                })
            });
        }
        Ok(Command::ImportFacilities { config, source }) => {
            return import(config, |db, config| {
                Box::pin(async move {
                    facilities::import::import_source(&db, &config, &source)
                        .await
                        .map(|r| r.to_string())
                        .map_err(|e| e.to_string())
                })
            });
        }
        Ok(Command::Help) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("parvis-server {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => return startup_failed(&message),
    };
    let config = match Config::load(&Sources::from_process(config_path)) {
        Ok(config) => config,
        Err(e) => return startup_failed(&e.to_string()),
    };
    telemetry::init(&config.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return startup_failed(&format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(async {
        let app = match Application::build(config).await {
            Ok(app) => app,
            Err(e) => return startup_failed(&format!("{e:#}")),
        };
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "Parvis écoute sur {}", app.url());
        let _ = stdout.flush();
        drop(stdout);
        match app.run_until_stopped(startup::shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

/// The result of an import: its one-line report, or why nothing was imported.
type ImportFuture = std::pin::Pin<Box<dyn Future<Output = Result<String, String>>>>;

/// `import news|events|facilities SOURCE`: the report on stdout when imported (one line, then
/// for facilities one line per facility left out or remarked on), one `error:` line on stderr
/// else.
fn import(
    config_path: Option<std::path::PathBuf>,
    run: impl FnOnce(parvis_server::db::Db, Config) -> ImportFuture,
) -> ExitCode {
    let config = match Config::load(&Sources::from_process(config_path)) {
        Ok(config) => config,
        Err(e) => return startup_failed(&e.to_string()),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return startup_failed(&format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(async {
        let db = match startup::prepare_database(&config).await {
            Ok(db) => db,
            Err(e) => return startup_failed(&format!("{e:#}")),
        };
        let result = run(db.clone(), config).await;
        db.close().await;
        match result {
            Ok(report) => {
                println!("{report}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                let line = e
                    .to_string()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                eprintln!("error: {line}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Prints one `error: …` line on stderr and returns exit code 2.
fn startup_failed(message: &str) -> ExitCode {
    let line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    eprintln!("error: {line}");
    ExitCode::from(2)
}
