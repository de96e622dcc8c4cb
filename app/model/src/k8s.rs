//! The parts of Kubernetes objects the pages read, as plain serde types. Unknown fields are
//! ignored and missing ones default, so the same types read a full object from the apiserver,
//! a watch event, or a hand-written fixture. (Editing goes through `document`, which keeps
//! every field; these types are for reading only.)

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `metadata` of any object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub resource_version: String,
    pub generation: i64,
    pub creation_timestamp: Option<String>,
    pub deletion_timestamp: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub owner_references: Vec<OwnerReference>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OwnerReference {
    pub kind: String,
    pub name: String,
    pub uid: String,
    pub controller: Option<bool>,
}

/// A list answer: the items and the version to watch from.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct List<T> {
    #[serde(default)]
    pub metadata: ListMeta,
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ListMeta {
    pub resource_version: String,
    #[serde(rename = "continue")]
    pub continue_token: Option<String>,
}

/// One line of a watch stream, read as far as its kind, the resourceVersion it brings the
/// watcher to and, for `ERROR` (a `Status`), its HTTP code. The object itself is read by
/// `WatchedObject` once the kind says there is one: reading every type straight from the
/// line's bytes, never through a `serde_json::Value`, keeps one copy of each type's
/// deserializer in the app.
#[derive(Clone, Debug, Deserialize)]
pub struct WatchEvent {
    #[serde(rename = "type")]
    pub kind: WatchEventKind,
    #[serde(default)]
    object: WatchEventObject,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct WatchEventObject {
    metadata: WatchEventMeta,
    code: Option<u64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct WatchEventMeta {
    resource_version: Option<String>,
}

impl WatchEvent {
    /// The resourceVersion the event brings the watcher to.
    pub fn resource_version(&self) -> Option<&str> {
        self.object.metadata.resource_version.as_deref()
    }

    /// The HTTP code of an `ERROR` event (410 when the version is too old to watch from).
    pub fn error_code(&self) -> Option<u64> {
        (self.kind == WatchEventKind::Error)
            .then_some(self.object.code)
            .flatten()
    }
}

/// The object of an `ADDED`, `MODIFIED` or `DELETED` watch line, read as `K`.
#[derive(Clone, Debug, Deserialize)]
pub struct WatchedObject<K> {
    pub object: K,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum WatchEventKind {
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DaemonSet {
    pub metadata: ObjectMeta,
    pub spec: DaemonSetSpec,
    pub status: DaemonSetStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DaemonSetSpec {
    pub selector: LabelSelector,
    pub template: PodTemplate,
    pub update_strategy: UpdateStrategy,
    pub min_ready_seconds: i32,
    pub revision_history_limit: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UpdateStrategy {
    #[serde(rename = "type")]
    pub kind: String,
    pub rolling_update: Option<RollingUpdate>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RollingUpdate {
    pub max_unavailable: Option<serde_json::Value>,
    pub max_surge: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DaemonSetStatus {
    pub observed_generation: i64,
    pub desired_number_scheduled: i32,
    pub current_number_scheduled: i32,
    pub number_ready: i32,
    pub updated_number_scheduled: i32,
    pub number_available: i32,
    pub number_misscheduled: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    pub match_expressions: Vec<Requirement>,
}

impl LabelSelector {
    /// The selector in the apiserver's `labelSelector` syntax, expressions included
    /// (`app=agent,tier in (a,b),!canary`): what a list of the selected objects asks for.
    pub fn to_query(&self) -> String {
        let labels = self
            .match_labels
            .iter()
            .map(|(key, value)| format!("{key}={value}"));
        let expressions = self.match_expressions.iter().map(|requirement| {
            let values = requirement.values.join(",");
            match requirement.operator.as_str() {
                "In" => format!("{} in ({values})", requirement.key),
                "NotIn" => format!("{} notin ({values})", requirement.key),
                "DoesNotExist" => format!("!{}", requirement.key),
                // `Exists`, and anything newer, asks at least for the key.
                _ => requirement.key.clone(),
            }
        });
        labels.chain(expressions).collect::<Vec<_>>().join(",")
    }
}

/// `key operator values`, as in label selectors and node selector terms.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Requirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodTemplate {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodSpec {
    pub node_name: String,
    pub node_selector: BTreeMap<String, String>,
    pub affinity: Option<Affinity>,
    pub tolerations: Vec<Toleration>,
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub host_network: bool,
    #[serde(rename = "hostPID")]
    pub host_pid: bool,
    pub priority_class_name: String,
    /// Shown as written: each has a name and one source.
    pub volumes: Vec<serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Affinity {
    pub node_affinity: Option<NodeAffinity>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeAffinity {
    pub required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeSelector {
    pub node_selector_terms: Vec<NodeSelectorTerm>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeSelectorTerm {
    pub match_expressions: Vec<Requirement>,
    /// Only `metadata.name` exists; the DaemonSet controller pins each pod to its node with it.
    pub match_fields: Vec<Requirement>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Toleration {
    pub key: String,
    pub operator: String,
    pub value: String,
    pub effect: String,
    pub toleration_seconds: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: String,
    pub image_pull_policy: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub ports: Vec<ContainerPort>,
    pub env: Vec<EnvVar>,
    pub volume_mounts: Vec<VolumeMount>,
    /// Shown as written: requests and limits per resource name.
    pub resources: serde_json::Value,
    pub liveness_probe: Option<serde_json::Value>,
    pub readiness_probe: Option<serde_json::Value>,
    pub startup_probe: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerPort {
    pub name: String,
    pub container_port: i32,
    pub protocol: String,
    pub host_port: Option<i32>,
    #[serde(rename = "hostIP")]
    pub host_ip: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
    pub read_only: bool,
    pub sub_path: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnvVar {
    pub name: String,
    pub value: Option<String>,
    pub value_from: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Pod {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
    pub status: PodStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodStatus {
    pub phase: String,
    #[serde(rename = "podIP")]
    pub pod_ip: String,
    #[serde(rename = "hostIP")]
    pub host_ip: String,
    pub qos_class: String,
    pub init_container_statuses: Vec<ContainerStatus>,
    pub conditions: Vec<Condition>,
    pub container_statuses: Vec<ContainerStatus>,
    pub start_time: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Condition {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub reason: String,
    pub message: String,
    pub last_transition_time: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerStatus {
    pub name: String,
    pub image: String,
    pub ready: bool,
    pub restart_count: i32,
    pub state: Option<serde_json::Value>,
    pub last_state: Option<serde_json::Value>,
}

impl ContainerStatus {
    /// `running`, `waiting (ImagePullBackOff)`, `terminated (Completed, exit 0)`.
    pub fn describe_state(&self) -> String {
        let Some(state) = self.state.as_ref().and_then(|state| state.as_object()) else {
            return String::new();
        };
        let Some((kind, detail)) = state.iter().next() else {
            return String::new();
        };
        let reason = detail.get("reason").and_then(|r| r.as_str());
        let exit = detail.get("exitCode").and_then(|code| code.as_i64());
        match (reason, exit) {
            (Some(reason), Some(code)) => format!("{kind} ({reason}, exit {code})"),
            (Some(reason), None) => format!("{kind} ({reason})"),
            (None, Some(code)) => format!("{kind} (exit {code})"),
            (None, None) => kind.clone(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Node {
    pub metadata: ObjectMeta,
    pub spec: NodeSpec,
    pub status: NodeStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeSpec {
    pub unschedulable: bool,
    pub taints: Vec<Taint>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeStatus {
    pub conditions: Vec<Condition>,
}

impl Node {
    pub fn is_ready(&self) -> bool {
        self.status
            .conditions
            .iter()
            .any(|c| c.kind == "Ready" && c.status == "True")
    }
}

impl Pod {
    /// Whether the object with `uid` owns the pod: a DaemonSet's selector may also match pods
    /// that another controller owns, so "the pods of a DaemonSet" need both.
    pub fn is_owned_by(&self, uid: &str) -> bool {
        self.metadata
            .owner_references
            .iter()
            .any(|owner| owner.uid == uid)
    }

    /// The DaemonSet (or other controller) that owns the pod.
    pub fn controller(&self) -> Option<&OwnerReference> {
        self.metadata
            .owner_references
            .iter()
            .find(|owner| owner.controller == Some(true))
    }

    pub fn container_status(&self, name: &str) -> Option<&ContainerStatus> {
        self.status
            .container_statuses
            .iter()
            .chain(&self.status.init_container_statuses)
            .find(|s| s.name == name)
    }

    /// Restarts summed over containers, as `kubectl get pods` shows them.
    pub fn restarts(&self) -> i32 {
        self.status
            .container_statuses
            .iter()
            .map(|s| s.restart_count)
            .sum()
    }

    /// A one-word state: the waiting reason of a container if any (ImagePullBackOff,
    /// CrashLoopBackOff), else the phase, as kubectl reports it.
    pub fn display_status(&self) -> String {
        if self.metadata.deletion_timestamp.is_some() {
            return "Terminating".to_owned();
        }
        self.status
            .container_statuses
            .iter()
            .find_map(|status| {
                status
                    .state
                    .as_ref()?
                    .get("waiting")?
                    .get("reason")?
                    .as_str()
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| self.status.phase.clone())
    }
}

/// Any object with `metadata`, so lists can key and version them alike.
pub trait Object {
    fn meta(&self) -> &ObjectMeta;

    /// `namespace/name`, unique within a list of one kind.
    fn key(&self) -> String {
        format!("{}/{}", self.meta().namespace, self.meta().name)
    }
}

impl Object for DaemonSet {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}

impl Object for Pod {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}

impl Object for Node {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Event {
    pub metadata: ObjectMeta,
    #[serde(rename = "type")]
    pub kind: String,
    pub reason: String,
    pub message: String,
    pub count: Option<i32>,
    pub first_timestamp: Option<String>,
    pub last_timestamp: Option<String>,
    pub event_time: Option<String>,
    pub source: EventSource,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EventSource {
    pub component: String,
    pub host: String,
}

impl Event {
    /// When it last happened, whichever field the reporter filled.
    pub fn last_seen(&self) -> Option<&str> {
        self.last_timestamp
            .as_deref()
            .or(self.event_time.as_deref())
            .or(self.first_timestamp.as_deref())
            .or(self.metadata.creation_timestamp.as_deref())
    }
}

impl Object for Event {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}

/// A saved pod template of a DaemonSet; the controller keeps one per template it has run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ControllerRevision {
    pub metadata: ObjectMeta,
    pub revision: i64,
    /// The patch that restores this template: `{"spec": {"template": ...}}`.
    pub data: serde_json::Value,
}

impl ControllerRevision {
    /// The images of the saved template's containers.
    pub fn images(&self) -> Vec<String> {
        self.data["spec"]["template"]["spec"]["containers"]
            .as_array()
            .map(|containers| {
                containers
                    .iter()
                    .filter_map(|c| c["image"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Object for ControllerRevision {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selector_asks_for_its_labels_and_its_expressions() {
        let selector: LabelSelector = serde_json::from_value(serde_json::json!({
            "matchLabels": {"app": "agent"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["a", "b"]},
                {"key": "track", "operator": "NotIn", "values": ["canary"]},
                {"key": "zone", "operator": "Exists"},
                {"key": "legacy", "operator": "DoesNotExist"},
            ]
        }))
        .unwrap();
        assert_eq!(
            selector.to_query(),
            "app=agent,tier in (a,b),track notin (canary),zone,!legacy"
        );
        assert_eq!(LabelSelector::default().to_query(), "");
    }

    #[test]
    fn a_pod_is_the_daemonsets_only_when_it_owns_it() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "p", "ownerReferences": [{"kind": "DaemonSet", "name": "a", "uid": "u-1", "controller": true}]}
        }))
        .unwrap();
        assert!(pod.is_owned_by("u-1"));
        assert!(!pod.is_owned_by("u-2"));
    }
}
