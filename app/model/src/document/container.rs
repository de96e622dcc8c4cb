//! A container (or init container) as the wizard's pod step edits it.

use serde_yaml::Value;

use super::path::{Keyed, Keys, keys};
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

keys!(ContainerForm => ContainerKeys {
    name: &["name"],
    image: &["image"],
    image_pull_policy: &["imagePullPolicy"],
    command: &["command"],
    args: &["args"],
    ports: &["ports"],
    env: &["env"],
    env_from: &["envFrom"],
    resources: &["resources"],
    volume_mounts: &["volumeMounts"],
    liveness_probe: &["livenessProbe"],
    readiness_probe: &["readinessProbe"],
    startup_probe: &["startupProbe"],
    security_context: &["securityContext"],
});

impl Node for ContainerForm {
    fn read(node: &Value) -> Self {
        let keys = Self::KEYS;
        Self {
            name: read(node, keys.name),
            image: read(node, keys.image),
            image_pull_policy: read(node, keys.image_pull_policy),
            command: read(node, keys.command),
            args: read(node, keys.args),
            ports: read_list(node, keys.ports),
            env: read_list(node, keys.env),
            env_from: read_list(node, keys.env_from),
            resources: ResourcesForm::read(node, keys.resources),
            volume_mounts: read_list(node, keys.volume_mounts),
            liveness_probe: read_option(node, keys.liveness_probe),
            readiness_probe: read_option(node, keys.readiness_probe),
            startup_probe: read_option(node, keys.startup_probe),
            security_context: SecurityContextForm::read(node, keys.security_context),
        }
    }

    fn write(&self, node: &mut Value) {
        let keys = Self::KEYS;
        write(node, keys.name, &self.name);
        write(node, keys.image, &self.image);
        write(node, keys.image_pull_policy, &self.image_pull_policy);
        write(node, keys.command, &self.command);
        write(node, keys.args, &self.args);
        write_list(node, keys.ports, &self.ports);
        write_list(node, keys.env, &self.env);
        write_list(node, keys.env_from, &self.env_from);
        self.resources.write(node, keys.resources);
        write_list(node, keys.volume_mounts, &self.volume_mounts);
        write_option(node, keys.liveness_probe, &self.liveness_probe);
        write_option(node, keys.readiness_probe, &self.readiness_probe);
        write_option(node, keys.startup_probe, &self.startup_probe);
        self.security_context.write(node, keys.security_context);
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

keys!(PortForm => PortKeys {
    name: &["name"],
    container_port: &["containerPort"],
    protocol: &["protocol"],
    host_port: &["hostPort"],
    host_ip: &["hostIP"],
});

impl Node for PortForm {
    fn read(node: &Value) -> Self {
        let keys = Self::KEYS;
        Self {
            name: read(node, keys.name),
            container_port: read(node, keys.container_port),
            protocol: read(node, keys.protocol),
            host_port: read(node, keys.host_port),
            host_ip: read(node, keys.host_ip),
        }
    }

    fn write(&self, node: &mut Value) {
        let keys = Self::KEYS;
        write(node, keys.name, &self.name);
        write(node, keys.container_port, &self.container_port);
        write(node, keys.protocol, &self.protocol);
        write(node, keys.host_port, &self.host_port);
        write(node, keys.host_ip, &self.host_ip);
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

const VALUE_FROM: &str = "valueFrom";

keys!(EnvVarForm => EnvVarKeys {
    name: &["name"],
    // The source's own keys start at the variable.
    source: &[],
});

keys!(EnvSource => EnvSourceKeys {
    Value: &["value"],
    ConfigMapKey: &[VALUE_FROM, "configMapKeyRef"],
    SecretKey: &[VALUE_FROM, "secretKeyRef"],
    Field: &[VALUE_FROM, "fieldRef"],
    name: &["name"],
    key: &["key"],
    field_path: &["fieldPath"],
});

impl EnvSource {
    /// The keys below the variable that hold this source.
    fn keys(&self) -> Vec<&str> {
        let keys = Self::KEYS;
        match self {
            Self::Value(_) => keys.Value.to_vec(),
            Self::ConfigMapKey { .. } => keys.ConfigMapKey.to_vec(),
            Self::SecretKey { .. } => keys.SecretKey.to_vec(),
            Self::Field { .. } => keys.Field.to_vec(),
            Self::Other { kind } => vec![VALUE_FROM, kind.as_str()],
        }
    }

    fn read(node: &Value) -> Self {
        let keys = Self::KEYS;
        // Known sources first, so a field added next to them is not taken for one.
        if let Some(reference) = get(node, keys.ConfigMapKey) {
            Self::ConfigMapKey {
                name: read(reference, keys.name),
                key: read(reference, keys.key),
            }
        } else if let Some(reference) = get(node, keys.SecretKey) {
            Self::SecretKey {
                name: read(reference, keys.name),
                key: read(reference, keys.key),
            }
        } else if let Some(reference) = get(node, keys.Field) {
            Self::Field {
                field_path: read(reference, keys.field_path),
            }
        } else if let Some((kind, _)) = get(node, &[VALUE_FROM])
            .and_then(Value::as_mapping)
            .and_then(|map| map.iter().next())
        {
            Self::Other { kind: text(kind) }
        } else {
            Self::Value(read(node, keys.Value))
        }
    }

    fn write(&self, node: &mut Value) {
        let keys = Self::KEYS;
        match self {
            Self::Value(value) => write(node, keys.Value, value),
            Self::ConfigMapKey { name, key } => {
                let reference = child_mut(node, keys.ConfigMapKey);
                write(reference, keys.name, name);
                write(reference, keys.key, key);
            }
            Self::SecretKey { name, key } => {
                let reference = child_mut(node, keys.SecretKey);
                write(reference, keys.name, name);
                write(reference, keys.key, key);
            }
            Self::Field { field_path } => {
                let reference = child_mut(node, keys.Field);
                write(reference, keys.field_path, field_path);
            }
            // Nothing to write: the wizard cannot edit this source, only keep it.
            Self::Other { .. } => {}
        }
    }
}

impl Node for EnvVarForm {
    fn read(node: &Value) -> Self {
        Self {
            name: read(node, Self::KEYS.name),
            source: EnvSource::read(node),
        }
    }

    fn write(&self, node: &mut Value) {
        write(node, Self::KEYS.name, &self.name);
        let current = EnvSource::read(node);
        if current == self.source {
            return;
        }
        // A variable has exactly one source: switching kinds drops the old one entirely.
        let (old, new) = (current.keys(), self.source.keys());
        if old != new {
            remove(node, &old[..1]);
        }
        self.source.write(node);
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

keys!(EnvFromForm => EnvFromKeys {
    // The kind is the key that holds the name: `configMapRef` or `secretRef`.
    kind: &[],
    name: &["name"],
    prefix: &["prefix"],
});

impl Node for EnvFromForm {
    fn read(node: &Value) -> Self {
        let kind = if get(node, &[EnvFromKind::Secret.as_str()]).is_some() {
            EnvFromKind::Secret
        } else {
            EnvFromKind::ConfigMap
        };
        Self {
            kind,
            name: read(node, &[&[kind.as_str()], Self::KEYS.name].concat()),
            prefix: read(node, Self::KEYS.prefix),
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
            Self::KEYS.name,
            &self.name,
        );
        write(node, Self::KEYS.prefix, &self.prefix);
    }
}

/// CPU and memory requests and limits, as Kubernetes quantity strings (`100m`, `128Mi`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourcesForm {
    pub requests: ResourceAmounts,
    pub limits: ResourceAmounts,
}

keys!(ResourcesForm => ResourcesKeys {
    requests: &["requests"],
    limits: &["limits"],
});

/// One side of [`ResourcesForm`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourceAmounts {
    pub cpu: String,
    pub memory: String,
}

keys!(ResourceAmounts => ResourceAmountsKeys {
    cpu: &["cpu"],
    memory: &["memory"],
});

impl ResourcesForm {
    /// Each side, with the keys of its amounts below the container (`at` is `resources`).
    fn sides(at: Keys) -> [(Vec<&'static str>, Vec<&'static str>); 2] {
        let amount = |side, resource| [at, side, resource].concat();
        let (keys, amounts) = (Self::KEYS, ResourceAmounts::KEYS);
        [keys.requests, keys.limits]
            .map(|side| (amount(side, amounts.cpu), amount(side, amounts.memory)))
    }

    fn read(container: &Value, at: Keys) -> Self {
        let [requests, limits] = Self::sides(at).map(|(cpu, memory)| ResourceAmounts {
            cpu: read(container, &cpu),
            memory: read(container, &memory),
        });
        Self { requests, limits }
    }

    fn write(&self, container: &mut Value, at: Keys) {
        for ((cpu, memory), amounts) in Self::sides(at)
            .into_iter()
            .zip([&self.requests, &self.limits])
        {
            write(container, &cpu, &amounts.cpu);
            write(container, &memory, &amounts.memory);
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

keys!(SecurityContextForm => SecurityContextKeys {
    privileged: &["privileged"],
    run_as_user: &["runAsUser"],
    run_as_non_root: &["runAsNonRoot"],
    read_only_root_filesystem: &["readOnlyRootFilesystem"],
    allow_privilege_escalation: &["allowPrivilegeEscalation"],
    capabilities_add: &["capabilities", "add"],
    capabilities_drop: &["capabilities", "drop"],
});

impl SecurityContextForm {
    /// Reads the settings below the container (`at` is `securityContext`).
    fn read(container: &Value, at: Keys) -> Self {
        let keys = Self::KEYS;
        let field = |key: Keys| [at, key].concat();
        Self {
            privileged: read(container, &field(keys.privileged)),
            run_as_user: read(container, &field(keys.run_as_user)),
            run_as_non_root: read(container, &field(keys.run_as_non_root)),
            read_only_root_filesystem: read(container, &field(keys.read_only_root_filesystem)),
            allow_privilege_escalation: read(container, &field(keys.allow_privilege_escalation)),
            capabilities_add: read(container, &field(keys.capabilities_add)),
            capabilities_drop: read(container, &field(keys.capabilities_drop)),
        }
    }

    fn write(&self, container: &mut Value, at: Keys) {
        let keys = Self::KEYS;
        let field = |key: Keys| [at, key].concat();
        write(container, &field(keys.privileged), &self.privileged);
        write(container, &field(keys.run_as_user), &self.run_as_user);
        write(
            container,
            &field(keys.run_as_non_root),
            &self.run_as_non_root,
        );
        write(
            container,
            &field(keys.read_only_root_filesystem),
            &self.read_only_root_filesystem,
        );
        write(
            container,
            &field(keys.allow_privilege_escalation),
            &self.allow_privilege_escalation,
        );
        write(
            container,
            &field(keys.capabilities_add),
            &self.capabilities_add,
        );
        write(
            container,
            &field(keys.capabilities_drop),
            &self.capabilities_drop,
        );
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

keys!(VolumeMountForm => VolumeMountKeys {
    name: &["name"],
    mount_path: &["mountPath"],
    read_only: &["readOnly"],
    sub_path: &["subPath"],
});

impl Node for VolumeMountForm {
    fn read(node: &Value) -> Self {
        let keys = Self::KEYS;
        Self {
            name: read(node, keys.name),
            mount_path: read(node, keys.mount_path),
            read_only: read(node, keys.read_only),
            sub_path: read(node, keys.sub_path),
        }
    }

    fn write(&self, node: &mut Value) {
        let keys = Self::KEYS;
        write(node, keys.name, &self.name);
        write(node, keys.mount_path, &self.mount_path);
        write(node, keys.read_only, &self.read_only);
        write(node, keys.sub_path, &self.sub_path);
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
