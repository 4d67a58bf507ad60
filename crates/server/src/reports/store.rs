//! The photo store: a local directory by default, or an S3-compatible bucket, both through
//! `object_store`. Its local store writes a temporary file and renames it, and an S3 `PUT` is
//! all or nothing, so a photo is never seen half-written.
//!
//! Photos of a new report are written before its database commit ([`Staged`]): a committed
//! row never points to a missing file, and what an aborted request wrote is deleted again.

use std::sync::Arc;

use anyhow::Context;
use axum::body::Bytes;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use super::config::PhotoStoreKind;
use crate::config::Config;

/// Where report photos are kept, cheap to clone.
#[derive(Debug, Clone)]
pub struct PhotoStore {
    inner: Arc<dyn ObjectStore>,
}

impl PhotoStore {
    /// The store `[reports]` asks for; the local directory is created if missing.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let reports = &config.reports;
        match (reports.photo_store, &reports.s3) {
            (PhotoStoreKind::S3, Some(s3)) => {
                // Its HTTP client is reqwest with rustls but no crypto provider of its own
                // (like every client of the server): ring must be installed first.
                crate::startup::install_tls_provider();
                // Credentials (and anything not configured) from the standard AWS_* variables.
                let mut builder = AmazonS3Builder::from_env()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"));
                }
                let s3_store = builder
                    .build()
                    .context("reports.s3: cannot configure the S3 photo store")?;
                let inner: Arc<dyn ObjectStore> = match s3.prefix.as_deref().map(str::trim) {
                    Some(prefix) if !prefix.is_empty() => {
                        Arc::new(PrefixStore::new(s3_store, prefix.trim_matches('/')))
                    }
                    _ => Arc::new(s3_store),
                };
                Ok(Self { inner })
            }
            _ => Self::local(&reports.photo_dir(&config.data_dir)),
        }
    }

    /// A store in a local directory, created if missing.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("reports.photo_dir {}: cannot create it", dir.display()))?;
        // Synced to disk before `put` returns, as S3 is: the report's commit comes next, and
        // a power cut must not leave a committed row pointing to a photo still in a cache.
        let store = LocalFileSystem::new_with_prefix(dir)
            .with_context(|| format!("reports.photo_dir {}: cannot use it", dir.display()))?
            .with_fsync(true);
        Ok(Self {
            inner: Arc::new(store),
        })
    }

    /// Writes `bytes` under `name`, atomically.
    pub async fn put(&self, name: &str, bytes: Bytes) -> anyhow::Result<()> {
        self.inner
            .put(&StorePath::from(name), PutPayload::from_bytes(bytes))
            .await
            .with_context(|| format!("writing photo {name}"))?;
        Ok(())
    }

    /// The photo stored under `name`, or `None`.
    pub async fn get(&self, name: &str) -> anyhow::Result<Option<Bytes>> {
        match self.inner.get(&StorePath::from(name)).await {
            Ok(found) => Ok(Some(
                found
                    .bytes()
                    .await
                    .with_context(|| format!("reading photo {name}"))?,
            )),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context(format!("reading photo {name}"))),
        }
    }

    /// Deletes the photo stored under `name`; deleting a missing photo is not an error.
    pub async fn delete(&self, name: &str) -> anyhow::Result<()> {
        match self.inner.delete(&StorePath::from(name)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(anyhow::Error::new(e).context(format!("deleting photo {name}"))),
        }
    }

    /// Every photo name in the store with when it was written.
    pub async fn list(&self) -> anyhow::Result<Vec<(String, DateTime<Utc>)>> {
        let mut listed = self.inner.list(None);
        let mut names = Vec::new();
        while let Some(meta) = listed.next().await {
            let meta = meta.context("listing the photo store")?;
            if let Some(name) = meta.location.filename() {
                names.push((name.to_owned(), meta.last_modified));
            }
        }
        Ok(names)
    }

    /// Starts writing the photos of one report.
    pub fn stage(&self) -> Staged {
        Staged {
            store: self.clone(),
            names: Vec::new(),
            kept: false,
        }
    }
}

/// Photos written for a report whose row is not committed yet. Unless [`Staged::keep`] is
/// called once the commit succeeded, they are deleted: by [`Staged::discard`], or in the
/// background when the value is dropped (a panic, a cancelled task).
#[derive(Debug)]
#[must_use = "photos not kept are deleted"]
pub struct Staged {
    store: PhotoStore,
    names: Vec<String>,
    kept: bool,
}

impl Staged {
    /// Writes one photo.
    pub async fn put(&mut self, name: &str, bytes: Bytes) -> anyhow::Result<()> {
        // Recorded first: a write that fails half-way is cleaned up like the others.
        self.names.push(name.to_owned());
        self.store.put(name, bytes).await
    }

    /// The commit succeeded: the photos stay.
    pub fn keep(mut self) {
        self.kept = true;
    }

    /// The report was not stored: deletes what was written (logging what cannot be).
    pub async fn discard(mut self) {
        self.kept = true;
        let names = std::mem::take(&mut self.names);
        delete_all(&self.store, names).await;
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.kept || self.names.is_empty() {
            return;
        }
        let names = std::mem::take(&mut self.names);
        let store = self.store.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move { delete_all(&store, names).await });
            }
            Err(_) => tracing::error!(
                ?names,
                "report photos left behind: no runtime to delete them"
            ),
        }
    }
}

async fn delete_all(store: &PhotoStore, names: Vec<String>) {
    for name in names {
        if let Err(e) = store.delete(&name).await {
            tracing::error!(error = format!("{e:#}"), photo = %name, "cannot delete an orphan photo");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Sources;
    use crate::reports::config::S3Config;

    #[test]
    fn an_s3_store_is_built_from_the_configuration_without_a_network() {
        let mut config = Config::load(&Sources::default()).expect("defaults");
        config.reports.photo_store = PhotoStoreKind::S3;
        config.reports.s3 = Some(S3Config {
            bucket: "parvis-photos".into(),
            region: "fr-par".into(),
            endpoint: Some("http://127.0.0.1:9".into()),
            prefix: Some("/reports/".into()),
        });
        config.reports.validate().expect("valid");

        let store = PhotoStore::from_config(&config).expect("built");

        let shown = format!("{store:?}");
        assert!(shown.contains("parvis-photos"), "{shown}");
    }

    #[tokio::test]
    async fn photos_are_kept_only_once_committed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = PhotoStore::local(dir.path()).expect("store");

        let mut kept = store.stage();
        kept.put("a.jpg", Bytes::from_static(b"a"))
            .await
            .expect("put");
        kept.keep();
        let mut discarded = store.stage();
        discarded
            .put("b.jpg", Bytes::from_static(b"b"))
            .await
            .expect("put");
        discarded.discard().await;

        assert_eq!(
            store.get("a.jpg").await.expect("get").as_deref(),
            Some(&b"a"[..])
        );
        assert_eq!(store.get("b.jpg").await.expect("get"), None);
        store.delete("b.jpg").await.expect("deleting twice is fine");
    }

    #[tokio::test]
    async fn a_dropped_stage_deletes_its_photos_in_the_background() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = PhotoStore::local(dir.path()).expect("store");
        {
            let mut staged = store.stage();
            staged
                .put("c.jpg", Bytes::from_static(b"c"))
                .await
                .expect("put");
        }
        for _ in 0..100 {
            if store.get("c.jpg").await.expect("get").is_none() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the photo of a dropped stage is still there");
    }
}
