//! The app's frame: contexts, router, header, banners and the main navigation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{FlatRoutes, Redirect, Route, Router};
use leptos_router::path;

use crate::components::nav_bar::NavItem;
use crate::components::{AppHeader, IconName, NavBar, OfflineBanner, UpdateBanner};
use crate::i18n::{Text, provide_i18n};
use crate::identity::provide_identity;
use crate::pages::{
    AgendaPage, ArticlePage, EventPage, MapPage, MyReportsPage, NewsPage, NotFoundPage, ReportPage,
    SettingsPage,
};
use crate::platform::service_worker;
use crate::state::agenda::provide_agenda;
use crate::state::news::provide_news;
use crate::state::push::provide_push;
use crate::sync::provide_connectivity;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    let connectivity = provide_connectivity();
    let identity = provide_identity(i18n);
    provide_news();
    provide_agenda(identity);
    provide_push();

    let update_ready = RwSignal::new(false);
    spawn_local(service_worker::register(move || update_ready.set(true)));
    let on_reload = Callback::new(|()| spawn_local(service_worker::apply_update()));

    let nav_items = Signal::derive(move || {
        vec![
            NavItem {
                href: "/actualites",
                icon: IconName::News,
                label: i18n.t(Text::NavNews),
            },
            NavItem {
                href: "/agenda",
                icon: IconName::Agenda,
                label: i18n.t(Text::NavAgenda),
            },
            NavItem {
                href: "/carte",
                icon: IconName::Map,
                label: i18n.t(Text::NavMap),
            },
            NavItem {
                href: "/signaler",
                icon: IconName::Report,
                label: i18n.t(Text::NavReport),
            },
            NavItem {
                href: "/mes-signalements",
                icon: IconName::MyReports,
                label: i18n.t(Text::NavMyReports),
            },
        ]
    });

    view! {
        <Router>
            // Labels are read untracked (`tr`): a change of language rebuilds the frame once.
            {move || {
                i18n.locale();
                view! {
                <a class="skip-link" href="#contenu">{i18n.tr(Text::SkipToContent)}</a>
                <AppHeader
                    name=identity.name_signal()
                    logo=Signal::derive(move || identity.logo())
                    settings_label=i18n.tr(Text::NavSettings)
                />
                <UpdateBanner
                    visible=update_ready
                    message=i18n.tr(Text::UpdateAvailable)
                    action=i18n.tr(Text::Reload)
                    on_reload=on_reload
                />
                <OfflineBanner
                    online=Signal::derive(move || connectivity.is_online())
                    message=i18n.tr(Text::Offline)
                />
                <div class="layout">
                    <NavBar label=i18n.tr(Text::MainNavigation) items=nav_items/>
                    <main id="contenu" class="content" tabindex="-1">
                        <FlatRoutes fallback=NotFoundPage>
                            <Route path=path!("/") view=|| view! { <Redirect path="/actualites"/> }/>
                            <Route path=path!("/actualites") view=NewsPage/>
                            <Route path=path!("/actualites/:id") view=ArticlePage/>
                            <Route path=path!("/agenda") view=AgendaPage/>
                            <Route path=path!("/agenda/:id") view=EventPage/>
                            <Route path=path!("/carte") view=MapPage/>
                            <Route path=path!("/signaler") view=ReportPage/>
                            <Route path=path!("/mes-signalements") view=MyReportsPage/>
                            <Route path=path!("/reglages") view=SettingsPage/>
                        </FlatRoutes>
                    </main>
                </div>
                }
            }}
        </Router>
    }
}
