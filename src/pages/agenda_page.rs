//! Screen: the commune's upcoming events.

use leptos::prelude::*;

use super::placeholder_screen;
use crate::components::IconName;
use crate::i18n::Text;

/// Screen: the commune's upcoming events.
#[component]
pub fn AgendaPage() -> impl IntoView {
    placeholder_screen(Text::AgendaTitle, IconName::Agenda, Text::AgendaEmpty)
}
