//! Reading JSON text the way every answer is read: as bytes.
//!
//! serde_json makes one copy of a type's deserializer per kind of input (`&str`, `&[u8]`,
//! `Value`); reading text through the bytes reader too keeps a single copy of each in the app's
//! wasm (with the answers and watch lines read from bytes, 17 KB brotli off the list's module).

use serde::de::DeserializeOwned;

/// `text` read as `T`, by the same deserializer that reads the API's answers.
pub fn from_text<T: DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    serde_json::from_slice(text.as_bytes())
}
