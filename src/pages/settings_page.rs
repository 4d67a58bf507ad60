//! Screen: the resident's settings (language) and what this app is.

use leptos::prelude::*;
use parvis_core::Locale;

use crate::components::PageHeader;
use crate::i18n::{Text, use_i18n};
use crate::identity::use_identity;

/// Screen: settings and "À propos".
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(locale) = Locale::from_tag(&event_target_value(&ev)) {
            i18n.set_locale(locale);
        }
    };
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Text::SettingsTitle)) commune=Signal::derive(move || identity.name())/>
        <section class="card" aria-labelledby="reglages-langue">
            <h2 id="reglages-langue">{move || i18n.t(Text::Language)}</h2>
            <div class="field">
                <label for="langue">{move || i18n.t(Text::Language)}</label>
                <select id="langue" aria-describedby="langue-aide" on:change=on_change prop:value=move || i18n.locale().tag()>
                    {Locale::ALL
                        .into_iter()
                        .map(|l| view! {
                            <option value=l.tag() lang=l.tag() selected=move || i18n.locale() == l>{l.native_name()}</option>
                        })
                        .collect_view()}
                </select>
                <p id="langue-aide" class="field__hint">{move || i18n.t(Text::LanguageHint)}</p>
                <Show when=move || !i18n.saved()>
                    <p class="field__error" role="alert">{move || i18n.t(Text::LanguageNotSaved)}</p>
                </Show>
            </div>
        </section>
        <section class="card" aria-labelledby="reglages-a-propos">
            <h2 id="reglages-a-propos">{move || i18n.t(Text::About)}</h2>
            <dl class="facts">
                <dt>{move || i18n.t(Text::Commune)}</dt>
                <dd>{move || identity.name().unwrap_or_else(|| i18n.t(Text::Loading).to_owned())}</dd>
                {move || identity.commune().and_then(|c| c.website).map(|url| view! {
                    <dt>{move || i18n.t(Text::CommuneWebsite)}</dt>
                    <dd><a href=url.clone() rel="noopener">{url.clone()}</a></dd>
                })}
                <dt>{move || i18n.t(Text::AppVersion)}</dt>
                <dd>{env!("CARGO_PKG_VERSION")}</dd>
            </dl>
            <p class="fine-print">"Parvis — logiciel libre (EUPL 1.2). Fond de carte © les contributeurs d’OpenStreetMap."</p>
        </section>
    }
}
