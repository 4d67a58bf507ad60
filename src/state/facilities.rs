//! The facilities as the screens see them: every synced facility and category from the device,
//! refreshed from the server when online, their opening status from the hours worker
//! (re-evaluated every minute while a facilities screen is open), the resident's position once
//! asked for, and the filters shared by the map and the list.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::{FacilityCategory, LatLon, Locale};

use crate::i18n::I18n;
use crate::identity::Identity;
use crate::platform::hours::protocol::HoursView;
use crate::platform::hours::{HoursWorker, Reply, WORKER_URL};
use crate::platform::{format, network};
use crate::router::Location;
use crate::state::news::Freshness;
use crate::store::facilities::Facility;
use crate::{store, sync};

/// What the facilities screens show, in one signal (one signal type instead of five keeps
/// the first-visit Wasm smaller); cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct FacilityData {
    pub categories: Arc<Vec<FacilityCategory>>,
    /// By id (the store's key order). Shared, not cloned, between screens.
    pub list: Arc<Vec<Facility>>,
    /// The same facilities as a JSON array, as stored: what the hours worker is sent.
    pub list_json: Arc<str>,
    /// The last statuses and weeks from the worker, in the resident's language, in the same
    /// order as `list` (see [`hours_of`]).
    pub hours: Arc<Vec<HoursView>>,
    /// The worker could not be started or answered nonsense: statuses are unavailable.
    pub hours_failed: bool,
    /// The resident's position, once they asked to be located.
    pub position: Option<LatLon>,
}

/// The facilities context; `Copy`.
#[derive(Debug, Clone, Copy)]
pub struct Facilities {
    pub data: RwSignal<FacilityData>,
    pub freshness: RwSignal<Freshness>,
    pub syncing: RwSignal<bool>,
    pub error: RwSignal<Option<sync::SyncError>>,
    identity: Identity,
    i18n: I18n,
    worker: StoredValue<Option<HoursWorker>, LocalStorage>,
    /// How many open screens want live statuses, and the timer of the next evaluation.
    watch: StoredValue<(u32, Option<TimeoutHandle>)>,
}

impl Facilities {
    /// A category by slug (tracked).
    pub fn category(self, slug: &str) -> Option<FacilityCategory> {
        self.data
            .with(|d| d.categories.iter().find(|c| c.slug == slug).cloned())
    }

    /// A facility by id (tracked).
    pub fn facility(self, id: i64) -> Option<Facility> {
        self.data
            .with(|d| d.list.iter().find(|f| f.id == id).cloned())
    }

    /// Remembers the resident's position (the list then sorts by distance).
    pub fn set_position(self, position: LatLon) {
        self.data.update(|d| d.position = Some(position));
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
        let categories = store::facilities::categories().await;
        let list = store::facilities::facilities_with_json().await;
        self.data.update(|d| {
            if let Ok(categories) = categories {
                d.categories = Arc::new(categories);
            }
            if let Ok((list, json)) = list {
                d.list = Arc::new(list);
                d.list_json = Arc::from(json);
            }
        });
        if self.watch.with_value(|w| w.0) > 0 {
            self.evaluate();
        }
    }

    /// Keeps the statuses live while the calling screen is mounted: evaluated now, then at
    /// the start of every minute, until the last such screen goes.
    pub fn watch_hours(self) {
        self.watch.update_value(|w| w.0 += 1);
        if self.watch.with_value(|w| w.0) == 1 {
            self.evaluate();
            self.schedule();
        }
        on_cleanup(move || {
            self.watch.update_value(|w| {
                w.0 = w.0.saturating_sub(1);
                if w.0 == 0
                    && let Some(timer) = w.1.take()
                {
                    timer.clear();
                }
            });
        });
    }

    fn schedule(self) {
        // Just after the next minute starts, so "Ferme dans 12 min" changes on time.
        let into_minute = js_sys::Date::now() as u64 % 60_000;
        let wait = Duration::from_millis(60_000 - into_minute + 250);
        let handle = set_timeout_with_handle(
            move || {
                self.watch.update_value(|w| w.1 = None);
                if self.watch.with_value(|w| w.0) > 0 {
                    self.evaluate();
                    self.schedule();
                }
            },
            wait,
        );
        self.watch.update_value(|w| w.1 = handle.ok());
    }

    /// Asks the worker for every facility's status now (starting the worker the first time).
    pub fn evaluate(self) {
        let facilities = self.data.with_untracked(|d| Arc::clone(&d.list_json));
        // Nothing loaded yet (""), or nothing stored ("[]").
        if facilities.len() <= 2 {
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
                    self.data.update(|d| d.hours_failed = true);
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
            // In the order of the request, that is of `list`: by id.
            Reply::Answer(views) => self.data.update(|d| {
                d.hours = Arc::new(views);
                d.hours_failed = false;
            }),
            Reply::Failed(_) => self.data.update(|d| d.hours_failed = true),
        }
    }
}

/// Provides the facilities context: the device's copy at once, then a refresh.
pub fn provide_facilities(identity: Identity, i18n: I18n) -> Facilities {
    let facilities = Facilities {
        data: RwSignal::new(FacilityData::default()),
        freshness: RwSignal::new(Freshness::Loading),
        syncing: RwSignal::new(false),
        error: RwSignal::new(None),
        identity,
        i18n,
        worker: StoredValue::new_local(None),
        watch: StoredValue::new((0, None)),
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
    pub fn keeps(&self, facility: &Facility, hours: &[HoursView]) -> bool {
        self.category
            .as_ref()
            .is_none_or(|c| *c == facility.category)
            && (!self.open_now || hours_of(hours, facility.id).is_some_and(|h| h.state.is_open()))
    }
}

/// The facilities that pass `filters`, nearest first when `position` is known, else by name
/// (case and accents ignored), each with its distance in metres.
pub fn shown(
    list: &[Facility],
    hours: &[HoursView],
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
    rows.sort_unstable_by(|a, b| {
        let by_distance = match (a.1, b.1) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => std::cmp::Ordering::Equal,
        };
        by_distance
            .then_with(|| a.2.cmp(&b.2))
            .then(a.0.id.cmp(&b.0.id))
    });
    rows.into_iter().map(|(f, d, _)| (f, d)).collect()
}

/// A facility's hours in a list sorted by id.
pub fn hours_of(hours: &[HoursView], id: i64) -> Option<&HoursView> {
    hours
        .binary_search_by_key(&id, |h| h.id)
        .ok()
        .map(|i| &hours[i])
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
