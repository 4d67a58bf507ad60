//! Screen: the map and list of municipal facilities.

use leptos::prelude::*;

use super::placeholder_screen;
use crate::components::IconName;
use crate::i18n::Text;

/// Screen: the map and list of municipal facilities.
#[component]
pub fn MapPage() -> impl IntoView {
    placeholder_screen(Text::MapTitle, IconName::Map, Text::MapEmpty)
}
