//! Media served same-origin, so that the CSP allows them and the app can keep them offline:
//! the images of imported articles at `/media/news/<sha256 hex>.<ext>`, stored under
//! `<data_dir>/media/news/` by content hash, and the re-encoded photos of reports at
//! `/media/reports/<32 hex>[-thumb].jpg`, read from the photo store. Names never change
//! meaning, so responses are cacheable forever.

use std::path::{Path, PathBuf};

use axum::extract::rejection::PathRejection;
use axum::extract::{self, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::conditional;
use crate::error::AppError;
use crate::state::AppState;
use crate::static_files::IMMUTABLE;

/// URL prefix of every mirrored file.
pub const URL_PREFIX: &str = "/media/";

/// Sub-directory (and URL segment) of the news images.
pub const NEWS: &str = "news";

/// Sub-directory (and URL segment) of report photos, when stored locally.
pub const REPORTS: &str = "reports";

/// Suffix of a thumbnail's name, before `.jpg`.
pub const THUMBNAIL_SUFFIX: &str = "-thumb";

/// The image formats accepted from feeds, recognised by their first bytes. No SVG: it can
/// carry scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl ImageKind {
    /// The format of `bytes` by its signature (magic bytes), whatever the server said.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Gif => "gif",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
        }
    }

    fn from_extension(ext: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::Webp, Self::Gif]
            .into_iter()
            .find(|k| k.extension() == ext)
    }
}

/// `<data_dir>/media`: the root of every mirrored file.
pub fn media_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("media")
}

/// `<data_dir>/media/news`: the news images.
pub fn news_dir(data_dir: &Path) -> PathBuf {
    media_dir(data_dir).join(NEWS)
}

/// The kind of a mirrored file name, which must be exactly 64 lowercase hex digits, a dot and
/// a known extension: anything else (`..`, slashes, other names) is not ours.
pub fn parse_file_name(name: &str) -> Option<ImageKind> {
    let (stem, ext) = name.split_once('.')?;
    let hex = stem.len() == 64
        && stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if hex {
        ImageKind::from_extension(ext)
    } else {
        None
    }
}

/// The root-relative URL of a report photo stored under `name`.
pub fn report_photo_url(name: &str) -> String {
    format!("{URL_PREFIX}{REPORTS}/{name}")
}

/// Whether `name` is one the server gives report photos: 32 lowercase hex digits (a random
/// UUID), `-thumb` for a thumbnail, and `.jpg` (every photo is re-encoded as JPEG).
pub fn is_report_photo_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".jpg") else {
        return false;
    };
    let stem = stem.strip_suffix(THUMBNAIL_SUFFIX).unwrap_or(stem);
    stem.len() == 32
        && stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `GET /media/reports/{file}`: a report photo or thumbnail, immutable. Only photos of
/// stored reports are served: never a file whose report was not committed.
pub async fn get_report_photo(
    State(state): State<AppState>,
    file: Result<extract::Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let extract::Path(file) = file.map_err(|_| AppError::NotFound)?;
    if !is_report_photo_name(&file) {
        return Err(AppError::NotFound);
    }
    // The name is random and never reused: it is a strong validator of its own.
    let etag = format!("\"{}\"", file.trim_end_matches(".jpg"));
    if conditional::is_fresh(&headers, &etag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        set_headers(response.headers_mut(), &etag, None);
        return Ok(response);
    }
    let stored = crate::db::reports::is_stored_photo(&state.db, &file)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    if !stored {
        return Err(AppError::NotFound);
    }
    let body = state
        .reports
        .store
        .get(&file)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut response = body.into_response();
    set_headers(response.headers_mut(), &etag, Some(ImageKind::Jpeg));
    Ok(response)
}

/// `GET /media/news/{file}`: a mirrored news image, immutable.
pub async fn get_news_image(
    State(state): State<AppState>,
    file: Result<extract::Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let extract::Path(file) = file.map_err(|_| AppError::NotFound)?;
    let kind = parse_file_name(&file).ok_or(AppError::NotFound)?;
    let path = news_dir(&state.config.data_dir).join(&file);
    // The name is the content's hash: it is a strong validator of its own.
    let etag = format!("\"{}\"", &file[..64]);
    if conditional::is_fresh(&headers, &etag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        set_headers(response.headers_mut(), &etag, None);
        return Ok(response);
    }
    let body = match tokio::fs::read(&path).await {
        Ok(body) => body,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(AppError::NotFound),
        Err(e) => {
            return Err(anyhow::Error::new(e)
                .context("reading a mirrored image")
                .into());
        }
    };
    let mut response = body.into_response();
    set_headers(response.headers_mut(), &etag, Some(kind));
    Ok(response)
}

fn set_headers(headers: &mut HeaderMap, etag: &str, kind: Option<ImageKind>) {
    if let Some(kind) = kind {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(kind.content_type()),
        );
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes_and_svg_is_not() {
        assert_eq!(
            ImageKind::sniff(b"\xff\xd8\xff\xe0rest"),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"),
            Some(ImageKind::Png)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a..."), Some(ImageKind::Gif));
        assert_eq!(
            ImageKind::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        assert_eq!(ImageKind::sniff(b"RIFF\x10\0\0\0WAVE"), None);
        assert_eq!(
            ImageKind::sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\">"),
            None
        );
        assert_eq!(ImageKind::sniff(b"<!doctype html><html>"), None);
        assert_eq!(ImageKind::sniff(b""), None);
    }

    #[test]
    fn only_uuid_names_of_jpegs_are_report_photos() {
        let id = "0123456789abcdef".repeat(2);
        assert!(is_report_photo_name(&format!("{id}.jpg")));
        assert!(is_report_photo_name(&format!("{id}-thumb.jpg")));
        assert_eq!(
            report_photo_url(&format!("{id}.jpg")),
            format!("/media/reports/{id}.jpg")
        );
        for bad in [
            format!("{id}.png"),
            format!("{id}.jpg#1"),
            format!("{}.jpg", id.to_uppercase()),
            format!("{}.jpg", &id[1..]),
            format!("../{id}.jpg"),
            format!("{id}-thumb-thumb.jpg"),
        ] {
            assert!(!is_report_photo_name(&bad), "{bad}");
        }
    }

    #[test]
    fn only_hash_names_with_a_known_extension_are_served() {
        let hash = "0123456789abcdef".repeat(4);
        assert_eq!(
            parse_file_name(&format!("{hash}.png")),
            Some(ImageKind::Png)
        );
        assert_eq!(
            parse_file_name(&format!("{hash}.jpg")),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(parse_file_name(&format!("{hash}.svg")), None);
        assert_eq!(parse_file_name(&format!("{hash}.png.tmp")), None);
        assert_eq!(
            parse_file_name(&format!("{}.png", hash.to_uppercase())),
            None
        );
        assert_eq!(parse_file_name(&format!("{}.png", &hash[1..])), None);
        assert_eq!(parse_file_name("../../etc/passwd"), None);
        assert_eq!(parse_file_name(&format!("../{}.png", &hash[3..])), None);
    }
}
