//! Screen: the news of the themes the resident follows.

use leptos::prelude::*;

use super::placeholder_screen;
use crate::components::IconName;
use crate::i18n::Text;

/// Screen: the news of the themes the resident follows.
#[component]
pub fn NewsPage() -> impl IntoView {
    placeholder_screen(Text::NewsTitle, IconName::News, Text::NewsEmpty)
}
