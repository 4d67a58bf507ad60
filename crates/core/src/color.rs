//! sRGB colours from configuration, and the WCAG 2.x contrast rule the server enforces on them
//! so that a commune's identity can never make the app unreadable.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// WCAG AA minimum contrast ratio for normal text.
pub const MIN_TEXT_CONTRAST: f64 = 4.5;

/// An opaque sRGB colour written `#rrggbb` on the wire and in configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

/// Why a string is not a `#rrggbb` colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColorError(pub String);

impl fmt::Display for ColorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a colour of the form #rrggbb", self.0)
    }
}

impl std::error::Error for ColorError {}

impl Color {
    pub const WHITE: Color = Color::rgb(0xff, 0xff, 0xff);
    pub const BLACK: Color = Color::rgb(0, 0, 0);

    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b }
    }

    /// Relative luminance as defined by WCAG 2.x.
    pub fn luminance(self) -> f64 {
        fn channel(c: u8) -> f64 {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// WCAG contrast ratio between two colours, from 1.0 to 21.0.
    pub fn contrast(self, other: Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

impl FromStr for Color {
    type Err = ColorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ColorError(s.to_owned());
        let hex = s.strip_prefix('#').ok_or_else(err)?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(err());
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| err());
        Ok(Color::rgb(byte(0)?, byte(2)?, byte(4)?))
    }
}

impl Serialize for Color {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Color {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^#[0-9a-fA-F]{6}$"))
            .examples([serde_json::Value::String("#1d4e89".into())])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Color {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_hex_colours() {
        let c: Color = "#1D4e89".parse().expect("valid colour");
        assert_eq!(c, Color::rgb(0x1d, 0x4e, 0x89));
        assert_eq!(c.to_string(), "#1d4e89");
    }

    #[test]
    fn rejects_what_is_not_rrggbb() {
        for bad in [
            "", "1d4e89", "#1d4e8", "#1d4e899", "#gg0000", "blue", "#1d4e8é",
        ] {
            assert!(bad.parse::<Color>().is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        assert!((Color::BLACK.contrast(Color::WHITE) - 21.0).abs() < 1e-9);
        assert!((Color::WHITE.contrast(Color::WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic "just passes AA" grey (4.54:1).
        let grey = Color::rgb(0x76, 0x76, 0x76);
        assert!(grey.contrast(Color::WHITE) >= MIN_TEXT_CONTRAST);
        let lighter = Color::rgb(0x77, 0x77, 0x77);
        assert!(lighter.contrast(Color::WHITE) < MIN_TEXT_CONTRAST);
    }

    #[test]
    fn colours_round_trip_through_json() {
        let json = serde_json::to_string(&Color::rgb(1, 2, 255)).expect("serialises");
        assert_eq!(json, "\"#0102ff\"");
        let back: Color = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, Color::rgb(1, 2, 255));
        assert!(serde_json::from_str::<Color>("\"red\"").is_err());
    }
}
