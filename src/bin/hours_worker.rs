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

    use js_sys::Array;
    use parvis::components::facility_status::{status_text, week_html};
    use parvis::platform::hours::evaluate::{ParsedCache, bench, evaluate};
    use parvis::platform::hours::protocol::{BenchRequest, READY, Request};
    use parvis_core::Locale;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    /// The reply: per facility `[id, state, status line, week as HTML]`, in the request's
    /// language (see the protocol).
    fn reply(request: &Request, parsed: &mut ParsedCache) -> Array {
        let locale = Locale::from_tag(&request.locale).unwrap_or(Locale::Fr);
        let answer = evaluate(request, parsed);
        let rows = Array::new();
        for (hours, input) in answer.items.iter().zip(&request.facilities) {
            let row = Array::new();
            row.push(&JsValue::from_f64(hours.id as f64));
            row.push(&JsValue::from_str(hours.state.tag()));
            row.push(&JsValue::from_str(&status_text(hours, &answer.now, locale)));
            row.push(&JsValue::from_str(&week_html(
                hours,
                input.opening_hours.as_deref(),
                &input.closures,
                &answer.now,
                locale,
            )));
            rows.push(&row);
        }
        rows
    }

    pub fn start() {
        console_error_panic_hook::set_once();
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let parsed: Rc<RefCell<ParsedCache>> = Rc::default();
        let target = scope.clone();
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let text = event.data().as_string().unwrap_or_default();
                // The benchmark's request (never sent by the app) starts with its instants and
                // is answered with one string of lines. Not a request of this app version: an
                // empty string says "unreadable".
                let answer: JsValue = if text.starts_with("{\"instants\"") {
                    match serde_json::from_str::<BenchRequest>(&text) {
                        Ok(request) => JsValue::from_str(&bench(&request)),
                        Err(_) => JsValue::from_str(""),
                    }
                } else {
                    match serde_json::from_str::<Request>(&text) {
                        Ok(request) => reply(&request, &mut parsed.borrow_mut()).into(),
                        Err(_) => JsValue::from_str(""),
                    }
                };
                let _ = target.post_message(&answer);
            });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // Listens for the worker's whole life.
        on_message.forget();
        let _ = scope.post_message(&JsValue::from_str(READY));
    }
}
