//! The commune's identity (name, logo, colours) from the server's configuration, kept on the
//! device so the app looks like *this* commune's app from the first frame, offline too.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::Commune;

use crate::i18n::I18n;
use crate::platform::{document, network};
use crate::{api, store};

const COMMUNE_KEY: &str = "identity.commune";
const LOGO_KEY: &str = "identity.logo";

/// The commune as last known (tracked); `None` until the first successful load.
#[derive(Debug, Clone, Copy)]
pub struct Identity {
    commune: RwSignal<Option<Commune>>,
    logo: RwSignal<Option<String>>,
}

impl Identity {
    /// The commune's full name, if known.
    pub fn name(self) -> Option<String> {
        self.commune.with(|c| c.as_ref().map(|c| c.name.clone()))
    }

    /// The name as a signal for props (one closure type for every screen: smaller Wasm).
    pub fn name_signal(self) -> Signal<Option<String>> {
        Signal::derive(move || self.name())
    }

    /// The commune, if known.
    pub fn commune(self) -> Option<Commune> {
        self.commune.get()
    }

    /// The commune, if known, without tracking (for work outside views).
    pub fn commune_untracked(self) -> Option<Commune> {
        self.commune.get_untracked()
    }

    /// The logo as a `data:` URL, if known.
    pub fn logo(self) -> Option<String> {
        self.logo.get()
    }

    fn show(self, commune: Commune, i18n: I18n) {
        document::apply_colors(commune.colors.primary, commune.colors.primary_dark_theme);
        i18n.use_default(commune.default_locale);
        self.commune.set(Some(commune));
    }
}

/// A new, empty identity, provided as the context.
fn provided() -> Identity {
    let identity = Identity {
        commune: RwSignal::new(None),
        logo: RwSignal::new(None),
    };
    provide_context(identity);
    identity
}

/// Shows the commune kept on the device, if any.
async fn show_stored_commune(identity: Identity, i18n: I18n) {
    if let Ok(Some(commune)) = store::kv::get::<Commune>(COMMUNE_KEY).await {
        identity.show(commune, i18n);
    }
}

/// Provides the identity context, loads it from the device, then refreshes it from the server
/// now and whenever the network returns.
pub fn provide_identity(i18n: I18n) -> Identity {
    let identity = provided();
    spawn_local(async move {
        // A device without storage still gets the identity from the network.
        show_stored_commune(identity, i18n).await;
        if let Ok(Some(logo)) = store::kv::get::<String>(LOGO_KEY).await {
            identity.logo.set(Some(logo));
        }
        refresh(identity, i18n).await;
    });
    network::on_change(move |online| {
        if online {
            spawn_local(refresh(identity, i18n));
        }
    });
    identity
}

/// Provides the identity from the device only: for screens mounted by the lazy module, inside
/// the app whose own identity context keeps it fresh.
pub fn provide_identity_from_device(i18n: I18n) -> Identity {
    let identity = provided();
    spawn_local(show_stored_commune(identity, i18n));
    identity
}

/// The identity context provided by the app.
pub fn use_identity() -> Identity {
    expect_context::<Identity>()
}

async fn refresh(identity: Identity, i18n: I18n) {
    if !network::is_online() {
        return;
    }
    // Failures keep what is cached: the header is never emptied by a bad network.
    // Kept as the server sent it (no serializer needed), once it reads as a commune.
    let Ok(text) = api::fetch_json_text("/commune").await else {
        return;
    };
    let Ok(commune) = serde_json::from_str::<Commune>(&text) else {
        return;
    };
    let _ = store::kv::put_json_text(COMMUNE_KEY, text).await;
    if let Ok((content_type, bytes)) = api::fetch_logo(&commune.logo_url).await
        && let Some(url) = document::data_url(&content_type, &bytes)
    {
        let _ = store::kv::put(LOGO_KEY, &url).await;
        identity.logo.set(Some(url));
    }
    identity.show(commune, i18n);
}
