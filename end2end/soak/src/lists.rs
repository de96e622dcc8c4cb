//! A live DaemonSet list per session, driven by the app's own watch state machine
//! (`console_model::watch`): list in pages, watch from the list's version, resume after a drop,
//! relist after `410 Gone`. Each list keeps what the page would show: name → resourceVersion.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use console_model::{
    k8s::{DaemonSet, List},
    lines::LineSplitter,
    watch::{Input, Items, Next, Watcher},
};
use futures::StreamExt;

use crate::{
    session::Session,
    stats::{Outcome, Stats, failure},
};

/// The app's page size and watch length (`app/src/watch.rs`).
const PAGE_SIZE: u32 = 500;
const WATCH_SECONDS: u32 = 290;
const MAX_EVENT_BYTES: usize = 4 << 20;

/// What one session's list shows now, and whether it is watching (live).
#[derive(Default)]
pub struct Shown {
    pub items: Items<String>,
    pub live: bool,
}

pub type SharedList = Arc<Mutex<Shown>>;

/// Keeps `session`'s list of `namespace`'s DaemonSets live until the task is dropped.
pub async fn follow(session: Session, namespace: String, shown: SharedList, stats: Stats) {
    let mut watcher = Watcher::<String>::default();
    let mut items = Items::new();
    let path = format!("/api/k8s/apis/apps/v1/namespaces/{namespace}/daemonsets");
    loop {
        let ok = match watcher.next() {
            Next::ListPage { continue_token } => {
                let token = continue_token
                    .map(|t| format!("&continue={t}"))
                    .unwrap_or_default();
                match page(
                    &session,
                    &format!("{path}?limit={PAGE_SIZE}{token}"),
                    &stats,
                )
                .await
                {
                    Some(Ok(list)) => {
                        watcher.step(&mut items, Input::page(list, version_of));
                        true
                    }
                    Some(Err(())) => {
                        watcher.step(&mut items, Input::Gone);
                        true
                    }
                    None => false,
                }
            }
            Next::Watch { version } => {
                let url = format!(
                    "{path}?watch=1&allowWatchBookmarks=true&timeoutSeconds={WATCH_SECONDS}&resourceVersion={version}"
                );
                watch(&session, &url, &stats, &mut watcher, &mut items, &shown).await
            }
        };
        publish(&shown, &items, watcher.is_watching() && ok);
        if !ok {
            // As the app does after a failed request: wait, then the same request again.
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

/// What a list keeps of each DaemonSet: its resourceVersion, which every change moves.
fn version_of(daemonset: DaemonSet) -> String {
    daemonset.metadata.resource_version
}

fn publish(shown: &SharedList, items: &Items<String>, live: bool) {
    let mut shown = shown
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    shown.items.clone_from(items);
    shown.live = live;
}

/// One page; `Some(Err(()))` for 410 Gone, `None` for any other failure.
async fn page(session: &Session, url: &str, stats: &Stats) -> Option<Result<List<DaemonSet>, ()>> {
    let response = match session.request(reqwest::Method::GET, url).send().await {
        Ok(response) => response,
        Err(_) => {
            stats.count("list", Outcome::Network);
            return None;
        }
    };
    match response.status().as_u16() {
        200 => {
            stats.count("list", Outcome::Ok);
            response.json().await.ok().map(Ok)
        }
        status => {
            stats.count("list", failure(response).await);
            (status == 410).then_some(Err(()))
        }
    }
}

/// One watch request, its events applied as they come; whether it ended cleanly (the
/// apiserver's timeout, or a `410 Gone` that the machine now lists after).
async fn watch(
    session: &Session,
    url: &str,
    stats: &Stats,
    watcher: &mut Watcher<String>,
    items: &mut Items<String>,
    shown: &SharedList,
) -> bool {
    let response = match session.request(reqwest::Method::GET, url).send().await {
        Ok(response) => response,
        Err(_) => {
            stats.count("watch", Outcome::Network);
            return false;
        }
    };
    if response.status() != 200 {
        stats.count("watch", failure(response).await);
        return false;
    }
    stats.count("watch", Outcome::Ok);
    publish(shown, items, true);
    let mut splitter = LineSplitter::new(MAX_EVENT_BYTES);
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        let Ok(chunk) = chunk else {
            stats.count("watch-dropped", Outcome::Network);
            return false;
        };
        for line in splitter.push(&chunk) {
            if let Some(input) = Input::event::<DaemonSet>(&line, version_of) {
                let gone = matches!(input, Input::Gone);
                if watcher.step(items, input) {
                    publish(shown, items, true);
                }
                if gone {
                    return true;
                }
            }
        }
    }
    true
}
