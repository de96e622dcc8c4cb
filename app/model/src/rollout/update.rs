//! Updating chosen nodes now: their old pods are deleted a few at a time, and the next go only
//! once the new pod on each node in flight is available (ready for `minReadySeconds`). The
//! controller creates the new pods (under `OnDelete`, or paused, deleting is what moves a node).
//! The caller deletes what [`NodeUpdate::step`] names and calls it again whenever the rollout
//! changes.

use std::collections::BTreeSet;

use super::{NodeRollout, NodeState};

/// Where a chosen node stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeUpdateState {
    /// Its old pod has not been deleted yet.
    Queued,
    /// Its old pod was deleted (or is being replaced): waiting for the new pod to be available.
    InFlight,
    /// Runs the current revision, available.
    Done,
}

/// The update of chosen nodes, in the order chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeUpdate {
    pub nodes: Vec<String>,
    pub at_a_time: usize,
    /// Nodes whose old pod this update has deleted.
    deleted: BTreeSet<String>,
    /// Set by the stop button: nothing more is deleted.
    pub stopped: bool,
}

impl NodeUpdate {
    pub fn new(nodes: Vec<String>, at_a_time: usize) -> Self {
        NodeUpdate {
            nodes,
            at_a_time: at_a_time.max(1),
            deleted: BTreeSet::new(),
            stopped: false,
        }
    }

    /// Each chosen node's state in `rows` (a node gone from the cluster counts as done: there is
    /// nothing left to update on it).
    pub fn states(&self, rows: &[NodeRollout]) -> Vec<(String, NodeUpdateState)> {
        self.nodes
            .iter()
            .map(|node| {
                let row = rows.iter().find(|row| &row.node == node);
                let state = match row {
                    None => NodeUpdateState::Done,
                    Some(row) if row.state == NodeState::Excluded => NodeUpdateState::Done,
                    Some(row) if row.on_current() && row.available() => NodeUpdateState::Done,
                    Some(row) if self.deleted.contains(node) || !row.updatable() => {
                        NodeUpdateState::InFlight
                    }
                    Some(_) => NodeUpdateState::Queued,
                };
                (node.clone(), state)
            })
            .collect()
    }

    /// The old pods to delete now, recorded as deleted: as many queued nodes as leave at most
    /// `at_a_time` in flight.
    pub fn step(&mut self, rows: &[NodeRollout]) -> Vec<String> {
        if self.stopped {
            return Vec::new();
        }
        let states = self.states(rows);
        let in_flight = states
            .iter()
            .filter(|(_, state)| *state == NodeUpdateState::InFlight)
            .count();
        let room = self.at_a_time.saturating_sub(in_flight);
        let next: Vec<(String, String)> = states
            .into_iter()
            .filter(|(_, state)| *state == NodeUpdateState::Queued)
            .take(room)
            .filter_map(|(node, _)| {
                let pod = rows.iter().find(|row| row.node == node)?.pod.as_ref()?;
                Some((node, pod.name.clone()))
            })
            .collect();
        next.into_iter()
            .map(|(node, pod)| {
                self.deleted.insert(node);
                pod
            })
            .collect()
    }

    /// Every chosen node is done.
    pub fn finished(&self, rows: &[NodeRollout]) -> bool {
        self.states(rows)
            .iter()
            .all(|(_, state)| *state == NodeUpdateState::Done)
    }
}

impl NodeRollout {
    /// The node waits on an old pod, which an update of chosen nodes may delete.
    pub fn updatable(&self) -> bool {
        matches!(self.state, NodeState::Waiting(_))
            && self.pod.as_ref().is_some_and(|pod| !pod.revision.current)
    }
}

/// The nodes of `rows` (in their order) that can be updated now.
pub fn updatable(rows: &[NodeRollout]) -> Vec<String> {
    rows.iter()
        .filter(|row| row.updatable())
        .map(|row| row.node.clone())
        .collect()
}
