//! Where a DaemonSet should run, where it does, and why not elsewhere: the rules of the
//! DaemonSet controller and scheduler, applied to one node at a time so an operator can see
//! the reason for every node, not only the count.

use std::collections::HashMap;

use crate::k8s::{DaemonSet, Node, NodeSelectorTerm, Pod, PodSpec, Requirement, Taint, Toleration};

/// One node's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodePlacement {
    pub node: String,
    /// Cordoned nodes still run DaemonSet pods (the controller tolerates `unschedulable`); this
    /// is shown so nobody mistakes it for a cause.
    pub cordoned: bool,
    pub ready: bool,
    /// The DaemonSet's pod on this node, if any.
    pub pod: Option<String>,
    pub verdict: Verdict,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Should run, and its pod is running.
    Running,
    /// Should run; the pod exists but is not running, with the pod's own reason
    /// (ImagePullBackOff, Unschedulable, ContainerCreating...).
    Pending { reason: String },
    /// Should run but has no pod yet (the controller has not caught up).
    Missing,
    /// Excluded: the node lacks labels the node selector or required affinity asks for.
    SelectorMismatch { unmet: Vec<String> },
    /// Excluded: a taint the pods do not tolerate.
    UntoleratedTaint { taint: String },
    /// Runs a pod although it should not (labels or taints changed since).
    Misscheduled,
}

impl Verdict {
    /// Whether the node should run a pod of the DaemonSet.
    pub fn should_run(&self) -> bool {
        matches!(
            self,
            Verdict::Running | Verdict::Pending { .. } | Verdict::Missing
        )
    }
}

/// Tolerations every DaemonSet pod gets from the controller, whatever its spec says.
const AUTOMATIC_TOLERATIONS: [(&str, &str); 6] = [
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
];

/// The placement on every node, in the nodes' order. `pods` are the DaemonSet's own pods.
pub fn placements(daemonset: &DaemonSet, nodes: &[Node], pods: &[Pod]) -> Vec<NodePlacement> {
    let template = &daemonset.spec.template.spec;
    let by_node = pods_by_node(pods);
    nodes
        .iter()
        .map(|node| {
            let pod = by_node
                .get(node.metadata.name.as_str())
                .and_then(|on_node| on_node.first().copied());
            let exclusion = exclusion(template, node);
            let verdict = match (exclusion, pod) {
                (Some(_), Some(_)) => Verdict::Misscheduled,
                (Some(reason), None) => reason,
                (None, None) => Verdict::Missing,
                (None, Some(pod))
                    if pod.status.phase == "Running" && pod.display_status() == "Running" =>
                {
                    Verdict::Running
                }
                (None, Some(pod)) => Verdict::Pending {
                    reason: pending_reason(pod),
                },
            };
            NodePlacement {
                node: node.metadata.name.clone(),
                cordoned: node.spec.unschedulable,
                ready: node.is_ready(),
                pod: pod.map(|pod| pod.metadata.name.clone()),
                verdict,
            }
        })
        .collect()
}

/// Why the node is excluded, or `None` when it should run a pod.
fn exclusion(template: &PodSpec, node: &Node) -> Option<Verdict> {
    let unmet = unmet_selector(template, node);
    if !unmet.is_empty() {
        return Some(Verdict::SelectorMismatch { unmet });
    }
    node.spec
        .taints
        .iter()
        .filter(|taint| taint.effect == "NoSchedule" || taint.effect == "NoExecute")
        .find(|taint| !tolerated(taint, &template.tolerations, template.host_network))
        .map(|taint| Verdict::UntoleratedTaint {
            taint: describe_taint(taint),
        })
}

/// The selector's conditions the node does not meet, as `key=value` or an expression.
fn unmet_selector(template: &PodSpec, node: &Node) -> Vec<String> {
    let labels = &node.metadata.labels;
    let mut unmet: Vec<String> = template
        .node_selector
        .iter()
        .filter(|(key, value)| labels.get(*key) != Some(*value))
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    let required = template
        .affinity
        .as_ref()
        .and_then(|affinity| affinity.node_affinity.as_ref())
        .and_then(|affinity| {
            affinity
                .required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    if let Some(required) = required {
        // Terms are alternatives: the node passes if any one term holds entirely.
        let failures: Vec<Vec<String>> = required
            .node_selector_terms
            .iter()
            .map(|term| unmet_term(term, node))
            .collect();
        if !failures.is_empty() && failures.iter().all(|failure| !failure.is_empty()) {
            unmet.extend(failures.into_iter().next().unwrap_or_default());
        }
    }
    unmet
}

fn unmet_term(term: &NodeSelectorTerm, node: &Node) -> Vec<String> {
    let labels = &node.metadata.labels;
    let by_label = term.match_expressions.iter().filter(|requirement| {
        !requirement_holds(
            requirement,
            labels.get(&requirement.key).map(String::as_str),
        )
    });
    let by_field = term.match_fields.iter().filter(|requirement| {
        requirement.key != "metadata.name"
            || !requirement_holds(requirement, Some(node.metadata.name.as_str()))
    });
    by_label.chain(by_field).map(describe_requirement).collect()
}

fn requirement_holds(requirement: &Requirement, value: Option<&str>) -> bool {
    let number = |text: &str| text.parse::<i64>().ok();
    match (requirement.operator.as_str(), value) {
        ("In", Some(value)) => requirement.values.iter().any(|v| v == value),
        ("NotIn", Some(value)) => !requirement.values.iter().any(|v| v == value),
        ("NotIn" | "DoesNotExist", None) => true,
        ("Exists", Some(_)) => true,
        ("Gt", Some(value)) => {
            matches!((number(value), requirement.values.first().and_then(|v| number(v))), (Some(a), Some(b)) if a > b)
        }
        ("Lt", Some(value)) => {
            matches!((number(value), requirement.values.first().and_then(|v| number(v))), (Some(a), Some(b)) if a < b)
        }
        _ => false,
    }
}

fn tolerated(taint: &Taint, tolerations: &[Toleration], host_network: bool) -> bool {
    let automatic = AUTOMATIC_TOLERATIONS
        .iter()
        .any(|(key, effect)| taint.key == *key && taint.effect == *effect)
        || (host_network
            && taint.key == "node.kubernetes.io/network-unavailable"
            && taint.effect == "NoSchedule");
    automatic
        || tolerations
            .iter()
            .any(|toleration| tolerates(toleration, taint))
}

/// Kubernetes' matching: an empty key with `Exists` tolerates everything; an empty effect
/// matches every effect; `Equal` (the default) also compares values.
fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    let effect_matches = toleration.effect.is_empty() || toleration.effect == taint.effect;
    let key_matches = toleration.key.is_empty() || toleration.key == taint.key;
    let value_matches = match toleration.operator.as_str() {
        "Exists" => true,
        _ => toleration.value == taint.value,
    };
    let exists_without_key = toleration.key.is_empty() && toleration.operator == "Exists";
    effect_matches
        && (exists_without_key || (key_matches && !toleration.key.is_empty() && value_matches))
}

/// The pods on each node, in their order: one pass, so a page with hundreds of nodes and pods
/// does not compare every pod with every node at every watch event.
pub fn pods_by_node(pods: &[Pod]) -> HashMap<&str, Vec<&Pod>> {
    let mut by_node: HashMap<&str, Vec<&Pod>> = HashMap::new();
    for pod in pods {
        if let Some(node) = pod_node(pod) {
            by_node.entry(node).or_default().push(pod);
        }
    }
    by_node
}

/// The node a pod is on, or the one the controller pinned it to before it was scheduled.
pub fn pod_node(pod: &Pod) -> Option<&str> {
    if !pod.spec.node_name.is_empty() {
        return Some(&pod.spec.node_name);
    }
    pod.spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms
        .iter()
        .flat_map(|term| &term.match_fields)
        .find(|field| field.key == "metadata.name" && field.operator == "In")
        .and_then(|field| field.values.first())
        .map(String::as_str)
}

pub(crate) fn pending_reason(pod: &Pod) -> String {
    let unscheduled = pod
        .status
        .conditions
        .iter()
        .find(|condition| condition.kind == "PodScheduled" && condition.status == "False");
    match unscheduled {
        Some(condition) if !condition.reason.is_empty() => condition.reason.clone(),
        _ => pod.display_status(),
    }
}

fn describe_taint(taint: &Taint) -> String {
    if taint.value.is_empty() {
        format!("{}:{}", taint.key, taint.effect)
    } else {
        format!("{}={}:{}", taint.key, taint.value, taint.effect)
    }
}

fn describe_requirement(requirement: &Requirement) -> String {
    match requirement.operator.as_str() {
        "Exists" | "DoesNotExist" => format!("{} {}", requirement.key, requirement.operator),
        operator => format!(
            "{} {operator} ({})",
            requirement.key,
            requirement.values.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(
        name: &str,
        labels: serde_json::Value,
        taints: serde_json::Value,
        unschedulable: bool,
    ) -> Node {
        serde_json::from_value(json!({
            "metadata": {"name": name, "labels": labels},
            "spec": {"taints": taints, "unschedulable": unschedulable},
            "status": {"conditions": [{"type": "Ready", "status": "True"}]}
        }))
        .unwrap()
    }

    fn daemonset(template_spec: serde_json::Value) -> DaemonSet {
        serde_json::from_value(
            json!({"metadata": {"name": "agent"}, "spec": {"template": {"spec": template_spec}}}),
        )
        .unwrap()
    }

    fn pod(name: &str, node: &str, phase: &str) -> Pod {
        serde_json::from_value(json!({"metadata": {"name": name}, "spec": {"nodeName": node}, "status": {"phase": phase}})).unwrap()
    }

    fn cluster() -> Vec<Node> {
        vec![
            node(
                "worker-1",
                json!({"disktype": "ssd", "role": "worker"}),
                json!([]),
                false,
            ),
            node(
                "worker-2",
                json!({"disktype": "hdd", "role": "worker"}),
                json!([]),
                true,
            ),
            node(
                "gpu-1",
                json!({"disktype": "ssd"}),
                json!([{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]),
                false,
            ),
        ]
    }

    #[test]
    fn a_tainted_node_is_excluded_by_name_of_the_taint_and_a_cordoned_one_still_runs() {
        let ds = daemonset(json!({}));
        let pods = [
            pod("a", "worker-1", "Running"),
            pod("b", "worker-2", "Running"),
        ];
        let result = placements(&ds, &cluster(), &pods);
        assert_eq!(result[0].verdict, Verdict::Running);
        assert_eq!(
            (result[1].verdict.clone(), result[1].cordoned),
            (Verdict::Running, true)
        );
        assert_eq!(
            result[2].verdict,
            Verdict::UntoleratedTaint {
                taint: "dedicated=gpu:NoSchedule".into()
            }
        );
        assert!(!result[2].verdict.should_run());
    }

    #[test]
    fn a_selector_mismatch_names_the_labels_the_node_lacks() {
        let ds = daemonset(json!({"nodeSelector": {"disktype": "ssd", "role": "worker"}}));
        let result = placements(&ds, &cluster(), &[pod("a", "worker-1", "Running")]);
        assert_eq!(result[0].verdict, Verdict::Running);
        assert_eq!(
            result[1].verdict,
            Verdict::SelectorMismatch {
                unmet: vec!["disktype=ssd".into()]
            }
        );
        assert_eq!(
            result[2].verdict,
            Verdict::SelectorMismatch {
                unmet: vec!["role=worker".into()]
            }
        );
    }

    #[test]
    fn tolerations_follow_kubernetes_matching_rules() {
        let taint = Taint {
            key: "dedicated".into(),
            value: "gpu".into(),
            effect: "NoSchedule".into(),
        };
        let toleration = |key: &str, operator: &str, value: &str, effect: &str| Toleration {
            key: key.into(),
            operator: operator.into(),
            value: value.into(),
            effect: effect.into(),
            toleration_seconds: None,
        };
        assert!(
            tolerates(&toleration("", "Exists", "", ""), &taint),
            "empty key + Exists tolerates all"
        );
        assert!(tolerates(
            &toleration("dedicated", "Exists", "", ""),
            &taint
        ));
        assert!(tolerates(
            &toleration("dedicated", "Equal", "gpu", "NoSchedule"),
            &taint
        ));
        assert!(
            tolerates(&toleration("dedicated", "", "gpu", ""), &taint),
            "Equal is the default"
        );
        assert!(!tolerates(
            &toleration("dedicated", "Equal", "cpu", ""),
            &taint
        ));
        assert!(!tolerates(
            &toleration("dedicated", "Exists", "", "NoExecute"),
            &taint
        ));
        assert!(!tolerates(&toleration("other", "Exists", "", ""), &taint));
    }

    #[test]
    fn required_node_affinity_terms_are_alternatives() {
        let ds = daemonset(
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {"matchExpressions": [{"key": "disktype", "operator": "In", "values": ["nvme"]}]},
                {"matchExpressions": [{"key": "role", "operator": "Exists"}]}
            ]}}}}),
        );
        let result = placements(&ds, &cluster(), &[]);
        assert_eq!(result[0].verdict, Verdict::Missing);
        assert_eq!(
            result[2].verdict,
            Verdict::SelectorMismatch {
                unmet: vec!["disktype In (nvme)".into()]
            }
        );
    }

    #[test]
    fn a_pod_that_is_not_running_gives_its_own_reason() {
        let ds = daemonset(json!({"tolerations": [{"operator": "Exists"}]}));
        let mut stuck = pod("c", "gpu-1", "Pending");
        stuck.status.container_statuses = serde_json::from_value(json!([
            {"name": "agent", "state": {"waiting": {"reason": "ImagePullBackOff"}}}
        ]))
        .unwrap();
        let result = placements(&ds, &cluster(), &[stuck]);
        assert_eq!(
            result[2].verdict,
            Verdict::Pending {
                reason: "ImagePullBackOff".into()
            }
        );
        assert_eq!(result[2].pod.as_deref(), Some("c"));
    }

    #[test]
    fn a_pod_on_a_node_that_no_longer_qualifies_is_misscheduled() {
        let ds = daemonset(json!({"nodeSelector": {"disktype": "ssd"}}));
        let result = placements(&ds, &cluster(), &[pod("x", "worker-2", "Running")]);
        assert_eq!(result[1].verdict, Verdict::Misscheduled);
    }

    #[test]
    fn an_unscheduled_pod_is_matched_to_the_node_the_controller_pinned_it_to() {
        let pinned: Pod = serde_json::from_value(json!({"metadata": {"name": "p"}, "spec": {"affinity": {"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["worker-1"]}]}]}}}}}))
        .unwrap();
        assert_eq!(pod_node(&pinned), Some("worker-1"));
    }
}
