//! The main navigation: a bottom bar on phones, a side bar from 900 px (CSS decides).

use leptos::prelude::*;

use crate::router::{aria_current, use_location};

use super::{Icon, IconName};

/// One destination of the navigation.
#[derive(Debug, Clone, Copy)]
pub struct NavItem {
    pub href: &'static str,
    pub icon: IconName,
    pub label: &'static str,
}

/// The main navigation; the router marks the current link with `aria-current="page"`.
#[component]
pub fn NavBar(
    /// The navigation's accessible name.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The destinations, in order (tracked, so labels follow the language).
    #[prop(into)]
    items: Signal<Vec<NavItem>>,
) -> impl IntoView {
    let location = use_location();
    view! {
        <nav class="nav-bar" aria-label=move || label.get()>
            <ul class="nav-bar__list">
                {move || {
                    items
                        .get()
                        .into_iter()
                        .map(|item| {
                            view! {
                                <li>
                                    <a href=item.href class="nav-bar__link" aria-current=aria_current(location, item.href)>
                                        <Icon name=item.icon/>
                                        <span class="nav-bar__label">{item.label}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </nav>
    }
}
