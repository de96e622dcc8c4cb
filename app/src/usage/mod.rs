//! Resource usage from metrics-server, read as the user through the proxy every 15 s while a
//! page shows it, and the pieces pages draw it with. Without metrics-server, or without the
//! right to read it, pages say so once and show everything else.

mod table;
mod view;

pub use table::{Measured, MeasuredRow, figure_column, history_column, marks_column};
pub use view::{Amount, MarkBadges, Sparkline, UsageFigure, UsageNotice};

use std::collections::BTreeMap;

use console_model::{
    k8s::{List, Object},
    usage::{History, NodeMetrics, PodMetrics, Usage},
};
use gloo_timers::future::TimeoutFuture;
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{self, ApiError},
    i18n::Msg,
};

/// metrics-server's `--metric-resolution` on the testbed and its default upstream.
const SAMPLE_SECONDS: u32 = 15;
/// Samples kept per pod and node: the last five minutes.
const HISTORY_SAMPLES: usize = 20;

/// Whether usage can be shown, and if not, the one sentence that says why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsageState {
    Waiting,
    Live,
    Unavailable(Msg),
}

/// What a page asks metrics-server for.
pub enum Samples {
    /// A list of pod samples (`…/namespaces/{ns}/pods?labelSelector=…` or all projects').
    Pods(String),
    /// One pod's sample.
    Pod { namespace: String, name: String },
}

/// Live usage: the latest sample of each pod (by `namespace/name`) with their history (pods by
/// key, their containers as `namespace/name/container`), and, on pages that ask for them, of
/// each node (by name) with theirs.
#[derive(Clone, Copy)]
pub struct LiveUsage {
    pub pods: RwSignal<BTreeMap<String, PodMetrics>>,
    pub history: RwSignal<History>,
    pub state: RwSignal<UsageState>,
    pub nodes: RwSignal<BTreeMap<String, NodeMetrics>>,
    pub node_history: RwSignal<History>,
    pub nodes_state: RwSignal<UsageState>,
}

/// The history key of one container's samples.
pub fn container_key(pod_key: &str, container: &str) -> String {
    format!("{pod_key}/{container}")
}

/// Samples `what` now and every 15 s while the calling component lives.
pub fn live_usage(what: Samples) -> LiveUsage {
    let usage = LiveUsage {
        pods: RwSignal::new(BTreeMap::new()),
        history: RwSignal::new(History::new(HISTORY_SAMPLES)),
        state: RwSignal::new(UsageState::Waiting),
        nodes: RwSignal::new(BTreeMap::new()),
        node_history: RwSignal::new(History::new(HISTORY_SAMPLES)),
        nodes_state: RwSignal::new(UsageState::Unavailable(Msg::UsageFailed)),
    };
    let (path, only) = match what {
        Samples::Pods(path) => (path, None),
        Samples::Pod { namespace, name } => (
            format!("/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods"),
            Some(name),
        ),
    };
    every_sample(usage.state, move || {
        let (path, only) = (path.clone(), only.clone());
        async move { usage.record_pods(fetch_pods(&path, only.as_deref()).await) }
    });
    usage
}

/// Samples every node's usage into `usage` too. Apart from the pods' loop so that pages without
/// node figures (the list) carry none of its code.
pub fn sample_nodes(usage: LiveUsage) {
    usage.nodes_state.set(UsageState::Waiting);
    every_sample(usage.nodes_state, move || async move {
        usage
            .record_nodes(api::get::<List<NodeMetrics>>("/apis/metrics.k8s.io/v1beta1/nodes").await)
    });
}

/// Runs `round` now and 15 s after each one ends, until the page that owns `alive` is gone.
/// One loop, not a timer driving an effect: a slow answer is never asked for again on top of
/// itself.
fn every_sample<Round: Future<Output = ()>>(
    alive: RwSignal<UsageState>,
    round: impl Fn() -> Round + 'static,
) {
    spawn_local(async move {
        while !alive.is_disposed() {
            round().await;
            TimeoutFuture::new(SAMPLE_SECONDS * 1000).await;
        }
    });
}

/// A pod's own sample is read from its project's list: a 404 for one pod would not tell "not
/// measured yet" from "no metrics-server".
async fn fetch_pods(path: &str, only: Option<&str>) -> Result<Vec<PodMetrics>, ApiError> {
    let mut pods = api::get::<List<PodMetrics>>(path).await?.items;
    if let Some(name) = only {
        pods.retain(|pod| pod.metadata.name == name);
    }
    Ok(pods)
}

impl LiveUsage {
    /// Takes in one round of pod samples; the page may be gone by then.
    fn record_pods(self, pods: Result<Vec<PodMetrics>, ApiError>) {
        let pods = match pods {
            Ok(pods) => pods,
            Err(error) => {
                let _ = self.state.try_set(UsageState::Unavailable(why(&error)));
                let _ = self.pods.try_set(BTreeMap::new());
                return;
            }
        };
        let _ = self.state.try_set(if pods.is_empty() {
            UsageState::Waiting
        } else {
            UsageState::Live
        });
        let mut samples = Vec::new();
        for pod in &pods {
            let key = pod.key();
            samples.extend(pod.containers.iter().map(|container| {
                (
                    container_key(&key, &container.name),
                    pod.timestamp.clone(),
                    Usage::of(&container.usage),
                )
            }));
            samples.push((key, pod.timestamp.clone(), pod.usage()));
        }
        let _ = self.history.try_update(|history| history.record(samples));
        let _ = self
            .pods
            .try_set(pods.into_iter().map(|pod| (pod.key(), pod)).collect());
    }

    /// Takes in one round of node samples; the page may be gone by then.
    fn record_nodes(self, nodes: Result<List<NodeMetrics>, ApiError>) {
        let nodes = match nodes {
            Ok(list) => list.items,
            Err(error) => {
                let _ = self
                    .nodes_state
                    .try_set(UsageState::Unavailable(why(&error)));
                return;
            }
        };
        let _ = self.nodes_state.try_set(UsageState::Live);
        let samples = nodes.iter().map(|node| {
            (
                node.metadata.name.clone(),
                node.timestamp.clone(),
                node.usage(),
            )
        });
        let _ = self
            .node_history
            .try_update(|history| history.record(samples));
        let _ = self.nodes.try_set(
            nodes
                .into_iter()
                .map(|node| (node.metadata.name.clone(), node))
                .collect(),
        );
    }
}

/// The sentence for a failed read: no metrics-server (404: the API group is not served), one
/// that does not answer (503: its APIService is unavailable), or no right to read it.
fn why(error: &ApiError) -> Msg {
    match error {
        ApiError::Server { status: 404, .. } => Msg::UsageNotInstalled,
        ApiError::Server { status: 503, .. } => Msg::UsageNotAnswering,
        ApiError::Server { status: 403, .. } => Msg::UsageNotAllowed,
        _ => Msg::UsageFailed,
    }
}
