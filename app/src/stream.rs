//! Reading a streamed HTTP answer line by line as it arrives (watch events, logs), cut by the
//! model's [`LineSplitter`] so a split UTF-8 character is whole again and no line grows past
//! its cap.

use console_model::lines::LineSplitter;
use gloo_net::http::Response;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::api::ApiError;

/// A watch event is one object, which etcd caps at about 1.5 MiB: never cut one.
pub const MAX_EVENT_BYTES: usize = 4 * 1024 * 1024;
/// A log line longer than this is shown in pieces.
pub const MAX_LOG_LINE_BYTES: usize = 64 * 1024;

/// Calls `on_line` with every complete line of `response` (without its newline; longer than
/// `max_line_bytes` in pieces) until the stream ends, or until `on_line` returns `false`. A
/// last line without a newline is passed too.
pub async fn for_each_line(
    response: Response,
    max_line_bytes: usize,
    mut on_line: impl FnMut(&[u8]) -> bool,
) -> Result<(), ApiError> {
    let body = response
        .body()
        .ok_or_else(|| ApiError::Network("the answer has no body".into()))?;
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| ApiError::Network("cannot read the stream".into()))?;
    let mut splitter = LineSplitter::new(max_line_bytes);
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|error| ApiError::Network(format!("the stream broke: {error:?}")))?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        if done {
            if let Some(last) = splitter.finish() {
                on_line(&last);
            }
            return Ok(());
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).unwrap_or_default();
        for line in splitter.push(&js_sys::Uint8Array::new(&value).to_vec()) {
            if !on_line(&line) {
                let _ = reader.cancel();
                return Ok(());
            }
        }
    }
}
