//! News by theme: the wire types of `/api/v1/themes` and `/api/v1/news`, and theme filtering.
//!
//! Times are RFC 3339 strings in UTC (see the design's conventions): the app formats them with
//! the browser's `Intl`, so the Wasm carries no date library.

use serde::{Deserialize, Serialize};

use crate::{Color, Locale};

/// A theme residents follow (roadworks, waste, culture…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Theme {
    /// Stable identifier, lowercase ASCII with dashes (`travaux`, `dechets`).
    pub slug: String,
    pub name_fr: String,
    pub name_en: String,
    /// Colour of the theme's chip (checked for contrast against white text).
    pub color: Color,
    /// Name of the app's icon for the theme (`roadworks`, `waste`, `culture`, `alert`…).
    pub icon: String,
    /// Urgent themes (alerts) are pushed with high urgency and cannot be silenced by topic.
    pub urgent: bool,
}

impl Theme {
    /// The theme's name in `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::Fr => &self.name_fr,
            Locale::En => &self.name_en,
        }
    }
}

/// A news article, as the API sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Article {
    pub id: i64,
    pub title: String,
    /// Plain text, one or two sentences (also the push notification's body).
    pub summary: String,
    /// Sanitised HTML (no script, no event handler, no style): safe to insert as is.
    pub body_html: String,
    /// Absolute or root-relative URL of the illustration.
    pub image_url: Option<String>,
    /// Text alternative of the illustration (empty when decorative).
    pub image_alt: Option<String>,
    /// RFC 3339, UTC.
    pub published_at: String,
    /// RFC 3339, UTC: changes whenever anything in the article changes.
    pub updated_at: String,
    /// Slugs of the article's themes (at least one).
    pub themes: Vec<String>,
    /// The page the article was imported from, if any.
    pub source_url: Option<String>,
}

/// An article sent by a town-hall tool to `POST /api/v1/news` (or `PUT /api/v1/news/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewArticle {
    /// Plain text, not empty.
    pub title: String,
    /// Plain text; derived from the body when absent.
    #[serde(default)]
    pub summary: Option<String>,
    /// HTML; sanitised by the server (scripts, styles and event handlers are removed).
    pub body_html: String,
    /// `http(s)://` URL of the illustration; the server keeps a copy of its own.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Text alternative of the illustration.
    #[serde(default)]
    pub image_alt: Option<String>,
    /// Slugs of the article's themes: at least one, each a theme of the commune.
    pub themes: Vec<String>,
    /// RFC 3339; now when absent.
    #[serde(default)]
    pub published_at: Option<String>,
    /// `http(s)://` URL of the page the article also lives on.
    #[serde(default)]
    pub source_url: Option<String>,
}

/// One page of `GET /api/v1/news`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticlePage {
    pub items: Vec<Article>,
    /// Opaque; pass it as `cursor` to get the next page. `None` on the last page.
    pub next_cursor: Option<String>,
    /// Opaque; pass it as `since` later to get only what changed after this answer.
    pub sync_token: String,
}

/// Whether an article belongs to at least one of the followed themes; following nothing
/// means "everything" (a resident who has not chosen yet sees all the news).
pub fn matches_followed(article_themes: &[String], followed: &[String]) -> bool {
    followed.is_empty() || article_themes.iter().any(|t| followed.contains(t))
}

/// Whether a slug is well formed: 1–40 characters of `a-z`, `0-9` and inner dashes.
pub fn is_valid_slug(slug: &str) -> bool {
    (1..=40).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn following_nothing_shows_everything() {
        assert!(matches_followed(&themes(&["culture"]), &[]));
    }

    #[test]
    fn an_article_shows_when_one_of_its_themes_is_followed() {
        let article = themes(&["culture", "jeunesse"]);
        assert!(matches_followed(&article, &themes(&["sport", "jeunesse"])));
        assert!(!matches_followed(&article, &themes(&["sport", "travaux"])));
    }

    #[test]
    fn slugs_are_lowercase_ascii_with_inner_dashes() {
        assert!(is_valid_slug("travaux"));
        assert!(is_valid_slug("vie-scolaire-2"));
        for bad in ["", "Travaux", "-a", "a-", "é", "a b", &"x".repeat(41)] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }
}
