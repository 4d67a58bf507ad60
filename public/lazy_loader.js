// Loads and starts the lazy module (src/lazy_module.rs): its no-modules glue defines
// `wasm_bindgen`, which instantiates the module; the module then announces itself with the
// `parvis:lazy-ready` event. The app adds this script when it first needs the module.
(() => {
  const glue = document.createElement("script");
  glue.src = "/lazy_module.js";
  glue.onload = () => wasm_bindgen({ module_or_path: "/lazy_module_bg.wasm" }).catch(failed);
  glue.onerror = failed;
  document.head.append(glue);
  function failed() {
    dispatchEvent(new Event("parvis:lazy-failed"));
  }
})();
