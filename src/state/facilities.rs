//! The facilities as the screens see them: every synced facility and category from the device,
//! refreshed from the server when online, their opening status from the hours worker
//! (re-evaluated every minute while a facilities screen is open), the resident's position once
//! asked for, and the filters shared by the map and the list.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::{Facility, FacilityCategory, LatLon, Locale};

use crate::i18n::I18n;
use crate::identity::Identity;
use crate::platform::hours::protocol::HoursView;
use crate::platform::hours::{HoursWorker, Reply, WORKER_URL};
use crate::platform::{format, network};
use crate::router::Location;
use crate::state::news::Freshness;
use crate::{store, sync};

/// The facilities context; `Copy`.
#[derive(Debug, Clone, Copy)]
pub struct Facilities {
    pub categories: RwSignal<Vec<FacilityCategory>>,
    /// By id. Shared, not cloned, between screens.
    pub list: RwSignal<Arc<Vec<Facility>>>,
    /// The last statuses and weeks from the worker, by facility id, in the resident's language.
    pub hours: RwSignal<Arc<HashMap<i64, HoursView>>>,
    /// The worker could not be started or answered nonsense: statuses are unavailable.
    pub hours_failed: RwSignal<bool>,
    /// The resident's position, once they asked to be located.
    pub position: RwSignal<Option<LatLon>>,
    pub freshness: RwSignal<Freshness>,
    pub syncing: RwSignal<bool>,
    pub error: RwSignal<Option<sync::SyncError>>,
    identity: Identity,
    i18n: I18n,
    worker: StoredValue<Option<HoursWorker>, LocalStorage>,
    /// How many open screens want live statuses.
    watchers: StoredValue<u32>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Facilities {
    /// A category by slug (tracked).
    pub fn category(self, slug: &str) -> Option<FacilityCategory> {
        self.categories
            .with(|c| c.iter().find(|c| c.slug == slug).cloned())
    }

    /// A facility by id (tracked).
    pub fn facility(self, id: i64) -> Option<Facility> {
        self.list
            .with(|all| all.iter().find(|f| f.id == id).cloned())
    }

    /// Pulls what changed from the server, then shows it.
    pub fn refresh(self) {
        if self.syncing.get_untracked() || !network::is_online() {
            return;
        }
        self.syncing.set(true);
        spawn_local(async move {
            match sync::sync_facilities().await {
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
        if let Ok(categories) = store::facilities::categories().await {
            self.categories.set(categories);
        }
        if let Ok(list) = store::facilities::facilities().await {
            self.list.set(Arc::new(list));
            if self.watchers.get_value() > 0 {
                self.evaluate();
            }
        }
    }

    /// Keeps the statuses live while the calling screen is mounted: evaluated now, then at
    /// the start of every minute, until the last such screen goes.
    pub fn watch_hours(self) {
        self.watchers.update_value(|n| *n += 1);
        if self.watchers.get_value() == 1 {
            self.evaluate();
            self.schedule();
        }
        on_cleanup(move || {
            self.watchers.update_value(|n| *n = n.saturating_sub(1));
            if self.watchers.get_value() == 0
                && let Some(timer) = self.timer.get_value()
            {
                timer.clear();
                self.timer.set_value(None);
            }
        });
    }

    fn schedule(self) {
        // Just after the next minute starts, so "Ferme dans 12 min" changes on time.
        let into_minute = js_sys::Date::now() as u64 % 60_000;
        let wait = Duration::from_millis(60_000 - into_minute + 250);
        let handle = set_timeout_with_handle(
            move || {
                self.timer.set_value(None);
                if self.watchers.get_value() > 0 {
                    self.evaluate();
                    self.schedule();
                }
            },
            wait,
        );
        self.timer.set_value(handle.ok());
    }

    /// Asks the worker for every facility's status now (starting the worker the first time).
    pub fn evaluate(self) {
        let facilities = self.list.get_untracked();
        if facilities.is_empty() {
            return;
        }
        let commune = self.identity.commune_untracked();
        let time_zone = commune
            .as_ref()
            .map_or("Europe/Paris", |c| c.time_zone.as_str());
        let rules = commune.as_ref().map(|c| c.holidays).unwrap_or_default();
        let now = format::local_now_in(time_zone);
        if self.worker.with_value(Option::is_none) {
            match HoursWorker::spawn(WORKER_URL, move |reply| self.receive(reply)) {
                Ok(worker) => self.worker.set_value(Some(worker)),
                Err(_) => {
                    self.hours_failed.set(true);
                    return;
                }
            }
        }
        self.worker.with_value(|worker| {
            if let Some(worker) = worker {
                worker.evaluate(&now, self.i18n.locale_untracked(), rules, &facilities);
            }
        });
    }

    fn receive(self, reply: Reply) {
        match reply {
            Reply::Answer(views) => {
                let hours = views.into_iter().map(|h| (h.id, h)).collect();
                self.hours.set(Arc::new(hours));
                self.hours_failed.set(false);
            }
            Reply::Failed(_) => self.hours_failed.set(true),
        }
    }
}

/// Provides the facilities context: the device's copy at once, then a refresh.
pub fn provide_facilities(identity: Identity, i18n: I18n) -> Facilities {
    let facilities = Facilities {
        categories: RwSignal::new(Vec::new()),
        list: RwSignal::new(Arc::new(Vec::new())),
        hours: RwSignal::new(Arc::new(HashMap::new())),
        hours_failed: RwSignal::new(false),
        position: RwSignal::new(None),
        freshness: RwSignal::new(Freshness::Loading),
        syncing: RwSignal::new(false),
        error: RwSignal::new(None),
        identity,
        i18n,
        worker: StoredValue::new_local(None),
        watchers: StoredValue::new(0),
        timer: StoredValue::new(None),
    };
    provide_context(facilities);
    spawn_local(async move {
        facilities.reload().await;
        let synced_at_ms = store::facilities::sync_state()
            .await
            .ok()
            .and_then(|s| s.synced_at)
            .map(|ms| ms as f64);
        facilities.freshness.set(Freshness::Cached { synced_at_ms });
        facilities.refresh();
    });
    network::on_change(move |online| {
        if online {
            facilities.refresh();
        }
    });
    // The worker writes the statuses in the resident's language: ask again when it changes.
    Effect::new(move |previous: Option<Locale>| {
        let locale = i18n.locale();
        if previous.is_some_and(|p| p != locale) && facilities.watchers.get_value() > 0 {
            facilities.evaluate();
        }
        locale
    });
    facilities
}

/// The facilities context provided by the app.
pub fn use_facilities() -> Facilities {
    expect_context::<Facilities>()
}

/// The filters of the map and the list, in the URL's query (`?ouvert=1&categorie=piscine`), so
/// switching between the two keeps them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacilityFilters {
    pub open_now: bool,
    pub category: Option<String>,
}

impl FacilityFilters {
    /// The filters of the current URL (tracked).
    pub fn of(location: Location) -> FacilityFilters {
        FacilityFilters {
            open_now: location.query("ouvert").as_deref() == Some("1"),
            category: location.query("categorie").filter(|c| !c.is_empty()),
        }
    }

    /// `path` with these filters as its query.
    pub fn url(&self, path: &str) -> String {
        let mut parts = Vec::new();
        if self.open_now {
            parts.push("ouvert=1".to_owned());
        }
        if let Some(c) = &self.category {
            parts.push(format!(
                "categorie={}",
                String::from(js_sys::encode_uri_component(c))
            ));
        }
        if parts.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", parts.join("&"))
        }
    }

    /// Whether `facility` passes, given the statuses known.
    pub fn keeps(&self, facility: &Facility, hours: &HashMap<i64, HoursView>) -> bool {
        self.category
            .as_ref()
            .is_none_or(|c| *c == facility.category)
            && (!self.open_now || hours.get(&facility.id).is_some_and(|h| h.state.is_open()))
    }
}

/// The facilities that pass `filters`, nearest first when `position` is known, else by name
/// (case and accents ignored), each with its distance in metres.
pub fn shown(
    list: &[Facility],
    hours: &HashMap<i64, HoursView>,
    filters: &FacilityFilters,
    position: Option<LatLon>,
) -> Vec<(Facility, Option<f64>)> {
    let mut rows: Vec<(Facility, Option<f64>, String)> = list
        .iter()
        .filter(|f| filters.keeps(f, hours))
        .map(|f| {
            let distance = position.map(|p| p.distance_m(f.position));
            (f.clone(), distance, parvis_core::text::fold(&f.name))
        })
        .collect();
    rows.sort_by(|a, b| {
        let by_distance = match (a.1, b.1) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => std::cmp::Ordering::Equal,
        };
        by_distance.then_with(|| a.2.cmp(&b.2))
    });
    rows.into_iter().map(|(f, d, _)| (f, d)).collect()
}

/// "350 m" / "1,2 km" (French decimal comma) / "1.2 km".
pub fn distance_text(metres: f64, locale: Locale) -> String {
    if metres < 1_000.0 {
        let rounded = ((metres / 10.0).round() * 10.0) as i64;
        format!("{rounded} m")
    } else {
        let tenths = (metres / 100.0).round() as i64;
        let separator = if locale == Locale::Fr { ',' } else { '.' };
        if tenths >= 100 {
            format!("{} km", tenths / 10)
        } else {
            format!("{}{separator}{} km", tenths / 10, tenths % 10)
        }
    }
}
