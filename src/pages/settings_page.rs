//! Screen: the resident's settings (language) and what this app is.

use leptos::prelude::*;
use parvis_core::Locale;

use crate::components::{PageHeader, ThemeChoice, ThemePicker};
use crate::i18n::{Text, use_i18n};
use crate::identity::use_identity;
use crate::state::news::use_news;
use crate::state::push::{PushStatus, use_push};

/// Screen: settings and "À propos".
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let news = use_news();
    let push = use_push();
    let choices = Signal::derive(move || {
        let followed = news.followed.with(|f| f.themes.clone());
        news.themes
            .get()
            .into_iter()
            .map(|t| ThemeChoice {
                checked: followed.contains(&t.slug),
                name: t.name(i18n.locale()).to_owned(),
                slug: t.slug,
            })
            .collect::<Vec<_>>()
    });
    let on_toggle = Callback::new(move |(slug, checked): (String, bool)| {
        let mut themes = news.followed.get_untracked().themes;
        themes.retain(|s| *s != slug);
        if checked {
            themes.push(slug);
        }
        news.follow(themes);
    });
    // Notifications follow the chosen themes, or every theme when none is chosen.
    let push_themes = move || {
        let followed = news.followed.get_untracked().themes;
        if followed.is_empty() {
            news.themes
                .get_untracked()
                .into_iter()
                .map(|t| t.slug)
                .collect()
        } else {
            followed
        }
    };
    let on_push_toggle = move |ev: leptos::ev::Event| {
        if event_target_checked(&ev) {
            push.enable(push_themes(), i18n.locale_untracked());
        } else {
            push.disable();
        }
    };
    let push_message = move || match push.status.get() {
        PushStatus::Off => None,
        PushStatus::On => Some(Text::NotificationsOn),
        PushStatus::Enabling | PushStatus::Disabling => Some(Text::NotificationsWorking),
        PushStatus::Denied => Some(Text::NotificationsDenied),
        PushStatus::NeedsHomeScreen => Some(Text::NotificationsHomeScreen),
        PushStatus::Unsupported => Some(Text::NotificationsUnsupported),
        PushStatus::NeedsNetwork => Some(Text::NotificationsNeedNetwork),
        PushStatus::Failed => Some(Text::NotificationsFailed),
    };
    let push_unavailable = move || {
        matches!(
            push.status.get(),
            PushStatus::NeedsHomeScreen
                | PushStatus::Unsupported
                | PushStatus::Enabling
                | PushStatus::Disabling
        )
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(locale) = Locale::from_tag(&event_target_value(&ev)) {
            i18n.set_locale(locale);
        }
    };
    view! {
        <PageHeader title=i18n.tr(Text::SettingsTitle).to_owned() commune=identity.name_signal()/>
        <section class="card" aria-labelledby="reglages-langue">
            <h2 id="reglages-langue">{i18n.tr(Text::Language)}</h2>
            <div class="field">
                <label for="langue">{i18n.tr(Text::Language)}</label>
                <select id="langue" aria-describedby="langue-aide" on:change=on_change prop:value=move || i18n.locale().tag()>
                    {Locale::ALL
                        .into_iter()
                        .map(|l| view! {
                            <option value=l.tag() lang=l.tag() selected=i18n.locale() == l>{l.native_name()}</option>
                        })
                        .collect_view()}
                </select>
                <p id="langue-aide" class="field__hint">{i18n.tr(Text::LanguageHint)}</p>
                {move || (!i18n.saved()).then(|| view! {
                    <p class="field__error" role="alert">{i18n.tr(Text::LanguageNotSaved)}</p>
                })}
            </div>
        </section>
        <section class="card" aria-labelledby="reglages-themes">
            <h2 id="reglages-themes">{i18n.tr(Text::FollowedThemes)}</h2>
            <p class="field__hint">{i18n.tr(Text::FollowedThemesHint)}</p>
            {move || if news.themes.with(Vec::is_empty) {
                view! { <p>{i18n.tr(Text::NoThemesYet)}</p> }.into_any()
            } else {
                view! { <ThemePicker legend=i18n.tr(Text::FollowedThemes) choices=choices on_toggle=on_toggle id_prefix="reglages-theme"/> }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="reglages-notifications">
            <h2 id="reglages-notifications">{i18n.tr(Text::Notifications)}</h2>
            <div class="switch">
                <input
                    type="checkbox"
                    role="switch"
                    id="notifications"
                    aria-describedby="notifications-etat"
                    prop:checked=move || push.is_on()
                    disabled=push_unavailable
                    on:change=on_push_toggle
                />
                <label for="notifications">{i18n.tr(Text::NotificationsSwitch)}</label>
            </div>
            <p id="notifications-etat" class="field__hint" role="status">{move || push_message().map(|t| i18n.t(t))}</p>
        </section>
        <section class="card" aria-labelledby="reglages-a-propos">
            <h2 id="reglages-a-propos">{i18n.tr(Text::About)}</h2>
            <dl class="facts">
                <dt>{i18n.tr(Text::Commune)}</dt>
                <dd>{move || identity.name().unwrap_or_else(|| i18n.t(Text::Loading).to_owned())}</dd>
                {move || identity.commune().and_then(|c| c.website).map(|url| view! {
                    <dt>{i18n.tr(Text::CommuneWebsite)}</dt>
                    <dd><a href=url.clone() rel="noopener">{url.clone()}</a></dd>
                })}
                <dt>{i18n.tr(Text::AppVersion)}</dt>
                <dd>{env!("CARGO_PKG_VERSION")}</dd>
            </dl>
            <p class="fine-print">"Parvis — logiciel libre (EUPL 1.2). Fond de carte © les contributeurs d’OpenStreetMap."</p>
        </section>
    }
}
