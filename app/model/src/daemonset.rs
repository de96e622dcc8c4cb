//! A DaemonSet as the console lists it, and the one function that decides its status.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    k8s::{DaemonSet, DaemonSetStatus, Object, ObjectMeta},
    rollout::StopRecord,
};

/// The numbers the DaemonSet controller reports, plus the generations that say whether it has
/// seen the latest spec yet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetCounts {
    pub generation: i64,
    pub observed_generation: i64,
    pub desired: i32,
    pub current: i32,
    pub ready: i32,
    pub up_to_date: i32,
    pub available: i32,
    pub misscheduled: i32,
}

/// What an operator needs to know about a DaemonSet at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RolloutStatus {
    /// The controller has not caught up with the spec, or some pods run an older template.
    Updating,
    /// No node should run a pod.
    Stopped,
    /// Every desired pod is available.
    Running,
    /// Pods are desired but not all of them are available.
    Degraded,
}

impl DaemonSetCounts {
    /// The status shown everywhere (list, detail, tests). The order matters: a rollout in
    /// progress is reported as such even when nothing is desired yet.
    pub fn status(&self) -> RolloutStatus {
        if self.observed_generation < self.generation || self.up_to_date < self.desired {
            RolloutStatus::Updating
        } else if self.desired == 0 {
            RolloutStatus::Stopped
        } else if self.available == self.desired {
            RolloutStatus::Running
        } else {
            RolloutStatus::Degraded
        }
    }
}

/// One row of the DaemonSet list, as the server sends it to the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetRow {
    pub name: String,
    pub namespace: String,
    /// `kubesphere.io/alias-name`, so clusters already managed by KubeSphere read the same.
    pub alias: Option<String>,
    /// `kubesphere.io/description`.
    pub description: Option<String>,
    pub counts: DaemonSetCounts,
    pub node_selector: BTreeMap<String, String>,
    pub images: Vec<String>,
    /// RFC 3339 creation time, as the apiserver wrote it.
    pub created: Option<String>,
    /// Who stopped it and when, if the console stopped it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<StopRecord>,
}

impl DaemonSetRow {
    /// The counts' status, except that a DaemonSet the console stopped reads as stopped from
    /// the moment it is stopped, not only once its last pod is gone.
    pub fn status(&self) -> RolloutStatus {
        if self.stopped.is_some() {
            RolloutStatus::Stopped
        } else {
            self.counts.status()
        }
    }

    /// Reads what the list shows from a DaemonSet; absent fields read as zero or empty, as the
    /// controller leaves them before its first sync.
    pub fn from_object(daemonset: &DaemonSet) -> Self {
        Self::from_listed(&ListedDaemonSet::from(daemonset))
    }

    /// The same from the parts the list reads.
    pub fn from_listed(daemonset: &ListedDaemonSet) -> Self {
        let metadata = &daemonset.metadata;
        let status = &daemonset.status;
        let pod = &daemonset.spec.template.spec;
        let annotation = |key: &str| {
            metadata
                .annotations
                .get(key)
                .filter(|text| !text.is_empty())
                .cloned()
        };
        DaemonSetRow {
            name: metadata.name.clone(),
            namespace: metadata.namespace.clone(),
            alias: annotation(ALIAS_ANNOTATION),
            description: annotation(DESCRIPTION_ANNOTATION),
            counts: DaemonSetCounts {
                generation: metadata.generation,
                observed_generation: status.observed_generation,
                desired: status.desired_number_scheduled,
                current: status.current_number_scheduled,
                ready: status.number_ready,
                up_to_date: status.updated_number_scheduled,
                available: status.number_available,
                misscheduled: status.number_misscheduled,
            },
            node_selector: pod.node_selector.clone(),
            images: pod
                .containers
                .iter()
                .map(|container| container.image.clone())
                .collect(),
            created: metadata.creation_timestamp.clone(),
            stopped: StopRecord::in_annotations(&metadata.annotations),
        }
    }
}

/// A DaemonSet read only as far as the list shows it: of its pod template, the node selector
/// and the images. Reading no more keeps the code that reads a whole pod template out of the
/// list's first download; the fields read are `DaemonSet`'s own.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListedDaemonSet {
    pub metadata: ObjectMeta,
    pub spec: ListedSpec,
    pub status: DaemonSetStatus,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListedSpec {
    pub template: ListedTemplate,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListedTemplate {
    pub spec: ListedPodSpec,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ListedPodSpec {
    pub node_selector: BTreeMap<String, String>,
    pub containers: Vec<ListedContainer>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListedContainer {
    pub image: String,
}

impl From<&DaemonSet> for ListedDaemonSet {
    fn from(daemonset: &DaemonSet) -> Self {
        let pod = &daemonset.spec.template.spec;
        let containers = pod.containers.iter();
        ListedDaemonSet {
            metadata: daemonset.metadata.clone(),
            spec: ListedSpec {
                template: ListedTemplate {
                    spec: ListedPodSpec {
                        node_selector: pod.node_selector.clone(),
                        containers: containers
                            .map(|container| ListedContainer {
                                image: container.image.clone(),
                            })
                            .collect(),
                    },
                },
            },
            status: daemonset.status.clone(),
        }
    }
}

impl Object for ListedDaemonSet {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}

/// Annotation KubeSphere uses for a display name; using it keeps both consoles in agreement.
pub const ALIAS_ANNOTATION: &str = "kubesphere.io/alias-name";
/// Annotation KubeSphere uses for a description.
pub const DESCRIPTION_ANNOTATION: &str = "kubesphere.io/description";
/// The template annotation `kubectl rollout restart` sets; changing it rolls every pod.
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn counts(desired: i32, up_to_date: i32, available: i32) -> DaemonSetCounts {
        DaemonSetCounts {
            generation: 1,
            observed_generation: 1,
            desired,
            current: desired,
            ready: available,
            up_to_date,
            available,
            misscheduled: 0,
        }
    }

    #[test]
    fn every_pod_available_is_running() {
        assert_eq!(counts(3, 3, 3).status(), RolloutStatus::Running);
    }

    #[test]
    fn nothing_desired_is_stopped() {
        assert_eq!(counts(0, 0, 0).status(), RolloutStatus::Stopped);
    }

    #[test]
    fn pods_on_an_old_template_are_updating() {
        assert_eq!(counts(3, 1, 3).status(), RolloutStatus::Updating);
    }

    #[test]
    fn an_unobserved_spec_change_is_updating_even_when_all_pods_are_available() {
        let mut c = counts(3, 3, 3);
        c.generation = 2;
        assert_eq!(c.status(), RolloutStatus::Updating);
    }

    #[test]
    fn missing_available_pods_are_degraded() {
        assert_eq!(counts(3, 3, 2).status(), RolloutStatus::Degraded);
    }

    #[test]
    fn rows_travel_as_camel_case_json() {
        let row = DaemonSetRow {
            name: "fluent-bit".into(),
            namespace: "logging".into(),
            alias: None,
            description: None,
            counts: counts(2, 2, 2),
            node_selector: BTreeMap::new(),
            images: vec!["fluent/fluent-bit:3.1".into()],
            created: None,
            stopped: None,
        };
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(json["counts"]["upToDate"], 2);
        assert_eq!(serde_json::from_value::<DaemonSetRow>(json).unwrap(), row);
    }

    #[test]
    fn a_row_reads_counts_alias_selector_and_images_from_the_apiservers_json() {
        let json = serde_json::json!({
            "metadata": {"name": "fluent-bit", "namespace": "logging", "generation": 2,
                "creationTimestamp": "2026-11-28T00:00:00Z",
                "annotations": {"kubesphere.io/alias-name": "Fluent Bit"}, "unknownField": 1},
            "spec": {"template": {"spec": {"nodeSelector": {"disktype": "ssd"},
                "containers": [{"name": "a", "image": "fluent/fluent-bit:3.1"}]}}},
            "status": {"observedGeneration": 2, "desiredNumberScheduled": 5, "currentNumberScheduled": 5,
                "numberReady": 4, "updatedNumberScheduled": 1, "numberAvailable": 4, "numberMisscheduled": 0}
        });
        let row = DaemonSetRow::from_object(&serde_json::from_value(json).unwrap());
        assert_eq!(row.alias.as_deref(), Some("Fluent Bit"));
        assert_eq!(
            (row.counts.desired, row.counts.ready, row.counts.up_to_date),
            (5, 4, 1)
        );
        assert_eq!(row.status(), RolloutStatus::Updating);
        assert_eq!(row.images, ["fluent/fluent-bit:3.1"]);
        assert_eq!(row.node_selector["disktype"], "ssd");
    }

    #[test]
    fn the_list_reads_the_same_row_from_the_parts_it_reads_as_from_the_whole_daemonset() {
        let json = serde_json::json!({
            "metadata": {"name": "agent", "namespace": "p", "generation": 3,
                "creationTimestamp": "2026-11-28T00:00:00Z",
                "annotations": {"kubesphere.io/description": "ships logs",
                    crate::rollout::STOP_ANNOTATION: r#"{"by":"admin","at":"2026-12-01T21:00:00Z","nodeSelector":{"a":"b"}}"#}},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {
                    "nodeSelector": {"daemonset-console.io/stopped": "true"},
                    "tolerations": [{"operator": "Exists"}],
                    "containers": [{"name": "a", "image": "agent:1", "ports": [{"containerPort": 80}]},
                        {"name": "b", "image": "sidecar:2"}]}}},
            "status": {"observedGeneration": 3, "desiredNumberScheduled": 2, "numberReady": 1}
        });
        let whole = DaemonSetRow::from_object(&serde_json::from_value(json.clone()).unwrap());
        let listed = DaemonSetRow::from_listed(&serde_json::from_value(json).unwrap());
        assert_eq!(listed, whole);
        assert_eq!(listed.images, ["agent:1", "sidecar:2"]);
    }

    #[test]
    fn a_daemonset_the_controller_has_not_seen_reads_as_updating_with_zero_counts() {
        let json =
            serde_json::json!({"metadata": {"name": "new", "namespace": "p", "generation": 1}});
        let row = DaemonSetRow::from_object(&serde_json::from_value(json).unwrap());
        assert_eq!(row.counts.desired, 0);
        assert_eq!(row.status(), RolloutStatus::Updating);
    }

    #[test]
    fn a_daemonset_the_console_stopped_reads_as_stopped_while_its_pods_are_still_going() {
        let json = serde_json::json!({
            "metadata": {"name": "agent", "generation": 2, "annotations": {
                crate::rollout::STOP_ANNOTATION: r#"{"by":"admin","at":"2026-12-01T21:00:00Z","nodeSelector":{}}"#}},
            "status": {"observedGeneration": 1, "desiredNumberScheduled": 3, "numberAvailable": 3}
        });
        let row = DaemonSetRow::from_object(&serde_json::from_value(json).unwrap());
        assert_eq!(row.status(), RolloutStatus::Stopped);
        assert_eq!(row.stopped.unwrap().by, "admin");
    }

    proptest! {
        #[test]
        fn running_means_fully_rolled_out_and_available(
            generation in 0i64..5, lag in 0i64..2, desired in 0i32..50,
            up_to_date in 0i32..50, available in 0i32..50,
        ) {
            let c = DaemonSetCounts {
                generation, observed_generation: generation - lag, desired, up_to_date,
                available, ..DaemonSetCounts::default()
            };
            let status = c.status();
            prop_assert_eq!(
                status == RolloutStatus::Running,
                lag == 0 && desired > 0 && up_to_date >= desired && available == desired
            );
            prop_assert_eq!(status == RolloutStatus::Stopped, lag == 0 && desired == 0);
        }
    }
}
