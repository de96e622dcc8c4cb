//! Work not yet sent, kept in the tab's session storage: it survives a reload and an expired
//! session (nothing typed is lost), and goes with the tab.

use serde::{Serialize, de::DeserializeOwned};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The draft kept under `key`, if there is one that still reads.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    console_model::json::from_text(&storage()?.get_item(key).ok()??).ok()
}

/// Keeps `draft` under `key`; a full or missing storage loses only the copy, not the page's.
pub fn save<T: Serialize>(key: &str, draft: &T) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(draft)) {
        let _ = storage.set_item(key, &json);
    }
}

pub fn forget(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}
