//! The HTTPS client that talks to push services: hyper with rustls (ring provider) and the
//! system's root certificates; plain HTTP too, for a push service on this machine (tests).

use std::sync::Arc;

use anyhow::Context;
use axum::body::Bytes;
use http_body_util::Full;
use hyper_rustls::{ConfigBuilderExt, HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// A pooled HTTP/1.1 and HTTP/2 client; cheap to clone.
pub type PushClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// Builds the client. Without root certificates on the machine, it starts anyway (and logs
/// why every HTTPS push will fail) rather than stopping the whole server.
pub fn build() -> anyhow::Result<PushClient> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?;
    let tls = match builder.clone().with_native_roots() {
        Ok(builder) => builder.with_no_client_auth(),
        Err(e) => {
            tracing::warn!(error = %e, "push: no root certificates found, HTTPS pushes will fail");
            builder
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth()
        }
    };
    let connector = HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .build();
    Ok(Client::builder(TokioExecutor::new()).build(connector))
}
