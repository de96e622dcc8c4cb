//! The one way a page keeps a list of Kubernetes objects current: the requests and signals
//! around `console_model::watch::Watcher`, which decides what to ask next (list pages, so the
//! first rows show early, then a watch from the list's version) and what each answer changes.
//! A dropped stream resumes with backoff while the page says it is reconnecting; after a 410
//! Gone the old rows stay until the new list is whole.

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use crate::{
    api::{ApiError, read_error, read_json},
    stream::{MAX_EVENT_BYTES, for_each_line},
};
use console_model::{
    k8s::{List, Object},
    watch::{Input, Next, Watcher},
};
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
    T: Send + Sync + 'static,
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
        let mut watcher = Watcher::default();
        let mut attempt = 0;
        while running.load(Ordering::Relaxed) {
            let answered = match watcher.next() {
                Next::ListPage { continue_token } => list_page(
                    &path,
                    &query,
                    continue_token.as_deref(),
                    signal.as_ref(),
                    map,
                )
                .await
                .map(|page| feed(list, &mut watcher, page)),
                Next::Watch { version } => {
                    // Live as soon as the watch is open, not when it ends minutes later: after a
                    // reconnect the page would say "reconnecting" while events arrive.
                    let opened = || {
                        attempt = 0;
                        set_state(list, LiveState::Live);
                    };
                    watch(
                        &path,
                        &query,
                        &version,
                        signal.as_ref(),
                        opened,
                        |input| feed(list, &mut watcher, input),
                        map,
                    )
                    .await
                }
            };
            match answered {
                Ok(()) => {
                    attempt = 0;
                    // Live once a whole list is watched; during a relist the old rows stay and
                    // so does the state.
                    if watcher.is_watching() {
                        set_state(list, LiveState::Live);
                    }
                }
                Err(error) if is_final(&error) => {
                    set_state(list, LiveState::Failed(error));
                    return;
                }
                Err(error) => {
                    if !running.load(Ordering::Relaxed) {
                        return;
                    }
                    // The same request is tried again: a list resumes at its page, a watch at
                    // the last version seen.
                    attempt += 1;
                    set_state(list, LiveState::Reconnecting { attempt, error });
                    backoff(attempt).await;
                }
            }
        }
    });
    list
}

/// Passes one answer through the machine; the page hears only of changes it can see.
fn feed<T: Send + Sync + 'static>(list: LiveList<T>, watcher: &mut Watcher<T>, input: Input<T>) {
    list.items.maybe_update(|items| watcher.step(items, input));
}

/// Tells the page only when the state really changes.
fn set_state<T: Send + Sync + 'static>(list: LiveList<T>, state: LiveState) {
    list.state.maybe_update(|current| {
        let changed = *current != state;
        *current = state;
        changed
    });
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

/// One page of the list (the first without a token).
async fn list_page<K, T>(
    path: &str,
    query: &str,
    continue_token: Option<&str>,
    signal: Option<&web_sys::AbortSignal>,
    map: fn(K) -> T,
) -> Result<Input<T>, ApiError>
where
    K: DeserializeOwned + Object,
{
    let mut url = format!(
        "/api/k8s{path}?{query}{}limit={PAGE_SIZE}",
        separator(query)
    );
    if let Some(token) = continue_token {
        url += &format!(
            "&continue={}",
            String::from(js_sys::encode_uri_component(token))
        );
    }
    let response = Request::get(&url).abort_signal(signal).send().await?;
    // The continue token expired: the list starts again.
    if response.status() == 410 {
        return Ok(Input::Gone);
    }
    let page: List<K> = read_json(response).await?;
    Ok(Input::page(page, map))
}

/// Watches from `version`, telling `on_open` once the stream is open and passing every event
/// on, until the apiserver ends the stream (its timeout) or says the version is gone.
async fn watch<K, T>(
    path: &str,
    query: &str,
    version: &str,
    signal: Option<&web_sys::AbortSignal>,
    on_open: impl FnOnce(),
    mut on_input: impl FnMut(Input<T>),
    map: fn(K) -> T,
) -> Result<(), ApiError>
where
    K: DeserializeOwned + Object,
{
    let url = format!(
        "/api/k8s{path}?{query}{}watch=1&allowWatchBookmarks=true&timeoutSeconds={WATCH_SECONDS}&resourceVersion={version}",
        separator(query)
    );
    let response = Request::get(&url).abort_signal(signal).send().await?;
    if response.status() == 410 {
        on_input(Input::Gone);
        return Ok(());
    }
    if !response.ok() {
        return Err(read_error(response).await);
    }
    on_open();
    for_each_line(response, MAX_EVENT_BYTES, |line| {
        match Input::event(line, map) {
            Some(Input::Gone) => {
                on_input(Input::Gone);
                false
            }
            Some(input) => {
                on_input(input);
                true
            }
            None => true,
        }
    })
    .await
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
