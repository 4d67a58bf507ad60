//! Offers a new version of the app once its service worker is installed and waiting.

use leptos::prelude::*;

/// "Nouvelle version disponible — Recharger". The live region always exists so screen readers
/// announce the message when it appears.
#[component]
pub fn UpdateBanner(
    #[prop(into)] visible: Signal<bool>,
    #[prop(into)] message: Signal<&'static str>,
    #[prop(into)] action: Signal<&'static str>,
    on_reload: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="update-banner" role="status">
            {move || visible.get().then(|| view! {
                <p class="update-banner__text">{move || message.get()}</p>
                <button type="button" class="button button--primary" on:click=move |_| on_reload.run(())>
                    {move || action.get()}
                </button>
            })}
        </div>
    }
}
