//! The live lists a DaemonSet's page shares between its panel and its tabs: its own pods, its own
//! ControllerRevisions (the selector may match objects another owner has, so both filter by
//! owner), the nodes, and the rollout computed from them. One watch each per page: a browser
//! keeps only six HTTP/1.1 connections to the console, and every watch holds one.

use std::collections::BTreeMap;

use console_model::{
    k8s::{ControllerRevision, DaemonSet, Node, Pod},
    rollout::{NodeRollout, Revisions, node_rollouts, nodes_of_pods},
};
use leptos::prelude::*;

use crate::{
    components::ErrorPanel,
    time::clock,
    watch::{LiveList, LiveState, live_list},
};

/// The rollout of one DaemonSet, live: every node's row, and what it is computed from.
#[derive(Clone, Copy)]
pub struct LiveRollout {
    pub rows: RwSignal<Vec<NodeRollout>>,
    /// What the rows were last computed from.
    pub basis: RwSignal<RowsBasis>,
    pub nodes: Memo<Vec<Node>>,
    /// The DaemonSet's own pods.
    pub pods: Memo<Vec<Pod>>,
    /// The DaemonSet's revisions, newest first.
    pub revisions: Memo<Vec<ControllerRevision>>,
    pub nodes_state: RwSignal<LiveState>,
}

impl LiveRollout {
    /// The number of the DaemonSet's newest revision as watched now (0 before any).
    pub fn newest_revision(self) -> i64 {
        self.revisions
            .with_untracked(|revisions| newest_of(revisions))
    }
}

/// Revisions come newest first.
fn newest_of(revisions: &[ControllerRevision]) -> i64 {
    revisions.first().map_or(0, |revision| revision.revision)
}

/// What the rows were computed from: a page that waits for the controller asks this, not the
/// live DaemonSet, since the rows follow it a moment later.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowsBasis {
    /// The DaemonSet's newest revision number.
    pub newest_revision: i64,
    /// The controller had acted on the DaemonSet's latest spec.
    pub generation_observed: bool,
}

/// How long watch events gather before the rows are computed again.
const BATCH: std::time::Duration = std::time::Duration::from_millis(150);

/// Watches what the rollout of `daemonset` is computed from; `initial` names the pods and
/// revisions to watch.
pub fn live_rollout(initial: &DaemonSet, daemonset: Memo<Option<DaemonSet>>) -> LiveRollout {
    let (listed, watched_nodes) = all_nodes();
    let nodes_state = watched_nodes.state;
    let (pods, watched_pods) = owned_pods(initial);
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
    let compute = move || -> Option<(Vec<NodeRollout>, RowsBasis)> {
        let (known, newest_revision) = revisions
            .try_with_untracked(|revisions| (Revisions::new(revisions), newest_of(revisions)))?;
        daemonset.try_with_untracked(|daemonset| {
            let Some(daemonset) = daemonset else {
                return (Vec::new(), RowsBasis::default());
            };
            let rows = nodes.with_untracked(|nodes| {
                pods.with_untracked(|pods| {
                    node_rollouts(daemonset, nodes, pods, &known, now.get_untracked())
                })
            });
            let basis = RowsBasis {
                newest_revision,
                generation_observed: daemonset.status.observed_generation
                    == daemonset.metadata.generation,
            };
            (rows, basis)
        })
    };
    // A rollout over hundreds of nodes brings dozens of watch events a second: the rows (and
    // the lists they come from) are computed once for all that arrived within a moment, not
    // once per event, so scrolling the table stays smooth while they come. Hence the watched
    // maps are tracked here, not the lists made from them.
    let rows = RwSignal::new(Vec::new());
    let basis = RwSignal::new(RowsBasis::default());
    let scheduled = StoredValue::new(false);
    Effect::new(move |first: Option<()>| {
        daemonset.track();
        watched_nodes.items.track();
        nodes_state.track();
        watched_pods.track();
        revisions.track();
        now.track();
        if first.is_none() {
            if let Some((computed, of)) = compute() {
                rows.set(computed);
                basis.set(of);
            }
        } else if !scheduled.get_value() {
            scheduled.set_value(true);
            set_timeout(
                move || {
                    scheduled.try_set_value(false);
                    if let Some((computed, of)) = compute() {
                        if rows.try_with_untracked(|rows| *rows != computed) == Some(true) {
                            rows.try_set(computed);
                        }
                        if basis.try_get_untracked().is_some_and(|basis| basis != of) {
                            basis.try_set(of);
                        }
                    }
                },
                BATCH,
            );
        }
    });
    LiveRollout {
        rows,
        basis,
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
/// Also the watched map itself, to track changes without computing the list.
fn owned_pods(daemonset: &DaemonSet) -> (Memo<Vec<Pod>>, RwSignal<BTreeMap<String, Pod>>) {
    let uid = daemonset.metadata.uid.clone();
    let live = live_list(
        format!("/api/v1/namespaces/{}/pods", daemonset.metadata.namespace),
        selector_query(daemonset),
        |pod: Pod| pod,
    );
    let owned = Memo::new(move |_| {
        live.items.with(|pods| {
            pods.values()
                .filter(|pod| pod.is_owned_by(&uid))
                .cloned()
                .collect()
        })
    });
    (owned, live.items)
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
fn all_nodes() -> (Memo<Vec<Node>>, LiveList<Node>) {
    let live = live_list("/api/v1/nodes".to_owned(), String::new(), |node: Node| node);
    let nodes = Memo::new(move |_| live.items.with(|nodes| nodes.values().cloned().collect()));
    (nodes, live)
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
