//! A container (or init container) as the wizard's pod step edits it.

use serde_yaml::Value;

use super::probe::ProbeForm;
use super::tree::{
    Node, child_mut, get, keyword_enum, read, read_list, read_option, remove, text, write,
    write_list, write_option,
};

keyword_enum! {
    /// When the kubelet pulls the image; `None` in the form lets Kubernetes decide from the tag.
    pub enum PullPolicy {
        #[default]
        Always = "Always",
        IfNotPresent = "IfNotPresent",
        Never = "Never",
    }
}

keyword_enum! {
    /// A port's protocol; an absent one means TCP.
    pub enum Protocol {
        #[default]
        Tcp = "TCP",
        Udp = "UDP",
        Sctp = "SCTP",
    }
}

/// One container's fields the wizard shows; everything else in its mapping is kept as it was.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerForm {
    pub name: String,
    pub image: String,
    pub image_pull_policy: Option<PullPolicy>,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub ports: Vec<PortForm>,
    pub env: Vec<EnvVarForm>,
    pub env_from: Vec<EnvFromForm>,
    pub resources: ResourcesForm,
    pub volume_mounts: Vec<VolumeMountForm>,
    pub liveness_probe: Option<ProbeForm>,
    pub readiness_probe: Option<ProbeForm>,
    pub startup_probe: Option<ProbeForm>,
    pub security_context: SecurityContextForm,
}

impl Node for ContainerForm {
    fn read(node: &Value) -> Self {
        Self {
            name: read(node, &["name"]),
            image: read(node, &["image"]),
            image_pull_policy: read(node, &["imagePullPolicy"]),
            command: read(node, &["command"]),
            args: read(node, &["args"]),
            ports: read_list(node, &["ports"]),
            env: read_list(node, &["env"]),
            env_from: read_list(node, &["envFrom"]),
            resources: ResourcesForm::read(node),
            volume_mounts: read_list(node, &["volumeMounts"]),
            liveness_probe: read_option(node, &["livenessProbe"]),
            readiness_probe: read_option(node, &["readinessProbe"]),
            startup_probe: read_option(node, &["startupProbe"]),
            security_context: SecurityContextForm::read(node),
        }
    }

    fn write(&self, node: &mut Value) {
        write(node, &["name"], &self.name);
        write(node, &["image"], &self.image);
        write(node, &["imagePullPolicy"], &self.image_pull_policy);
        write(node, &["command"], &self.command);
        write(node, &["args"], &self.args);
        write_list(node, &["ports"], &self.ports);
        write_list(node, &["env"], &self.env);
        write_list(node, &["envFrom"], &self.env_from);
        self.resources.write(node);
        write_list(node, &["volumeMounts"], &self.volume_mounts);
        write_option(node, &["livenessProbe"], &self.liveness_probe);
        write_option(node, &["readinessProbe"], &self.readiness_probe);
        write_option(node, &["startupProbe"], &self.startup_probe);
        self.security_context.write(node);
    }
}

/// A container port, optionally bound on the node (`hostPort`, `hostIP`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PortForm {
    pub name: String,
    pub container_port: Option<i64>,
    pub protocol: Protocol,
    pub host_port: Option<i64>,
    pub host_ip: String,
}

impl Node for PortForm {
    fn read(node: &Value) -> Self {
        Self {
            name: read(node, &["name"]),
            container_port: read(node, &["containerPort"]),
            protocol: read(node, &["protocol"]),
            host_port: read(node, &["hostPort"]),
            host_ip: read(node, &["hostIP"]),
        }
    }

    fn write(&self, node: &mut Value) {
        write(node, &["name"], &self.name);
        write(node, &["containerPort"], &self.container_port);
        write(node, &["protocol"], &self.protocol);
        write(node, &["hostPort"], &self.host_port);
        write(node, &["hostIP"], &self.host_ip);
    }
}

/// One environment variable.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnvVarForm {
    pub name: String,
    pub source: EnvSource,
}

/// Where an environment variable's value comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum EnvSource {
    /// A literal `value`.
    Value(String),
    /// `valueFrom.configMapKeyRef`.
    ConfigMapKey { name: String, key: String },
    /// `valueFrom.secretKeyRef`.
    SecretKey { name: String, key: String },
    /// `valueFrom.fieldRef`, e.g. `spec.nodeName` or `status.podIP`.
    Field { field_path: String },
    /// A `valueFrom` the wizard does not edit (e.g. `resourceFieldRef`), named by its key. It
    /// is kept as written; switching to another source replaces it.
    Other { kind: String },
}

impl Default for EnvSource {
    fn default() -> Self {
        Self::Value(String::new())
    }
}

impl EnvSource {
    /// The key under `valueFrom`, or `None` for a literal value.
    fn reference_key(&self) -> Option<&str> {
        match self {
            Self::Value(_) => None,
            Self::ConfigMapKey { .. } => Some("configMapKeyRef"),
            Self::SecretKey { .. } => Some("secretKeyRef"),
            Self::Field { .. } => Some("fieldRef"),
            Self::Other { kind } => Some(kind.as_str()),
        }
    }
}

impl Node for EnvVarForm {
    fn read(node: &Value) -> Self {
        let reference = get(node, &["valueFrom"])
            .and_then(Value::as_mapping)
            .and_then(|map| {
                // Known sources first, so a field added next to them is not taken for one.
                ["configMapKeyRef", "secretKeyRef", "fieldRef"]
                    .into_iter()
                    .find_map(|key| Some((key.to_owned(), map.get(key)?)))
                    .or_else(|| map.iter().next().map(|(key, value)| (text(key), value)))
            });
        let source = match reference {
            None => EnvSource::Value(read(node, &["value"])),
            Some((kind, reference)) => match kind.as_str() {
                "configMapKeyRef" => EnvSource::ConfigMapKey {
                    name: read(reference, &["name"]),
                    key: read(reference, &["key"]),
                },
                "secretKeyRef" => EnvSource::SecretKey {
                    name: read(reference, &["name"]),
                    key: read(reference, &["key"]),
                },
                "fieldRef" => EnvSource::Field {
                    field_path: read(reference, &["fieldPath"]),
                },
                _ => EnvSource::Other { kind },
            },
        };
        Self {
            name: read(node, &["name"]),
            source,
        }
    }

    fn write(&self, node: &mut Value) {
        write(node, &["name"], &self.name);
        let current = Self::read(node).source;
        if current == self.source {
            return;
        }
        // A variable has exactly one source: switching kinds drops the old one entirely.
        if current.reference_key() != self.source.reference_key() {
            match current.reference_key() {
                None => remove(node, &["value"]),
                Some(_) => remove(node, &["valueFrom"]),
            };
        }
        match &self.source {
            EnvSource::Value(value) => write(node, &["value"], value),
            EnvSource::ConfigMapKey { name, key } => {
                let reference = child_mut(node, &["valueFrom", "configMapKeyRef"]);
                write(reference, &["name"], name);
                write(reference, &["key"], key);
            }
            EnvSource::SecretKey { name, key } => {
                let reference = child_mut(node, &["valueFrom", "secretKeyRef"]);
                write(reference, &["name"], name);
                write(reference, &["key"], key);
            }
            EnvSource::Field { field_path } => {
                let reference = child_mut(node, &["valueFrom", "fieldRef"]);
                write(reference, &["fieldPath"], field_path);
            }
            // Nothing to write: the wizard cannot edit this source, only keep it.
            EnvSource::Other { .. } => {}
        }
    }
}

keyword_enum! {
    /// What an `envFrom` entry imports.
    pub enum EnvFromKind {
        #[default]
        ConfigMap = "configMapRef",
        Secret = "secretRef",
    }
}

/// Every key of a ConfigMap or Secret as environment variables, optionally prefixed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnvFromForm {
    pub kind: EnvFromKind,
    pub name: String,
    pub prefix: String,
}

impl Node for EnvFromForm {
    fn read(node: &Value) -> Self {
        let kind = if get(node, &["secretRef"]).is_some() {
            EnvFromKind::Secret
        } else {
            EnvFromKind::ConfigMap
        };
        Self {
            kind,
            name: read(node, &[kind.as_str(), "name"]),
            prefix: read(node, &["prefix"]),
        }
    }

    fn write(&self, node: &mut Value) {
        let current = Self::read(node);
        if current == *self {
            return;
        }
        if current.kind != self.kind {
            remove(node, &[current.kind.as_str()]);
        }
        write(
            child_mut(node, &[self.kind.as_str()]),
            &["name"],
            &self.name,
        );
        write(node, &["prefix"], &self.prefix);
    }
}

/// CPU and memory requests and limits, as Kubernetes quantity strings (`100m`, `128Mi`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourcesForm {
    pub requests: ResourceAmounts,
    pub limits: ResourceAmounts,
}

/// One side of [`ResourcesForm`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourceAmounts {
    pub cpu: String,
    pub memory: String,
}

impl ResourcesForm {
    fn read(container: &Value) -> Self {
        let amounts = |side| ResourceAmounts {
            cpu: read(container, &["resources", side, "cpu"]),
            memory: read(container, &["resources", side, "memory"]),
        };
        Self {
            requests: amounts("requests"),
            limits: amounts("limits"),
        }
    }

    fn write(&self, container: &mut Value) {
        for (side, amounts) in [("requests", &self.requests), ("limits", &self.limits)] {
            write(container, &["resources", side, "cpu"], &amounts.cpu);
            write(container, &["resources", side, "memory"], &amounts.memory);
        }
    }
}

/// The container security settings the wizard offers. `None` leaves a setting to the
/// cluster's default, which differs from `false` for `allowPrivilegeEscalation`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SecurityContextForm {
    pub privileged: Option<bool>,
    pub run_as_user: Option<i64>,
    pub run_as_non_root: Option<bool>,
    pub read_only_root_filesystem: Option<bool>,
    pub allow_privilege_escalation: Option<bool>,
    pub capabilities_add: Vec<String>,
    pub capabilities_drop: Vec<String>,
}

impl SecurityContextForm {
    fn read(container: &Value) -> Self {
        let at = |key| ["securityContext", key];
        let capabilities = |key| ["securityContext", "capabilities", key];
        Self {
            privileged: read(container, &at("privileged")),
            run_as_user: read(container, &at("runAsUser")),
            run_as_non_root: read(container, &at("runAsNonRoot")),
            read_only_root_filesystem: read(container, &at("readOnlyRootFilesystem")),
            allow_privilege_escalation: read(container, &at("allowPrivilegeEscalation")),
            capabilities_add: read(container, &capabilities("add")),
            capabilities_drop: read(container, &capabilities("drop")),
        }
    }

    fn write(&self, container: &mut Value) {
        let at = |key| ["securityContext", key];
        write(container, &at("privileged"), &self.privileged);
        write(container, &at("runAsUser"), &self.run_as_user);
        write(container, &at("runAsNonRoot"), &self.run_as_non_root);
        write(
            container,
            &at("readOnlyRootFilesystem"),
            &self.read_only_root_filesystem,
        );
        write(
            container,
            &at("allowPrivilegeEscalation"),
            &self.allow_privilege_escalation,
        );
        let capabilities = |key| ["securityContext", "capabilities", key];
        write(container, &capabilities("add"), &self.capabilities_add);
        write(container, &capabilities("drop"), &self.capabilities_drop);
    }
}

/// Where a volume appears inside the container.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VolumeMountForm {
    /// The pod volume's name; it must name one of the DaemonSet's volumes.
    pub name: String,
    pub mount_path: String,
    pub read_only: bool,
    pub sub_path: String,
}

impl Node for VolumeMountForm {
    fn read(node: &Value) -> Self {
        Self {
            name: read(node, &["name"]),
            mount_path: read(node, &["mountPath"]),
            read_only: read(node, &["readOnly"]),
            sub_path: read(node, &["subPath"]),
        }
    }

    fn write(&self, node: &mut Value) {
        write(node, &["name"], &self.name);
        write(node, &["mountPath"], &self.mount_path);
        write(node, &["readOnly"], &self.read_only);
        write(node, &["subPath"], &self.sub_path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn env_sources_are_read_by_kind() {
        let env: Vec<EnvVarForm> = read_list(
            &yaml(
                "env:
- {name: A, value: x}
- {name: B, valueFrom: {configMapKeyRef: {name: cm, key: k}}}
- {name: C, valueFrom: {secretKeyRef: {name: s, key: k}}}
- {name: D, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
- {name: E, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
",
            ),
            &["env"],
        );
        let sources: Vec<_> = env.into_iter().map(|e| e.source).collect();
        assert_eq!(
            sources,
            [
                EnvSource::Value("x".into()),
                EnvSource::ConfigMapKey {
                    name: "cm".into(),
                    key: "k".into()
                },
                EnvSource::SecretKey {
                    name: "s".into(),
                    key: "k".into()
                },
                EnvSource::Field {
                    field_path: "spec.nodeName".into()
                },
                EnvSource::Other {
                    kind: "resourceFieldRef".into()
                },
            ]
        );
    }

    #[test]
    fn switching_an_env_source_drops_the_old_one() {
        let mut node = yaml("name: A\nvalue: x\n");
        let form = EnvVarForm {
            name: "A".into(),
            source: EnvSource::SecretKey {
                name: "s".into(),
                key: "token".into(),
            },
        };
        form.write(&mut node);
        assert_eq!(
            node,
            yaml("name: A\nvalueFrom:\n  secretKeyRef:\n    name: s\n    key: token\n")
        );
    }

    #[test]
    fn switching_env_from_kind_moves_the_name() {
        let mut node = yaml("configMapRef: {name: a, optional: true}\nprefix: P_\n");
        let mut form = EnvFromForm::read(&node);
        form.kind = EnvFromKind::Secret;
        form.write(&mut node);
        assert_eq!(node, yaml("prefix: P_\nsecretRef: {name: a}\n"));
    }

    #[test]
    fn clearing_every_resource_removes_the_resources_key() {
        let mut node = yaml("name: c\nresources:\n  limits:\n    memory: 1Gi\n");
        let mut form = ContainerForm::read(&node);
        form.resources.limits.memory.clear();
        form.write(&mut node);
        assert_eq!(node, yaml("name: c\n"));
    }

    #[test]
    fn capabilities_are_written_under_security_context() {
        let mut node = yaml("name: c\n");
        let mut form = ContainerForm::read(&node);
        form.security_context.capabilities_add = vec!["NET_ADMIN".into()];
        form.security_context.privileged = Some(true);
        form.write(&mut node);
        assert_eq!(
            node,
            yaml(
                "name: c\nsecurityContext: {privileged: true, capabilities: {add: [NET_ADMIN]}}\n"
            )
        );
    }
}
