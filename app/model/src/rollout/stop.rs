//! Stopping a DaemonSet without deleting it: its node selector gains a label no node has, so
//! it runs on no node, and an annotation records who stopped it, when, and the node selector
//! it had; start puts that selector back exactly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::{
    k8s::{DaemonSet, Node},
    placement::placements,
};

/// The annotation holding a [`StopRecord`] as JSON.
pub const STOP_ANNOTATION: &str = "daemonset-console.io/stopped";
/// The node label the stopped selector asks for; no node is expected to carry it.
pub const STOP_NODE_LABEL: &str = "daemonset-console.io/stopped";

/// Who stopped the DaemonSet, when, and the node selector it replaced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StopRecord {
    pub by: String,
    /// RFC 3339.
    pub at: String,
    pub node_selector: BTreeMap<String, String>,
}

impl StopRecord {
    /// The DaemonSet's stop, if it is stopped.
    pub fn of(daemonset: &DaemonSet) -> Option<StopRecord> {
        Self::in_annotations(&daemonset.metadata.annotations)
    }

    /// The stop recorded in these annotations of a DaemonSet, if any.
    pub fn in_annotations(annotations: &BTreeMap<String, String>) -> Option<StopRecord> {
        let text = annotations.get(STOP_ANNOTATION)?;
        crate::json::from_text(text).ok()
    }
}

/// The merge patch that stops: the selector plus the label no node has, and the record. It
/// carries the resourceVersion read, so a concurrent change is refused (409).
pub fn stop_patch(daemonset: &DaemonSet, by: &str, at: &str) -> Value {
    let record = StopRecord {
        by: by.to_owned(),
        at: at.to_owned(),
        node_selector: daemonset.spec.template.spec.node_selector.clone(),
    };
    json!({
        "metadata": {
            "resourceVersion": daemonset.metadata.resource_version,
            "annotations": {STOP_ANNOTATION: serde_json::to_string(&record).unwrap_or_default()},
        },
        "spec": {"template": {"spec": {"nodeSelector": {STOP_NODE_LABEL: "true"}}}},
    })
}

/// The merge patch that starts: the recorded selector, every other key removed, the record
/// gone. `None` when the DaemonSet is not stopped.
pub fn start_patch(daemonset: &DaemonSet) -> Option<Value> {
    let record = StopRecord::of(daemonset)?;
    let mut selector: Map<String, Value> = daemonset
        .spec
        .template
        .spec
        .node_selector
        .keys()
        .map(|key| (key.clone(), Value::Null))
        .collect();
    for (key, value) in &record.node_selector {
        selector.insert(key.clone(), json!(value));
    }
    Some(json!({
        "metadata": {
            "resourceVersion": daemonset.metadata.resource_version,
            "annotations": {STOP_ANNOTATION: null},
        },
        "spec": {"template": {"spec": {"nodeSelector": selector}}},
    }))
}

/// The nodes that will run a pod once the DaemonSet is started again: those its recorded
/// selector (and its tolerations) admit. Empty when it is not stopped.
pub fn nodes_after_start(daemonset: &DaemonSet, nodes: &[Node]) -> Vec<String> {
    let Some(record) = StopRecord::of(daemonset) else {
        return Vec::new();
    };
    let mut restored = daemonset.clone();
    restored.spec.template.spec.node_selector = record.node_selector;
    placements(&restored, nodes, &[])
        .into_iter()
        .filter(|placement| placement.verdict.should_run())
        .map(|placement| placement.node)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollout::merge::apply;

    fn agent(node_selector: Value) -> DaemonSet {
        serde_json::from_value(json!({
            "metadata": {"name": "agent", "resourceVersion": "7"},
            "spec": {"template": {"spec": {"nodeSelector": node_selector}}}
        }))
        .unwrap()
    }

    #[test]
    fn stopping_adds_a_label_no_node_has_and_records_the_selector_it_had() {
        let before = agent(json!({"disktype": "ssd"}));
        let stopped = apply(
            &before,
            &stop_patch(&before, "admin", "2026-12-01T21:00:00Z"),
        );
        let selector = &stopped.spec.template.spec.node_selector;
        assert_eq!(
            selector.get(STOP_NODE_LABEL).map(String::as_str),
            Some("true")
        );
        assert_eq!(selector.get("disktype").map(String::as_str), Some("ssd"));
        let record = StopRecord::of(&stopped).unwrap();
        assert_eq!(record.by, "admin");
        assert_eq!(
            record.node_selector,
            before.spec.template.spec.node_selector
        );
    }

    #[test]
    fn starting_restores_the_selector_exactly_whatever_it_was() {
        for selector in [json!({}), json!({"disktype": "ssd", "role": "worker"})] {
            let before = agent(selector);
            let stopped = apply(&before, &stop_patch(&before, "admin", "t"));
            let started = apply(&stopped, &start_patch(&stopped).unwrap());
            assert_eq!(started.spec.template, before.spec.template);
            assert_eq!(started.metadata.annotations, before.metadata.annotations);
        }
    }

    #[test]
    fn a_daemonset_that_is_not_stopped_has_nothing_to_start() {
        assert_eq!(start_patch(&agent(json!({}))), None);
        assert!(nodes_after_start(&agent(json!({})), &[]).is_empty());
    }

    #[test]
    fn starting_names_the_nodes_the_recorded_selector_admits() {
        let node = |name: &str, disk: &str| -> Node {
            serde_json::from_value(
                json!({"metadata": {"name": name, "labels": {"disktype": disk}}}),
            )
            .unwrap()
        };
        let before = agent(json!({"disktype": "ssd"}));
        let stopped = apply(&before, &stop_patch(&before, "admin", "t"));
        let nodes = [node("a", "ssd"), node("b", "hdd"), node("c", "ssd")];
        assert_eq!(nodes_after_start(&stopped, &nodes), ["a", "c"]);
    }
}
