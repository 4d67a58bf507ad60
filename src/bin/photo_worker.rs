//! The photo worker, a third Wasm binary run as a Web Worker (Trunk `data-type="worker"`): it
//! prepares each photo of a report off the main thread (see `parvis::platform::photo`), and
//! keeps its EXIF reader and canvas code out of the app's first-visit Wasm.

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod worker {
    use js_sys::Array;
    use parvis::platform::photo::READY;
    use parvis::platform::photo::prepare::prepare;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::spawn_local;

    fn optional(value: Option<f64>) -> JsValue {
        value.map_or(JsValue::NULL, JsValue::from_f64)
    }

    pub fn start() {
        console_error_panic_hook::set_once();
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let target = scope.clone();
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let request = Array::from(&event.data());
                let id = request.get(0);
                let target = target.clone();
                spawn_local(async move {
                    let reply = Array::new();
                    reply.push(&id);
                    match request.get(1).dyn_into::<web_sys::Blob>() {
                        Ok(photo) => match prepare(target.unchecked_ref(), &photo).await {
                            Ok(done) => {
                                reply.push(&done.jpeg);
                                reply.push(&JsValue::from(done.width));
                                reply.push(&JsValue::from(done.height));
                                reply.push(&optional(done.gps.map(|p| p.lat)));
                                reply.push(&optional(done.gps.map(|p| p.lon)));
                            }
                            Err(error) => {
                                reply.push(&JsValue::NULL);
                                reply.push(&JsValue::from_str(&error));
                            }
                        },
                        Err(_) => {
                            reply.push(&JsValue::NULL);
                            reply.push(&JsValue::from_str("not a photo"));
                        }
                    }
                    let _ = target.post_message(&reply);
                });
            });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // Listens for the worker's whole life.
        on_message.forget();
        let _ = scope.post_message(&JsValue::from_str(READY));
    }
}
