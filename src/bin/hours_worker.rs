//! The opening-hours worker, a second Wasm binary run as a Web Worker (Trunk
//! `data-type="worker"`): it keeps the `opening-hours` evaluator out of the app's first-visit
//! Wasm. It answers each request of the app (see `parvis::platform::hours::protocol`) with
//! every facility's status and week. Each distinct `opening_hours` value is parsed once and
//! kept for the worker's life, so the minute-by-minute re-evaluations only evaluate.
//!
//! The worker never reads a clock: the app sends the commune's local time, which also lets the
//! end-to-end tests fix the time of the page alone.

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    use parvis::platform::hours::evaluate::{ParsedCache, evaluate};
    use parvis::platform::hours::protocol::{READY, Request};

    pub fn start() {
        console_error_panic_hook::set_once();
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let parsed: Rc<RefCell<ParsedCache>> = Rc::default();
        let target = scope.clone();
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let text = js_sys::JSON::stringify(&event.data())
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_default();
                let reply = match serde_json::from_str::<Request>(&text) {
                    Ok(request) => {
                        let answer = evaluate(&request, &mut parsed.borrow_mut());
                        serde_json::to_string(&answer).unwrap_or_default()
                    }
                    // Not a request of this app version: nothing sensible to answer.
                    Err(_) => String::new(),
                };
                let _ = target.post_message(&JsValue::from_str(&reply));
            });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // Listens for the worker's whole life.
        on_message.forget();
        let _ = scope.post_message(&JsValue::from_str(READY));
    }
}
