//! A canary by node label: a change is applied paused (as [`super::pause_patch`] pauses), the
//! nodes with one label value are updated first, then the change either continues to the rest
//! (resume) or is rolled back (the previous template restored, the canary nodes updated back to
//! it). The plan lives in an annotation on the DaemonSet, so any user, tab or replica sees it and
//! can carry it on; a closed tab leaves it paused, which is safe.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{NodeRollout, NodeState, PAUSE_ANNOTATION, PauseRecord, Progress, resume_patch};
use crate::k8s::{ControllerRevision, DaemonSet, UpdateStrategy};

/// The annotation holding a [`CanaryRecord`] as JSON.
pub const CANARY_ANNOTATION: &str = "daemonset-console.io/canary";

/// Where a canary stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CanaryPhase {
    /// The change is on the canary nodes (or going there); the rest still run the old revision.
    Canary,
    /// The previous template is back; the canary nodes are going back to it.
    RollingBack,
}

/// The plan: which nodes go first, who started it, and what it moves from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CanaryRecord {
    pub by: String,
    /// RFC 3339.
    pub at: String,
    /// The node label and value that choose the canary nodes.
    pub label: String,
    pub value: String,
    pub at_a_time: usize,
    /// The revision the other nodes run, which roll back restores.
    pub from_revision: i64,
    pub phase: CanaryPhase,
    /// The canary's own revision, once it is rolled back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolled_back_from: Option<i64>,
}

impl CanaryRecord {
    /// The DaemonSet's canary, if it has one that reads.
    pub fn of(daemonset: &DaemonSet) -> Option<CanaryRecord> {
        let text = daemonset.metadata.annotations.get(CANARY_ANNOTATION)?;
        crate::json::from_text(text).ok()
    }

    /// Whether the controller has made the revision this phase moves to, given the DaemonSet's
    /// newest revision number: until then the rows still call the old revision current.
    pub fn revision_made(&self, newest: i64) -> bool {
        newest > self.rolled_back_from.unwrap_or(self.from_revision)
    }

    /// The canary nodes, in `rows`' order.
    pub fn nodes(&self, rows: &[NodeRollout]) -> Vec<String> {
        nodes_with_label(rows, &self.label, &self.value)
    }

    /// How far the canary nodes have come to the current revision.
    pub fn progress(&self, rows: &[NodeRollout]) -> Progress {
        Progress::of(self.rows(rows))
    }

    /// The nodes outside the canary that should run a pod: what "continue" updates.
    pub fn remaining_nodes(&self, rows: &[NodeRollout]) -> Vec<String> {
        rows.iter()
            .filter(|row| row.state != NodeState::Excluded && !self.matches(row))
            .map(|row| row.node.clone())
            .collect()
    }

    fn matches(&self, row: &NodeRollout) -> bool {
        has_label(row, &self.label, &self.value)
    }

    fn rows<'a>(&'a self, rows: &'a [NodeRollout]) -> impl Iterator<Item = &'a NodeRollout> {
        rows.iter()
            .filter(|row| row.state != NodeState::Excluded && self.matches(row))
    }

    fn annotation(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn has_label(row: &NodeRollout, label: &str, value: &str) -> bool {
    row.labels.get(label).is_some_and(|have| have == value)
}

/// The nodes a canary on `label=value` updates: those with the value that should run a pod.
pub fn nodes_with_label(rows: &[NodeRollout], label: &str, value: &str) -> Vec<String> {
    rows.iter()
        .filter(|row| row.state != NodeState::Excluded && has_label(row, label, value))
        .map(|row| row.node.clone())
        .collect()
}

/// Why a change cannot go out as a canary, if it cannot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoCanary {
    /// Under `OnDelete` nothing moves by itself: updating chosen nodes is the canary.
    OnDelete,
    /// Paused, stopped or in a canary already: that has to end first.
    Held,
    /// The pod template is the same: there is nothing to roll out.
    TemplateUnchanged,
}

/// Whether `current` (as read) can take `edited` as a canary.
pub fn can_canary(current: &DaemonSet, edited: &DaemonSet) -> Result<(), NoCanary> {
    let annotations = &current.metadata.annotations;
    if [PAUSE_ANNOTATION, CANARY_ANNOTATION, super::STOP_ANNOTATION]
        .iter()
        .any(|key| annotations.contains_key(*key))
    {
        return Err(NoCanary::Held);
    }
    if edited.spec.update_strategy.kind == "OnDelete" {
        return Err(NoCanary::OnDelete);
    }
    if edited.spec.template == current.spec.template {
        return Err(NoCanary::TemplateUnchanged);
    }
    Ok(())
}

/// The edited object (as JSON, ready to replace the DaemonSet) made into a canary: its strategy
/// becomes `OnDelete`, the pause record keeps the strategy it asked for (so continue restores
/// it), and the canary record is added.
pub fn canary_object(mut edited: Value, record: &CanaryRecord) -> Value {
    let strategy: UpdateStrategy =
        serde_json::from_value(edited["spec"]["updateStrategy"].clone()).unwrap_or_default();
    let pause = PauseRecord {
        by: record.by.clone(),
        at: record.at.clone(),
        strategy,
    };
    let metadata = &mut edited["metadata"];
    if !metadata["annotations"].is_object() {
        metadata["annotations"] = json!({});
    }
    metadata["annotations"][PAUSE_ANNOTATION] =
        Value::String(serde_json::to_string(&pause).unwrap_or_default());
    metadata["annotations"][CANARY_ANNOTATION] = Value::String(record.annotation());
    edited["spec"]["updateStrategy"] = json!({"type": "OnDelete"});
    edited
}

/// The merge patch that ends a canary by going on: the paused strategy back (the controller then
/// updates the remaining nodes as it would have), both records gone. It also ends a roll back
/// once the canary nodes are back. `None` when there is no canary.
pub fn continue_patch(daemonset: &DaemonSet) -> Option<Value> {
    CanaryRecord::of(daemonset)?;
    let mut patch = resume_patch(daemonset)?;
    patch["metadata"]["annotations"][CANARY_ANNOTATION] = Value::Null;
    Some(patch)
}

/// The strategic merge patch that rolls a canary back: `from`'s saved template (the revision
/// replaces the template whole, as `kubectl rollout undo` does) and the record in its roll-back
/// phase, with `newest` (the canary's revision). The DaemonSet stays paused, so only the canary
/// nodes, updated again, move. `None` when there is no canary.
pub fn rollback_patch(
    daemonset: &DaemonSet,
    from: &ControllerRevision,
    newest: i64,
) -> Option<Value> {
    let mut record = CanaryRecord::of(daemonset)?;
    record.phase = CanaryPhase::RollingBack;
    record.rolled_back_from = Some(newest);
    let mut patch = from.data.clone();
    patch["metadata"] = json!({
        "resourceVersion": daemonset.metadata.resource_version,
        "annotations": {CANARY_ANNOTATION: record.annotation()},
    });
    Some(patch)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::{
        placement::Verdict,
        rollout::{PodFacts, PodRevision, Wait, merge::apply},
    };

    fn record() -> CanaryRecord {
        CanaryRecord {
            by: "admin".into(),
            at: "2026-12-02T01:00:00Z".into(),
            label: "zone".into(),
            value: "a".into(),
            at_a_time: 1,
            from_revision: 3,
            phase: CanaryPhase::Canary,
            rolled_back_from: None,
        }
    }

    fn edited() -> Value {
        json!({
            "metadata": {"name": "agent", "resourceVersion": "41"},
            "spec": {
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}},
                "template": {"spec": {"containers": [{"name": "agent", "image": "agent:2"}]}},
            }
        })
    }

    fn read(value: Value) -> DaemonSet {
        serde_json::from_value(value).unwrap()
    }

    fn row(node: &str, zone: &str, state: NodeState, current: bool) -> NodeRollout {
        NodeRollout {
            node: node.into(),
            labels: BTreeMap::from([("zone".to_owned(), zone.to_owned())]),
            cordoned: false,
            ready: Some(true),
            placement: Verdict::Running,
            pod: Some(PodFacts {
                name: format!("agent-{node}"),
                revision: PodRevision {
                    number: None,
                    hash: if current { "new" } else { "old" }.into(),
                    current,
                },
                ready_since: None,
                available: current,
                restarts: 0,
                last_termination: None,
            }),
            state,
        }
    }

    #[test]
    fn a_canary_is_applied_paused_with_the_strategy_continue_restores() {
        let canary = read(canary_object(edited(), &record()));
        // The new template is revision 4 once the controller has made it.
        assert!(!record().revision_made(3));
        assert!(record().revision_made(4));
        assert_eq!(canary.spec.update_strategy.kind, "OnDelete");
        assert_eq!(CanaryRecord::of(&canary), Some(record()));
        let paused = PauseRecord::of(&canary).unwrap();
        assert_eq!(paused.by, "admin");
        assert_eq!(paused.strategy, read(edited()).spec.update_strategy);
        // The edit itself goes out unchanged.
        assert_eq!(canary.spec.template, read(edited()).spec.template);

        let continued = apply(&canary, &continue_patch(&canary).unwrap());
        assert_eq!(
            continued.spec.update_strategy,
            read(edited()).spec.update_strategy
        );
        assert!(continued.metadata.annotations.is_empty());
    }

    #[test]
    fn rolling_back_restores_the_saved_template_whole_and_stays_paused() {
        let canary = read(canary_object(edited(), &record()));
        let from: ControllerRevision = serde_json::from_value(json!({
            "metadata": {"name": "agent-1"},
            "revision": 3,
            "data": {"spec": {"template": {"$patch": "replace",
                "spec": {"containers": [{"name": "agent", "image": "agent:1"}]}}}}
        }))
        .unwrap();
        let patch = rollback_patch(&canary, &from, 4).unwrap();
        assert_eq!(patch["spec"]["template"]["$patch"], "replace");
        assert_eq!(
            patch["spec"]["template"]["spec"]["containers"][0]["image"],
            "agent:1"
        );
        assert_eq!(patch["metadata"]["resourceVersion"], "41");
        assert!(patch["spec"].get("updateStrategy").is_none());
        let rolling_back = apply(&canary, &patch);
        let record = CanaryRecord::of(&rolling_back).unwrap();
        assert_eq!(record.phase, CanaryPhase::RollingBack);
        // The controller numbers the restored template 5.
        assert!(!record.revision_made(4));
        assert!(record.revision_made(5));
        assert!(PauseRecord::of(&rolling_back).is_some());
    }

    #[test]
    fn the_canary_nodes_are_those_with_the_value_that_should_run_a_pod() {
        let waiting = NodeState::Waiting(Wait::Paused {
            by: "admin".into(),
            since: "2026-12-02T01:00:00Z".into(),
        });
        let rows = vec![
            row("a1", "a", NodeState::Current, true),
            row("a2", "a", waiting.clone(), false),
            row("a3", "a", NodeState::Excluded, false),
            row("b1", "b", waiting, false),
        ];
        assert_eq!(record().nodes(&rows), ["a1", "a2"]);
        assert_eq!(record().remaining_nodes(&rows), ["b1"]);
        let progress = record().progress(&rows);
        assert_eq!((progress.desired, progress.current), (2, 1));
        assert!(!progress.done());
    }

    #[test]
    fn a_held_or_on_delete_daemonset_takes_no_canary() {
        let plain = read(edited());
        let mut changed = plain.clone();
        changed.spec.template.spec.containers[0].image = "agent:3".into();
        assert_eq!(can_canary(&plain, &changed), Ok(()));
        assert_eq!(can_canary(&plain, &plain), Err(NoCanary::TemplateUnchanged));
        let mut on_delete = changed.clone();
        on_delete.spec.update_strategy = UpdateStrategy {
            kind: "OnDelete".into(),
            rolling_update: None,
        };
        assert_eq!(can_canary(&plain, &on_delete), Err(NoCanary::OnDelete));
        let canary = read(canary_object(edited(), &record()));
        assert_eq!(can_canary(&canary, &changed), Err(NoCanary::Held));
        assert_eq!(continue_patch(&plain), None);
    }
}
