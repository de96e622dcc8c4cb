//! The live lists a DaemonSet's page shares between its panel and its tabs: its own pods, its own
//! ControllerRevisions (the selector may match objects another owner has, so both filter by
//! owner), the nodes, and the rollout computed from them. One watch each per page: a browser
//! keeps only six HTTP/1.1 connections to the console, and every watch holds one.

use console_model::{
    k8s::{ControllerRevision, DaemonSet, Node, Pod},
    rollout::{NodeRollout, Revisions, node_rollouts, nodes_of_pods},
};
use leptos::prelude::*;

use crate::{
    components::ErrorPanel,
    time::clock,
    watch::{LiveState, live_list},
};

/// The rollout of one DaemonSet, live: every node's row, and what it is computed from.
#[derive(Clone, Copy)]
pub struct LiveRollout {
    pub rows: Memo<Vec<NodeRollout>>,
    pub nodes: Memo<Vec<Node>>,
    /// The DaemonSet's own pods.
    pub pods: Memo<Vec<Pod>>,
    /// The DaemonSet's revisions, newest first.
    pub revisions: Memo<Vec<ControllerRevision>>,
    pub nodes_state: RwSignal<LiveState>,
}

/// Watches what the rollout of `daemonset` is computed from; `initial` names the pods and
/// revisions to watch.
pub fn live_rollout(initial: &DaemonSet, daemonset: Memo<Option<DaemonSet>>) -> LiveRollout {
    let (listed, nodes_state) = all_nodes();
    let pods = owned_pods(initial);
    // A user who may not list nodes still sees the nodes the pods are on.
    let nodes = Memo::new(move |_| match nodes_state.get() {
        LiveState::Failed(_) => daemonset.with(|daemonset| {
            daemonset.as_ref().map_or_else(Vec::new, |daemonset| {
                pods.with(|pods| nodes_of_pods(daemonset, pods))
            })
        }),
        _ => listed.get(),
    });
    let revisions = owned_revisions(initial);
    // Availability changes with time alone (minReadySeconds), and ages with it.
    let now = clock(5);
    let rows = Memo::new(move |_| {
        let known = revisions.with(|revisions| Revisions::new(revisions));
        daemonset.with(|daemonset| {
            let Some(daemonset) = daemonset else {
                return Vec::new();
            };
            nodes.with(|nodes| {
                pods.with(|pods| node_rollouts(daemonset, nodes, pods, &known, now.get()))
            })
        })
    });
    LiveRollout {
        rows,
        nodes,
        pods,
        revisions,
        nodes_state,
    }
}

/// The `labelSelector` query of the DaemonSet's whole selector (labels and expressions), for
/// watching its pods and revisions.
pub fn selector_query(daemonset: &DaemonSet) -> String {
    let selector = daemonset.spec.selector.to_query();
    format!(
        "labelSelector={}",
        String::from(js_sys::encode_uri_component(&selector))
    )
}

/// The DaemonSet's own pods, live.
fn owned_pods(daemonset: &DaemonSet) -> Memo<Vec<Pod>> {
    let uid = daemonset.metadata.uid.clone();
    let live = live_list(
        format!("/api/v1/namespaces/{}/pods", daemonset.metadata.namespace),
        selector_query(daemonset),
        |pod: Pod| pod,
    );
    Memo::new(move |_| {
        live.items.with(|pods| {
            pods.values()
                .filter(|pod| pod.is_owned_by(&uid))
                .cloned()
                .collect()
        })
    })
}

/// The DaemonSet's own revisions, live, newest first.
fn owned_revisions(daemonset: &DaemonSet) -> Memo<Vec<ControllerRevision>> {
    let uid = daemonset.metadata.uid.clone();
    let live = live_list(
        format!(
            "/apis/apps/v1/namespaces/{}/controllerrevisions",
            daemonset.metadata.namespace
        ),
        selector_query(daemonset),
        |revision: ControllerRevision| revision,
    );
    Memo::new(move |_| {
        let mut owned: Vec<ControllerRevision> = live.items.with(|items| {
            items
                .values()
                .filter(|revision| {
                    revision
                        .metadata
                        .owner_references
                        .iter()
                        .any(|o| o.uid == uid)
                })
                .cloned()
                .collect()
        });
        owned.sort_by_key(|revision| std::cmp::Reverse(revision.revision));
        owned
    })
}

/// Every node of the cluster, live, and the state of that watch (the user may not list nodes).
fn all_nodes() -> (Memo<Vec<Node>>, RwSignal<LiveState>) {
    let live = live_list("/api/v1/nodes".to_owned(), String::new(), |node: Node| node);
    let nodes = Memo::new(move |_| live.items.with(|nodes| nodes.values().cloned().collect()));
    (nodes, live.state)
}

/// The error of a live list that failed for good, or nothing.
pub fn failure_or_nothing(state: LiveState) -> AnyView {
    match state {
        LiveState::Failed(error) => {
            view! { <ErrorPanel error=error on_retry=Callback::new(|()| ()) /> }.into_any()
        }
        _ => ().into_any(),
    }
}
