//! The rollout node by node: for every node, the pod it runs, that pod's revision and health,
//! and for a node still on an old revision, why it has not moved yet. The reasons follow the
//! DaemonSet controller's rolling update: pods in flight (unavailable, or surging beside an old
//! one) use up the budget, an unavailable old pod is replaced without waiting, and the
//! remaining old pods go as the budget frees up.

use std::collections::BTreeMap;

use super::{Limits, PauseRecord, PodRevision, Revisions};
use crate::{
    age::epoch_seconds,
    k8s::{DaemonSet, Node, Pod},
    placement::{Verdict, pending_reason, placements, pod_node, pods_by_node},
};

/// One node's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeRollout {
    pub node: String,
    pub labels: BTreeMap<String, String>,
    pub cordoned: bool,
    /// The node's Ready condition; `None` when not known (the user may not list nodes).
    pub ready: Option<bool>,
    /// Whether it should run a pod, and if not, why (selector, taint, misscheduled).
    pub placement: Verdict,
    /// The pod shown for the node: the new one if there is one, else the old.
    pub pod: Option<PodFacts>,
    pub state: NodeState,
}

impl NodeRollout {
    /// Whether the node's pod runs the current revision.
    pub fn on_current(&self) -> bool {
        self.pod.as_ref().is_some_and(|pod| pod.revision.current)
    }

    /// Whether the node's pod is available (ready for `minReadySeconds`).
    pub fn available(&self) -> bool {
        self.pod.as_ref().is_some_and(|pod| pod.available)
    }
}

/// What the page shows of a pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodFacts {
    pub name: String,
    pub revision: PodRevision,
    /// RFC 3339: when its Ready condition last became true, while it is ready.
    pub ready_since: Option<String>,
    pub available: bool,
    pub restarts: i32,
    pub last_termination: Option<Termination>,
}

/// Why a container last ended (`OOMKilled`, `Error`, `Completed`) and its exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Termination {
    pub container: String,
    pub reason: String,
    pub exit_code: Option<i64>,
}

impl Termination {
    /// The kernel killed it for its memory limit: the reason operators look for first.
    pub fn is_oom(&self) -> bool {
        self.reason == "OOMKilled"
    }
}

/// Where a node stands in the rollout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeState {
    /// Should not run a pod.
    Excluded,
    /// Runs the current revision, available.
    Current,
    /// Its pod is on the current revision but not available yet.
    Starting(NotAvailable),
    /// Should run a pod and has none: the controller creates it.
    Missing,
    /// Its old pod is terminating; the controller creates the new one after.
    Replacing,
    /// Still on an old revision.
    Waiting(Wait),
}

/// Why a pod is not available.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotAvailable {
    /// Not running, with the pod's reason (ImagePullBackOff, Unschedulable...).
    Pending(String),
    /// Running, not ready.
    NotReady,
    /// Ready, for less than `minReadySeconds`.
    MinReady { seconds_left: i64 },
}

/// Why a node on an old revision has not moved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wait {
    /// The rollout is paused (by the console: `OnDelete` with a record).
    Paused { by: String, since: String },
    /// `OnDelete`: replaced only when its pod is deleted.
    OnDelete,
    /// Its new pod has started beside the old one (surge) and is not available yet.
    NewPodPending(NotAvailable),
    /// Its old pod is unavailable, so the controller replaces it without waiting.
    ReplacedFirst,
    /// The budget has room: the controller replaces it next.
    Next,
    /// The budget has room for others first; it follows.
    Turn { at_a_time: i32 },
    /// The budget is used up by the pods in flight.
    Held {
        limit: &'static str,
        value: i32,
        /// The pods in flight, or the node where a pod is missing.
        in_flight: Vec<String>,
    },
}

/// The rollout on every node of `nodes`, in their order, at `now` (Unix seconds). `pods` are the
/// DaemonSet's own pods.
pub fn node_rollouts(
    daemonset: &DaemonSet,
    nodes: &[Node],
    pods: &[Pod],
    revisions: &Revisions,
    now: i64,
) -> Vec<NodeRollout> {
    let min_ready = i64::from(daemonset.spec.min_ready_seconds);
    let facts = |pod: &Pod| pod_facts(pod, revisions, min_ready, now);
    let by_node = pods_by_node(pods);
    let mut rows: Vec<NodeRollout> = placements(daemonset, nodes, pods)
        .into_iter()
        .zip(nodes)
        .map(|(placement, node)| {
            let on_node: &[&Pod] = by_node
                .get(node.metadata.name.as_str())
                .map_or(&[], Vec::as_slice);
            let live: Vec<&Pod> = on_node
                .iter()
                .copied()
                .filter(|pod| pod.metadata.deletion_timestamp.is_none())
                .collect();
            let new = live.iter().find(|pod| revisions.of_pod(pod).current);
            let old = live.iter().find(|pod| !revisions.of_pod(pod).current);
            let shown = new.or(old).or(on_node.first());
            let pod = shown.map(|pod| facts(pod));
            let state = match (placement.verdict.should_run(), new, old) {
                (false, _, _) => NodeState::Excluded,
                (true, Some(new), old) => match (not_available(new, min_ready, now), old) {
                    (None, None) => NodeState::Current,
                    (None, Some(_)) => NodeState::Replacing,
                    (Some(why), None) => NodeState::Starting(why),
                    (Some(why), Some(_)) => NodeState::Waiting(Wait::NewPodPending(why)),
                },
                (true, None, Some(old)) if not_available(old, min_ready, now).is_some() => {
                    NodeState::Waiting(Wait::ReplacedFirst)
                }
                // Placeholder for an old, available pod; its wait is decided below, once the
                // whole budget is known.
                (true, None, Some(_)) => NodeState::Waiting(Wait::Next),
                (true, None, None) if on_node.is_empty() => NodeState::Missing,
                (true, None, None) => NodeState::Replacing,
            };
            NodeRollout {
                node: node.metadata.name.clone(),
                labels: node.metadata.labels.clone(),
                cordoned: node.spec.unschedulable,
                ready: node
                    .status
                    .conditions
                    .iter()
                    .find(|condition| condition.kind == "Ready")
                    .map(|condition| condition.status == "True"),
                placement: placement.verdict,
                pod,
                state,
            }
        })
        .collect();
    assign_waits(daemonset, &mut rows);
    rows
}

/// The nodes the pods are on, sorted: what the rollout can show a user who may not list nodes.
/// Only their names are known; each is given the labels the DaemonSet's node selector asks for,
/// since the controller placed a pod there (without them every such node would read as
/// excluded).
pub fn nodes_of_pods(daemonset: &DaemonSet, pods: &[Pod]) -> Vec<Node> {
    let names: std::collections::BTreeSet<&str> = pods.iter().filter_map(pod_node).collect();
    names
        .into_iter()
        .map(|name| {
            let mut node = Node::default();
            node.metadata.name = name.to_owned();
            node.metadata.labels = daemonset.spec.template.spec.node_selector.clone();
            node
        })
        .collect()
}

/// Decides the wait of every old, available pod from the strategy and the pods in flight.
fn assign_waits(daemonset: &DaemonSet, rows: &mut [NodeRollout]) {
    let desired = rows.iter().filter(|row| row.placement.should_run()).count();
    let limits = Limits::of(
        &daemonset.spec.update_strategy,
        i32::try_from(desired).unwrap_or(i32::MAX),
    );
    let in_flight: Vec<String> = rows
        .iter()
        .filter(|row| {
            matches!(
                row.state,
                NodeState::Starting(_)
                    | NodeState::Missing
                    | NodeState::Replacing
                    | NodeState::Waiting(Wait::NewPodPending(_))
            )
        })
        .map(|row| {
            row.pod
                .as_ref()
                .map_or(row.node.clone(), |pod| pod.name.clone())
        })
        .collect();
    let room = limits.room(in_flight.len());
    let paused = PauseRecord::of(daemonset);
    let on_delete = daemonset.spec.update_strategy.kind == "OnDelete";
    let (limit, value) = limits.binding();
    let candidates = rows
        .iter_mut()
        .filter(|row| row.state == NodeState::Waiting(Wait::Next));
    for (position, row) in candidates.enumerate() {
        let wait = match &paused {
            Some(record) => Wait::Paused {
                by: record.by.clone(),
                since: record.at.clone(),
            },
            None if on_delete => Wait::OnDelete,
            None if position < room => Wait::Next,
            None if room > 0 => Wait::Turn { at_a_time: value },
            None => Wait::Held {
                limit,
                value,
                in_flight: in_flight.clone(),
            },
        };
        row.state = NodeState::Waiting(wait);
    }
}

fn pod_facts(pod: &Pod, revisions: &Revisions, min_ready: i64, now: i64) -> PodFacts {
    PodFacts {
        name: pod.metadata.name.clone(),
        revision: revisions.of_pod(pod),
        ready_since: ready_since(pod).map(str::to_owned),
        available: not_available(pod, min_ready, now).is_none(),
        restarts: pod.restarts(),
        last_termination: last_termination(pod),
    }
}

fn ready_since(pod: &Pod) -> Option<&str> {
    pod.status
        .conditions
        .iter()
        .find(|condition| condition.kind == "Ready" && condition.status == "True")
        .map(|condition| {
            condition
                .last_transition_time
                .as_deref()
                .unwrap_or_default()
        })
}

/// Why the pod is not available, or `None` when it is (ready for `min_ready` seconds), as the
/// controller's `IsPodAvailable` decides.
fn not_available(pod: &Pod, min_ready: i64, now: i64) -> Option<NotAvailable> {
    let Some(since) = ready_since(pod) else {
        return Some(
            if pod.status.phase == "Running" && pod.display_status() == "Running" {
                NotAvailable::NotReady
            } else {
                NotAvailable::Pending(pending_reason(pod))
            },
        );
    };
    if min_ready == 0 {
        return None;
    }
    let ready_for = epoch_seconds(since).map_or(0, |since| now - since);
    (ready_for < min_ready).then_some(NotAvailable::MinReady {
        seconds_left: min_ready - ready_for,
    })
}

/// The most telling way a container ended: the last termination of a restarted container, or
/// a current termination.
fn last_termination(pod: &Pod) -> Option<Termination> {
    pod.status.container_statuses.iter().find_map(|status| {
        let terminated = [&status.last_state, &status.state]
            .into_iter()
            .flatten()
            .find_map(|state| state.get("terminated"))?;
        Some(Termination {
            container: status.name.clone(),
            reason: terminated["reason"].as_str().unwrap_or_default().to_owned(),
            exit_code: terminated["exitCode"].as_i64(),
        })
    })
}
