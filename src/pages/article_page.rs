//! Screen: one article, readable offline (it comes from the device's store).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{PageHeader, ThemeChip};
use crate::i18n::{Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::{format, share};
use crate::state::news::{Freshness, use_news};

/// Screen: an article.
#[component]
pub fn ArticlePage(
    /// The id from the path.
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let news = use_news();
    let article = Memo::new(move |_| {
        news.articles
            .with(|all| all.iter().find(|a| a.id == id).cloned())
    });
    // The heading is the article's own title; the tab's too.
    let title = Signal::derive(move || match article.get() {
        Some(a) => a.title,
        None => i18n.t(Text::NewsTitle).to_owned(),
    });
    let share_result = RwSignal::new(None::<Text>);

    view! {
        {move || match article.get() {
            None if news.freshness.get() == Freshness::Loading => view! { <p>{i18n.tr(Text::Loading)}</p> }.into_any(),
            None => view! {
                <PageHeader title=i18n.tr(Text::NewsTitle).to_owned() commune=identity.name_signal()/>
                <p>{i18n.tr(Text::ArticleNotFound)}</p>
                <p><a href="/actualites">{i18n.tr(Text::BackToNews)}</a></p>
            }
            .into_any(),
            Some(a) => {
                let locale = i18n.locale();
                let path = format!("/actualites/{}", a.id);
                let share_title = a.title.clone();
                let on_share = move |_| {
                    let url = share::absolute_url(&path);
                    let share_title = share_title.clone();
                    spawn_local(async move {
                        let result = match share::share(&share_title, &url).await {
                            share::Shared::Sheet => None,
                            share::Shared::Copied => Some(Text::LinkCopied),
                            share::Shared::Failed => Some(Text::ShareFailed),
                        };
                        share_result.set(result);
                    });
                };
                view! {
                    <article class="article">
                        <p class="article__back"><a href="/actualites">{i18n.tr(Text::BackToNews)}</a></p>
                        <PageHeader title=title commune=identity.name_signal()/>
                        <p class="article__meta">
                            {format!("{} {}", i18n.t(Text::PublishedOn), format::date(&a.published_at, locale))}
                        </p>
                        <p class="article-card__chips">
                            {a.themes
                                .iter()
                                .filter_map(|slug| news.theme(slug))
                                .map(|t| view! { <ThemeChip name=t.name(locale).to_owned() color=t.color.to_string()/> })
                                .collect_view()}
                        </p>
                        {a.image_url.clone().map(|src| view! {
                            <img class="article__image" src=src alt=a.image_alt.clone().unwrap_or_default() loading="lazy"/>
                        })}
                        <p class="article__summary">{a.summary.clone()}</p>
                        // Sanitised by the server (ammonia) before it was ever stored.
                        <div class="prose" inner_html=a.body_html.clone()></div>
                        {a.source_url.clone().map(|url| view! {
                            <p class="fine-print">{i18n.tr(Text::Source)}": " <a href=url.clone() rel="noopener">{url.clone()}</a></p>
                        })}
                        <div class="actions">
                            <button type="button" class="button button--secondary" on:click=on_share>{i18n.tr(Text::Share)}</button>
                        </div>
                        <p class="share-result" role="status">{move || share_result.get().map(|t| i18n.t(t))}</p>
                    </article>
                }
                .into_any()
            }
        }}
    }
}
