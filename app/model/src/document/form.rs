//! The DaemonSet's fields the wizard shows, in the order of its steps, read from and written
//! onto the document's tree.

pub use crate::daemonset::{ALIAS_ANNOTATION, DESCRIPTION_ANNOTATION};
use std::collections::BTreeMap;

use serde_yaml::Value;

use super::container::ContainerForm;
use super::path::{Keyed, Keys, keys, pod};
use super::tree::{
    IntOrString, KeyValue, Node, get, keyword_enum, read, read_list, read_pairs, remove, write,
    write_list, write_pairs,
};
use super::volume::VolumeForm;

/// The pod template's labels, which follow the DaemonSet's; not a field of the form.
pub(crate) const POD_LABELS: Keys = &["spec", "template", "metadata", "labels"];
const SELECTOR_LABELS: &[&str] = &["spec", "selector", "matchLabels"];
const SELECTOR_EXPRESSIONS: &[&str] = &["spec", "selector", "matchExpressions"];
const STRATEGY_TYPE: &[&str] = &["type"];

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

keys!(DaemonSetForm => DaemonSetKeys {
    name: &["metadata", "name"],
    namespace: &["metadata", "namespace"],
    alias: &["metadata", "annotations", ALIAS_ANNOTATION],
    description: &["metadata", "annotations", DESCRIPTION_ANNOTATION],
    containers: pod!("containers"),
    init_containers: pod!("initContainers"),
    update_strategy: &["spec", "updateStrategy"],
    min_ready_seconds: &["spec", "minReadySeconds"],
    volumes: pod!("volumes"),
    labels: &["metadata", "labels"],
    // Where a problem with the selector shows: the labels are what it is made of.
    selector_follows_labels: &["spec", "selector"],
    node_selector: pod!("nodeSelector"),
    tolerations: pod!("tolerations"),
    host_network: pod!("hostNetwork"),
    host_pid: pod!("hostPID"),
    priority_class_name: pod!("priorityClassName"),
});

impl DaemonSetForm {
    /// Reads the form from a DaemonSet's tree.
    pub fn read(root: &Value) -> Self {
        let keys = Self::KEYS;
        Self {
            name: read(root, keys.name),
            namespace: read(root, keys.namespace),
            alias: read(root, keys.alias),
            description: read(root, keys.description),
            containers: read_list(root, keys.containers),
            init_containers: read_list(root, keys.init_containers),
            update_strategy: UpdateStrategy::read(get(root, keys.update_strategy)),
            min_ready_seconds: read(root, keys.min_ready_seconds),
            volumes: read_list(root, keys.volumes),
            labels: read_pairs(root, keys.labels),
            selector_follows_labels: selector_follows_labels(root),
            node_selector: read_pairs(root, keys.node_selector),
            tolerations: read_list(root, keys.tolerations),
            host_network: read(root, keys.host_network),
            host_pid: read(root, keys.host_pid),
            priority_class_name: read(root, keys.priority_class_name),
        }
    }

    /// Applies the form onto a DaemonSet's tree, changing only the fields whose value differs.
    pub fn write(&self, root: &mut Value) {
        let keys = Self::KEYS;
        write(root, keys.name, &self.name);
        write(root, keys.namespace, &self.namespace);
        // Decided before the labels change, from the tree as it stands.
        let follows = selector_follows_labels(root);
        write_pairs(root, keys.labels, &self.labels);
        if follows {
            write_pairs(root, SELECTOR_LABELS, &self.labels);
            write_pairs(root, POD_LABELS, &self.labels);
        }
        write(root, keys.alias, &self.alias);
        write(root, keys.description, &self.description);
        write_list(root, keys.containers, &self.containers);
        write_list(root, keys.init_containers, &self.init_containers);
        write_list(root, keys.volumes, &self.volumes);
        write_pairs(root, keys.node_selector, &self.node_selector);
        write_list(root, keys.tolerations, &self.tolerations);
        write(root, keys.host_network, &self.host_network);
        write(root, keys.host_pid, &self.host_pid);
        write(root, keys.priority_class_name, &self.priority_class_name);
        self.update_strategy.write(root, keys.update_strategy);
        write(root, keys.min_ready_seconds, &self.min_ready_seconds);
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
    let labels = map(DaemonSetForm::KEYS.labels);
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

keys!(UpdateStrategy => UpdateStrategyKeys {
    RollingUpdate: &["rollingUpdate"],
    max_unavailable: &["maxUnavailable"],
    max_surge: &["maxSurge"],
});

impl UpdateStrategy {
    /// Reads the strategy from `spec.updateStrategy`, absent reading as the default.
    fn read(strategy: Option<&Value>) -> Self {
        let Some(strategy) = strategy else {
            return Self::default();
        };
        if read::<String>(strategy, STRATEGY_TYPE) == "OnDelete" {
            return Self::OnDelete;
        }
        let bound =
            |key| read::<IntOrString>(strategy, &[Self::KEYS.RollingUpdate, key].concat()).0;
        Self::RollingUpdate {
            max_unavailable: bound(Self::KEYS.max_unavailable),
            max_surge: bound(Self::KEYS.max_surge),
        }
    }

    /// Writes the strategy at `keys` (`spec.updateStrategy`) of the DaemonSet.
    fn write(&self, root: &mut Value, keys: Keys) {
        let current = Self::read(get(root, keys));
        if current == *self {
            return;
        }
        let at = |tail: Keys| [keys, tail].concat();
        match self {
            Self::OnDelete => {
                write(root, &at(STRATEGY_TYPE), &"OnDelete".to_owned());
                // The API rejects rollingUpdate settings on an OnDelete DaemonSet.
                remove(root, &at(Self::KEYS.RollingUpdate));
            }
            Self::RollingUpdate {
                max_unavailable,
                max_surge,
            } => {
                if current == Self::OnDelete {
                    write(root, &at(STRATEGY_TYPE), &"RollingUpdate".to_owned());
                }
                let rolling = at(Self::KEYS.RollingUpdate);
                for (key, bound) in [
                    (Self::KEYS.max_unavailable, max_unavailable),
                    (Self::KEYS.max_surge, max_surge),
                ] {
                    write(
                        root,
                        &[&rolling[..], key].concat(),
                        &IntOrString(bound.clone()),
                    );
                }
            }
        }
    }
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

keys!(TolerationForm => TolerationKeys {
    key: &["key"],
    operator: &["operator"],
    value: &["value"],
    effect: &["effect"],
    toleration_seconds: &["tolerationSeconds"],
});

impl Node for TolerationForm {
    fn read(node: &Value) -> Self {
        let keys = Self::KEYS;
        Self {
            key: read(node, keys.key),
            operator: read(node, keys.operator),
            value: read(node, keys.value),
            effect: read(node, keys.effect),
            toleration_seconds: read(node, keys.toleration_seconds),
        }
    }

    fn write(&self, node: &mut Value) {
        let keys = Self::KEYS;
        write(node, keys.key, &self.key);
        write(node, keys.operator, &self.operator);
        write(node, keys.value, &self.value);
        write(node, keys.effect, &self.effect);
        write(node, keys.toleration_seconds, &self.toleration_seconds);
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
        for path in [DaemonSetForm::KEYS.labels, SELECTOR_LABELS, POD_LABELS] {
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
        assert_eq!(read_pairs(&root, DaemonSetForm::KEYS.labels), form.labels);
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
