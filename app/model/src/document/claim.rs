//! A PersistentVolumeClaim created alongside the DaemonSet, as its own document.

use serde_yaml::{Mapping, Value};

use super::path::{Keyed, keys};
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

keys!(ClaimForm => ClaimKeys {
    name: &["metadata", "name"],
    storage_class_name: &["spec", "storageClassName"],
    size: &["spec", "resources", "requests", "storage"],
    access_modes: &["spec", "accessModes"],
});

impl Node for ClaimForm {
    fn read(node: &Value) -> Self {
        let keys = Self::KEYS;
        Self {
            name: read(node, keys.name),
            storage_class_name: read(node, keys.storage_class_name),
            size: read(node, keys.size),
            access_modes: read(node, keys.access_modes),
        }
    }

    fn write(&self, node: &mut Value) {
        let keys = Self::KEYS;
        write(node, keys.name, &self.name);
        write(node, keys.access_modes, &self.access_modes);
        write(node, keys.storage_class_name, &self.storage_class_name);
        write(node, keys.size, &self.size);
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
