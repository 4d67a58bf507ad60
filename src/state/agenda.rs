//! The agenda as the screens see it: every synced event with its search text, from the
//! device, refreshed from the server when online.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::{Event, EventCategory};

use crate::identity::Identity;
use crate::platform::{format, network};
use crate::state::news::Freshness;
use crate::{store, sync};

/// The agenda context; `Copy`.
#[derive(Debug, Clone, Copy)]
pub struct Agenda {
    pub categories: RwSignal<Vec<EventCategory>>,
    /// In start order. Shared, not cloned, between screens: it can hold thousands of events.
    pub events: RwSignal<Arc<Vec<Event>>>,
    pub freshness: RwSignal<Freshness>,
    pub syncing: RwSignal<bool>,
    pub error: RwSignal<Option<sync::SyncError>>,
    identity: Identity,
}

impl Agenda {
    /// Today in the commune's time zone (Europe/Paris until the identity is known).
    pub fn today(self) -> String {
        let tz = self
            .identity
            .commune()
            .map_or_else(|| "Europe/Paris".to_owned(), |c| c.time_zone);
        format::today_in(&tz)
    }

    /// A category's name by slug (tracked).
    pub fn category(self, slug: &str) -> Option<EventCategory> {
        self.categories
            .with(|c| c.iter().find(|c| c.slug == slug).cloned())
    }

    /// Pulls what changed from the server, then shows it.
    pub fn refresh(self) {
        if self.syncing.get_untracked() || !network::is_online() {
            return;
        }
        self.syncing.set(true);
        let today = self.today();
        spawn_local(async move {
            match sync::sync_agenda(&today).await {
                Ok(()) => {
                    self.error.set(None);
                    self.reload().await;
                    self.freshness.set(Freshness::Fresh);
                }
                Err(e) => self.error.set(Some(e)),
            }
            self.syncing.set(false);
        });
    }

    async fn reload(self) {
        // The events first: they are the first screen; the categories only fill a filter.
        if let Ok(events) = store::agenda::events().await {
            self.events.set(Arc::new(events));
        }
        if let Ok(categories) = store::agenda::categories().await {
            self.categories.set(categories);
        }
    }
}

/// Provides the agenda context: the device's copy at once, then a refresh.
pub fn provide_agenda(identity: Identity) -> Agenda {
    let agenda = Agenda {
        categories: RwSignal::new(Vec::new()),
        events: RwSignal::new(Arc::new(Vec::new())),
        freshness: RwSignal::new(Freshness::Loading),
        syncing: RwSignal::new(false),
        error: RwSignal::new(None),
        identity,
    };
    provide_context(agenda);
    spawn_local(async move {
        agenda.reload().await;
        let synced_at_ms = store::agenda::sync_state()
            .await
            .ok()
            .and_then(|s| s.synced_at)
            .map(|ms| ms as f64);
        agenda.freshness.set(Freshness::Cached { synced_at_ms });
        agenda.refresh();
    });
    network::on_change(move |online| {
        if online {
            agenda.refresh();
        }
    });
    agenda
}

/// The agenda context provided by the app.
pub fn use_agenda() -> Agenda {
    expect_context::<Agenda>()
}
