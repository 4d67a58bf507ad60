//! The `[facilities]` configuration: facility categories (marker colour and icon), how OSM tags
//! and SCDL labels map to them, the feeds to poll and the keys allowed to edit closures.

use std::collections::BTreeMap;

use parvis_core::color::MIN_TEXT_CONTRAST;
use parvis_core::news::is_valid_slug;
use parvis_core::{Color, FacilityCategory};
use serde::{Deserialize, Serialize};

use crate::config::ConfigError;
use crate::news::config::{MIN_PUBLISH_KEY_CHARS, deserialize_keys, fold};

/// `[facilities]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilitiesConfig {
    /// The category of an imported facility that no label or tag maps to ("autre"): it is
    /// imported there, and the import report says so.
    pub default_category: String,
    /// Label → category slug, compared without case or accents: SCDL `EQUIP_TYPE` and
    /// `EQUIP_THEME` values, and `category` properties of plain GeoJSON. Labels equal to a
    /// category's slug or name need no entry.
    #[serde(default)]
    pub category_map: BTreeMap<String, String>,
    /// OSM tags → category, tried in order; the first rule whose tags all match wins, so more
    /// specific rules come first.
    #[serde(default)]
    pub osm_rules: Vec<OsmRule>,
    /// GeoJSON or SCDL CSV sources polled on a schedule.
    #[serde(default)]
    pub feeds: Vec<FacilityFeedConfig>,
    /// Bearer keys of the town-hall tools allowed to `PUT /api/v1/facilities/{id}/closures`;
    /// empty disables editing. A list, or one string of keys separated by commas (for
    /// `PARVIS_FACILITIES__EDIT_KEYS`). Never serialised back.
    #[serde(default, deserialize_with = "deserialize_keys", skip_serializing)]
    pub edit_keys: Vec<String>,
    /// The categories, in display order (`[[facilities.categories]]`).
    pub categories: Vec<FacilityCategoryConfig>,
}

/// One rule of `facilities.osm_rules`: `{ tags = { amenity = "recycling", recycling_type =
/// "centre" }, category = "decheterie" }`. A tag's value may list alternatives (`a|b`) or be
/// `*` (any value); an OSM value that is a `;` list matches when one of its items does.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OsmRule {
    pub tags: BTreeMap<String, String>,
    pub category: String,
}

impl OsmRule {
    /// Whether every tag of the rule is among `tags`.
    fn matches(&self, tags: &dyn Fn(&str) -> Option<String>) -> bool {
        self.tags.iter().all(|(key, pattern)| {
            tags(key).is_some_and(|value| {
                pattern.trim() == "*"
                    || value.split(';').map(str::trim).any(|item| {
                        pattern
                            .split('|')
                            .any(|alternative| alternative.trim() == item)
                    })
            })
        })
    }
}

/// `[[facilities.feeds]]`: one source to poll.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilityFeedConfig {
    /// `http://` or `https://` URL of a GeoJSON file (an OSM export…) or an SCDL CSV.
    pub url: String,
    /// Minutes between two polls (the first one runs at start-up); daily by default, since
    /// facilities rarely change.
    #[serde(default = "default_every_minutes")]
    pub every_minutes: u32,
}

fn default_every_minutes() -> u32 {
    24 * 60
}

/// `[[facilities.categories]]`: one category.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilityCategoryConfig {
    pub slug: String,
    pub name_fr: String,
    pub name_en: String,
    /// Marker and legend colour, under white text.
    pub color: Color,
    /// Name of the app's icon.
    pub icon: String,
}

impl From<&FacilityCategoryConfig> for FacilityCategory {
    fn from(c: &FacilityCategoryConfig) -> Self {
        FacilityCategory {
            slug: c.slug.clone(),
            name_fr: c.name_fr.clone(),
            name_en: c.name_en.clone(),
            color: c.color.to_string(),
            icon: c.icon.clone(),
        }
    }
}

impl FacilitiesConfig {
    /// Checks slugs, names, contrasts, icons, the maps, the default category, feeds and keys.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |msg: String| Err(ConfigError(msg));
        if self.categories.is_empty() {
            return fail("facilities.categories must list at least one category".into());
        }
        for (i, category) in self.categories.iter().enumerate() {
            let key = format!("facilities.categories[{i}]");
            if !is_valid_slug(&category.slug) {
                return fail(format!(
                    "{key}.slug `{}` must be 1 to 40 characters of a-z, 0-9 and inner dashes",
                    category.slug
                ));
            }
            if self.categories[..i].iter().any(|c| c.slug == category.slug) {
                return fail(format!("{key}.slug `{}` is used twice", category.slug));
            }
            if category.name_fr.trim().is_empty() || category.name_en.trim().is_empty() {
                return fail(format!("{key}: name_fr and name_en must not be empty"));
            }
            if category.icon.trim().is_empty() {
                return fail(format!("{key}.icon must not be empty"));
            }
            let contrast = category.color.contrast(Color::WHITE);
            if contrast < MIN_TEXT_CONTRAST {
                return fail(format!(
                    "{key}.color {} (category `{}`) has a contrast of {contrast:.2}:1 with white \
                     text; WCAG AA needs at least {MIN_TEXT_CONTRAST}:1, choose a darker colour",
                    category.color, category.slug
                ));
            }
        }
        if !self.has_category(&self.default_category) {
            return fail(format!(
                "facilities.default_category `{}` is not one of facilities.categories",
                self.default_category
            ));
        }
        for (label, slug) in &self.category_map {
            if fold(label).is_empty() {
                return fail("facilities.category_map has an empty label".into());
            }
            if !self.has_category(slug) {
                return fail(format!(
                    "facilities.category_map.\"{label}\" = `{slug}` is not one of \
                     facilities.categories"
                ));
            }
        }
        for (i, rule) in self.osm_rules.iter().enumerate() {
            if rule.tags.is_empty()
                || rule
                    .tags
                    .iter()
                    .any(|(k, v)| k.trim().is_empty() || v.trim().is_empty())
            {
                return fail(format!(
                    "facilities.osm_rules[{i}].tags must name at least one tag, each with a value \
                     (`*` for any)"
                ));
            }
            if !self.has_category(&rule.category) {
                return fail(format!(
                    "facilities.osm_rules[{i}].category `{}` is not one of facilities.categories",
                    rule.category
                ));
            }
        }
        for (i, feed) in self.feeds.iter().enumerate() {
            let url = &feed.url;
            let ok = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace));
            if !ok {
                return fail(format!(
                    "facilities.feeds[{i}].url `{url}` must start with http:// or https://"
                ));
            }
            if feed.every_minutes == 0 {
                return fail(format!(
                    "facilities.feeds[{i}].every_minutes must be at least 1"
                ));
            }
        }
        for (i, key) in self.edit_keys.iter().enumerate() {
            if key.chars().count() < MIN_PUBLISH_KEY_CHARS
                || !key.bytes().all(|b| b.is_ascii_graphic())
            {
                return fail(format!(
                    "facilities.edit_keys[{i}] must have at least {MIN_PUBLISH_KEY_CHARS} visible \
                     ASCII characters, without spaces (e.g. from `openssl rand -hex 32`)"
                ));
            }
        }
        Ok(())
    }

    /// Whether `slug` is a configured category.
    pub fn has_category(&self, slug: &str) -> bool {
        self.categories.iter().any(|c| c.slug == slug)
    }

    /// The wire categories, in configuration order.
    pub fn wire_categories(&self) -> Vec<FacilityCategory> {
        self.categories.iter().map(FacilityCategory::from).collect()
    }

    /// The category a label stands for: the map first, then a category whose slug, French or
    /// English name is the label (all compared without case or accents).
    pub fn category_for_label(&self, label: &str) -> Option<&str> {
        let label = fold(label);
        if label.is_empty() {
            return None;
        }
        if let Some((_, slug)) = self.category_map.iter().find(|(k, _)| fold(k) == label) {
            return Some(slug);
        }
        self.categories
            .iter()
            .find(|c| {
                fold(&c.slug) == label || fold(&c.name_fr) == label || fold(&c.name_en) == label
            })
            .map(|c| c.slug.as_str())
    }

    /// The category of the first OSM rule that `tags` (a tag's value by key) match.
    pub fn category_for_tags(&self, tags: &dyn Fn(&str) -> Option<String>) -> Option<&str> {
        self.osm_rules
            .iter()
            .find(|rule| rule.matches(tags))
            .map(|rule| rule.category.as_str())
    }

    /// The French name of a category (its slug when unknown).
    pub fn name_fr<'a>(&'a self, slug: &'a str) -> &'a str {
        self.categories
            .iter()
            .find(|c| c.slug == slug)
            .map_or(slug, |c| c.name_fr.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::config::{Config, Sources};

    fn facilities() -> FacilitiesConfig {
        Config::load(&Sources::default())
            .expect("defaults load")
            .facilities
    }

    fn tags(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |key: &str| map.get(key).cloned()
    }

    #[test]
    fn the_default_categories_are_valid_and_readable() {
        let f = facilities();
        f.validate().expect("valid");
        assert!(f.categories.len() >= 10);
        assert!(f.has_category(&f.default_category));
        assert!(f.edit_keys.is_empty());
    }

    #[test]
    fn osm_tags_map_to_categories_most_specific_rule_first() {
        let f = facilities();
        let of = |pairs: &[(&str, &str)]| f.category_for_tags(&tags(pairs)).map(str::to_owned);
        assert_eq!(of(&[("amenity", "townhall")]).as_deref(), Some("mairie"));
        assert_eq!(
            of(&[("amenity", "recycling"), ("recycling_type", "centre")]).as_deref(),
            Some("decheterie")
        );
        assert_eq!(
            of(&[("amenity", "recycling"), ("recycling_type", "container")]),
            None
        );
        assert_eq!(
            of(&[("leisure", "sports_centre"), ("sport", "swimming")]).as_deref(),
            Some("piscine")
        );
        assert_eq!(
            of(&[
                ("leisure", "sports_centre"),
                ("sport", "basketball;handball")
            ])
            .as_deref(),
            Some("sport")
        );
        assert_eq!(of(&[("leisure", "sports_hall")]).as_deref(), Some("sport"));
        assert_eq!(of(&[("landuse", "cemetery")]).as_deref(), Some("cimetiere"));
        assert_eq!(of(&[("amenity", "bench")]), None);
    }

    #[test]
    fn scdl_labels_map_by_table_then_slug_then_name() {
        let f = facilities();
        assert_eq!(f.category_for_label("Mairie"), Some("mairie"));
        assert_eq!(f.category_for_label("DÉCHÈTERIE"), Some("decheterie"));
        assert_eq!(f.category_for_label("Médiathèque"), Some("mediatheque"));
        assert_eq!(
            f.category_for_label("Equipement sportif et de loisirs"),
            Some("sport")
        );
        assert_eq!(f.category_for_label("Toilets"), Some("toilettes"));
        assert_eq!(f.category_for_label("Observatoire"), None);
    }

    #[test]
    fn wrong_values_are_refused() {
        let mut f = facilities();
        f.categories[0].color = Color::rgb(0xff, 0xee, 0x00);
        let err = f.validate().expect_err("low contrast");
        assert!(err.0.contains("facilities.categories[0].color"), "{err}");
        let mut f = facilities();
        f.default_category = "nope".into();
        assert!(f.validate().is_err());
        let mut f = facilities();
        f.osm_rules[0].category = "nope".into();
        assert!(f.validate().is_err());
        let mut f = facilities();
        f.osm_rules[0].tags.clear();
        assert!(f.validate().is_err());
        let mut f = facilities();
        f.edit_keys = vec!["short".into()];
        assert!(f.validate().is_err());
        let mut f = facilities();
        f.feeds.push(FacilityFeedConfig {
            url: "file:///x".into(),
            every_minutes: 5,
        });
        assert!(f.validate().is_err());
    }
}
