//! The client of the opening-hours worker: a second Wasm binary, loaded the first time a
//! facilities screen needs a status, that parses each `opening_hours` value once and evaluates
//! them at the times the app asks. The evaluator (about 99 KB brotli) stays out of the
//! first-visit download; the service worker precaches the worker's files for offline use.

pub mod evaluate;
pub mod protocol;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Array;
use parvis_core::{HolidayRules, Locale, SchoolZone};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use protocol::{HoursView, READY, State};

/// The worker's entry point, written by Trunk (`data-loader-shim`, see index.html).
pub const WORKER_URL: &str = "/hours_worker_loader.js";

/// What the worker said.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Answer(Vec<HoursView>),
    /// It could not start, or answered something unreadable.
    Failed(String),
}

/// A running worker. Requests sent before it is ready wait, and only the latest one is kept:
/// an older "now" is of no use once a newer one is asked.
#[derive(Clone)]
pub struct HoursWorker {
    worker: web_sys::Worker,
    ready: Rc<RefCell<bool>>,
    pending: Rc<RefCell<Option<JsValue>>>,
}

impl std::fmt::Debug for HoursWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HoursWorker")
    }
}

impl HoursWorker {
    /// Starts the worker; `on_reply` gets every answer (and failures).
    pub fn spawn(url: &str, on_reply: impl Fn(Reply) + 'static) -> Result<HoursWorker, String> {
        let worker = web_sys::Worker::new(url).map_err(|e| format!("{e:?}"))?;
        let this = HoursWorker {
            worker: worker.clone(),
            ready: Rc::new(RefCell::new(false)),
            pending: Rc::new(RefCell::new(None)),
        };
        let on_reply = Rc::new(on_reply);
        let (ready, pending, target) = (this.ready.clone(), this.pending.clone(), worker.clone());
        let reply = on_reply.clone();
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let data = event.data();
                if data.as_string().as_deref() == Some(READY) {
                    *ready.borrow_mut() = true;
                    if let Some(request) = pending.borrow_mut().take() {
                        let _ = target.post_message(&request);
                    }
                    return;
                }
                reply(match views(&data) {
                    Some(views) => Reply::Answer(views),
                    None => Reply::Failed("unreadable answer from the hours worker".to_owned()),
                });
            });
        let _ =
            worker.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        // The worker lives as long as the page; so do its listeners.
        on_message.forget();
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            on_reply(Reply::Failed("the hours worker failed to load".to_owned()));
        });
        let _ = worker.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
        on_error.forget();
        Ok(this)
    }

    /// Asks for the status and week of the facilities of `facilities_json` (their JSON array
    /// as stored) at `now` (local `YYYY-MM-DDTHH:MM:SS`), in words of `locale`.
    pub fn evaluate(&self, now: &str, locale: Locale, rules: HolidayRules, facilities_json: &str) {
        let request = JsValue::from_str(&request(now, locale, rules, facilities_json));
        if *self.ready.borrow() {
            let _ = self.worker.post_message(&request);
        } else {
            *self.pending.borrow_mut() = Some(request);
        }
    }
}

/// The worker's reply: an array of `[id, state, line, week_html]`.
fn views(data: &JsValue) -> Option<Vec<HoursView>> {
    let rows = data.dyn_ref::<Array>()?;
    rows.iter()
        .map(|row| {
            let row = row.dyn_into::<Array>().ok()?;
            Some(HoursView {
                id: row.get(0).as_f64()? as i64,
                state: State::from_tag(&row.get(1).as_string()?),
                line: row.get(2).as_string()?,
                week_html: row.get(3).as_string()?,
            })
        })
        .collect()
}

/// The request as JSON that reads as [`protocol::Request`]; `facilities_json` is the JSON
/// array of the facilities as stored (the worker reads only their id, hours and closures).
/// Written by hand: no serializer in the first-visit Wasm.
fn request(now: &str, locale: Locale, rules: HolidayRules, facilities_json: &str) -> String {
    let zone = match rules.school_zone {
        Some(SchoolZone::A) => "\"A\"",
        Some(SchoolZone::B) => "\"B\"",
        Some(SchoolZone::C) => "\"C\"",
        None => "null",
    };
    // `now` is digits, dashes, colons and a T; the tag is `fr` or `en`: nothing to escape.
    format!(
        "{{\"now\":\"{now}\",\"locale\":\"{}\",\"rules\":{{\"school_zone\":{zone},\"alsace_moselle\":{}}},\"facilities\":{facilities_json}}}",
        locale.tag(),
        rules.alsace_moselle
    )
}
