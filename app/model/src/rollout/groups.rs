//! The rollout by node label: which labels the nodes have, and per value of one (a zone, a
//! role, an instance type) how far the rollout has come there.

use std::collections::{BTreeMap, BTreeSet};

use super::{NodeRollout, NodeState};

/// How far the rollout has come over some nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub nodes: usize,
    /// Nodes that should run a pod.
    pub desired: usize,
    /// Of those, running the current revision.
    pub current: usize,
    /// Of those, with an available pod (any revision).
    pub available: usize,
}

impl Progress {
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a NodeRollout>) -> Self {
        rows.into_iter()
            .fold(Progress::default(), |mut progress, row| {
                progress.nodes += 1;
                if row.state != NodeState::Excluded {
                    progress.desired += 1;
                    progress.current += usize::from(row.on_current());
                    progress.available += usize::from(row.available());
                }
                progress
            })
    }

    /// Every node that should run a pod runs the current revision, available.
    pub fn done(&self) -> bool {
        self.current == self.desired && self.available == self.desired
    }
}

/// Nodes with one value of the label (`None`: nodes without it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub value: Option<String>,
    pub progress: Progress,
}

/// Every label key on any of the nodes, sorted.
pub fn label_keys(rows: &[NodeRollout]) -> Vec<String> {
    let keys: BTreeSet<&String> = rows.iter().flat_map(|row| row.labels.keys()).collect();
    keys.into_iter().cloned().collect()
}

/// The nodes grouped by their value of `key`, values sorted, nodes without it last.
pub fn groups(rows: &[NodeRollout], key: &str) -> Vec<Group> {
    let mut by_value: BTreeMap<Option<&String>, Vec<&NodeRollout>> = BTreeMap::new();
    for row in rows {
        by_value.entry(row.labels.get(key)).or_default().push(row);
    }
    let mut groups: Vec<Group> = by_value
        .into_iter()
        .map(|(value, rows)| Group {
            value: value.cloned(),
            progress: Progress::of(rows),
        })
        .collect();
    let without_label = groups.first().is_some_and(|group| group.value.is_none());
    groups.rotate_left(usize::from(without_label));
    groups
}

/// Whether the node has `key` with `value` (`None`: lacks the key).
pub fn in_group(row: &NodeRollout, key: &str, value: Option<&str>) -> bool {
    row.labels.get(key).map(String::as_str) == value
}
