//! Keeps the device in step with the server: connectivity as a signal, and (in later issues)
//! delta pulls into the store and the outbox flush, triggered when the network returns.

use leptos::prelude::*;

use crate::platform::network;

/// Whether the browser has a network (tracked).
#[derive(Debug, Clone, Copy)]
pub struct Connectivity {
    online: RwSignal<bool>,
}

impl Connectivity {
    /// `false` when the browser knows it is offline.
    pub fn is_online(self) -> bool {
        self.online.get()
    }
}

/// Provides the connectivity context, updated by the browser's online/offline events.
pub fn provide_connectivity() -> Connectivity {
    let online = RwSignal::new(network::is_online());
    network::on_change(move |now| online.set(now));
    let connectivity = Connectivity { online };
    provide_context(connectivity);
    connectivity
}

/// The connectivity context provided by the app.
pub fn use_connectivity() -> Connectivity {
    expect_context::<Connectivity>()
}
