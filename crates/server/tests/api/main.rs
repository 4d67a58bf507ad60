//! The server's API tests: one binary, real HTTP against the real router on port 0, and a fresh
//! data directory (so a fresh SQLite database) per test.

mod agenda;
mod agenda_import;
mod binary;
mod commune;
mod config;
mod demo;
mod errors;
mod facilities;
mod facilities_import;
mod health;
mod helpers;
mod news;
mod news_media;
mod news_publish;
mod openapi;
mod push;
mod push_receiver;
mod push_sweep;
mod security_headers;
mod static_files;
