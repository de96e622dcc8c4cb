//! The one way a page keeps a list of Kubernetes objects current: list it (in pages, so the
//! first rows show early), then watch from the list's resourceVersion through the proxy. Each
//! event changes one entry, never refetching the whole list. Bookmarks keep the version fresh;
//! a dropped stream resumes from it with backoff while the page says it is reconnecting; a 410
//! Gone (the version is too old) lists again.

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use crate::{
    api::{ApiError, read_error},
    stream::{MAX_EVENT_BYTES, for_each_line},
};
use console_model::k8s::{List, Object, WatchEvent, WatchEventKind};
use gloo_net::http::Request;
use leptos::{prelude::*, task::spawn_local};
use serde::de::DeserializeOwned;

/// Where a live list stands.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveState {
    Loading,
    Live,
    /// The watch dropped; retrying after a pause.
    Reconnecting {
        attempt: u32,
        error: ApiError,
    },
    /// The user may not list these, or they do not exist: retrying would not help.
    Failed(ApiError),
}

/// Entries by `namespace/name`, kept current, plus the state of the connection.
pub struct LiveList<T: Send + Sync + 'static> {
    pub items: RwSignal<BTreeMap<String, T>>,
    pub state: RwSignal<LiveState>,
}

impl<T: Send + Sync + 'static> Clone for LiveList<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for LiveList<T> {}

const PAGE_SIZE: u32 = 500;
const WATCH_SECONDS: u32 = 290;

/// Lists and watches `path` (a Kubernetes collection path such as
/// `/apis/apps/v1/namespaces/logging/daemonsets`), storing `map(object)` per object. Stops when
/// the calling component goes away.
pub fn live_list<K, T>(path: String, query: String, map: fn(K) -> T) -> LiveList<T>
where
    K: DeserializeOwned + Object + 'static,
    T: Clone + Send + Sync + 'static,
{
    let list = LiveList {
        items: RwSignal::new(BTreeMap::new()),
        state: RwSignal::new(LiveState::Loading),
    };
    let running = Arc::new(AtomicBool::new(true));
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    {
        let running = Arc::clone(&running);
        on_cleanup(move || {
            running.store(false, Ordering::Relaxed);
            if let Some(controller) = controller {
                controller.abort();
            }
        });
    }
    spawn_local(async move {
        let mut attempt = 0;
        'relist: while running.load(Ordering::Relaxed) {
            let version = match list_pages(&path, &query, signal.as_ref(), list, map).await {
                Ok(version) => version,
                Err(error) if is_final(&error) => {
                    list.state.set(LiveState::Failed(error));
                    return;
                }
                Err(error) => {
                    attempt += 1;
                    list.state.set(LiveState::Reconnecting { attempt, error });
                    backoff(attempt).await;
                    continue 'relist;
                }
            };
            list.state.set(LiveState::Live);
            let mut version = version;
            while running.load(Ordering::Relaxed) {
                match watch(&path, &query, &mut version, signal.as_ref(), list, map).await {
                    // The apiserver ended the watch on its timeout: carry on from where it was.
                    Ok(WatchEnd::Closed) => {
                        attempt = 0;
                        list.state.set(LiveState::Live);
                    }
                    Ok(WatchEnd::Gone) => continue 'relist,
                    Err(error) if is_final(&error) => {
                        list.state.set(LiveState::Failed(error));
                        return;
                    }
                    Err(error) => {
                        if !running.load(Ordering::Relaxed) {
                            return;
                        }
                        attempt += 1;
                        list.state.set(LiveState::Reconnecting { attempt, error });
                        backoff(attempt).await;
                    }
                }
            }
        }
    });
    list
}

/// 401, 403 and 404 will not change by retrying; anything else (network, 5xx) may.
fn is_final(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Server {
            status: 401 | 403 | 404,
            ..
        }
    )
}

/// 1, 2, 4, 8, 16, then every 30 seconds.
async fn backoff(attempt: u32) {
    let seconds = 2u32.saturating_pow(attempt.saturating_sub(1)).min(30);
    gloo_timers::future::TimeoutFuture::new(seconds * 1000).await;
}

fn separator(query: &str) -> &'static str {
    if query.is_empty() { "" } else { "&" }
}

/// Lists every page into `list.items`, showing each page as it arrives; returns the version
/// to watch from.
async fn list_pages<K, T>(
    path: &str,
    query: &str,
    signal: Option<&web_sys::AbortSignal>,
    list: LiveList<T>,
    map: fn(K) -> T,
) -> Result<String, ApiError>
where
    K: DeserializeOwned + Object,
    T: Clone + Send + Sync + 'static,
{
    let mut fresh = BTreeMap::new();
    let mut continue_token: Option<String> = None;
    loop {
        let mut url = format!(
            "/api/k8s{path}?{query}{}limit={PAGE_SIZE}",
            separator(query)
        );
        if let Some(token) = &continue_token {
            url += &format!(
                "&continue={}",
                String::from(js_sys::encode_uri_component(token))
            );
        }
        let response = Request::get(&url).abort_signal(signal).send().await?;
        if !response.ok() {
            return Err(read_error(response).await);
        }
        let page: List<K> = response
            .json()
            .await
            .map_err(|error| ApiError::Network(error.to_string()))?;
        for item in page.items {
            fresh.insert(item.key(), map(item));
        }
        // The first page replaces what a previous connection left; later pages add to it.
        list.items.set(fresh.clone());
        match page
            .metadata
            .continue_token
            .filter(|token| !token.is_empty())
        {
            Some(token) => continue_token = Some(token),
            None => return Ok(page.metadata.resource_version),
        }
    }
}

enum WatchEnd {
    /// The server closed the stream normally (its timeout).
    Closed,
    /// The version is too old; list again.
    Gone,
}

async fn watch<K, T>(
    path: &str,
    query: &str,
    version: &mut String,
    signal: Option<&web_sys::AbortSignal>,
    list: LiveList<T>,
    map: fn(K) -> T,
) -> Result<WatchEnd, ApiError>
where
    K: DeserializeOwned + Object,
    T: Clone + Send + Sync + 'static,
{
    let url = format!(
        "/api/k8s{path}?{query}{}watch=1&allowWatchBookmarks=true&timeoutSeconds={WATCH_SECONDS}&resourceVersion={version}",
        separator(query)
    );
    let response = Request::get(&url).abort_signal(signal).send().await?;
    if response.status() == 410 {
        return Ok(WatchEnd::Gone);
    }
    if !response.ok() {
        return Err(read_error(response).await);
    }
    let mut end = WatchEnd::Closed;
    for_each_line(response, MAX_EVENT_BYTES, |line| {
        let Ok(event) = serde_json::from_slice::<WatchEvent>(line) else {
            return true;
        };
        if event.error_code() == Some(410) {
            end = WatchEnd::Gone;
            return false;
        }
        if let Some(next) = event.resource_version() {
            *version = next.to_owned();
        }
        apply(event, list, map);
        true
    })
    .await?;
    Ok(end)
}

fn apply<K, T>(event: WatchEvent, list: LiveList<T>, map: fn(K) -> T)
where
    K: DeserializeOwned + Object,
    T: Clone + Send + Sync + 'static,
{
    let kind = event.kind;
    if !matches!(
        kind,
        WatchEventKind::Added | WatchEventKind::Modified | WatchEventKind::Deleted
    ) {
        return;
    }
    let Ok(object) = serde_json::from_value::<K>(event.object) else {
        return;
    };
    let key = object.key();
    list.items.update(|items| {
        if kind == WatchEventKind::Deleted {
            items.remove(&key);
        } else {
            items.insert(key, map(object));
        }
    });
}

/// One object, kept live: a watch on its collection narrowed to its name. `None` until it
/// arrives, and again once it is deleted.
pub fn live_object<K>(collection: String, name: &str) -> (LiveList<K>, Memo<Option<K>>)
where
    K: DeserializeOwned + Object + Clone + PartialEq + Send + Sync + 'static,
{
    let field = format!(
        "fieldSelector=metadata.name%3D{}",
        String::from(js_sys::encode_uri_component(name))
    );
    let live = live_list(collection, field, |object: K| object);
    let object = Memo::new(move |_| live.items.with(|items| items.values().next().cloned()));
    (live, object)
}
