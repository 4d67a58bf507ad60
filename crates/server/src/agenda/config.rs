//! The `[agenda]` configuration: event categories, how imported labels map to them, the feeds
//! to poll and how far ahead recurring events are expanded.

use std::collections::BTreeMap;

use parvis_core::EventCategory;
use parvis_core::news::is_valid_slug;
use serde::{Deserialize, Serialize};

use crate::config::ConfigError;
use crate::news::config::fold;

/// `[agenda]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaConfig {
    /// The category of an imported event none of whose labels maps to a category.
    pub default_category: String,
    /// Imported label → category slug, compared without case or accents. Labels equal to a
    /// category's slug or name need no entry.
    #[serde(default)]
    pub category_map: BTreeMap<String, String>,
    /// Feeds polled on a schedule.
    #[serde(default)]
    pub feeds: Vec<AgendaFeedConfig>,
    /// Days ahead over which recurring events are expanded into occurrences.
    #[serde(default = "default_horizon_days")]
    pub horizon_days: u32,
    /// The categories, in display order (`[[agenda.categories]]`).
    pub categories: Vec<EventCategoryConfig>,
}

fn default_horizon_days() -> u32 {
    365
}

/// The formats an agenda feed can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedFormat {
    /// iCalendar (RFC 5545).
    Ics,
    /// OpenAgenda's JSON export.
    Openagenda,
}

impl FeedFormat {
    /// Parses `ics` or `openagenda`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ics" | "ical" | "icalendar" => Some(FeedFormat::Ics),
            "openagenda" | "json" => Some(FeedFormat::Openagenda),
            _ => None,
        }
    }
}

/// One agenda feed to poll.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaFeedConfig {
    /// `http://` or `https://` URL of an iCalendar file or an OpenAgenda JSON export.
    pub url: String,
    /// Minutes between two polls (the first one runs at start-up).
    #[serde(default = "default_every_minutes")]
    pub every_minutes: u32,
    /// Guessed from the content when absent.
    #[serde(default)]
    pub format: Option<FeedFormat>,
}

fn default_every_minutes() -> u32 {
    60
}

/// `[[agenda.categories]]`: one category.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventCategoryConfig {
    pub slug: String,
    pub name_fr: String,
    pub name_en: String,
}

impl AgendaConfig {
    /// Checks slugs, names, the category map, the default category, the feeds and the horizon.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |msg: String| Err(ConfigError(msg));
        if self.categories.is_empty() {
            return fail("agenda.categories must list at least one category".into());
        }
        for (i, category) in self.categories.iter().enumerate() {
            let key = format!("agenda.categories[{i}]");
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
        }
        if !self.has_category(&self.default_category) {
            return fail(format!(
                "agenda.default_category `{}` is not one of agenda.categories",
                self.default_category
            ));
        }
        for (label, slug) in &self.category_map {
            if fold(label).is_empty() {
                return fail("agenda.category_map has an empty label".into());
            }
            if !self.has_category(slug) {
                return fail(format!(
                    "agenda.category_map.\"{label}\" = `{slug}` is not one of agenda.categories"
                ));
            }
        }
        if !(1..=1830).contains(&self.horizon_days) {
            return fail("agenda.horizon_days must be between 1 and 1830".into());
        }
        for (i, feed) in self.feeds.iter().enumerate() {
            let url = &feed.url;
            let ok = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace));
            if !ok {
                return fail(format!(
                    "agenda.feeds[{i}].url `{url}` must start with http:// or https://"
                ));
            }
            if feed.every_minutes == 0 {
                return fail(format!(
                    "agenda.feeds[{i}].every_minutes must be at least 1"
                ));
            }
        }
        Ok(())
    }

    fn has_category(&self, slug: &str) -> bool {
        self.categories.iter().any(|c| c.slug == slug)
    }

    /// The wire categories, in configuration order.
    pub fn wire_categories(&self) -> Vec<EventCategory> {
        self.categories
            .iter()
            .map(|c| EventCategory {
                slug: c.slug.clone(),
                name_fr: c.name_fr.clone(),
                name_en: c.name_en.clone(),
            })
            .collect()
    }

    /// The category an imported label stands for: the map first, then a category whose slug,
    /// French or English name is the label (all compared without case or accents).
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

    /// The category of an event with these labels: the first that maps, else the default.
    pub fn category_for_labels<'a>(&self, labels: impl IntoIterator<Item = &'a str>) -> String {
        labels
            .into_iter()
            .find_map(|l| self.category_for_label(l))
            .unwrap_or(&self.default_category)
            .to_owned()
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
    use super::*;
    use crate::config::{Config, Sources};

    fn agenda() -> AgendaConfig {
        Config::load(&Sources::default())
            .expect("defaults load")
            .agenda
    }

    #[test]
    fn the_default_categories_are_valid() {
        let agenda = agenda();
        assert!(agenda.categories.len() >= 8);
        agenda.validate().expect("valid");
        assert_eq!(agenda.horizon_days, 365);
    }

    #[test]
    fn labels_map_by_table_then_slug_then_name() {
        let mut agenda = agenda();
        agenda
            .category_map
            .insert("Musique".into(), "concert".into());
        assert_eq!(agenda.category_for_label("MUSIQUE"), Some("concert"));
        assert_eq!(agenda.category_for_label("marché"), Some("marche"));
        assert_eq!(
            agenda.category_for_label("Conseil-Municipal"),
            Some("conseil-municipal")
        );
        assert_eq!(
            agenda.category_for_labels(["Jardinage", "Workshop"]),
            "atelier"
        );
        assert_eq!(
            agenda.category_for_labels(["Jardinage"]),
            agenda.default_category
        );
    }

    #[test]
    fn wrong_values_are_refused() {
        let mut a = agenda();
        a.default_category = "nope".into();
        assert!(a.validate().is_err());
        let mut a = agenda();
        a.category_map.insert("x".into(), "nope".into());
        assert!(a.validate().is_err());
        let mut a = agenda();
        a.horizon_days = 0;
        assert!(a.validate().is_err());
        let mut a = agenda();
        a.feeds.push(AgendaFeedConfig {
            url: "ftp://x".into(),
            every_minutes: 5,
            format: None,
        });
        assert!(a.validate().is_err());
    }
}
