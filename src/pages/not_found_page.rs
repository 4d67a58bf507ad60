//! Screen: an address that matches no page.

use leptos::prelude::*;

use crate::components::PageHeader;
use crate::i18n::{Text, use_i18n};
use crate::identity::use_identity;

/// Screen: "Page introuvable", with the way back.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    view! {
        <PageHeader title=i18n.tr(Text::NotFoundTitle).to_owned() commune=identity.name_signal()/>
        <p>{i18n.tr(Text::NotFoundText)}</p>
        <p>
            <a href="/actualites" class="button button--primary">{i18n.tr(Text::BackHome)}</a>
        </p>
    }
}
