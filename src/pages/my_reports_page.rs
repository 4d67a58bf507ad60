//! Screen: the resident's reports and their status.

use leptos::prelude::*;

use super::placeholder_screen;
use crate::components::IconName;
use crate::i18n::Text;

/// Screen: the resident's reports and their status.
#[component]
pub fn MyReportsPage() -> impl IntoView {
    placeholder_screen(
        Text::MyReportsTitle,
        IconName::MyReports,
        Text::MyReportsEmpty,
    )
}
