//! Screen: the news of the followed themes, filterable by theme (the filter lives in the URL),
//! from the device first and refreshed from the server.

use leptos::prelude::*;
use parvis_core::Article;

use crate::components::freshness_note::freshness_text;
use crate::components::{
    ArticleCard, EmptyState, FreshnessNote, IconName, PageHeader, ThemeChoice, ThemePicker,
};
use crate::i18n::{Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::format;
use crate::router::use_location;
use crate::state::news::{Freshness, use_news};
use crate::sync::use_connectivity;

/// Screen: the news.
#[component]
pub fn NewsPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let news = use_news();
    let connectivity = use_connectivity();
    let location = use_location();
    let selected = Memo::new(move |_| location.query("theme"));
    let list = Memo::new(move |_| {
        let selected = selected.get();
        news.visible()
            .into_iter()
            .filter(|a| selected.as_ref().is_none_or(|s| a.themes.contains(s)))
            .collect::<Vec<Article>>()
    });
    let onboarding =
        move || !news.followed.with(|f| f.chosen) && news.themes.with(|t| !t.is_empty());
    // Filter chips: the followed themes, or all of them when following everything.
    let chip_themes = Memo::new(move |_| {
        let followed = news.followed.with(|f| f.themes.clone());
        news.themes.with(|all| {
            all.iter()
                .filter(|t| followed.is_empty() || followed.contains(&t.slug))
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    view! {
        <PageHeader title=i18n.tr(Text::NewsTitle).to_owned() commune=identity.name_signal()/>
        <div class="toolbar">
            <FreshnessNote text=Signal::derive(move || freshness_text(news.freshness, news.error, news.syncing, i18n, connectivity.is_online()))/>
            <button
                type="button"
                class="button button--secondary"
                on:click=move |_| news.refresh()
                disabled=move || news.syncing.get() || !connectivity.is_online()
            >
                {i18n.tr(Text::Refresh)}
            </button>
        </div>
        {move || onboarding().then(|| view! {
            <Onboarding/>
        })}
        {move || (!chip_themes.with(Vec::is_empty)).then(|| view! {
            <nav class="chip-filter" aria-label=i18n.tr(Text::FilterByTheme)>
                <a href="/actualites" class="chip-filter__item" aria-current=move || selected.get().is_none().then_some("page")>
                    {i18n.tr(Text::AllThemes)}
                </a>
                {move || {
                    chip_themes
                        .get()
                        .into_iter()
                        .map(|theme| {
                            let slug = theme.slug.clone();
                            let current = move || (selected.get().as_deref() == Some(slug.as_str())).then_some("page");
                            view! {
                                <a href=format!("/actualites?theme={}", theme.slug) class="chip-filter__item" aria-current=current>
                                    {theme.name(i18n.locale()).to_owned()}
                                </a>
                            }
                        })
                        .collect_view()
                }}
            </nav>
        })}
        {move || {
            let articles = list.get();
            if articles.is_empty() {
                // Not « no news » while the device's copy is still being read.
                if news.freshness.with(|f| *f == Freshness::Loading) {
                    return ().into_any();
                }
                let message = if selected.with(Option::is_some) { Text::NoArticleForFilter } else { Text::NewsEmpty };
                return view! {
                    <EmptyState icon=IconName::News title=i18n.tr(Text::NewsTitle) message=i18n.tr(message)/>
                }
                .into_any();
            }
            let locale = i18n.locale();
            view! {
                <div class="article-list">
                    {articles
                        .into_iter()
                        .map(|article| {
                            let chips = article
                                .themes
                                .iter()
                                .filter_map(|slug| news.theme(slug))
                                .map(|t| (t.name(locale).to_owned(), t.color.to_string()))
                                .collect();
                            view! {
                                <ArticleCard
                                    href=format!("/actualites/{}", article.id)
                                    title=article.title
                                    date=format::date(&article.published_at, locale)
                                    summary=article.summary
                                    chips=chips
                                />
                            }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }}
    }
}

/// First launch: which themes to follow (skippable: "Plus tard" follows everything).
#[component]
fn Onboarding() -> impl IntoView {
    let i18n = use_i18n();
    let news = use_news();
    let picked = RwSignal::new(Vec::<String>::new());
    let choices = Signal::derive(move || {
        let picked = picked.get();
        news.themes
            .get()
            .into_iter()
            .map(|t| ThemeChoice {
                checked: picked.contains(&t.slug),
                name: t.name(i18n.locale()).to_owned(),
                slug: t.slug,
            })
            .collect::<Vec<_>>()
    });
    let on_toggle = Callback::new(move |(slug, checked): (String, bool)| {
        picked.update(|p| {
            p.retain(|s| *s != slug);
            if checked {
                p.push(slug);
            }
        });
    });
    view! {
        <section class="card onboarding" aria-labelledby="choix-themes">
            <h2 id="choix-themes">{i18n.tr(Text::ChooseThemesTitle)}</h2>
            <p class="field__hint">{i18n.tr(Text::ChooseThemesHint)}</p>
            <ThemePicker legend=i18n.tr(Text::FollowedThemes) choices=choices on_toggle=on_toggle id_prefix="accueil-theme"/>
            <div class="actions">
                <button type="button" class="button button--primary" on:click=move |_| news.follow(picked.get())>
                    {i18n.tr(Text::Confirm)}
                </button>
                <button type="button" class="button button--secondary" on:click=move |_| news.follow(Vec::new())>
                    {i18n.tr(Text::Later)}
                </button>
            </div>
        </section>
    }
}
