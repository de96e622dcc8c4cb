//! Which wizard step shows a field, so a problem found by validation or by the apiserver marks
//! the step the user must go back to.

use super::Subject;
use super::container::ContainerForm;
use super::form::{DaemonSetForm, POD_LABELS};
use super::path::{FieldPath, Keyed, Segment, pod, strip_keys};

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

    /// The step that shows the field at `path` (a form field's, or one the apiserver named
    /// in `details.causes[].field`). A field no step shows belongs to pod settings, where the
    /// pod template is edited.
    pub fn of(path: &FieldPath) -> Step {
        if matches!(path.subject(), Subject::Claim(_)) {
            return Step::Storage;
        }
        let keys = DaemonSetForm::KEYS;
        let under = |fields: &[&[&str]]| fields.iter().any(|keys| path.below(keys).is_some());
        if under(&[keys.labels, keys.selector_follows_labels, POD_LABELS]) {
            Step::Labels
        } else if under(&[&["metadata"]]) || path.segments().is_empty() {
            // The name, project and annotations, and the object as a whole.
            Step::Basic
        } else if under(&[keys.volumes]) || is_mount(path) {
            Step::Storage
        } else if under(&[
            keys.node_selector,
            keys.tolerations,
            keys.host_network,
            keys.host_pid,
            keys.priority_class_name,
            // Not in the form, but it decides the nodes too.
            pod!("affinity"),
        ]) {
            Step::Nodes
        } else {
            Step::Pod
        }
    }
}

/// Whether the path is in a container's volume mounts, which the storage step shows.
fn is_mount(path: &FieldPath) -> bool {
    let keys = DaemonSetForm::KEYS;
    [keys.containers, keys.init_containers]
        .iter()
        .any(|list| match path.below(list) {
            Some([Segment::Index(_), field @ ..]) => {
                strip_keys(field, ContainerForm::KEYS.volume_mounts).is_some()
            }
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_belongs_to_the_step_that_shows_it() {
        let daemon_set = |text| Step::of(&FieldPath::parse(Subject::DaemonSet, text).unwrap());
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
        let claim = FieldPath::parse(Subject::Claim(0), "metadata.name").unwrap();
        assert_eq!(Step::of(&claim), Step::Storage);
    }

    #[test]
    fn a_prefix_only_counts_at_a_field_boundary() {
        let daemon_set = |text| Step::of(&FieldPath::parse(Subject::DaemonSet, text).unwrap());
        assert_eq!(daemon_set("metadata.labelsExtra"), Step::Basic);
        assert_eq!(
            daemon_set("spec.template.spec.serviceAccountName"),
            Step::Pod
        );
    }
}
