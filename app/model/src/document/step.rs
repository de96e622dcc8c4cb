//! Which wizard step shows a field, so a problem found by validation or by the apiserver marks
//! the step the user must go back to.

use super::Subject;

/// The wizard's steps, in the order of the seed guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// Name, project, alias, description.
    Basic,
    /// Containers, init containers, update strategy.
    Pod,
    /// Volumes, new claims, mounts.
    Storage,
    /// Labels and the selector that follows them.
    Labels,
    /// Node selector, tolerations, host network and PID, priority class.
    Nodes,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Basic,
        Step::Pod,
        Step::Storage,
        Step::Labels,
        Step::Nodes,
    ];

    /// The step that shows the field at `path` (Kubernetes' spelling, as in
    /// [`super::Issue::path`] and in the apiserver's `details.causes[].field`). A field no
    /// step shows belongs to pod settings, where the pod template is edited.
    pub fn of(subject: Subject, path: &str) -> Step {
        if matches!(subject, Subject::Claim(_)) {
            return Step::Storage;
        }
        let pod = path.strip_prefix("spec.template.spec.");
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        };
        if under("metadata.labels")
            || under("spec.selector")
            || under("spec.template.metadata.labels")
        {
            Step::Labels
        } else if under("metadata") || path.is_empty() {
            Step::Basic
        } else if path.contains(".volumeMounts") || under("spec.template.spec.volumes") {
            Step::Storage
        } else if pod.is_some_and(|field| {
            [
                "nodeSelector",
                "tolerations",
                "hostNetwork",
                "hostPID",
                "priorityClassName",
                "affinity",
            ]
            .iter()
            .any(|name| field.starts_with(name))
        }) {
            Step::Nodes
        } else {
            Step::Pod
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_belongs_to_the_step_that_shows_it() {
        let daemon_set = |path| Step::of(Subject::DaemonSet, path);
        assert_eq!(daemon_set("metadata.name"), Step::Basic);
        assert_eq!(daemon_set("metadata.annotations"), Step::Basic);
        assert_eq!(daemon_set("metadata.labels[0].key"), Step::Labels);
        assert_eq!(daemon_set("spec.selector"), Step::Labels);
        assert_eq!(daemon_set("spec.template.metadata.labels"), Step::Labels);
        assert_eq!(
            daemon_set("spec.template.spec.containers[0].image"),
            Step::Pod
        );
        assert_eq!(
            daemon_set("spec.template.spec.initContainers[1].resources.limits.cpu"),
            Step::Pod
        );
        assert_eq!(
            daemon_set("spec.updateStrategy.rollingUpdate.maxSurge"),
            Step::Pod
        );
        assert_eq!(
            daemon_set("spec.template.spec.containers[0].volumeMounts[2].name"),
            Step::Storage
        );
        assert_eq!(
            daemon_set("spec.template.spec.volumes[0].hostPath.path"),
            Step::Storage
        );
        assert_eq!(
            daemon_set("spec.template.spec.nodeSelector[0].key"),
            Step::Nodes
        );
        assert_eq!(
            daemon_set("spec.template.spec.tolerations[0].operator"),
            Step::Nodes
        );
        assert_eq!(
            daemon_set("spec.template.spec.priorityClassName"),
            Step::Nodes
        );
        assert_eq!(Step::of(Subject::Claim(0), "metadata.name"), Step::Storage);
    }

    #[test]
    fn a_prefix_only_counts_at_a_field_boundary() {
        assert_eq!(
            Step::of(Subject::DaemonSet, "metadata.labelsExtra"),
            Step::Basic
        );
        assert_eq!(
            Step::of(Subject::DaemonSet, "spec.template.spec.serviceAccountName"),
            Step::Pod
        );
    }
}
