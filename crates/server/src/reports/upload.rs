//! Reading a multipart report: text parts and photo parts, streamed chunk by chunk with a limit
//! per photo (413 past it), so no part is ever held beyond its limit. After a refusal the rest
//! of the body is read and dropped (it is bounded by the route's body limit), so the client
//! gets the answer instead of a connection reset in the middle of its upload.

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;

use super::photos;

/// Longest text part, in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
/// Most parts of one request.
pub const MAX_PARTS: usize = 64;

/// A photo part, as received (its type checked by content, not decoded yet).
#[derive(Debug, Clone)]
pub struct RawPhoto {
    /// The part's name (`photo`, `photo2`, `media`…).
    pub field: String,
    pub bytes: Bytes,
}

/// What a multipart body held.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// Text parts by name, in order.
    pub texts: Vec<(String, String)>,
    /// Photo parts, in order; empty parts (an empty file input) are left out.
    pub photos: Vec<RawPhoto>,
}

impl Upload {
    /// The first text part named `name`.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a body was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadError {
    /// A photo over `max_photo_bytes`, a text part over [`MAX_TEXT_BYTES`], or the whole body
    /// over the route's limit (413).
    TooLarge { field: String },
    /// A photo part that is not a JPEG, PNG or WebP file, whatever its name or declared type
    /// says (415).
    NotAnImage { field: String },
    /// Not multipart, or broken (400).
    Malformed(String),
}

/// Reads every part; `is_photo` tells photo parts by name.
pub async fn read(
    mut multipart: Multipart,
    max_photo_bytes: usize,
    is_photo: impl Fn(&str) -> bool,
) -> Result<Upload, UploadError> {
    let mut upload = Upload::default();
    let mut parts = 0;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(upload),
            Err(e) => return Err(broken(&e, "")),
        };
        parts += 1;
        let name = field.name().unwrap_or_default().to_owned();
        if parts > MAX_PARTS {
            drop(field);
            drain(&mut multipart).await;
            return Err(UploadError::Malformed(format!(
                "Le formulaire envoyé a plus de {MAX_PARTS} parties."
            )));
        }
        let photo = is_photo(&name);
        let limit = if photo {
            max_photo_bytes
        } else {
            MAX_TEXT_BYTES
        };
        let bytes = match read_part(field, limit).await {
            Ok(bytes) => bytes,
            Err(PartError::TooLarge) => {
                drain(&mut multipart).await;
                return Err(UploadError::TooLarge { field: name });
            }
            Err(PartError::Broken(e)) => return Err(broken(&e, &name)),
        };
        if photo {
            if bytes.is_empty() {
                continue;
            }
            if photos::sniff(&bytes).is_none() {
                drain(&mut multipart).await;
                return Err(UploadError::NotAnImage { field: name });
            }
            upload.photos.push(RawPhoto { field: name, bytes });
        } else {
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                UploadError::Malformed(format!("La partie « {name} » n’est pas du texte UTF-8."))
            })?;
            upload.texts.push((name, text));
        }
    }
}

enum PartError {
    TooLarge,
    Broken(MultipartError),
}

/// One part, chunk by chunk, refused as soon as it passes `limit`.
async fn read_part(mut field: Field<'_>, limit: usize) -> Result<Bytes, PartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(PartError::Broken)? {
        if bytes.len() + chunk.len() > limit {
            return Err(PartError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(bytes))
}

/// Reads and drops what is left of the body.
async fn drain(multipart: &mut Multipart) {
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}

fn broken(e: &MultipartError, field: &str) -> UploadError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        UploadError::TooLarge {
            field: field.to_owned(),
        }
    } else {
        UploadError::Malformed(
            "Le formulaire envoyé (multipart/form-data) n’a pas pu être lu.".into(),
        )
    }
}
