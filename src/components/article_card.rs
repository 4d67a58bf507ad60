//! One article in a list: title (the link), date, themes and summary.

use leptos::prelude::*;

use super::ThemeChip;

/// The themes of an article, ready to show: (name, colour).
pub type ChipList = Vec<(String, String)>;

/// An article's card.
#[component]
pub fn ArticleCard(
    #[prop(into)] href: String,
    #[prop(into)] title: String,
    #[prop(into)] date: String,
    #[prop(into)] summary: String,
    chips: ChipList,
) -> impl IntoView {
    view! {
        <article class="card article-card">
            <h2 class="article-card__title">
                <a href=href>{title}</a>
            </h2>
            <p class="article-card__meta">{date}</p>
            <p class="article-card__chips">
                {chips
                    .into_iter()
                    .map(|(name, color)| view! { <ThemeChip name=name color=color/> })
                    .collect_view()}
            </p>
            <p class="article-card__summary">{summary}</p>
        </article>
    }
}
