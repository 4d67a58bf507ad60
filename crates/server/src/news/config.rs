//! The `[news]` configuration: themes, the feeds to poll and how feed categories map to themes.

use std::collections::BTreeMap;

use parvis_core::color::MIN_TEXT_CONTRAST;
use parvis_core::news::is_valid_slug;
use parvis_core::{Color, Theme};
use serde::{Deserialize, Serialize};

use crate::config::ConfigError;

/// `[news]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewsConfig {
    /// The theme of an imported entry none of whose categories maps to a theme.
    pub default_theme: String,
    /// Feeds polled on a schedule (`[[news.feeds]]`).
    #[serde(default)]
    pub feeds: Vec<FeedConfig>,
    /// Feed category label → theme slug, compared without case or accents. Categories equal
    /// to a theme's slug or name need no entry.
    #[serde(default)]
    pub category_map: BTreeMap<String, String>,
    /// The themes residents can follow, in display order (`[[news.themes]]`).
    pub themes: Vec<ThemeConfig>,
    /// Largest image mirrored from a feed, in bytes; a larger one is dropped from its article.
    #[serde(default = "default_max_image_bytes")]
    pub max_image_bytes: u64,
    /// Bearer keys of the town-hall tools allowed to `POST /api/v1/news`; empty disables
    /// publishing through the API. A list, or one string of keys separated by commas (for
    /// `PARVIS_NEWS__PUBLISH_KEYS`). Never serialised back.
    #[serde(default, deserialize_with = "deserialize_keys", skip_serializing)]
    pub publish_keys: Vec<String>,
}

/// Shortest publishing key accepted: long enough not to be guessed.
pub const MIN_PUBLISH_KEY_CHARS: usize = 16;

/// Bearer keys (`publish_keys`, `facilities.edit_keys`) as a list of strings or as one
/// comma-separated string.
pub fn deserialize_keys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Keys {
        List(Vec<String>),
        Text(String),
    }
    let keys = match Keys::deserialize(d)? {
        Keys::List(list) => list,
        Keys::Text(text) => text.split(',').map(str::to_owned).collect(),
    };
    Ok(keys
        .into_iter()
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
        .collect())
}

fn default_max_image_bytes() -> u64 {
    5 * 1024 * 1024
}

/// `[[news.feeds]]`: one feed to poll.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// `http://` or `https://` URL of an RSS 2.0 or Atom feed.
    pub url: String,
    /// Minutes between two polls (the first one runs at start-up).
    #[serde(default = "default_every_minutes")]
    pub every_minutes: u32,
}

fn default_every_minutes() -> u32 {
    30
}

/// `[[news.themes]]`: one theme.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    pub slug: String,
    pub name_fr: String,
    pub name_en: String,
    /// Background of the theme's chip, under white text.
    pub color: Color,
    /// Name of the app's icon.
    pub icon: String,
    #[serde(default)]
    pub urgent: bool,
}

impl From<&ThemeConfig> for Theme {
    fn from(t: &ThemeConfig) -> Self {
        Theme {
            slug: t.slug.clone(),
            name_fr: t.name_fr.clone(),
            name_en: t.name_en.clone(),
            color: t.color,
            icon: t.icon.clone(),
            urgent: t.urgent,
        }
    }
}

impl NewsConfig {
    /// Checks slugs, names, contrasts, the category map, the default theme and the feeds.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |msg: String| Err(ConfigError(msg));
        if self.themes.is_empty() {
            return fail("news.themes must list at least one theme".into());
        }
        for (i, theme) in self.themes.iter().enumerate() {
            let key = format!("news.themes[{i}]");
            if !is_valid_slug(&theme.slug) {
                return fail(format!(
                    "{key}.slug `{}` must be 1 to 40 characters of a-z, 0-9 and inner dashes",
                    theme.slug
                ));
            }
            if self.themes[..i].iter().any(|t| t.slug == theme.slug) {
                return fail(format!("{key}.slug `{}` is used twice", theme.slug));
            }
            if theme.name_fr.trim().is_empty() || theme.name_en.trim().is_empty() {
                return fail(format!("{key}: name_fr and name_en must not be empty"));
            }
            if theme.icon.trim().is_empty() {
                return fail(format!("{key}.icon must not be empty"));
            }
            let contrast = theme.color.contrast(Color::WHITE);
            if contrast < MIN_TEXT_CONTRAST {
                return fail(format!(
                    "{key}.color {} (theme `{}`) has a contrast of {contrast:.2}:1 with white \
                     text; WCAG AA needs at least {MIN_TEXT_CONTRAST}:1, choose a darker colour",
                    theme.color, theme.slug
                ));
            }
        }
        if !self.has_theme(&self.default_theme) {
            return fail(format!(
                "news.default_theme `{}` is not one of news.themes",
                self.default_theme
            ));
        }
        for (label, slug) in &self.category_map {
            if fold(label).is_empty() {
                return fail("news.category_map has an empty category label".into());
            }
            if !self.has_theme(slug) {
                return fail(format!(
                    "news.category_map.\"{label}\" = `{slug}` is not one of news.themes"
                ));
            }
        }
        for (i, key) in self.publish_keys.iter().enumerate() {
            if key.chars().count() < MIN_PUBLISH_KEY_CHARS
                || !key.bytes().all(|b| b.is_ascii_graphic())
            {
                return fail(format!(
                    "news.publish_keys[{i}] must have at least {MIN_PUBLISH_KEY_CHARS} visible \
                     ASCII characters, without spaces (e.g. from `openssl rand -hex 32`)"
                ));
            }
        }
        if self.max_image_bytes == 0 {
            return fail("news.max_image_bytes must be at least 1".into());
        }
        for (i, feed) in self.feeds.iter().enumerate() {
            let url = &feed.url;
            let ok = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace));
            if !ok {
                return fail(format!(
                    "news.feeds[{i}].url `{url}` must start with http:// or https://"
                ));
            }
            if feed.every_minutes == 0 {
                return fail(format!("news.feeds[{i}].every_minutes must be at least 1"));
            }
        }
        Ok(())
    }

    fn has_theme(&self, slug: &str) -> bool {
        self.themes.iter().any(|t| t.slug == slug)
    }

    /// The wire themes, in configuration order.
    pub fn wire_themes(&self) -> Vec<Theme> {
        self.themes.iter().map(Theme::from).collect()
    }

    /// The theme a feed category stands for: the category map first, then a theme whose slug,
    /// French or English name is the label (all compared without case or accents).
    pub fn theme_for_category(&self, label: &str) -> Option<&str> {
        let label = fold(label);
        if label.is_empty() {
            return None;
        }
        if let Some((_, slug)) = self.category_map.iter().find(|(k, _)| fold(k) == label) {
            return Some(slug);
        }
        self.themes
            .iter()
            .find(|t| {
                fold(&t.slug) == label || fold(&t.name_fr) == label || fold(&t.name_en) == label
            })
            .map(|t| t.slug.as_str())
    }
}

/// A label folded for comparison: lowercase, without accents, dashes and underscores as
/// spaces, whitespace collapsed (`"  Écoles_et-Périscolaire "` → `"ecoles et periscolaire"`).
pub fn fold(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' | 'ì' => "i",
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' | 'ý' => "y",
            'ç' => "c",
            'ñ' => "n",
            'œ' => "oe",
            'æ' => "ae",
            '-' | '_' | '’' | '\'' => " ",
            c if c.is_whitespace() => " ",
            c => {
                out.push(c);
                continue;
            }
        };
        out.push_str(folded);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Sources};

    fn news() -> NewsConfig {
        Config::load(&Sources::default())
            .expect("defaults load")
            .news
    }

    #[test]
    fn labels_fold_without_case_or_accents() {
        assert_eq!(fold("  Écoles_et-Périscolaire "), "ecoles et periscolaire");
        assert_eq!(fold("DÉCHETS"), "dechets");
        assert_eq!(fold("Vie municipale"), fold("vie-municipale"));
    }

    #[test]
    fn the_default_themes_are_valid_and_readable() {
        let news = news();
        assert!(news.themes.len() >= 8);
        news.validate().expect("valid");
        assert!(news.themes.iter().any(|t| t.urgent));
    }

    #[test]
    fn categories_map_by_table_then_slug_then_name() {
        let mut news = news();
        news.category_map
            .insert("Voirie et réseaux".into(), "travaux".into());
        assert_eq!(
            news.theme_for_category("VOIRIE ET RESEAUX"),
            Some("travaux")
        );
        assert_eq!(news.theme_for_category("dechets"), Some("dechets"));
        assert_eq!(
            news.theme_for_category("Écoles et périscolaire"),
            Some("ecoles")
        );
        assert_eq!(news.theme_for_category("Jardinage"), None);
    }

    #[test]
    fn an_unreadable_theme_colour_is_refused() {
        let mut news = news();
        news.themes[0].color = Color::rgb(0xff, 0xee, 0x00);
        let err = news.validate().expect_err("low contrast");
        assert!(err.0.contains("news.themes[0].color"), "{err}");
    }

    #[test]
    fn a_map_to_an_unknown_theme_is_refused() {
        let mut news = news();
        news.category_map.insert("x".into(), "nope".into());
        assert!(news.validate().is_err());
        let mut news = self::news();
        news.default_theme = "nope".into();
        assert!(news.validate().is_err());
    }
}
