//! Mirroring of article images at import time: each external image (illustration or `<img>` of
//! the body) is downloaded once, checked to be a JPEG, PNG, WebP or GIF by its bytes, stored
//! under its SHA-256 and pointed at locally (`/media/news/<sha256>.<ext>`). An image that
//! cannot be mirrored is dropped: an article never keeps an external image URL.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::import::{is_url, timestamp};
use crate::config::Config;
use crate::db::articles::NewArticle;
use crate::db::{self, Db};
use crate::media::{self, ImageKind};

/// Time limit of one image download.
const IMAGE_TIMEOUT: Duration = Duration::from_secs(20);

/// Image downloads in flight at once during an import.
const CONCURRENCY: usize = 4;

/// What the importer asks for: the formats it keeps.
const IMAGE_ACCEPT: &str = "image/webp, image/png, image/jpeg, image/gif;q=0.9, */*;q=0.1";

/// Downloads images into `<data_dir>/media/news` and remembers what it did in the `media` table.
#[derive(Debug, Clone)]
pub struct Mirror {
    db: Db,
    client: reqwest::Client,
    /// `<data_dir>/media`.
    root: PathBuf,
    max_bytes: u64,
}

/// Why one image was not mirrored (logged, then the image is dropped).
#[derive(Debug, thiserror::Error)]
enum MirrorError {
    #[error("not an http(s) URL")]
    NotHttp,
    #[error("download failed: {0}")]
    Fetch(String),
    #[error("HTTP status {0}")]
    Status(reqwest::StatusCode),
    #[error("larger than {0} bytes")]
    TooLarge(u64),
    #[error("not a JPEG, PNG, WebP or GIF image")]
    NotAnImage,
    #[error("cannot store it: {0}")]
    Io(#[from] std::io::Error),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

impl Mirror {
    /// A mirror into `config.data_dir`, refusing images over `news.max_image_bytes`.
    pub fn new(db: &Db, config: &Config, client: reqwest::Client) -> Self {
        Self {
            db: db.clone(),
            client,
            root: media::media_dir(&config.data_dir),
            max_bytes: config.news.max_image_bytes,
        }
    }

    /// Points every image of `articles` at its local copy, downloading what is not mirrored
    /// yet (a few at a time); drops the images that cannot be mirrored.
    pub async fn mirror_articles(&self, articles: &mut [NewArticle]) {
        let mut sources: Vec<String> = Vec::new();
        for article in articles.iter() {
            sources.extend(article.image_url.iter().cloned());
            rewrite_images(&article.body_html, |src| {
                sources.push(src.to_owned());
                None
            });
        }
        sources.sort();
        sources.dedup();
        let local: HashMap<String, Option<String>> = futures_util::stream::iter(sources)
            .map(|source| async move {
                let local = self.mirror(&source).await;
                (source, local)
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let local_of = |src: &str| local.get(src).cloned().flatten();
        for article in articles.iter_mut() {
            article.image_url = article.image_url.as_deref().and_then(local_of);
            if article.image_url.is_none() {
                article.image_alt = None;
            }
            article.body_html = rewrite_images(&article.body_html, local_of);
        }
    }

    /// The local URL of one image, or `None` (with a warning) when it cannot be mirrored.
    pub async fn mirror(&self, source: &str) -> Option<String> {
        match self.try_mirror(source).await {
            Ok(path) => Some(format!("{}{path}", media::URL_PREFIX)),
            Err(e) => {
                tracing::warn!(image = source, error = %e, "news image dropped");
                None
            }
        }
    }

    /// The path of the local copy below `/media/`, downloading it unless done before.
    async fn try_mirror(&self, source: &str) -> Result<String, MirrorError> {
        if !is_url(source) {
            return Err(MirrorError::NotHttp);
        }
        if let Some(known) = db::media::find(&self.db, source).await?
            && tokio::fs::try_exists(self.root.join(&known.path))
                .await
                .unwrap_or(false)
        {
            return Ok(known.path);
        }
        let bytes = self.download(source).await?;
        let kind = ImageKind::sniff(&bytes).ok_or(MirrorError::NotAnImage)?;
        let hash: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let name = format!("{hash}.{}", kind.extension());
        store(&self.root.join(media::NEWS), &name, &bytes).await?;
        let path = format!("{}/{name}", media::NEWS);
        db::media::upsert(
            &self.db,
            &db::media::Mirrored {
                source_url: source.to_owned(),
                path: path.clone(),
                content_type: kind.content_type().to_owned(),
                bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                fetched_at: timestamp(Utc::now()),
            },
        )
        .await?;
        Ok(path)
    }

    /// The body of `url`, refused past `max_bytes` without reading the rest.
    async fn download(&self, url: &str) -> Result<Vec<u8>, MirrorError> {
        let fetch = |e: reqwest::Error| MirrorError::Fetch(super::import::error_chain(&e));
        let mut response = self
            .client
            .get(url)
            .header(reqwest::header::ACCEPT, IMAGE_ACCEPT)
            .timeout(IMAGE_TIMEOUT)
            .send()
            .await
            .map_err(fetch)?;
        if !response.status().is_success() {
            return Err(MirrorError::Status(response.status()));
        }
        if response
            .content_length()
            .is_some_and(|n| n > self.max_bytes)
        {
            return Err(MirrorError::TooLarge(self.max_bytes));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(fetch)? {
            if (body.len() + chunk.len()) as u64 > self.max_bytes {
                return Err(MirrorError::TooLarge(self.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// Writes `dir/name` atomically (a temporary file in the same directory, then a rename), unless
/// it exists already: the name is the content's hash, so an existing file is the same image.
async fn store(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let target = dir.join(name);
    if tokio::fs::try_exists(&target).await.unwrap_or(false) {
        return Ok(());
    }
    tokio::fs::create_dir_all(dir).await?;
    let temp = dir.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = async {
        let mut file = tokio::fs::File::create(&temp).await?;
        file.write_all(bytes).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&temp, &target).await
    }
    .await;
    if written.is_err() {
        let _ = tokio::fs::remove_file(&temp).await;
    }
    written
}

/// Rewrites the `<img>` tags of sanitised HTML: `local` gets each tag's `src` (decoded) and
/// returns its new URL, or `None` to remove the tag. A tag without `src` is removed. Only for
/// the sanitiser's output, whose tags are well-formed with double-quoted attributes.
pub fn rewrite_images(html: &str, mut local: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = find_img(rest) {
        out.push_str(&rest[..at]);
        let (attributes, len) = parse_tag(&rest[at..]);
        let src = attributes
            .iter()
            .find(|(name, _)| *name == "src")
            .map(|(_, value)| decode(value));
        if let Some(url) = src.as_deref().and_then(&mut local) {
            out.push_str("<img src=\"");
            out.push_str(&url.replace('&', "&amp;").replace('"', "&quot;"));
            out.push('"');
            for (name, value) in attributes.iter().filter(|(name, _)| *name != "src") {
                out.push_str(&format!(" {name}=\"{value}\""));
            }
            out.push('>');
        }
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    out
}

/// Where the next `<img` tag starts.
fn find_img(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = html[from..].find("<img") {
        let at = from + found;
        match html.as_bytes().get(at + 4) {
            Some(b) if b.is_ascii_whitespace() || *b == b'>' || *b == b'/' => return Some(at),
            None => return Some(at),
            _ => from = at + 4,
        }
    }
    None
}

/// The attributes of the tag at the start of `tag` (values still escaped) and its length.
fn parse_tag(tag: &str) -> (Vec<(&str, &str)>, usize) {
    let bytes = tag.as_bytes();
    let mut attributes = Vec::new();
    let mut i = 4; // after `<img`
    loop {
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            i += 1;
        }
        match bytes.get(i) {
            None => return (attributes, tag.len()),
            Some(b'>') => return (attributes, i + 1),
            Some(_) => {}
        }
        let start = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
        {
            i += 1;
        }
        let name = &tag[start..i];
        if bytes.get(i) != Some(&b'=') {
            attributes.push((name, ""));
            continue;
        }
        i += 1;
        let value = match bytes.get(i) {
            Some(quote @ (b'"' | b'\'')) => {
                let open = i + 1;
                let close = tag[open..]
                    .find(char::from(*quote))
                    .map_or(tag.len(), |n| open + n);
                i = (close + 1).min(tag.len());
                &tag[open..close]
            }
            _ => {
                let open = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>')
                {
                    i += 1;
                }
                &tag[open..i]
            }
        };
        attributes.push((name, value));
    }
}

/// An attribute value as the sanitiser escapes it, decoded.
fn decode(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::news::sanitize;

    #[test]
    fn image_sources_are_rewritten_and_failures_removed() {
        let html = sanitize::body_html(
            r#"<p>Avant <img src="https://a.fr/x.png?a=1&b=2" alt="Le &quot;x&quot; > y"> après</p>
            <figure><img src="https://a.fr/gone.jpg" alt="Parti"><figcaption>Légende</figcaption></figure>
            <p><img alt="sans source"></p>"#,
            None,
        );
        let mut seen = Vec::new();
        let out = rewrite_images(&html, |src| {
            seen.push(src.to_owned());
            (src == "https://a.fr/x.png?a=1&b=2").then(|| "/media/news/abc.png".to_owned())
        });
        assert_eq!(
            seen,
            ["https://a.fr/x.png?a=1&b=2", "https://a.fr/gone.jpg"]
        );
        assert!(
            out.contains(r#"<img src="/media/news/abc.png" alt="Le &quot;x&quot; &gt; y">"#),
            "{out}"
        );
        assert!(!out.contains("gone") && !out.contains("Parti"), "{out}");
        assert!(!out.contains("sans source"), "{out}");
        assert!(out.contains("Avant ") && out.contains(" après"), "{out}");
        assert!(out.contains("<figcaption>Légende</figcaption>"), "{out}");
    }

    #[test]
    fn html_without_images_is_unchanged() {
        let html = "<p>Une <imgx> image&lt;img src=x&gt; en texte</p>";
        assert_eq!(rewrite_images(html, |_| None), html);
    }
}
