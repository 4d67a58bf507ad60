//! parvis-server: the commune's data silo and its API; it also serves the built PWA.
//!
//! `main.rs` reads the command line and configuration, then [`startup::Application`] builds
//! and runs the server; [`routes::router`] lists every route.

pub mod agenda;
pub mod api;
pub mod cli;
pub mod conditional;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod facilities;
pub mod feeds;
pub mod media;
pub mod news;
pub mod push;
pub mod routes;
pub mod security_headers;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod telemetry;

pub use config::Config;
pub use error::AppError;
pub use startup::Application;
