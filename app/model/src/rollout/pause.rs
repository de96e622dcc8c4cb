//! Pausing a rollout on a plain DaemonSet: the strategy becomes `OnDelete`, so the controller
//! replaces no further pod, and an annotation records who paused it, when, and the strategy
//! that resume puts back. The record lives on the DaemonSet, so everyone sees it.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::k8s::{DaemonSet, UpdateStrategy};

/// The annotation holding a [`PauseRecord`] as JSON.
pub const PAUSE_ANNOTATION: &str = "daemonset-console.io/paused";

/// Who paused the DaemonSet, when, and what its strategy was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseRecord {
    pub by: String,
    /// RFC 3339.
    pub at: String,
    pub strategy: UpdateStrategy,
}

impl PauseRecord {
    /// The DaemonSet's pause, if it is paused (a record that does not parse reads as none, so
    /// a hand-edited annotation cannot hide the real strategy).
    pub fn of(daemonset: &DaemonSet) -> Option<PauseRecord> {
        let text = daemonset.metadata.annotations.get(PAUSE_ANNOTATION)?;
        crate::json::from_text(text).ok()
    }
}

/// Whether the DaemonSet can be paused: a rolling update that is not paused already.
pub fn can_pause(daemonset: &DaemonSet) -> bool {
    daemonset.spec.update_strategy.kind != "OnDelete" && PauseRecord::of(daemonset).is_none()
}

/// The merge patch that pauses: `OnDelete`, and the record. It carries the resourceVersion
/// read, so a change made meanwhile by someone else is refused (409) rather than recorded
/// wrongly.
pub fn pause_patch(daemonset: &DaemonSet, by: &str, at: &str) -> serde_json::Value {
    let record = PauseRecord {
        by: by.to_owned(),
        at: at.to_owned(),
        strategy: daemonset.spec.update_strategy.clone(),
    };
    json!({
        "metadata": {
            "resourceVersion": daemonset.metadata.resource_version,
            "annotations": {PAUSE_ANNOTATION: serde_json::to_string(&record).unwrap_or_default()},
        },
        "spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": null}},
    })
}

/// The merge patch that resumes: the recorded strategy back, the record gone. `None` when
/// the DaemonSet is not paused.
pub fn resume_patch(daemonset: &DaemonSet) -> Option<serde_json::Value> {
    let record = PauseRecord::of(daemonset)?;
    Some(json!({
        "metadata": {
            "resourceVersion": daemonset.metadata.resource_version,
            "annotations": {PAUSE_ANNOTATION: null},
        },
        "spec": {"updateStrategy": {
            "type": record.strategy.kind,
            "rollingUpdate": record.strategy.rolling_update,
        }},
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollout::merge::apply;

    fn rolling() -> DaemonSet {
        serde_json::from_value(json!({
            "metadata": {"name": "agent", "resourceVersion": "41"},
            "spec": {"updateStrategy": {"type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": 0}}}
        }))
        .unwrap()
    }

    #[test]
    fn pausing_switches_to_on_delete_and_records_who_when_and_the_strategy() {
        let paused = apply(
            &rolling(),
            &pause_patch(&rolling(), "alice", "2026-12-01T21:00:00Z"),
        );
        assert_eq!(paused.spec.update_strategy.kind, "OnDelete");
        assert_eq!(paused.spec.update_strategy.rolling_update, None);
        let record = PauseRecord::of(&paused).unwrap();
        assert_eq!(
            (record.by.as_str(), record.at.as_str()),
            ("alice", "2026-12-01T21:00:00Z")
        );
        assert_eq!(record.strategy, rolling().spec.update_strategy);
        assert!(!can_pause(&paused));
    }

    #[test]
    fn resuming_restores_the_recorded_strategy_exactly_and_removes_the_record() {
        let paused = apply(&rolling(), &pause_patch(&rolling(), "alice", "t"));
        let resumed = apply(&paused, &resume_patch(&paused).unwrap());
        assert_eq!(resumed.spec.update_strategy, rolling().spec.update_strategy);
        assert_eq!(PauseRecord::of(&resumed), None);
        assert!(can_pause(&resumed));
    }

    #[test]
    fn the_patches_are_conditional_on_the_version_read() {
        let patch = pause_patch(&rolling(), "alice", "t");
        assert_eq!(patch["metadata"]["resourceVersion"], "41");
    }

    #[test]
    fn an_on_delete_daemonset_or_one_not_paused_offers_neither() {
        let mut on_delete = rolling();
        on_delete.spec.update_strategy = UpdateStrategy {
            kind: "OnDelete".into(),
            rolling_update: None,
        };
        assert!(!can_pause(&on_delete));
        assert_eq!(resume_patch(&rolling()), None);
    }

    #[test]
    fn an_unreadable_record_is_no_pause() {
        let mut odd = rolling();
        odd.metadata
            .annotations
            .insert(PAUSE_ANNOTATION.into(), "yes".into());
        assert_eq!(PauseRecord::of(&odd), None);
    }
}
