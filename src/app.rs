//! The app's frame: contexts, router, header, banners and the main navigation.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::nav_bar::NavItem;
use crate::components::{AppHeader, IconName, NavBar, OfflineBanner, UpdateBanner};
use crate::i18n::{I18n, Text, provide_i18n};
use crate::identity::provide_identity;
use crate::pages::{
    AgendaPage, ArticlePage, EventPage, FacilityListPage, FacilityPage, MapPage, NewsPage,
    NotFoundPage, SettingsPage,
};
use crate::platform::{lazy_module, service_worker};
use crate::router::provide_router;
use crate::state::agenda::provide_agenda;
use crate::state::facilities::provide_facilities;
use crate::state::news::provide_news;
use crate::state::push::provide_push;
use crate::sync::provide_connectivity;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let location = provide_router();
    let i18n = provide_i18n();
    let connectivity = provide_connectivity();
    let identity = provide_identity(i18n);
    provide_news();
    provide_agenda(identity);
    provide_facilities(identity, i18n);
    provide_push();

    let update_ready = RwSignal::new(false);
    spawn_local(service_worker::register(move || update_ready.set(true)));
    // A report still queued from an earlier visit is sent without opening its screens.
    lazy_module::load_if_pending();
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

    // Rebuilt only when the screen changes, not when its query does (agenda filters).
    let screen = Memo::new(move |_| Screen::of(&location.path()));
    Effect::new(move |_| {
        lazy_module::show(screen.get().module_screen(), i18n.tr(Text::ErrorTitle))
    });
    // The old home address still works, and leaves no history entry.
    Effect::new(move |_| {
        if location.path() == "/" {
            location.navigate("/actualites", true);
        }
    });

    view! {
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
                        {move || screen.get().view(i18n)}
                    </main>
                </div>
                }
            }}
    }
}

/// The screens, from the path (the route table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    News,
    Article(i64),
    Agenda,
    Event(i64),
    Map,
    FacilityList,
    Facility(i64),
    Report,
    MyReports,
    Settings,
    NotFound,
}

impl Screen {
    fn of(path: &str) -> Screen {
        let path = path.trim_matches('/');
        let id = |rest: &str| rest.parse::<i64>().ok();
        match path {
            "" | "actualites" => Screen::News,
            "agenda" => Screen::Agenda,
            "carte" => Screen::Map,
            "carte/liste" => Screen::FacilityList,
            "signaler" => Screen::Report,
            "mes-signalements" => Screen::MyReports,
            "reglages" => Screen::Settings,
            other => match other.split_once('/') {
                Some(("actualites", rest)) => id(rest).map_or(Screen::NotFound, Screen::Article),
                Some(("agenda", rest)) => id(rest).map_or(Screen::NotFound, Screen::Event),
                Some(("carte", rest)) => id(rest).map_or(Screen::NotFound, Screen::Facility),
                _ => Screen::NotFound,
            },
        }
    }

    /// The lazy module's name of the screen, if the module draws it.
    fn module_screen(self) -> Option<&'static str> {
        match self {
            Screen::Report => Some("signaler"),
            Screen::MyReports => Some("mes-signalements"),
            _ => None,
        }
    }

    fn view(self, i18n: I18n) -> AnyView {
        match self {
            Screen::News => view! { <NewsPage/> }.into_any(),
            Screen::Article(id) => view! { <ArticlePage id=id/> }.into_any(),
            Screen::Agenda => view! { <AgendaPage/> }.into_any(),
            Screen::Event(id) => view! { <EventPage id=id/> }.into_any(),
            Screen::Map => view! { <MapPage/> }.into_any(),
            Screen::FacilityList => view! { <FacilityListPage/> }.into_any(),
            Screen::Facility(id) => view! { <FacilityPage id=id/> }.into_any(),
            // Drawn by the lazy module (see `platform::lazy_module::show`) into this element,
            // each time it is built: the frame is rebuilt when the language changes.
            Screen::Report | Screen::MyReports => {
                let name = self.module_screen();
                let failed = i18n.tr(Text::ErrorTitle);
                Effect::new(move |_| lazy_module::show(name, failed));
                on_cleanup(|| lazy_module::show(None, ""));
                view! {
                    <div id="ecran-module" class="reports-host"><p class="fine-print" role="status">{i18n.tr(Text::Loading)}</p></div>
                }
                .into_any()
            }
            Screen::Settings => view! { <SettingsPage/> }.into_any(),
            Screen::NotFound => view! { <NotFoundPage/> }.into_any(),
        }
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::Screen;

    #[wasm_bindgen_test]
    fn paths_name_their_screens() {
        assert_eq!(Screen::of("/"), Screen::News);
        assert_eq!(Screen::of("/actualites/"), Screen::News);
        assert_eq!(Screen::of("/actualites/42"), Screen::Article(42));
        assert_eq!(Screen::of("/agenda/7"), Screen::Event(7));
        assert_eq!(Screen::of("/agenda/x"), Screen::NotFound);
        assert_eq!(Screen::of("/carte"), Screen::Map);
        assert_eq!(Screen::of("/carte/liste"), Screen::FacilityList);
        assert_eq!(Screen::of("/carte/12"), Screen::Facility(12));
        assert_eq!(Screen::of("/carte/piscine"), Screen::NotFound);
        assert_eq!(Screen::of("/nulle-part"), Screen::NotFound);
    }
}
