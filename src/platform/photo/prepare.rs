//! What the photo worker does with one photo: read its EXIF GPS position, then draw it turned
//! upright (its EXIF orientation applied) and scaled down to [`PHOTO_LONG_SIDE`], and encode
//! that as a new JPEG. The new file carries no metadata at all: EXIF, GPS and the camera's
//! name stay on the phone.

use std::io::Cursor;

use exif::{In, Tag, Value};
use js_sys::Uint8Array;
use parvis_core::LatLon;
use parvis_core::reports::{PHOTO_LONG_SIDE, fit_long_side};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ImageBitmap, ImageBitmapOptions, ImageEncodeOptions, ImageOrientation, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d, WorkerGlobalScope,
};

/// JPEG quality of the queued photo: small enough for one bar of signal, sharp enough to read
/// a street sign.
const JPEG_QUALITY: f64 = 0.85;

/// A photo ready to queue.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub jpeg: Blob,
    pub width: u32,
    pub height: u32,
    /// Where the photo was taken, from its EXIF, if it says.
    pub gps: Option<LatLon>,
}

/// The position written in a photo's EXIF (`GPSLatitude`/`GPSLongitude` and their N/S, E/W
/// references), if any and valid.
pub fn gps_position(bytes: &[u8]) -> Option<LatLon> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    let coordinate = |tag: Tag, reference: Tag, negative: u8| {
        let Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else {
            return None;
        };
        let [degrees, minutes, seconds] = parts.get(..3)? else {
            return None;
        };
        let value = degrees.to_f64() + minutes.to_f64() / 60.0 + seconds.to_f64() / 3600.0;
        let flips = match &exif.get_field(reference, In::PRIMARY)?.value {
            Value::Ascii(text) => text.first().and_then(|t| t.first()) == Some(&negative),
            _ => false,
        };
        Some(if flips { -value } else { value })
    };
    let point = LatLon {
        lat: coordinate(Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S')?,
        lon: coordinate(Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W')?,
    };
    // 0,0 is what some phones write when they had no fix.
    (point.is_valid() && (point.lat != 0.0 || point.lon != 0.0)).then_some(point)
}

fn js_error(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map_or_else(|| format!("{value:?}"), |e| String::from(e.message()))
}

/// Reads, turns, scales down and re-encodes one photo (any format the browser decodes).
pub async fn prepare(scope: &WorkerGlobalScope, photo: &Blob) -> Result<Prepared, String> {
    let buffer = JsFuture::from(photo.array_buffer())
        .await
        .map_err(js_error)?;
    let gps = gps_position(&Uint8Array::new(&buffer).to_vec());
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    let bitmap: ImageBitmap = JsFuture::from(
        scope
            .create_image_bitmap_with_blob_and_image_bitmap_options(photo, &options)
            .map_err(js_error)?,
    )
    .await
    .map_err(js_error)?
    .unchecked_into();
    let (width, height) = fit_long_side(bitmap.width(), bitmap.height(), PHOTO_LONG_SIDE);
    let canvas = OffscreenCanvas::new(width, height).map_err(js_error)?;
    let context: OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_error)?
        .ok_or("no 2D context")?
        .unchecked_into();
    // Scaling a 12 MP photo by 2.5 in one step aliases with the default (low) smoothing; web-sys
    // has no binding for this property.
    let _ = js_sys::Reflect::set(&context, &"imageSmoothingQuality".into(), &"high".into());
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(
            &bitmap,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(js_error)?;
    bitmap.close();
    let encoding = ImageEncodeOptions::new();
    encoding.set_type("image/jpeg");
    encoding.set_quality(JPEG_QUALITY);
    let jpeg: Blob = JsFuture::from(
        canvas
            .convert_to_blob_with_options(&encoding)
            .map_err(js_error)?,
    )
    .await
    .map_err(js_error)?
    .unchecked_into();
    Ok(Prepared {
        jpeg,
        width,
        height,
        gps,
    })
}
