//! Which revision a pod runs: the DaemonSet controller labels each pod with the hash of its
//! template (`controller-revision-hash`) and keeps one ControllerRevision per template, labelled
//! with the same hash and numbered; the highest number is the current template.

use std::collections::BTreeMap;

use crate::k8s::{ControllerRevision, Pod};

/// The label on pods and ControllerRevisions naming the template's hash.
pub const REVISION_HASH_LABEL: &str = "controller-revision-hash";

/// A pod's revision as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodRevision {
    /// The ControllerRevision's number, when a revision with the pod's hash still exists
    /// (the controller prunes old ones beyond `revisionHistoryLimit`).
    pub number: Option<i64>,
    pub hash: String,
    pub current: bool,
}

/// The DaemonSet's revisions by hash, and which one is current.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Revisions {
    numbers: BTreeMap<String, i64>,
    current: Option<(String, i64)>,
}

impl Revisions {
    /// From the DaemonSet's own ControllerRevisions (the caller filters by owner).
    pub fn new(revisions: &[ControllerRevision]) -> Self {
        let numbers: BTreeMap<String, i64> = revisions
            .iter()
            .map(|revision| (hash_of(revision), revision.revision))
            .collect();
        let current = numbers
            .iter()
            .max_by_key(|(_, number)| **number)
            .map(|(hash, number)| (hash.clone(), *number));
        Revisions { numbers, current }
    }

    /// The current revision's number.
    pub fn current_number(&self) -> Option<i64> {
        self.current.as_ref().map(|(_, number)| *number)
    }

    /// The current template's hash.
    pub fn current_hash(&self) -> Option<&str> {
        self.current.as_ref().map(|(hash, _)| hash.as_str())
    }

    /// The number of the revision with `hash`.
    pub fn number_of(&self, hash: &str) -> Option<i64> {
        self.numbers.get(hash).copied()
    }

    /// The revision `pod` runs.
    pub fn of_pod(&self, pod: &Pod) -> PodRevision {
        let hash = pod
            .metadata
            .labels
            .get(REVISION_HASH_LABEL)
            .cloned()
            .unwrap_or_default();
        PodRevision {
            number: self.number_of(&hash),
            current: !hash.is_empty() && self.current_hash() == Some(hash.as_str()),
            hash,
        }
    }
}

/// A revision's hash: its label, or the suffix of its name (`<daemonset>-<hash>`) on revisions
/// written before the label existed.
fn hash_of(revision: &ControllerRevision) -> String {
    revision
        .metadata
        .labels
        .get(REVISION_HASH_LABEL)
        .cloned()
        .or_else(|| {
            revision
                .metadata
                .name
                .rsplit_once('-')
                .map(|(_, hash)| hash.to_owned())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn revision(name: &str, hash: Option<&str>, number: i64) -> ControllerRevision {
        let labels = hash.map_or(json!({}), |hash| json!({REVISION_HASH_LABEL: hash}));
        serde_json::from_value(
            json!({"metadata": {"name": name, "labels": labels}, "revision": number}),
        )
        .unwrap()
    }

    fn pod_with_hash(hash: &str) -> Pod {
        serde_json::from_value(
            json!({"metadata": {"name": "p", "labels": {REVISION_HASH_LABEL: hash}}}),
        )
        .unwrap()
    }

    #[test]
    fn the_highest_numbered_revision_is_current_and_a_pod_reads_its_number_from_its_hash() {
        let revisions = Revisions::new(&[
            revision("agent-aaa", Some("aaa"), 1),
            revision("agent-bbb", Some("bbb"), 3),
            revision("agent-ccc", Some("ccc"), 2),
        ]);
        assert_eq!(revisions.current_number(), Some(3));
        assert_eq!(
            revisions.of_pod(&pod_with_hash("bbb")),
            PodRevision {
                number: Some(3),
                hash: "bbb".into(),
                current: true
            }
        );
        let old = revisions.of_pod(&pod_with_hash("aaa"));
        assert_eq!((old.number, old.current), (Some(1), false));
    }

    #[test]
    fn a_rollback_makes_the_old_template_current_again_under_a_new_number() {
        // The controller renumbers the reused revision above all others.
        let revisions = Revisions::new(&[
            revision("agent-aaa", Some("aaa"), 3),
            revision("agent-bbb", Some("bbb"), 2),
        ]);
        assert!(revisions.of_pod(&pod_with_hash("aaa")).current);
    }

    #[test]
    fn a_pruned_revision_has_no_number_and_is_not_current() {
        let revisions = Revisions::new(&[revision("agent-bbb", Some("bbb"), 4)]);
        let pod = revisions.of_pod(&pod_with_hash("old"));
        assert_eq!((pod.number, pod.current), (None, false));
    }

    #[test]
    fn a_revision_without_the_label_is_known_by_its_name() {
        let revisions = Revisions::new(&[revision("agent-6f9c", None, 1)]);
        assert_eq!(revisions.number_of("6f9c"), Some(1));
    }

    #[test]
    fn a_pod_without_a_hash_runs_no_known_revision() {
        let revisions = Revisions::new(&[revision("agent-x", Some(""), 1)]);
        let unlabelled: Pod = serde_json::from_value(json!({"metadata": {"name": "p"}})).unwrap();
        assert!(!revisions.of_pod(&unlabelled).current);
    }
}
