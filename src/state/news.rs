//! The news as the screens see it: themes, articles and followed themes from the device,
//! refreshed from the server when online.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::news::matches_followed;
use parvis_core::{Article, Theme};

use crate::platform::network;
use crate::store::news::Followed;
use crate::{store, sync};

/// How the last refresh went.
#[derive(Debug, Clone, PartialEq)]
pub enum Freshness {
    /// Not loaded from the device yet.
    Loading,
    /// Showing the device's copy, last synced then (ms since the epoch), if ever.
    Cached { synced_at_ms: Option<f64> },
    /// Just synced with the server.
    Fresh,
}

/// The news context; `Copy`.
#[derive(Debug, Clone, Copy)]
pub struct News {
    pub themes: RwSignal<Vec<Theme>>,
    pub articles: RwSignal<Vec<Article>>,
    pub followed: RwSignal<Followed>,
    pub freshness: RwSignal<Freshness>,
    pub syncing: RwSignal<bool>,
    /// The French (or English) message of the last failed refresh, if it failed.
    pub error: RwSignal<Option<sync::SyncError>>,
}

impl News {
    /// Articles of the followed themes (tracked).
    pub fn visible(self) -> Vec<Article> {
        let followed = self.followed.with(|f| f.themes.clone());
        self.articles.with(|all| {
            all.iter()
                .filter(|a| matches_followed(&a.themes, &followed))
                .cloned()
                .collect()
        })
    }

    /// A theme by slug (tracked).
    pub fn theme(self, slug: &str) -> Option<Theme> {
        self.themes
            .with(|t| t.iter().find(|t| t.slug == slug).cloned())
    }

    /// Pulls what changed from the server, then shows it.
    pub fn refresh(self) {
        if self.syncing.get_untracked() || !network::is_online() {
            return;
        }
        self.syncing.set(true);
        spawn_local(async move {
            match sync::sync_news().await {
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

    /// Changes the followed themes (remembered on the device, and sent to the push
    /// subscription through the outbox).
    pub fn follow(self, themes: Vec<String>) {
        let followed = Followed {
            themes,
            chosen: true,
        };
        self.followed.set(followed.clone());
        spawn_local(async move {
            let _ = store::news::put_followed(&followed).await;
            sync::push_themes_changed(followed.themes).await;
        });
    }

    async fn reload(self) {
        if let Ok(themes) = store::news::themes().await {
            self.themes.set(themes);
        }
        if let Ok(articles) = store::news::articles().await {
            self.articles.set(articles);
        }
    }
}

/// Provides the news context: the device's copy at once, then a refresh.
pub fn provide_news() -> News {
    let news = News {
        themes: RwSignal::new(Vec::new()),
        articles: RwSignal::new(Vec::new()),
        followed: RwSignal::new(Followed::default()),
        freshness: RwSignal::new(Freshness::Loading),
        syncing: RwSignal::new(false),
        error: RwSignal::new(None),
    };
    provide_context(news);
    spawn_local(async move {
        if let Ok(followed) = store::news::followed().await {
            news.followed.set(followed);
        }
        news.reload().await;
        let synced_at_ms = store::news::sync_state()
            .await
            .ok()
            .and_then(|s| s.synced_at)
            .map(|ms| ms as f64);
        news.freshness.set(Freshness::Cached { synced_at_ms });
        news.refresh();
    });
    network::on_change(move |online| {
        if online {
            news.refresh();
        }
    });
    news
}

/// The news context provided by the app.
pub fn use_news() -> News {
    expect_context::<News>()
}
