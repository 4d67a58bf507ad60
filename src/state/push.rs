//! The "Notifications" switch: its state, and turning it on and off.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::Locale;
use parvis_core::push::NewPushSubscription;

use crate::platform::push::{self, PushError, Support};
use crate::sync::{self, StoredSubscription};
use crate::{api, platform};

/// Where notifications stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushStatus {
    Off,
    On,
    /// Turning on: the switch already shows the resident's choice.
    Enabling,
    Disabling,
    Denied,
    NeedsHomeScreen,
    Unsupported,
    /// Turning on needs the network (the server's key).
    NeedsNetwork,
    Failed,
}

/// The push context; `Copy`.
#[derive(Debug, Clone, Copy)]
pub struct Push {
    pub status: RwSignal<PushStatus>,
}

impl Push {
    /// Whether the switch shows "on".
    pub fn is_on(self) -> bool {
        matches!(self.status.get(), PushStatus::On | PushStatus::Enabling)
    }

    /// Asks permission, subscribes and registers `themes` with the server.
    pub fn enable(self, themes: Vec<String>, locale: Locale) {
        match push::support() {
            Support::NeedsHomeScreen => return self.status.set(PushStatus::NeedsHomeScreen),
            Support::Unsupported => return self.status.set(PushStatus::Unsupported),
            Support::Available => {}
        }
        if !platform::network::is_online() {
            return self.status.set(PushStatus::NeedsNetwork);
        }
        self.status.set(PushStatus::Enabling);
        // The subscribing code comes with the lazy module: it is needed once, online.
        spawn_local(async move {
            let status = match platform::lazy_module::enable_push(&themes, locale.tag())
                .await
                .as_str()
            {
                "on" => PushStatus::On,
                "denied" => PushStatus::Denied,
                _ => PushStatus::Failed,
            };
            self.status.set(status);
        });
    }

    /// Unsubscribes here and on the server.
    pub fn disable(self) {
        self.status.set(PushStatus::Disabling);
        spawn_local(async move {
            let stored = sync::push_subscription().await;
            let _ = push::unsubscribe().await;
            if let Some(stored) = stored {
                // If this fails the server learns it at the next send (410) and forgets it.
                let _ = api::unsubscribe_push(&stored.id).await;
            }
            let _ = sync::set_push_subscription(None).await;
            self.status.set(PushStatus::Off);
        });
    }
}

/// Asks permission, subscribes, registers `themes` with the server and stores the
/// subscription; the answer as the lazy module gives it to the app: `"on"`, `"denied"` or
/// `"failed"`. Run by the lazy module (see [`Push::enable`]).
pub async fn enable(themes: Vec<String>, locale: Locale) -> &'static str {
    match subscribe(themes, locale).await {
        Ok(()) => "on",
        Err(Some(PushError::Denied)) => "denied",
        Err(_) => "failed",
    }
}

async fn subscribe(themes: Vec<String>, locale: Locale) -> Result<(), Option<PushError>> {
    let key = api::fetch_push_key().await.map_err(|_| None)?;
    let browser = push::subscribe(&key.public_key).await.map_err(Some)?;
    let saved = api::subscribe_push(&NewPushSubscription {
        endpoint: browser.endpoint.clone(),
        keys: browser.keys,
        themes,
        locale: Some(locale),
    })
    .await
    .map_err(|_| None)?;
    let stored = StoredSubscription {
        id: saved.id,
        endpoint: browser.endpoint,
        themes: saved.themes,
    };
    sync::set_push_subscription(Some(&stored))
        .await
        .map_err(|_| None)?;
    Ok(())
}

/// Provides the push context, from the stored subscription; flushes queued theme changes.
pub fn provide_push() -> Push {
    let initial = match push::support() {
        Support::NeedsHomeScreen => PushStatus::NeedsHomeScreen,
        Support::Unsupported => PushStatus::Unsupported,
        Support::Available if push::is_denied() => PushStatus::Denied,
        Support::Available => PushStatus::Off,
    };
    let status = RwSignal::new(initial.clone());
    let push = Push { status };
    provide_context(push);
    if initial == PushStatus::Off || initial == PushStatus::Denied {
        spawn_local(async move {
            if sync::push_subscription().await.is_some() {
                status.set(PushStatus::On);
                sync::flush_push_outbox().await;
            }
        });
    }
    platform::network::on_change(|online| {
        if online {
            spawn_local(sync::flush_push_outbox());
        }
    });
    push
}

/// The push context provided by the app.
pub fn use_push() -> Push {
    expect_context::<Push>()
}
