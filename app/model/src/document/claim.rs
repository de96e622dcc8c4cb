//! A PersistentVolumeClaim created alongside the DaemonSet, as its own document.

use serde_yaml::{Mapping, Value};

use super::tree::{Node, keyword_enum, read, write};

keyword_enum! {
    /// How many nodes may mount a volume, and how.
    pub enum AccessMode {
        #[default]
        ReadWriteOnce = "ReadWriteOnce",
        ReadOnlyMany = "ReadOnlyMany",
        ReadWriteMany = "ReadWriteMany",
        ReadWriteOncePod = "ReadWriteOncePod",
    }
}

impl AccessMode {
    /// Whether only one node (or pod) can use the volume, which a DaemonSet's pods on several
    /// nodes cannot share.
    pub fn is_single_node(self) -> bool {
        matches!(self, Self::ReadWriteOnce | Self::ReadWriteOncePod)
    }
}

/// A new claim: name, storage class, size and access modes. Its namespace follows the
/// DaemonSet's (see [`super::Draft::apply`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClaimForm {
    pub name: String,
    /// Empty uses the cluster's default class. An explicit `""` in imported YAML (no dynamic
    /// provisioning) reads as empty and is kept as long as the field is not edited.
    pub storage_class_name: String,
    /// `spec.resources.requests.storage`, a quantity such as `10Gi`.
    pub size: String,
    pub access_modes: Vec<AccessMode>,
}

impl Node for ClaimForm {
    fn read(node: &Value) -> Self {
        Self {
            name: read(node, &["metadata", "name"]),
            storage_class_name: read(node, &["spec", "storageClassName"]),
            size: read(node, &["spec", "resources", "requests", "storage"]),
            access_modes: read(node, &["spec", "accessModes"]),
        }
    }

    fn write(&self, node: &mut Value) {
        write(node, &["metadata", "name"], &self.name);
        write(node, &["spec", "accessModes"], &self.access_modes);
        write(
            node,
            &["spec", "storageClassName"],
            &self.storage_class_name,
        );
        write(
            node,
            &["spec", "resources", "requests", "storage"],
            &self.size,
        );
    }

    fn create(&self) -> Value {
        let mut head = Mapping::new();
        head.insert("apiVersion".into(), "v1".into());
        head.insert("kind".into(), "PersistentVolumeClaim".into());
        let mut node = Value::Mapping(head);
        self.write(&mut node);
        node
    }
}
