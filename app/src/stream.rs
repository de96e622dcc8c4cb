//! Reading a streamed HTTP answer line by line as it arrives (watch events, logs). Lines are
//! cut at `\n` on bytes, so a UTF-8 character split across chunks is whole again before it
//! is decoded.

use gloo_net::http::Response;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::api::ApiError;

/// Calls `on_line` with every complete line of `response` (without its newline) until the
/// stream ends, or until `on_line` returns `false`. A last line without a newline is passed
/// too.
pub async fn for_each_line(
    response: Response,
    mut on_line: impl FnMut(&[u8]) -> bool,
) -> Result<(), ApiError> {
    let body = response
        .body()
        .ok_or_else(|| ApiError::Network("the answer has no body".into()))?;
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| ApiError::Network("cannot read the stream".into()))?;
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|error| ApiError::Network(format!("the stream broke: {error:?}")))?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        if done {
            if !pending.is_empty() {
                on_line(&pending);
            }
            return Ok(());
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).unwrap_or_default();
        pending.extend(js_sys::Uint8Array::new(&value).to_vec());
        let mut start = 0;
        while let Some(offset) = pending[start..].iter().position(|&byte| byte == b'\n') {
            let end = start + offset;
            if !on_line(&pending[start..end]) {
                let _ = reader.cancel();
                return Ok(());
            }
            start = end + 1;
        }
        pending.drain(..start);
    }
}
