//! The wizard's fields, bound as the wizard binds them: each one's path is where the value it
//! writes lands in the documents, where validation reports it, and what the apiserver's causes
//! are read back to.

use proptest::prelude::*;
use serde_yaml::Value;

use crate::document::*;

/// One wizard field: its path, and an edit that sets it to something Kubernetes keeps.
struct Case {
    path: FieldPath,
    set: Box<dyn Fn(&mut DraftForm)>,
}

fn case<T: Clone + 'static>(lens: Lens<T>, value: T) -> Case {
    Case {
        path: lens.path().clone(),
        set: Box::new(move |form| lens.edit(form, |slot| *slot = value.clone())),
    }
}

fn text(value: &str) -> String {
    value.to_owned()
}

/// Every field the wizard shows, in a container of `group` at `container` and at item `item`
/// of every list.
fn wizard_fields(container: usize, item: usize) -> Vec<Case> {
    let form = field!(Lens::root(), daemon_set);
    let mut cases = vec![
        case(field!(form, name), text("agent")),
        case(field!(form, namespace), text("logging")),
        case(field!(form, alias), text("Agent")),
        case(field!(form, description), text("Ships logs")),
        case(field!(form, min_ready_seconds), Some(5)),
        case(field!(form, host_network), true),
        case(field!(form, host_pid), true),
        case(
            field!(form, priority_class_name),
            text("system-node-critical"),
        ),
        case(field!(form, selector_follows_labels), true),
    ];
    let strategy = field!(form, update_strategy);
    cases.extend([
        case(
            variant!(strategy, UpdateStrategy::RollingUpdate { max_unavailable }),
            text("10%"),
        ),
        case(
            variant!(strategy, UpdateStrategy::RollingUpdate { max_surge }),
            text("1"),
        ),
    ]);
    for pairs in [field!(form, labels), field!(form, node_selector)] {
        let pair = pairs.at(item);
        cases.push(case(field!(pair, key), text("app")));
        cases.push(case(field!(pair, value), text("agent")));
    }
    let toleration = field!(form, tolerations).at(item);
    cases.extend([
        case(field!(toleration, key), text("dedicated")),
        case(field!(toleration, operator), TolerationOperator::Exists),
        case(field!(toleration, value), text("logs")),
        case(field!(toleration, effect), Some(TaintEffect::NoExecute)),
        case(field!(toleration, toleration_seconds), Some(30)),
    ]);
    for list in [field!(form, containers), field!(form, init_containers)] {
        cases.extend(container_fields(list.at(container), item));
    }
    let volume = field!(form, volumes);
    cases.push(case(field!(volume.at(item), name), text("data")));
    let source = |at: usize| field!(volume.at(item + at), source);
    cases.extend([
        case(
            variant!(
                source(0),
                VolumeSource::PersistentVolumeClaim { claim_name }
            ),
            text("data"),
        ),
        case(
            variant!(source(1), VolumeSource::EmptyDir { medium }),
            text("Memory"),
        ),
        case(
            variant!(source(1), VolumeSource::EmptyDir { size_limit }),
            text("1Gi"),
        ),
        case(
            variant!(source(2), VolumeSource::HostPath { path }),
            text("/var/log"),
        ),
        case(
            variant!(source(2), VolumeSource::HostPath { path_type }),
            Some(HostPathType::Directory),
        ),
        case(
            variant!(source(3), VolumeSource::ConfigMap { name }),
            text("config"),
        ),
        case(
            variant!(source(4), VolumeSource::Secret { secret_name }),
            text("token"),
        ),
    ]);
    let claim = Lens::claims().at(item);
    cases.extend([
        case(field!(claim, name), text("cache")),
        case(field!(claim, storage_class_name), text("fast")),
        case(field!(claim, size), text("1Gi")),
        case(field!(claim, access_modes), vec![AccessMode::ReadWriteMany]),
    ]);
    cases
}

fn container_fields(container: Lens<ContainerForm>, item: usize) -> Vec<Case> {
    let resources = field!(container, resources);
    let (requests, limits) = (field!(resources, requests), field!(resources, limits));
    let port = field!(container, ports).at(item);
    let mount = field!(container, volume_mounts).at(item);
    let context = field!(container, security_context);
    let mut cases = vec![
        case(field!(container, name), text("agent")),
        case(field!(container, image), text("agent:1")),
        case(
            field!(container, image_pull_policy),
            Some(PullPolicy::Always),
        ),
        case(field!(container, command), vec![text("run")]),
        case(field!(container, args), vec![text("--verbose")]),
        case(field!(requests, cpu), text("100m")),
        case(field!(requests, memory), text("64Mi")),
        case(field!(limits, cpu), text("1")),
        case(field!(limits, memory), text("128Mi")),
        case(field!(port, name), text("metrics")),
        case(field!(port, container_port), Some(9100)),
        case(field!(port, protocol), Protocol::Udp),
        case(field!(port, host_port), Some(9100)),
        case(field!(port, host_ip), text("0.0.0.0")),
        case(field!(mount, name), text("data")),
        case(field!(mount, mount_path), text("/data")),
        case(field!(mount, sub_path), text("logs")),
        case(field!(mount, read_only), true),
        case(field!(context, privileged), Some(true)),
        case(field!(context, run_as_user), Some(1000)),
        case(field!(context, run_as_non_root), Some(true)),
        case(field!(context, read_only_root_filesystem), Some(true)),
        case(field!(context, allow_privilege_escalation), Some(false)),
        case(field!(context, capabilities_add), vec![text("NET_ADMIN")]),
        case(field!(context, capabilities_drop), vec![text("ALL")]),
    ];
    let env = field!(container, env);
    cases.push(case(field!(env.at(item), name), text("NODE")));
    let source = |at: usize| field!(env.at(item + at), source);
    cases.extend([
        case(variant!(source(0), EnvSource::Value(value)), text("x")),
        case(
            variant!(source(1), EnvSource::ConfigMapKey { name }),
            text("config"),
        ),
        case(
            variant!(source(1), EnvSource::ConfigMapKey { key }),
            text("level"),
        ),
        case(
            variant!(source(2), EnvSource::SecretKey { name }),
            text("token"),
        ),
        case(
            variant!(source(2), EnvSource::SecretKey { key }),
            text("value"),
        ),
        case(
            variant!(source(3), EnvSource::Field { field_path }),
            text("status.hostIP"),
        ),
    ]);
    let env_from = field!(container, env_from).at(item);
    cases.extend([
        case(field!(env_from, kind), EnvFromKind::Secret),
        // As the wizard binds it: under the key the entry's kind names (a ConfigMap here).
        case(
            field!(env_from.within(EnvFromKind::ConfigMap.as_str()), name),
            text("config"),
        ),
        case(field!(env_from, prefix), text("APP_")),
    ]);
    let probes = [
        field!(container, liveness_probe),
        field!(container, readiness_probe),
        field!(container, startup_probe),
    ];
    for probe in &probes {
        let settings = probe.then(Option::as_ref, Option::as_mut);
        cases.extend([
            case(field!(settings, initial_delay_seconds), Some(5)),
            case(field!(settings, period_seconds), Some(10)),
            case(field!(settings, timeout_seconds), Some(2)),
            case(field!(settings, failure_threshold), Some(3)),
        ]);
    }
    // Each probe holds one kind of handler in the form below.
    let action = |probe: &Lens<Option<ProbeForm>>| {
        field!(probe.then(Option::as_ref, Option::as_mut), action)
    };
    let [liveness, readiness, startup] = &probes;
    cases.extend([
        case(
            variant!(action(liveness), ProbeAction::HttpGet { path }),
            text("/healthz"),
        ),
        case(
            variant!(action(liveness), ProbeAction::HttpGet { port }),
            text("8080"),
        ),
        case(
            variant!(action(readiness), ProbeAction::TcpSocket { port }),
            text("metrics"),
        ),
        case(
            variant!(action(startup), ProbeAction::Exec { command }),
            vec![text("true")],
        ),
    ]);
    cases
}

/// A form with `count` more items in every list than a case needs, each variant of a list's
/// enum at an item of its own, and the fields left empty for the case to fill.
fn form_with_items(count: usize) -> DraftForm {
    let many = |n: usize| count + n;
    let container = ContainerForm {
        ports: vec![PortForm::default(); many(1)],
        env: (0..many(4))
            .map(|index| EnvVarForm {
                source: match index.saturating_sub(count) {
                    0 => EnvSource::Value(String::new()),
                    1 => EnvSource::ConfigMapKey {
                        name: String::new(),
                        key: String::new(),
                    },
                    2 => EnvSource::SecretKey {
                        name: String::new(),
                        key: String::new(),
                    },
                    _ => EnvSource::Field {
                        field_path: String::new(),
                    },
                },
                ..EnvVarForm::default()
            })
            .collect(),
        env_from: vec![EnvFromForm::default(); many(1)],
        volume_mounts: vec![VolumeMountForm::default(); many(1)],
        liveness_probe: Some(ProbeForm::default()),
        readiness_probe: Some(ProbeForm {
            action: ProbeAction::TcpSocket {
                port: String::new(),
            },
            ..ProbeForm::default()
        }),
        startup_probe: Some(ProbeForm {
            action: ProbeAction::Exec {
                command: Vec::new(),
            },
            ..ProbeForm::default()
        }),
        ..ContainerForm::default()
    };
    let sources = [
        VolumeSource::PersistentVolumeClaim {
            claim_name: String::new(),
        },
        VolumeSource::default(),
        VolumeSource::HostPath {
            path: String::new(),
            path_type: None,
        },
        VolumeSource::ConfigMap {
            name: String::new(),
        },
        VolumeSource::Secret {
            secret_name: String::new(),
        },
    ];
    let mut form = Draft::new_daemonset("ops").form();
    let ds = &mut form.daemon_set;
    ds.containers = vec![container.clone(); many(1)];
    ds.init_containers = vec![container; many(1)];
    ds.volumes = (0..many(5))
        .map(|index| VolumeForm {
            source: sources[index.saturating_sub(count).min(4)].clone(),
            ..VolumeForm::default()
        })
        .collect();
    // A map's rows need keys of their own to stay rows.
    let rows = (0..many(1)).map(|row| KeyValue::new(format!("key-{row}"), ""));
    ds.labels = rows.clone().collect();
    ds.node_selector = rows.collect();
    ds.tolerations = vec![TolerationForm::default(); many(1)];
    form.claims = vec![ClaimForm::default(); many(1)];
    form
}

/// The value at `path` in the documents. A map edited as rows is addressed by row: its `[n]`
/// is the n-th entry, whose `key` and `value` are the entry's halves.
fn value_at<'a>(draft: &'a Draft, path: &FieldPath) -> Option<Value> {
    let kind = |document: &&'a Value| document["kind"].as_str() == Some("DaemonSet");
    let mut node = match path.subject() {
        Subject::DaemonSet => draft.documents().find(kind)?.clone(),
        Subject::Claim(index) => draft.documents().filter(|d| !kind(d)).nth(index)?.clone(),
    };
    let mut segments = path.segments().iter().peekable();
    while let Some(segment) = segments.next() {
        node = match (segment, &node) {
            (Segment::Key(key), Value::Mapping(map)) => map.get(key.as_str())?.clone(),
            (Segment::Index(index), Value::Sequence(items)) => items.get(*index)?.clone(),
            (Segment::Index(index), Value::Mapping(map)) => {
                let (key, value) = map.iter().nth(*index)?;
                match segments.next()? {
                    Segment::Key(half) if half == "key" => key.clone(),
                    Segment::Key(half) if half == "value" => value.clone(),
                    _ => return None,
                }
            }
            _ => return None,
        };
    }
    (!node.is_null()).then_some(node)
}

#[test]
fn every_wizard_field_at_any_index_writes_its_value_at_its_own_path() {
    for index in 0..3 {
        let base = form_with_items(index);
        for case in wizard_fields(index, index) {
            let mut form = base.clone();
            (case.set)(&mut form);
            let mut draft = Draft::new_daemonset("ops");
            draft.apply(&form);
            assert!(
                value_at(&draft, &case.path).is_some(),
                "nothing at {} in\n{}",
                case.path,
                draft.to_yaml()
            );
        }
    }
}

#[test]
fn every_wizard_field_has_a_path_of_its_own() {
    let mut paths: Vec<String> = wizard_fields(0, 0)
        .iter()
        .map(|case| case.path.to_string())
        .collect();
    let count = paths.len();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), count);
}

proptest! {
    #[test]
    fn every_wizard_field_is_found_again_from_the_apiservers_spelling_of_its_path(
        container in 0usize..3,
        item in 0usize..5,
    ) {
        for case in wizard_fields(container, item) {
            let cause = case.path.in_document();
            prop_assert_eq!(FieldPath::parse(case.path.subject(), &cause), Some(case.path));
        }
    }

}

/// A draft that passes validation, to break through one lens at a time.
fn valid() -> DraftForm {
    let mut form = Draft::new_daemonset("logging").form();
    let ds = &mut form.daemon_set;
    ds.name = "agent".into();
    ds.labels = vec![KeyValue::new("app", "agent")];
    ds.containers[0].name = "agent".into();
    ds.containers[0].image = "agent:1".into();
    ds.containers[0].ports = vec![PortForm {
        container_port: Some(9100),
        ..PortForm::default()
    }];
    ds.containers[0].env_from = vec![EnvFromForm {
        kind: EnvFromKind::Secret,
        name: "token".into(),
        ..EnvFromForm::default()
    }];
    ds.volumes = vec![VolumeForm {
        name: "logs".into(),
        source: VolumeSource::HostPath {
            path: "/var/log".into(),
            path_type: None,
        },
    }];
    ds.tolerations = vec![TolerationForm {
        operator: TolerationOperator::Exists,
        ..TolerationForm::default()
    }];
    form.claims = vec![ClaimForm {
        name: "cache".into(),
        size: "1Gi".into(),
        access_modes: vec![AccessMode::ReadWriteMany],
        ..ClaimForm::default()
    }];
    form
}

#[test]
fn validation_reports_a_bad_value_at_the_lens_that_wrote_it() {
    let form = field!(Lens::root(), daemon_set);
    let container = field!(form, containers).at(0);
    let resources = field!(container, resources);
    let port = field!(container, ports).at(0);
    let env_from = field!(container, env_from).at(0);
    let volume = field!(form, volumes).at(0);
    let strategy = field!(form, update_strategy);
    let bad = [
        case(field!(form, name), text("Agent_1")),
        case(field!(form, namespace), String::new()),
        case(field!(field!(form, labels).at(0), key), text("bad key")),
        case(field!(form, min_ready_seconds), Some(-1)),
        case(field!(form, priority_class_name), text("Not_A_Name")),
        case(
            variant!(strategy, UpdateStrategy::RollingUpdate { max_surge }),
            text("1.5"),
        ),
        case(field!(container, image), String::new()),
        case(field!(field!(resources, limits), memory), text("12mb")),
        case(field!(port, host_port), Some(70_000)),
        case(field!(port, host_ip), text("localhost")),
        case(
            field!(env_from.within(EnvFromKind::Secret.as_str()), name),
            String::new(),
        ),
        case(
            field!(field!(container, security_context), run_as_user),
            Some(-1),
        ),
        case(field!(volume, name), text("Logs")),
        case(
            variant!(field!(volume, source), VolumeSource::HostPath { path }),
            String::new(),
        ),
        case(
            field!(field!(form, tolerations).at(0), toleration_seconds),
            Some(30),
        ),
        case(field!(Lens::claims().at(0), size), text("1 GB")),
        case(field!(Lens::claims().at(0), access_modes), Vec::new()),
    ];
    assert!(validate(&valid()).is_valid(), "{:?}", validate(&valid()));
    for case in bad {
        let mut form = valid();
        (case.set)(&mut form);
        let errors = validate(&form).errors;
        assert!(
            errors.iter().any(|issue| issue.path == case.path),
            "no error at {} but {errors:?}",
            case.path
        );
    }
}
