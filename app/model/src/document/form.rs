//! The DaemonSet's fields the wizard shows, in the order of its steps, read from and written
//! onto the document's tree.

pub use crate::daemonset::{ALIAS_ANNOTATION, DESCRIPTION_ANNOTATION};
use std::collections::BTreeMap;

use serde_yaml::Value;

use super::container::ContainerForm;
use super::tree::{
    IntOrString, KeyValue, Node, get, keyword_enum, read, read_list, read_pairs, remove, write,
    write_list, write_pairs,
};
use super::volume::VolumeForm;

const LABELS: &[&str] = &["metadata", "labels"];
const POD_LABELS: &[&str] = &["spec", "template", "metadata", "labels"];
const SELECTOR_LABELS: &[&str] = &["spec", "selector", "matchLabels"];
const SELECTOR_EXPRESSIONS: &[&str] = &["spec", "selector", "matchExpressions"];
const CONTAINERS: &[&str] = &["spec", "template", "spec", "containers"];
const INIT_CONTAINERS: &[&str] = &["spec", "template", "spec", "initContainers"];
const VOLUMES: &[&str] = &["spec", "template", "spec", "volumes"];
const NODE_SELECTOR: &[&str] = &["spec", "template", "spec", "nodeSelector"];
const TOLERATIONS: &[&str] = &["spec", "template", "spec", "tolerations"];
const STRATEGY_TYPE: &[&str] = &["spec", "updateStrategy", "type"];
const ROLLING_UPDATE: &[&str] = &["spec", "updateStrategy", "rollingUpdate"];

/// Everything the wizard edits on the DaemonSet. Fields it does not show stay in the tree.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DaemonSetForm {
    // Basic information.
    pub name: String,
    /// The project.
    pub namespace: String,
    /// [`ALIAS_ANNOTATION`].
    pub alias: String,
    /// [`DESCRIPTION_ANNOTATION`].
    pub description: String,

    // Pod settings.
    pub containers: Vec<ContainerForm>,
    pub init_containers: Vec<ContainerForm>,
    pub update_strategy: UpdateStrategy,
    pub min_ready_seconds: Option<i64>,

    // Storage.
    pub volumes: Vec<VolumeForm>,

    // Labels.
    /// The DaemonSet's labels; the pod template's labels and the selector follow them while
    /// [`Self::selector_follows_labels`] holds.
    pub labels: Vec<KeyValue>,
    /// Read-only, ignored when writing: whether the DaemonSet's labels, the pod template's
    /// labels and `spec.selector.matchLabels` are the same map and the selector has no
    /// `matchExpressions`. Then a label edit is written to all three; otherwise only to the
    /// DaemonSet's labels, and the wizard should say that the selector is edited in YAML.
    pub selector_follows_labels: bool,

    // Node selection.
    pub node_selector: Vec<KeyValue>,
    pub tolerations: Vec<TolerationForm>,
    pub host_network: bool,
    pub host_pid: bool,
    pub priority_class_name: String,
}

impl DaemonSetForm {
    /// Reads the form from a DaemonSet's tree.
    pub fn read(root: &Value) -> Self {
        Self {
            name: read(root, &["metadata", "name"]),
            namespace: read(root, &["metadata", "namespace"]),
            alias: read(root, &["metadata", "annotations", ALIAS_ANNOTATION]),
            description: read(root, &["metadata", "annotations", DESCRIPTION_ANNOTATION]),
            containers: read_list(root, CONTAINERS),
            init_containers: read_list(root, INIT_CONTAINERS),
            update_strategy: UpdateStrategy::read(root),
            min_ready_seconds: read(root, &["spec", "minReadySeconds"]),
            volumes: read_list(root, VOLUMES),
            labels: read_pairs(root, LABELS),
            selector_follows_labels: selector_follows_labels(root),
            node_selector: read_pairs(root, NODE_SELECTOR),
            tolerations: read_list(root, TOLERATIONS),
            host_network: read(root, &["spec", "template", "spec", "hostNetwork"]),
            host_pid: read(root, &["spec", "template", "spec", "hostPID"]),
            priority_class_name: read(root, &["spec", "template", "spec", "priorityClassName"]),
        }
    }

    /// Applies the form onto a DaemonSet's tree, changing only the fields whose value differs.
    pub fn write(&self, root: &mut Value) {
        write(root, &["metadata", "name"], &self.name);
        write(root, &["metadata", "namespace"], &self.namespace);
        // Decided before the labels change, from the tree as it stands.
        let follows = selector_follows_labels(root);
        write_pairs(root, LABELS, &self.labels);
        if follows {
            write_pairs(root, SELECTOR_LABELS, &self.labels);
            write_pairs(root, POD_LABELS, &self.labels);
        }
        write(
            root,
            &["metadata", "annotations", ALIAS_ANNOTATION],
            &self.alias,
        );
        write(
            root,
            &["metadata", "annotations", DESCRIPTION_ANNOTATION],
            &self.description,
        );
        write_list(root, CONTAINERS, &self.containers);
        write_list(root, INIT_CONTAINERS, &self.init_containers);
        write_list(root, VOLUMES, &self.volumes);
        write_pairs(root, NODE_SELECTOR, &self.node_selector);
        write_list(root, TOLERATIONS, &self.tolerations);
        write(
            root,
            &["spec", "template", "spec", "hostNetwork"],
            &self.host_network,
        );
        write(
            root,
            &["spec", "template", "spec", "hostPID"],
            &self.host_pid,
        );
        write(
            root,
            &["spec", "template", "spec", "priorityClassName"],
            &self.priority_class_name,
        );
        self.update_strategy.write(root);
        write(root, &["spec", "minReadySeconds"], &self.min_ready_seconds);
    }
}

/// The rule behind [`DaemonSetForm::selector_follows_labels`]. Missing maps count as empty, so
/// a fresh DaemonSet follows; order does not matter.
fn selector_follows_labels(root: &Value) -> bool {
    let map = |path| -> BTreeMap<String, String> {
        read_pairs(root, path)
            .into_iter()
            .map(|pair| (pair.key, pair.value))
            .collect()
    };
    let no_expressions = match get(root, SELECTOR_EXPRESSIONS) {
        None => true,
        Some(expressions) => expressions.as_sequence().is_some_and(Vec::is_empty),
    };
    let labels = map(LABELS);
    no_expressions && labels == map(POD_LABELS) && labels == map(SELECTOR_LABELS)
}

/// How a changed pod template reaches the nodes.
#[derive(Clone, Debug, PartialEq)]
pub enum UpdateStrategy {
    /// Replace pods node by node. Both bounds are an integer or a percentage (`1`, `10%`);
    /// empty leaves Kubernetes' default (`maxUnavailable` 1, `maxSurge` 0).
    RollingUpdate {
        max_unavailable: String,
        max_surge: String,
    },
    /// Replace a pod only when someone deletes it.
    OnDelete,
}

impl Default for UpdateStrategy {
    fn default() -> Self {
        Self::RollingUpdate {
            max_unavailable: String::new(),
            max_surge: String::new(),
        }
    }
}

impl UpdateStrategy {
    fn read(root: &Value) -> Self {
        if read::<String>(root, STRATEGY_TYPE) == "OnDelete" {
            return Self::OnDelete;
        }
        let bound = |key| read::<IntOrString>(root, &rolling_update(key)).0;
        Self::RollingUpdate {
            max_unavailable: bound("maxUnavailable"),
            max_surge: bound("maxSurge"),
        }
    }

    fn write(&self, root: &mut Value) {
        let current = Self::read(root);
        if current == *self {
            return;
        }
        match self {
            Self::OnDelete => {
                write(root, STRATEGY_TYPE, &"OnDelete".to_owned());
                // The API rejects rollingUpdate settings on an OnDelete DaemonSet.
                remove(root, ROLLING_UPDATE);
            }
            Self::RollingUpdate {
                max_unavailable,
                max_surge,
            } => {
                if current == Self::OnDelete {
                    write(root, STRATEGY_TYPE, &"RollingUpdate".to_owned());
                }
                for (key, bound) in [("maxUnavailable", max_unavailable), ("maxSurge", max_surge)] {
                    write(root, &rolling_update(key), &IntOrString(bound.clone()));
                }
            }
        }
    }
}

fn rolling_update(key: &str) -> [&str; 4] {
    ["spec", "updateStrategy", "rollingUpdate", key]
}

keyword_enum! {
    /// How a toleration matches a taint's value; an absent operator means `Equal`.
    pub enum TolerationOperator {
        #[default]
        Equal = "Equal",
        Exists = "Exists",
    }
}

keyword_enum! {
    /// The taint effect a toleration tolerates; `None` in the form tolerates every effect.
    pub enum TaintEffect {
        #[default]
        NoSchedule = "NoSchedule",
        PreferNoSchedule = "PreferNoSchedule",
        NoExecute = "NoExecute",
    }
}

/// One toleration: which taints the DaemonSet's pods accept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TolerationForm {
    /// Empty with operator `Exists` tolerates every taint.
    pub key: String,
    pub operator: TolerationOperator,
    pub value: String,
    pub effect: Option<TaintEffect>,
    /// How long a `NoExecute` taint is tolerated before eviction; `None` is forever.
    pub toleration_seconds: Option<i64>,
}

impl Node for TolerationForm {
    fn read(node: &Value) -> Self {
        Self {
            key: read(node, &["key"]),
            operator: read(node, &["operator"]),
            value: read(node, &["value"]),
            effect: read(node, &["effect"]),
            toleration_seconds: read(node, &["tolerationSeconds"]),
        }
    }

    fn write(&self, node: &mut Value) {
        write(node, &["key"], &self.key);
        write(node, &["operator"], &self.operator);
        write(node, &["value"], &self.value);
        write(node, &["effect"], &self.effect);
        write(node, &["tolerationSeconds"], &self.toleration_seconds);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    fn labels(pairs: &[(&str, &str)]) -> Vec<KeyValue> {
        pairs.iter().map(|(k, v)| KeyValue::new(*k, *v)).collect()
    }

    #[test]
    fn labels_in_sync_carry_the_selector_and_pod_labels_along() {
        let mut root = yaml(
            "metadata: {labels: {app: a}}
spec:
  selector: {matchLabels: {app: a}}
  template: {metadata: {labels: {app: a}}}
",
        );
        let mut form = DaemonSetForm::read(&root);
        assert!(form.selector_follows_labels);
        form.labels = labels(&[("app", "b"), ("tier", "node")]);
        form.write(&mut root);
        for path in [LABELS, SELECTOR_LABELS, POD_LABELS] {
            assert_eq!(read_pairs(&root, path), form.labels, "{path:?}");
        }
    }

    #[test]
    fn a_diverged_selector_is_left_alone() {
        let mut root = yaml(
            "metadata: {labels: {app: a, team: x}}
spec:
  selector: {matchLabels: {app: a}}
  template: {metadata: {labels: {app: a}}}
",
        );
        let mut form = DaemonSetForm::read(&root);
        assert!(!form.selector_follows_labels);
        form.labels = labels(&[("app", "b")]);
        form.write(&mut root);
        assert_eq!(read_pairs(&root, LABELS), form.labels);
        assert_eq!(read_pairs(&root, SELECTOR_LABELS), labels(&[("app", "a")]));
        assert_eq!(read_pairs(&root, POD_LABELS), labels(&[("app", "a")]));
    }

    #[test]
    fn a_selector_with_expressions_does_not_follow() {
        let root = yaml(
            "spec:
  selector:
    matchExpressions: [{key: app, operator: Exists}]
",
        );
        assert!(!DaemonSetForm::read(&root).selector_follows_labels);
    }

    #[test]
    fn a_daemon_set_without_any_labels_follows() {
        assert!(DaemonSetForm::read(&yaml("kind: DaemonSet\n")).selector_follows_labels);
    }

    #[test]
    fn alias_and_description_keep_other_annotations() {
        let mut root =
            yaml("metadata: {annotations: {owner: ops, kubesphere.io/alias-name: old}}\n");
        let mut form = DaemonSetForm::read(&root);
        assert_eq!(form.alias, "old");
        form.alias = "Log agent".into();
        form.description = "Ships node logs".into();
        form.write(&mut root);
        assert_eq!(
            root,
            yaml(
                "metadata:
  annotations:
    owner: ops
    kubesphere.io/alias-name: Log agent
    kubesphere.io/description: Ships node logs
"
            )
        );
    }

    #[test]
    fn on_delete_drops_the_rolling_update_settings() {
        let mut root = yaml(
            "spec: {updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}}\n",
        );
        let mut form = DaemonSetForm::read(&root);
        form.update_strategy = UpdateStrategy::OnDelete;
        form.write(&mut root);
        assert_eq!(root, yaml("spec: {updateStrategy: {type: OnDelete}}\n"));
    }

    #[test]
    fn leaving_on_delete_names_rolling_update() {
        let mut root = yaml("spec: {updateStrategy: {type: OnDelete}}\n");
        let mut form = DaemonSetForm::read(&root);
        form.update_strategy = UpdateStrategy::RollingUpdate {
            max_unavailable: "10%".into(),
            max_surge: String::new(),
        };
        form.write(&mut root);
        assert_eq!(
            root,
            yaml(
                "spec:
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%}}
"
            )
        );
    }

    #[test]
    fn an_absent_strategy_reads_as_rolling_update_with_defaults() {
        assert_eq!(
            DaemonSetForm::read(&yaml("spec: {}\n")).update_strategy,
            UpdateStrategy::default()
        );
    }

    #[test]
    fn tolerations_default_to_equal_and_all_effects() {
        let root = yaml(
            "spec: {template: {spec: {tolerations: [{operator: Exists}, {key: k, value: v}]}}}\n",
        );
        let tolerations = DaemonSetForm::read(&root).tolerations;
        assert_eq!(tolerations[0].operator, TolerationOperator::Exists);
        assert_eq!(tolerations[1].operator, TolerationOperator::Equal);
        assert_eq!(tolerations[1].effect, None);
    }
}
