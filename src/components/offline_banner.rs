//! Tells the resident they are offline and that what they see is the saved copy.

use leptos::prelude::*;

use super::{Icon, IconName};

/// A status line shown while the browser is offline.
#[component]
pub fn OfflineBanner(
    #[prop(into)] online: Signal<bool>,
    #[prop(into)] message: Signal<&'static str>,
) -> impl IntoView {
    view! {
        <div class="offline-banner" role="status">
            {move || (!online.get()).then(|| view! {
                <p class="offline-banner__text">
                    <Icon name=IconName::Offline/>
                    {move || message.get()}
                </p>
            })}
        </div>
    }
}
