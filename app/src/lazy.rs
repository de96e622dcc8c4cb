//! Loading a large JS module (the YAML editor, the terminal) only when a page needs it.
//! wasm-bindgen cannot write a dynamic `import()`, so a three-line module of ours does it;
//! the content-hashed assets folder comes from a meta tag the build writes into index.html.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/lazy-import.js")]
extern "C" {
    #[wasm_bindgen(js_name = importModule)]
    fn import_module(url: &str) -> js_sys::Promise;
}

/// `/assets/<hash>`, from `<meta name="console-assets">`.
fn assets_base() -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(r#"meta[name="console-assets"]"#)
        .ok()??
        .get_attribute("content")
}

/// Imports `path` (relative to the assets folder) and returns the module object.
pub async fn import_asset(path: &str) -> Result<JsValue, String> {
    let base = assets_base().ok_or("index.html names no console-assets folder")?;
    JsFuture::from(import_module(&format!("{base}/{path}")))
        .await
        .map_err(|error| format!("could not load {path}: {error:?}"))
}

/// Calls `object.name(args...)`.
pub fn call(object: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let function: js_sys::Function = js_sys::Reflect::get(object, &name.into())
        .map_err(|_| format!("{name} is missing"))?
        .dyn_into()
        .map_err(|_| format!("{name} is not a function"))?;
    function
        .apply(object, &args.iter().collect::<js_sys::Array>())
        .map_err(|error| format!("{name} failed: {error:?}"))
}
