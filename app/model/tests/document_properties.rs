//! Properties of the document model over generated DaemonSets: random known fields in random
//! spellings, random unknown fields at every level, random key order and list lengths.

mod common;

use common::{assert_only_changed, at, documents, print, trees};
use console_model::document::{Draft, DraftForm, EnvSource, UpdateStrategy};
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

type Entry = (String, Value);
type Fields = Vec<BoxedStrategy<Option<Entry>>>;

/// A field that may or may not be present.
fn field(
    key: &'static str,
    value: impl Strategy<Value = Value> + 'static,
) -> BoxedStrategy<Option<Entry>> {
    prop::option::weighted(0.7, value.prop_map(move |v| (key.to_owned(), v))).boxed()
}

/// A field that is nearly always present: the path to the containers, so that most cases
/// have something to edit.
fn likely(
    key: &'static str,
    value: impl Strategy<Value = Value> + 'static,
) -> BoxedStrategy<Option<Entry>> {
    prop::option::weighted(0.95, value.prop_map(move |v| (key.to_owned(), v))).boxed()
}

/// A field that is always present.
fn always(
    key: &'static str,
    value: impl Strategy<Value = Value> + 'static,
) -> BoxedStrategy<Option<Entry>> {
    value.prop_map(move |v| Some((key.to_owned(), v))).boxed()
}

/// A mapping of the given fields plus up to two unknown ones, in a random order.
fn object(known: Fields) -> BoxedStrategy<Value> {
    (
        known,
        prop::collection::vec((unknown_key(), unknown_value()), 0..3),
    )
        .prop_flat_map(|(known, unknown)| {
            let entries: Vec<Entry> = known.into_iter().flatten().chain(unknown).collect();
            Just(entries).prop_shuffle()
        })
        .prop_map(|entries| {
            Value::Mapping(
                entries
                    .into_iter()
                    .map(|(k, v)| (Value::from(k), v))
                    .collect(),
            )
        })
        .boxed()
}

/// Keys no Kubernetes object uses today, standing in for fields added tomorrow.
fn unknown_key() -> impl Strategy<Value = String> {
    "x[A-Z][a-z]{1,6}"
}

fn unknown_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        text(),
        any::<i32>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Sequence),
            prop::collection::vec(("[a-z]{1,5}", inner), 0..3).prop_map(|entries| {
                Value::Mapping(
                    entries
                        .into_iter()
                        .map(|(k, v)| (Value::from(k), v))
                        .collect::<Mapping>(),
                )
            }),
        ]
    })
}

fn text() -> BoxedStrategy<Value> {
    "[a-z0-9/-]{0,10}".prop_map(Value::from).boxed()
}

fn name() -> BoxedStrategy<Value> {
    "[a-z][a-z0-9-]{0,8}".prop_map(Value::from).boxed()
}

/// A number, sometimes spelled as text, as hand-written YAML does.
fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        (0i64..70_000).prop_map(Value::from),
        (0i64..100).prop_map(|n| Value::from(n.to_string())),
    ]
    .boxed()
}

fn flag() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::from),
        Just(Value::from("yes"))
    ]
    .boxed()
}

fn quantity() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::from("100m")),
        Just(Value::from("128Mi")),
        Just(Value::from("1Gi")),
        (1i64..8).prop_map(Value::from),
        Just(Value::from(0.5)),
    ]
    .boxed()
}

fn keyword(words: &'static [&'static str]) -> BoxedStrategy<Value> {
    prop::sample::select(words).prop_map(Value::from).boxed()
}

fn strings(max: usize) -> BoxedStrategy<Value> {
    prop::collection::vec(text(), 0..max)
        .prop_map(Value::Sequence)
        .boxed()
}

fn list(item: BoxedStrategy<Value>, max: usize) -> BoxedStrategy<Value> {
    prop::collection::vec(item, 0..max)
        .prop_map(Value::Sequence)
        .boxed()
}

fn labels() -> BoxedStrategy<Value> {
    prop::collection::vec(("[a-z]{1,3}(\\.io/[a-z]{1,3})?", "[a-z0-9]{0,4}"), 0..4)
        .prop_map(|pairs| {
            Value::Mapping(
                pairs
                    .into_iter()
                    .map(|(k, v)| (Value::from(k), Value::from(v)))
                    .collect(),
            )
        })
        .boxed()
}

fn env_var() -> BoxedStrategy<Value> {
    let reference = |kind: &'static str| {
        object(vec![always(
            kind,
            object(vec![
                field("name", name()),
                field("key", text()),
                field("optional", flag()),
            ]),
        )])
    };
    let source = prop_oneof![
        text().prop_map(|v| Some(("value".to_owned(), v))),
        reference("configMapKeyRef").prop_map(|v| Some(("valueFrom".to_owned(), v))),
        reference("secretKeyRef").prop_map(|v| Some(("valueFrom".to_owned(), v))),
        object(vec![always(
            "fieldRef",
            object(vec![field("fieldPath", text())])
        )])
        .prop_map(|v| Some(("valueFrom".to_owned(), v))),
        object(vec![always(
            "resourceFieldRef",
            object(vec![field("resource", text())])
        )])
        .prop_map(|v| Some(("valueFrom".to_owned(), v))),
        Just(None),
    ];
    object(vec![field("name", text()), source.boxed()])
}

fn env_from() -> BoxedStrategy<Value> {
    let reference = prop_oneof![Just("configMapRef"), Just("secretRef")].prop_flat_map(|kind| {
        object(vec![field("name", name())]).prop_map(move |v| Some((kind.to_owned(), v)))
    });
    object(vec![reference.boxed(), field("prefix", text())])
}

fn port() -> BoxedStrategy<Value> {
    object(vec![
        field("name", name()),
        field("containerPort", number()),
        field("protocol", keyword(&["TCP", "UDP", "SCTP", "tcp"])),
        field("hostPort", number()),
        field("hostIP", text()),
    ])
}

fn probe() -> BoxedStrategy<Value> {
    let handler = prop_oneof![
        object(vec![
            field("path", text()),
            field("port", prop_oneof![number(), name()].boxed())
        ])
        .prop_map(|v| Some(("httpGet".to_owned(), v))),
        object(vec![field("port", number())]).prop_map(|v| Some(("tcpSocket".to_owned(), v))),
        object(vec![field("command", strings(3))]).prop_map(|v| Some(("exec".to_owned(), v))),
        object(vec![field("port", number())]).prop_map(|v| Some(("grpc".to_owned(), v))),
        Just(None),
    ];
    object(vec![
        handler.boxed(),
        field("initialDelaySeconds", number()),
        field("periodSeconds", number()),
        field("timeoutSeconds", number()),
        field("failureThreshold", number()),
        field("successThreshold", number()),
    ])
}

fn container() -> BoxedStrategy<Value> {
    let amounts = || object(vec![field("cpu", quantity()), field("memory", quantity())]);
    object(vec![
        field("name", name()),
        field("image", text()),
        field(
            "imagePullPolicy",
            keyword(&["Always", "IfNotPresent", "Never", "Sometimes"]),
        ),
        field("command", strings(3)),
        field("args", strings(4)),
        field("ports", list(port(), 3)),
        field("env", list(env_var(), 4)),
        field("envFrom", list(env_from(), 2)),
        field(
            "resources",
            object(vec![
                field("requests", amounts()),
                field("limits", amounts()),
            ]),
        ),
        field(
            "volumeMounts",
            list(
                object(vec![
                    field("name", name()),
                    field("mountPath", text()),
                    field("readOnly", flag()),
                    field("subPath", text()),
                ]),
                3,
            ),
        ),
        field("livenessProbe", probe()),
        field("readinessProbe", probe()),
        field(
            "securityContext",
            object(vec![
                field("privileged", flag()),
                field("runAsUser", number()),
                field("runAsNonRoot", flag()),
                field("readOnlyRootFilesystem", flag()),
                field("allowPrivilegeEscalation", flag()),
                field(
                    "capabilities",
                    object(vec![field("add", strings(3)), field("drop", strings(2))]),
                ),
            ]),
        ),
    ])
}

fn volume() -> BoxedStrategy<Value> {
    let source = prop_oneof![
        object(vec![field("claimName", name()), field("readOnly", flag())])
            .prop_map(|v| Some(("persistentVolumeClaim".to_owned(), v))),
        object(vec![
            field("medium", keyword(&["", "Memory"])),
            field("sizeLimit", quantity())
        ])
        .prop_map(|v| Some(("emptyDir".to_owned(), v))),
        object(vec![
            field("path", text()),
            field("type", keyword(&["Directory", "File", "", "Odd"]))
        ])
        .prop_map(|v| Some(("hostPath".to_owned(), v))),
        object(vec![field("name", name()), field("defaultMode", number())])
            .prop_map(|v| Some(("configMap".to_owned(), v))),
        object(vec![field("secretName", name())]).prop_map(|v| Some(("secret".to_owned(), v))),
        object(vec![field("sources", strings(2))]).prop_map(|v| Some(("projected".to_owned(), v))),
        Just(None),
    ];
    object(vec![field("name", name()), source.boxed()])
}

fn toleration() -> BoxedStrategy<Value> {
    object(vec![
        field("key", text()),
        field("operator", keyword(&["Equal", "Exists"])),
        field("value", text()),
        field(
            "effect",
            keyword(&["NoSchedule", "PreferNoSchedule", "NoExecute"]),
        ),
        field("tolerationSeconds", number()),
    ])
}

fn daemon_set() -> BoxedStrategy<Value> {
    let pod_spec = object(vec![
        likely(
            "containers",
            prop::collection::vec(container(), 1..4).prop_map(Value::Sequence),
        ),
        field("initContainers", list(container(), 2)),
        field("volumes", list(volume(), 4)),
        field("nodeSelector", labels()),
        field("tolerations", list(toleration(), 3)),
        field("hostNetwork", flag()),
        field("hostPID", flag()),
        field("priorityClassName", text()),
    ]);
    let strategy = object(vec![
        field("type", keyword(&["RollingUpdate", "OnDelete"])),
        field(
            "rollingUpdate",
            object(vec![
                field(
                    "maxUnavailable",
                    prop_oneof![number(), Just(Value::from("25%"))].boxed(),
                ),
                field("maxSurge", number()),
            ]),
        ),
    ]);
    // Labels generated once and reused, so the selector follows them in about half the cases.
    labels()
        .prop_flat_map(move |shared| {
            let same_or_other = || prop_oneof![Just(shared.clone()), labels()].boxed();
            let annotations = prop_oneof![
                labels(),
                text().prop_map(|alias| {
                    let mut map = Mapping::new();
                    map.insert("kubesphere.io/alias-name".into(), alias);
                    Value::Mapping(map)
                }),
            ];
            object(vec![
                always("apiVersion", Just(Value::from("apps/v1"))),
                always("kind", Just(Value::from("DaemonSet"))),
                field(
                    "metadata",
                    object(vec![
                        field("name", name()),
                        field("namespace", name()),
                        field("labels", same_or_other()),
                        field("annotations", annotations.boxed()),
                    ]),
                ),
                likely(
                    "spec",
                    object(vec![
                        field(
                            "selector",
                            object(vec![field("matchLabels", same_or_other())]),
                        ),
                        likely(
                            "template",
                            object(vec![
                                field("metadata", object(vec![field("labels", same_or_other())])),
                                likely("spec", pod_spec.clone()),
                            ]),
                        ),
                        field("updateStrategy", strategy.clone()),
                        field("minReadySeconds", number()),
                    ]),
                ),
                field("status", unknown_value()),
            ])
        })
        .boxed()
}

fn claim() -> BoxedStrategy<Value> {
    object(vec![
        always("apiVersion", Just(Value::from("v1"))),
        always("kind", Just(Value::from("PersistentVolumeClaim"))),
        field(
            "metadata",
            object(vec![field("name", name()), field("namespace", name())]),
        ),
        field(
            "spec",
            object(vec![
                field(
                    "accessModes",
                    list(keyword(&["ReadWriteOnce", "ReadWriteMany", "Odd"]), 3),
                ),
                field("storageClassName", text()),
                field(
                    "resources",
                    object(vec![field(
                        "requests",
                        object(vec![field("storage", quantity())]),
                    )]),
                ),
            ]),
        ),
    ])
}

/// A DaemonSet with up to two claims, the claims before or after it.
fn draft_documents() -> impl Strategy<Value = Vec<Value>> {
    (daemon_set(), prop::collection::vec(claim(), 0..3)).prop_flat_map(|(ds, claims)| {
        let documents: Vec<Value> = std::iter::once(ds).chain(claims).collect();
        Just(documents).prop_shuffle()
    })
}

/// One edit of one wizard field, and the path in the DaemonSet it should change.
type Edit = fn(&mut DraftForm) -> Option<Vec<String>>;

fn path(steps: &[&str]) -> Option<Vec<String>> {
    Some(steps.iter().map(|s| (*s).to_owned()).collect())
}

const POD: [&str; 3] = ["spec", "template", "spec"];

fn pod_path(steps: &[&str]) -> Option<Vec<String>> {
    path(&[&POD[..], steps].concat())
}

const EDITS: &[Edit] = &[
    |f| {
        f.daemon_set.name = "edited-name".into();
        path(&["metadata", "name"])
    },
    |f| {
        f.daemon_set.description = "edited description".into();
        path(&["metadata", "annotations", "kubesphere.io/description"])
    },
    |f| {
        f.daemon_set.containers.first_mut()?.image = "edited:1".into();
        pod_path(&["containers", "0", "image"])
    },
    |f| {
        f.daemon_set.containers.first_mut()?.resources.limits.memory = "3Gi".into();
        pod_path(&["containers", "0", "resources", "limits", "memory"])
    },
    |f| {
        let container = f.daemon_set.init_containers.first_mut()?;
        container.security_context.privileged = Some(true);
        pod_path(&["initContainers", "0", "securityContext", "privileged"])
    },
    |f| {
        let container = f.daemon_set.containers.first_mut()?;
        let last = container.env.len().checked_sub(1)?;
        container.env[last].name = "EDITED".into();
        pod_path(&["containers", "0", "env", &last.to_string(), "name"])
    },
    |f| {
        let container = f.daemon_set.containers.first_mut()?;
        match &mut container.env.first_mut()?.source {
            EnvSource::ConfigMapKey { key, .. } | EnvSource::SecretKey { key, .. } => {
                *key = "edited-key".into();
                let kind = match container.env[0].source {
                    EnvSource::ConfigMapKey { .. } => "configMapKeyRef",
                    _ => "secretKeyRef",
                };
                pod_path(&["containers", "0", "env", "0", "valueFrom", kind, "key"])
            }
            _ => None,
        }
    },
    |f| {
        f.daemon_set
            .containers
            .first_mut()?
            .ports
            .first_mut()?
            .container_port = Some(4242);
        pod_path(&["containers", "0", "ports", "0", "containerPort"])
    },
    |f| {
        let mount = f
            .daemon_set
            .containers
            .first_mut()?
            .volume_mounts
            .first_mut()?;
        mount.mount_path = "/edited".into();
        pod_path(&["containers", "0", "volumeMounts", "0", "mountPath"])
    },
    |f| {
        let probe = f
            .daemon_set
            .containers
            .first_mut()?
            .readiness_probe
            .as_mut()?;
        probe.period_seconds = Some(7);
        pod_path(&["containers", "0", "readinessProbe", "periodSeconds"])
    },
    |f| {
        f.daemon_set.volumes.first_mut()?.name = "edited-volume".into();
        pod_path(&["volumes", "0", "name"])
    },
    |f| {
        f.daemon_set.tolerations.first_mut()?.value = "edited".into();
        pod_path(&["tolerations", "0", "value"])
    },
    |f| {
        let row = f.daemon_set.node_selector.first_mut()?;
        row.value = "edited".into();
        let key = row.key.clone();
        pod_path(&["nodeSelector", &key])
    },
    |f| {
        f.daemon_set.host_network = true;
        pod_path(&["hostNetwork"])
    },
    |f| {
        f.daemon_set.priority_class_name = "edited-priority".into();
        pod_path(&["priorityClassName"])
    },
    |f| {
        let UpdateStrategy::RollingUpdate {
            max_unavailable, ..
        } = &mut f.daemon_set.update_strategy
        else {
            return None;
        };
        *max_unavailable = "33%".into();
        path(&["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"])
    },
    |f| {
        f.daemon_set.min_ready_seconds = Some(42);
        path(&["spec", "minReadySeconds"])
    },
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    /// (a) Reading and writing back with no edit gives the input, values and key order.
    #[test]
    fn an_unedited_form_writes_back_the_input(input in draft_documents()) {
        let text = print(&input);
        let mut draft = Draft::from_yaml(&text).unwrap();
        let form = draft.form();
        draft.apply(&form);
        prop_assert_eq!(trees(&draft), input);
        prop_assert_eq!(draft.to_yaml(), text);
    }

    /// (c) Text to draft to text to draft is stable.
    #[test]
    fn text_round_trips_are_stable(input in draft_documents()) {
        let first = Draft::from_yaml(&print(&input)).unwrap();
        let text = first.to_yaml();
        let second = Draft::from_yaml(&text).unwrap();
        prop_assert_eq!(&second.form(), &first.form());
        prop_assert_eq!(second.to_yaml(), text);
        prop_assert_eq!(documents(&second.to_yaml()), trees(&first));
    }

    /// The JSON sent to the API reads back to the same values (its keys are sorted, so
    /// order is not compared).
    #[test]
    fn json_output_reads_back_to_the_same_values(input in draft_documents()) {
        let from_yaml = Draft::from_yaml(&print(&input)).unwrap();
        let json = serde_json::to_string(&from_yaml.to_json_documents().unwrap()).unwrap();
        let from_json = Draft::from_json(&json).unwrap();
        prop_assert_eq!(trees(&from_json), trees(&from_yaml));
    }
}

proptest! {
    // Each edit applies to only some generated DaemonSets, so this one runs longer.
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// (b) Editing one wizard field changes that path and nothing else, and reads back.
    #[test]
    fn one_edit_changes_one_path(input in draft_documents(), choice in 0..EDITS.len()) {
        let mut draft = Draft::from_yaml(&print(&input)).unwrap();
        let before = draft.daemon_set().clone();
        let mut form = draft.form();
        let Some(edited_path) = EDITS[choice](&mut form) else {
            return Ok(());
        };
        draft.apply(&form);
        let steps: Vec<&str> = edited_path.iter().map(String::as_str).collect();
        assert_only_changed(&before, draft.daemon_set(), &steps);
        prop_assert!(at(draft.daemon_set(), &steps).is_some());
        prop_assert_eq!(draft.form(), form);
        let claims_before: Vec<_> = input.iter().filter(|d| d["kind"] != "DaemonSet").collect();
        let claims_after: Vec<_> = draft.documents().filter(|d| d["kind"] != "DaemonSet").collect();
        prop_assert_eq!(claims_after, claims_before);
    }
}
