//! Photos of a report, prepared before they are queued, in a Web Worker: the photo worker
//! (`src/bin/photo_worker.rs`, a Wasm of its own started the first time a photo is added, so
//! neither its EXIF reader nor its drawing code weighs on the first visit). Each photo comes
//! back upright, at most 1,600 px on its longer side, as a JPEG without EXIF, with the GPS
//! position its EXIF had.
//!
//! Messages: the app posts `[id, Blob]`; the worker posts `"ready"` once, then per photo
//! `[id, jpeg Blob, width, height, lat, lon]` or `[id, null, error]`.

pub mod prepare;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use js_sys::{Array, Function, Promise};
use parvis_core::LatLon;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

pub use prepare::Prepared;

/// The worker's entry point, written by Trunk (`data-loader-shim`, see index.html).
pub const WORKER_URL: &str = "/photo_worker_loader.js";
/// The worker posts this string once it can take photos.
pub const READY: &str = "ready";

struct Running {
    worker: web_sys::Worker,
    ready: bool,
    /// Photos asked before the worker was ready.
    queued: Vec<Array>,
}

thread_local! {
    static WORKER: RefCell<Option<Running>> = const { RefCell::new(None) };
    /// Who waits for which photo: the `resolve` of its promise.
    static WAITING: RefCell<HashMap<u32, Function>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// Answers every waiting photo with `reply` (the worker failed) and forgets the worker, so the
/// next photo starts a new one.
fn fail_all(reply: &JsValue) {
    WORKER.with_borrow_mut(|w| *w = None);
    let waiting: Vec<Function> = WAITING.with_borrow_mut(|w| w.drain().map(|(_, f)| f).collect());
    for resolve in waiting {
        let _ = resolve.call1(&JsValue::NULL, reply);
    }
}

fn start() -> Result<Running, String> {
    let worker = web_sys::Worker::new(WORKER_URL).map_err(|e| format!("{e:?}"))?;
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            let data = event.data();
            if data.as_string().as_deref() == Some(READY) {
                WORKER.with_borrow_mut(|w| {
                    if let Some(running) = w {
                        running.ready = true;
                        for request in running.queued.drain(..) {
                            let _ = running.worker.post_message(&request);
                        }
                    }
                });
                return;
            }
            let id = Array::from(&data).get(0).as_f64().unwrap_or(0.0) as u32;
            if let Some(resolve) = WAITING.with_borrow_mut(|w| w.remove(&id)) {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
    let _ = worker.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|_| fail_all(&JsValue::NULL));
    let _ = worker.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
    on_error.forget();
    Ok(Running {
        worker,
        ready: false,
        queued: Vec::new(),
    })
}

/// Prepares one photo (see the module). The error is for the logs: the screen says in French
/// that the photo could not be read.
pub async fn prepare(photo: &Blob) -> Result<Prepared, String> {
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    });
    let request = Array::of2(&JsValue::from(id), photo);
    let answer = Promise::new(&mut |resolve, _| {
        WAITING.with_borrow_mut(|w| w.insert(id, resolve));
    });
    let started = WORKER.with_borrow_mut(|w| {
        if w.is_none() {
            *w = Some(start()?);
        }
        if let Some(running) = w {
            if running.ready {
                let _ = running.worker.post_message(&request);
            } else {
                running.queued.push(request);
            }
        }
        Ok::<(), String>(())
    });
    if let Err(e) = started {
        WAITING.with_borrow_mut(|w| w.remove(&id));
        return Err(e);
    }
    let reply = Array::from(&JsFuture::from(answer).await.unwrap_or(JsValue::NULL));
    let Some(jpeg) = reply.get(1).dyn_into::<Blob>().ok() else {
        return Err(reply
            .get(2)
            .as_string()
            .unwrap_or_else(|| "the photo worker failed".to_owned()));
    };
    let number = |i: u32| reply.get(i).as_f64();
    let gps = number(4)
        .zip(number(5))
        .map(|(lat, lon)| LatLon { lat, lon });
    Ok(Prepared {
        jpeg,
        width: number(2).unwrap_or(0.0) as u32,
        height: number(3).unwrap_or(0.0) as u32,
        gps,
    })
}
