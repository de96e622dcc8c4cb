//! Pod volumes as the wizard's storage step edits them.

use serde_yaml::{Mapping, Value};

use super::path::{Keyed, keys};
use super::tree::{Node, OneOf, child_mut, get, keyword_enum, read, write};

keyword_enum! {
    /// What a hostPath volume expects to find on the node; `None` in the form checks nothing.
    pub enum HostPathType {
        #[default]
        DirectoryOrCreate = "DirectoryOrCreate",
        Directory = "Directory",
        FileOrCreate = "FileOrCreate",
        File = "File",
        Socket = "Socket",
        CharDevice = "CharDevice",
        BlockDevice = "BlockDevice",
    }
}

/// One pod volume: a name the containers mount, and where its data lives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VolumeForm {
    pub name: String,
    pub source: VolumeSource,
}

keys!(VolumeForm => VolumeKeys {
    name: &["name"],
    // The source's own keys start at the volume.
    source: &[],
});

/// Where a volume's data comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum VolumeSource {
    /// A PersistentVolumeClaim, existing or created alongside the DaemonSet.
    PersistentVolumeClaim { claim_name: String },
    /// Scratch space that lives as long as the pod; `medium: Memory` makes it a tmpfs.
    EmptyDir { medium: String, size_limit: String },
    /// A file or directory of the node itself.
    HostPath {
        path: String,
        path_type: Option<HostPathType>,
    },
    /// A ConfigMap's keys as files.
    ConfigMap { name: String },
    /// A Secret's keys as files.
    Secret { secret_name: String },
    /// A source the wizard does not edit (`projected`, `csi`, `nfs`...), named by its key and
    /// kept as written; switching to another source replaces it.
    Other { kind: String },
}

keys!(VolumeSource => VolumeSourceKeys {
    PersistentVolumeClaim: &["persistentVolumeClaim"],
    EmptyDir: &["emptyDir"],
    HostPath: &["hostPath"],
    ConfigMap: &["configMap"],
    Secret: &["secret"],
    claim_name: &["claimName"],
    medium: &["medium"],
    size_limit: &["sizeLimit"],
    path: &["path"],
    path_type: &["type"],
    name: &["name"],
    secret_name: &["secretName"],
});

impl Default for VolumeSource {
    fn default() -> Self {
        Self::EmptyDir {
            medium: String::new(),
            size_limit: String::new(),
        }
    }
}

/// Volume source keys of `core/v1` that the wizard keeps but does not edit.
const OTHER_SOURCES: &[&str] = &[
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "csi",
    "downwardAPI",
    "ephemeral",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "gitRepo",
    "glusterfs",
    "image",
    "iscsi",
    "nfs",
    "photonPersistentDisk",
    "portworxVolume",
    "projected",
    "quobyte",
    "rbd",
    "scaleIO",
    "storageos",
    "vsphereVolume",
];

impl OneOf for VolumeSource {
    /// The volume's key that holds this source.
    fn key(&self) -> &str {
        let keys = Self::KEYS;
        let variant = match self {
            Self::PersistentVolumeClaim { .. } => keys.PersistentVolumeClaim,
            Self::EmptyDir { .. } => keys.EmptyDir,
            Self::HostPath { .. } => keys.HostPath,
            Self::ConfigMap { .. } => keys.ConfigMap,
            Self::Secret { .. } => keys.Secret,
            Self::Other { kind } => return kind,
        };
        variant[0]
    }

    /// Reads the source; a volume with none reads as the emptyDir Kubernetes defaults it to.
    fn read(volume: &Value) -> Self {
        let keys = Self::KEYS;
        if let Some(source) = get(volume, keys.PersistentVolumeClaim) {
            Self::PersistentVolumeClaim {
                claim_name: read(source, keys.claim_name),
            }
        } else if let Some(source) = get(volume, keys.EmptyDir) {
            Self::EmptyDir {
                medium: read(source, keys.medium),
                size_limit: read(source, keys.size_limit),
            }
        } else if let Some(source) = get(volume, keys.HostPath) {
            Self::HostPath {
                path: read(source, keys.path),
                path_type: read(source, keys.path_type),
            }
        } else if let Some(source) = get(volume, keys.ConfigMap) {
            Self::ConfigMap {
                name: read(source, keys.name),
            }
        } else if let Some(source) = get(volume, keys.Secret) {
            Self::Secret {
                secret_name: read(source, keys.secret_name),
            }
        } else if let Some(kind) = OTHER_SOURCES
            .iter()
            .copied()
            .find(|key| get(volume, &[key]).is_some())
        {
            Self::Other {
                kind: kind.to_owned(),
            }
        } else {
            Self::default()
        }
    }

    fn write_fields(&self, source: &mut Value) {
        let keys = Self::KEYS;
        match self {
            Self::PersistentVolumeClaim { claim_name } => {
                write(source, keys.claim_name, claim_name);
            }
            Self::EmptyDir { medium, size_limit } => {
                write(source, keys.medium, medium);
                write(source, keys.size_limit, size_limit);
            }
            Self::HostPath { path, path_type } => {
                write(source, keys.path, path);
                write(source, keys.path_type, path_type);
            }
            Self::ConfigMap { name } => write(source, keys.name, name),
            Self::Secret { secret_name } => write(source, keys.secret_name, secret_name),
            Self::Other { .. } => {}
        }
    }
}

impl Node for VolumeForm {
    fn read(node: &Value) -> Self {
        Self {
            name: read(node, Self::KEYS.name),
            source: VolumeSource::read(node),
        }
    }

    fn write(&self, node: &mut Value) {
        write(node, Self::KEYS.name, &self.name);
        self.source.write(node);
    }
    /// A new volume always names its source, even an emptyDir with nothing set, so the YAML
    /// says what it is rather than relying on the default.
    fn create(&self) -> Value {
        let mut node = Value::Mapping(Mapping::new());
        self.write(&mut node);
        if get(&node, &[self.source.key()]).is_none() {
            child_mut(&mut node, &[self.source.key()]);
        }
        node
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn a_new_empty_dir_is_spelled_out() {
        let volume = VolumeForm {
            name: "cache".into(),
            source: VolumeSource::default(),
        };
        assert_eq!(volume.create(), yaml("name: cache\nemptyDir: {}\n"));
    }

    #[test]
    fn switching_source_replaces_the_old_one() {
        let mut node = yaml("name: logs\nemptyDir: {medium: Memory}\n");
        VolumeForm {
            name: "logs".into(),
            source: VolumeSource::HostPath {
                path: "/var/log".into(),
                path_type: Some(HostPathType::Directory),
            },
        }
        .write(&mut node);
        assert_eq!(
            node,
            yaml("name: logs\nhostPath: {path: /var/log, type: Directory}\n")
        );
    }

    #[test]
    fn an_unedited_source_is_read_by_its_key() {
        let node = yaml("name: token\nprojected: {sources: []}\n");
        assert_eq!(
            VolumeForm::read(&node).source,
            VolumeSource::Other {
                kind: "projected".into()
            }
        );
    }

    #[test]
    fn clearing_the_last_empty_dir_setting_keeps_the_empty_dir() {
        let mut node = yaml("name: cache\nemptyDir: {medium: Memory}\n");
        VolumeForm {
            name: "cache".into(),
            source: VolumeSource::default(),
        }
        .write(&mut node);
        assert_eq!(node, yaml("name: cache\nemptyDir: {}\n"));
    }
}
