//! The app's languages: French first, English as the alternative.

use serde::{Deserialize, Serialize};

/// A UI language. French is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Fr, Locale::En];

    /// The BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    /// The tag given to the browser's date formats: British English, which writes the day
    /// before the month ("3 January"), as French does and as the commune's residents read dates
    /// (plain `en` is American: "January 3").
    pub fn date_tag(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en-GB",
        }
    }

    /// Reads a BCP 47 tag leniently (`en-GB` → English); anything unknown is `None`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The language's own name, as shown in the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Fr => "Français",
            Locale::En => "English",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_leniently() {
        assert_eq!(Locale::from_tag("fr"), Some(Locale::Fr));
        assert_eq!(Locale::from_tag("fr-FR"), Some(Locale::Fr));
        assert_eq!(Locale::from_tag("EN_gb"), Some(Locale::En));
        assert_eq!(Locale::from_tag("de"), None);
        assert_eq!(Locale::from_tag(""), None);
    }

    #[test]
    fn french_is_the_default_and_tags_round_trip() {
        assert_eq!(Locale::default(), Locale::Fr);
        for l in Locale::ALL {
            assert_eq!(Locale::from_tag(l.tag()), Some(l));
            assert_eq!(Locale::from_tag(l.date_tag()), Some(l));
        }
    }
}
