//! Report photos: recognised by their bytes (JPEG, PNG or WebP; never by name or declared
//! type), their size read from the header before anything is decoded (a small file can claim
//! a huge image), then decoded, turned upright from their EXIF orientation, scaled down and
//! re-encoded as JPEG with a thumbnail. Nothing of the original file survives: no EXIF, no GPS
//! position, no camera serial number.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage};

use super::config::ReportsConfig;
use crate::media::ImageKind;

/// How photos are checked and re-encoded (from `[reports]`).
#[derive(Debug, Clone, Copy)]
pub struct PhotoLimits {
    pub max_pixels: u64,
    pub max_side: u32,
    pub thumbnail_side: u32,
    pub quality: u8,
}

impl From<&ReportsConfig> for PhotoLimits {
    fn from(c: &ReportsConfig) -> Self {
        Self {
            max_pixels: c.max_photo_pixels,
            max_side: c.photo_max_side,
            thumbnail_side: c.thumbnail_side,
            quality: c.jpeg_quality,
        }
    }
}

/// A photo ready to store.
#[derive(Debug, Clone)]
pub struct Reencoded {
    /// JPEG, at most `max_side` on its longer side, upright.
    pub full: Vec<u8>,
    /// JPEG, at most `thumbnail_side` on its longer side.
    pub thumbnail: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why a photo was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    /// Not a JPEG, PNG or WebP file (415).
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    /// More pixels than allowed, whatever the file's size (422).
    #[error("{width}×{height} pixels is too many")]
    TooManyPixels { width: u32, height: u32 },
    /// Truncated or corrupt (422).
    #[error("unreadable image: {0}")]
    Unreadable(String),
}

/// The format of `bytes`, by their signature: JPEG, PNG and WebP only.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match ImageKind::sniff(bytes)? {
        ImageKind::Jpeg => Some(ImageFormat::Jpeg),
        ImageKind::Png => Some(ImageFormat::Png),
        ImageKind::Webp => Some(ImageFormat::WebP),
        ImageKind::Gif => None,
    }
}

/// Checks, decodes and re-encodes one photo. CPU-heavy: run it on a blocking thread.
pub fn reencode(bytes: &[u8], limits: &PhotoLimits) -> Result<Reencoded, PhotoError> {
    let format = sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    let reader = ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader.into_dimensions().map_err(unreadable)?;
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(PhotoError::TooManyPixels { width, height });
    }

    // The header's size is checked; the decoder's own limits guard against a header that lies.
    let mut decoder_limits = Limits::default();
    decoder_limits.max_image_width = Some(width);
    decoder_limits.max_image_height = Some(height);
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8).max(64 << 20));
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(decoder_limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    // A photo taken sideways is stored as shot with an EXIF note to turn it; the note goes
    // with the EXIF, so the turn is applied to the pixels.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);

    let full = fit(&image, limits.max_side, FilterType::Triangle);
    let thumbnail = fit(&full, limits.thumbnail_side, FilterType::Triangle);
    Ok(Reencoded {
        width: full.width(),
        height: full.height(),
        full: jpeg(&full, limits.quality)?,
        thumbnail: jpeg(&thumbnail, limits.quality)?,
    })
}

/// `image` scaled down (never up) to fit `side`×`side`, flattened on white, as RGB.
fn fit(image: &DynamicImage, side: u32, filter: FilterType) -> DynamicImage {
    let scaled = if image.width() > side || image.height() > side {
        image.resize(side, side, filter)
    } else {
        image.clone()
    };
    DynamicImage::ImageRgb8(flatten(&scaled))
}

/// RGB pixels, transparent areas on white (JPEG has no alpha; dropping it would show what
/// the transparent pixels happen to hold, often black).
fn flatten(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| {
            let (c, a) = (u16::from(c), u16::from(a));
            // (c·a + 255·(255 − a)) / 255, rounded; always ≤ 255.
            u8::try_from((c * a + 255 * (255 - a) + 127) / 255).unwrap_or(u8::MAX)
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(image)
        .map_err(|e| PhotoError::Unreadable(e.to_string()))?;
    Ok(out)
}

fn unreadable(e: ImageError) -> PhotoError {
    match e {
        ImageError::Limits(_) => PhotoError::TooManyPixels {
            width: 0,
            height: 0,
        },
        e => PhotoError::Unreadable(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use image::{ImageEncoder, Rgba, RgbaImage};

    use super::*;

    const LIMITS: PhotoLimits = PhotoLimits {
        max_pixels: 1_000_000,
        max_side: 64,
        thumbnail_side: 16,
        quality: 80,
    };

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = RgbaImage::from_pixel(width, height, Rgba([200, 30, 30, 0]));
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&image, width, height, image::ExtendedColorType::Rgba8)
            .expect("png");
        out
    }

    #[test]
    fn a_photo_is_scaled_down_flattened_and_thumbnailed() {
        let out = reencode(&png(200, 100), &LIMITS).expect("re-encoded");
        assert_eq!((out.width, out.height), (64, 32));
        assert_eq!(sniff(&out.full), Some(ImageFormat::Jpeg));
        let full = image::load_from_memory(&out.full).expect("decodes");
        // Fully transparent red is white once flattened.
        assert!(full.to_rgb8().get_pixel(10, 10).0.iter().all(|&c| c > 240));
        let thumb = image::load_from_memory(&out.thumbnail).expect("decodes");
        assert_eq!((thumb.width(), thumb.height()), (16, 8));
    }

    #[test]
    fn refusals_are_told_apart() {
        assert_eq!(
            reencode(b"GIF89a\x01\0\x01\0", &LIMITS).err(),
            Some(PhotoError::NotAnImage)
        );
        assert_eq!(
            reencode(b"<svg xmlns='http://www.w3.org/2000/svg'/>", &LIMITS).err(),
            Some(PhotoError::NotAnImage)
        );
        assert_eq!(
            reencode(&png(2000, 1000), &LIMITS).err(),
            Some(PhotoError::TooManyPixels {
                width: 2000,
                height: 1000
            })
        );
        let mut truncated = png(50, 50);
        truncated.truncate(60);
        assert!(matches!(
            reencode(&truncated, &LIMITS),
            Err(PhotoError::Unreadable(_))
        ));
        assert!(matches!(
            reencode(b"\xff\xd8\xff\xe0garbage garbage", &LIMITS),
            Err(PhotoError::Unreadable(_))
        ));
    }
}
