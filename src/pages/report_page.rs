//! Screen: reporting a street incident.

use leptos::prelude::*;

use super::placeholder_screen;
use crate::components::IconName;
use crate::i18n::Text;

/// Screen: reporting a street incident.
#[component]
pub fn ReportPage() -> impl IntoView {
    placeholder_screen(Text::ReportTitle, IconName::Report, Text::ReportEmpty)
}
