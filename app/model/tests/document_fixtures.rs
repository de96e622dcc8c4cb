//! Real-world-style manifests through the document model: what the wizard shows, that nothing
//! it does not show is lost, and the exact errors for input the console cannot take.

mod common;

use common::{assert_only_changed, at, documents, manifest, print, trees};
use console_model::document::{
    AccessMode, ClaimForm, Draft, EnvFromKind, EnvSource, FieldPath, HostPathType, Issue, KeyValue,
    ProbeAction, Problem, Protocol, PullPolicy, ReadError, Subject, TaintEffect,
    TolerationOperator, UpdateStrategy, VolumeSource, validate,
};
use console_model::yaml;
use serde_yaml::Value;

/// Reads a fixture and checks the two promises every good manifest must keep: applying the
/// unedited form changes nothing, and the wizard's rules find nothing wrong.
fn read_cleanly(name: &str) -> Draft {
    let text = manifest(name);
    let mut draft = Draft::from_yaml(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let form = draft.form();
    draft.apply(&form);
    assert_eq!(print(&trees(&draft)), print(&documents(&text)), "{name}");
    assert_eq!(draft.to_yaml(), print(&documents(&text)), "{name}");
    let validation = validate(&form);
    assert_eq!(validation.errors, [], "{name}");
    draft
}

#[test]
fn fluent_bit_reads_into_the_wizard() {
    let form = read_cleanly("fluent-bit.yaml").form().daemon_set;
    assert_eq!(form.name, "fluent-bit");
    assert_eq!(form.namespace, "logging");
    assert_eq!(form.alias, "Log collector");
    assert!(form.selector_follows_labels);
    let container = &form.containers[0];
    assert_eq!(container.image, "cr.fluentbit.io/fluent/fluent-bit:3.1.9");
    assert_eq!(container.image_pull_policy, Some(PullPolicy::IfNotPresent));
    assert_eq!(container.command, ["/fluent-bit/bin/fluent-bit"]);
    assert_eq!(container.args.len(), 2);
    assert_eq!(container.ports[0].container_port, Some(2020));
    assert_eq!(
        container.liveness_probe.as_ref().map(|p| &p.action),
        Some(&ProbeAction::HttpGet {
            path: "/".into(),
            port: "http".into()
        })
    );
    assert_eq!(container.resources.requests.cpu, "100m");
    assert_eq!(container.resources.limits.memory, "256Mi");
    assert!(container.volume_mounts[2].read_only);
    assert_eq!(
        form.volumes[0].source,
        VolumeSource::ConfigMap {
            name: "fluent-bit".into()
        }
    );
    assert_eq!(
        form.volumes[3].source,
        VolumeSource::HostPath {
            path: "/etc/machine-id".into(),
            path_type: Some(HostPathType::File)
        }
    );
    assert_eq!(form.tolerations.len(), 2);
    assert_eq!(form.tolerations[1].operator, TolerationOperator::Exists);
    assert_eq!(form.tolerations[1].effect, Some(TaintEffect::NoExecute));
    assert_eq!(
        form.update_strategy,
        UpdateStrategy::RollingUpdate {
            max_unavailable: "10%".into(),
            max_surge: String::new()
        }
    );
}

#[test]
fn fluent_bit_image_bump_touches_only_the_image() {
    let mut draft = read_cleanly("fluent-bit.yaml");
    let before = draft.daemon_set().clone();
    let mut form = draft.form();
    form.daemon_set.containers[0].image = "cr.fluentbit.io/fluent/fluent-bit:3.2.0".into();
    draft.apply(&form);
    let path = &["spec", "template", "spec", "containers", "0", "image"];
    assert_only_changed(&before, draft.daemon_set(), path);
    assert_eq!(draft.form(), form);
}

#[test]
fn fluent_bit_new_label_reaches_selector_and_pods() {
    let mut draft = read_cleanly("fluent-bit.yaml");
    let mut form = draft.form();
    form.daemon_set
        .labels
        .push(KeyValue::new("team", "platform"));
    draft.apply(&form);
    let tree = draft.daemon_set();
    for path in [
        &["metadata", "labels", "team"][..],
        &["spec", "selector", "matchLabels", "team"],
        &["spec", "template", "metadata", "labels", "team"],
    ] {
        assert_eq!(at(tree, path), Some(&Value::from("platform")), "{path:?}");
    }
}

#[test]
fn node_exporter_reads_host_settings_and_security() {
    let form = read_cleanly("node-exporter.yaml").form().daemon_set;
    assert!(form.host_network);
    assert!(form.host_pid);
    assert_eq!(form.priority_class_name, "system-cluster-critical");
    assert_eq!(
        form.node_selector,
        [KeyValue::new("kubernetes.io/os", "linux")]
    );
    assert_eq!(form.containers[0].args.len(), 5);
    let proxy = &form.containers[1];
    assert_eq!(proxy.ports[0].host_port, Some(9100));
    assert_eq!(proxy.ports[0].protocol, Protocol::Tcp);
    let security = &proxy.security_context;
    assert_eq!(security.read_only_root_filesystem, Some(true));
    assert_eq!(security.allow_privilege_escalation, Some(false));
    assert_eq!(security.run_as_non_root, Some(true));
    assert_eq!(security.run_as_user, Some(65532));
    assert_eq!(security.capabilities_drop, ["ALL"]);
    assert_eq!(
        proxy.env[0].source,
        EnvSource::Field {
            field_path: "status.podIP".into()
        }
    );
}

#[test]
fn node_exporter_selector_has_diverged_so_only_its_own_labels_change() {
    let mut draft = read_cleanly("node-exporter.yaml");
    let before = draft.daemon_set().clone();
    let mut form = draft.form();
    assert!(!form.daemon_set.selector_follows_labels);
    form.daemon_set.labels[2].value = "1.9.0".into();
    draft.apply(&form);
    let path = &["metadata", "labels", "app.kubernetes.io/version"];
    assert_only_changed(&before, draft.daemon_set(), path);
}

#[test]
fn node_exporter_read_only_toggle_keeps_mount_propagation() {
    let mut draft = read_cleanly("node-exporter.yaml");
    let mut form = draft.form();
    form.daemon_set.containers[0].volume_mounts[0].read_only = false;
    draft.apply(&form);
    let mount = at(
        draft.daemon_set(),
        &[
            "spec",
            "template",
            "spec",
            "containers",
            "0",
            "volumeMounts",
            "0",
        ],
    )
    .unwrap();
    assert_eq!(
        *mount,
        serde_yaml::from_str::<Value>(
            "{mountPath: /host/sys, mountPropagation: HostToContainer, name: sys}"
        )
        .unwrap()
    );
}

#[test]
fn cni_agent_reads_init_containers_env_sources_and_privileges() {
    let form = read_cleanly("cni-agent.yaml").form().daemon_set;
    assert_eq!(form.priority_class_name, "system-node-critical");
    assert_eq!(form.description, "Pod networking for every node");
    assert_eq!(form.init_containers.len(), 2);
    assert_eq!(
        form.init_containers[0].security_context.privileged,
        Some(true)
    );
    assert_eq!(
        form.init_containers[1].env_from[0].kind,
        EnvFromKind::Secret
    );
    assert_eq!(form.init_containers[1].env_from[0].prefix, "CNI_");
    let node = &form.containers[0];
    assert_eq!(node.env_from[0].kind, EnvFromKind::ConfigMap);
    assert_eq!(node.env_from[0].name, "kubernetes-services-endpoint");
    let sources: Vec<_> = node.env.iter().map(|e| e.source.clone()).collect();
    assert_eq!(
        sources,
        [
            EnvSource::Value("kubernetes".into()),
            EnvSource::Field {
                field_path: "spec.nodeName".into()
            },
            EnvSource::ConfigMapKey {
                name: "calico-config".into(),
                key: "calico_backend".into()
            },
            EnvSource::SecretKey {
                name: "calico-etcd-secrets".into(),
                key: "etcd-key".into()
            },
            EnvSource::Other {
                kind: "resourceFieldRef".into()
            },
            EnvSource::Value("true".into()),
        ]
    );
    assert_eq!(
        node.security_context.capabilities_add,
        ["NET_ADMIN", "NET_RAW", "SYS_ADMIN"]
    );
    let liveness = node.liveness_probe.as_ref().unwrap();
    assert_eq!(
        liveness.action,
        ProbeAction::Exec {
            command: vec!["/bin/calico-node".into(), "-felix-live".into()]
        }
    );
    assert_eq!(liveness.failure_threshold, Some(6));
    assert_eq!(form.tolerations[2].toleration_seconds, Some(300));
}

#[test]
fn cni_agent_edits_keep_pull_secrets_affinity_lifecycle_and_status() {
    let mut draft = read_cleanly("cni-agent.yaml");
    let before = draft.daemon_set().clone();
    let mut form = draft.form();
    form.daemon_set.containers[0].env[0].source = EnvSource::Value("etcdv3".into());
    draft.apply(&form);
    let path = &[
        "spec",
        "template",
        "spec",
        "containers",
        "0",
        "env",
        "0",
        "value",
    ];
    assert_only_changed(&before, draft.daemon_set(), path);
    for kept in [
        &["spec", "template", "spec", "imagePullSecrets"][..],
        &["spec", "template", "spec", "affinity"],
        &["spec", "template", "spec", "containers", "0", "lifecycle"],
        &["status"],
        &["metadata", "resourceVersion"],
    ] {
        assert_eq!(at(draft.daemon_set(), kept), at(&before, kept), "{kept:?}");
    }
}

#[test]
fn cni_agent_env_switched_to_a_secret_drops_its_value() {
    let mut draft = read_cleanly("cni-agent.yaml");
    let mut form = draft.form();
    form.daemon_set.containers[0].env[5].source = EnvSource::SecretKey {
        name: "felix".into(),
        key: "health".into(),
    };
    draft.apply(&form);
    let variable = at(
        draft.daemon_set(),
        &["spec", "template", "spec", "containers", "0", "env", "5"],
    )
    .unwrap();
    assert_eq!(
        *variable,
        serde_yaml::from_str::<Value>(
            "{name: FELIX_HEALTHENABLED, valueFrom: {secretKeyRef: {name: felix, key: health}}}"
        )
        .unwrap()
    );
}

#[test]
fn storage_daemon_reads_its_new_claim_and_volumes() {
    let form = read_cleanly("storage-daemon.yaml").form();
    assert_eq!(
        form.claims,
        [ClaimForm {
            name: "csi-cache-shared".into(),
            storage_class_name: "nfs-client".into(),
            size: "50Gi".into(),
            access_modes: vec![AccessMode::ReadWriteMany],
        }]
    );
    let ds = &form.daemon_set;
    assert_eq!(ds.update_strategy, UpdateStrategy::OnDelete);
    assert_eq!(ds.min_ready_seconds, Some(15));
    assert_eq!(
        ds.volumes[1].source,
        VolumeSource::EmptyDir {
            medium: "Memory".into(),
            size_limit: "256Mi".into()
        }
    );
    let cache = &ds.containers[0];
    assert_eq!(cache.ports[1].protocol, Protocol::Udp);
    assert_eq!(cache.resources.requests.cpu, "0.5");
    assert_eq!(cache.resources.limits.cpu, "2");
    assert_eq!(cache.volume_mounts[2].sub_path, "csi-cache");
    assert_eq!(
        cache.startup_probe.as_ref().map(|p| &p.action),
        Some(&ProbeAction::TcpSocket {
            port: "grpc".into()
        })
    );
}

#[test]
fn storage_daemon_read_write_once_claim_warns() {
    let mut form = read_cleanly("storage-daemon.yaml").form();
    assert_eq!(validate(&form).warnings, []);
    form.claims[0].access_modes = vec![AccessMode::ReadWriteOnce];
    let validation = validate(&form);
    assert!(validation.is_valid());
    assert_eq!(
        validation.warnings,
        [Issue {
            path: FieldPath::parse(Subject::Claim(0), "spec.accessModes").unwrap(),
            problem: Problem::SingleNodeVolumeShared,
        }]
    );
}

#[test]
fn storage_daemon_claim_resize_touches_only_its_size() {
    let mut draft = read_cleanly("storage-daemon.yaml");
    let before = trees(&draft);
    let mut form = draft.form();
    form.claims[0].size = "100Gi".into();
    draft.apply(&form);
    let after = trees(&draft);
    assert_eq!(after[0], before[0]);
    assert_only_changed(
        &before[1],
        &after[1],
        &["spec", "resources", "requests", "storage"],
    );
}

#[test]
fn storage_daemon_goes_to_the_api_as_two_json_objects() {
    let json = read_cleanly("storage-daemon.yaml")
        .to_json_documents()
        .unwrap();
    assert_eq!(json.len(), 2);
    assert_eq!(json[0]["kind"], "DaemonSet");
    assert_eq!(json[1]["kind"], "PersistentVolumeClaim");
    assert_eq!(json[1]["metadata"]["labels"]["app"], "csi-cache");
}

#[test]
fn broken_yaml_points_at_the_unclosed_quote() {
    let error = Draft::from_yaml(&manifest("broken.yaml")).unwrap_err();
    assert_eq!(
        error,
        ReadError::Syntax(yaml::Error {
            line: 12,
            column: 1,
            problem: yaml::Problem::Syntax(
                "found unexpected end of stream while scanning a quoted scalar".into()
            ),
        })
    );
}

#[test]
fn a_deployment_is_refused_by_kind_and_document() {
    let error = Draft::from_yaml(&manifest("deployment.yaml")).unwrap_err();
    assert_eq!(
        error,
        ReadError::UnsupportedKind {
            document: 2,
            kind: "Deployment".into(),
            name: Some("web".into()),
        }
    );
    assert_eq!(
        error.to_string(),
        "document 2 is a Deployment (`web`); the console creates DaemonSets (with any new \
         PersistentVolumeClaims they mount)"
    );
}

#[test]
fn two_daemon_sets_are_refused() {
    let error = Draft::from_yaml(&manifest("two-daemonsets.yaml")).unwrap_err();
    assert_eq!(
        error,
        ReadError::SeveralDaemonSets {
            first: 1,
            second: 2
        }
    );
    assert_eq!(
        error.to_string(),
        "documents 1 and 2 are both DaemonSets; import one DaemonSet at a time"
    );
}
