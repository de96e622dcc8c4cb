//! The one document model behind the create wizard, YAML import and code mode.
//!
//! A [`Draft`] holds the documents as parsed YAML trees: exactly one `apps/v1` DaemonSet and
//! any number of `v1` PersistentVolumeClaims to create with it. The tree is the truth; the
//! wizard edits a [`DraftForm`] read from it ([`Draft::form`]) and writes it back with
//! [`Draft::apply`], which changes only the fields whose value differs. Everything the wizard
//! does not show (`imagePullSecrets`, `affinity`, `lifecycle`, `mountPropagation`, `status`,
//! other annotations, fields Kubernetes adds next year) stays exactly as it was, key order
//! included. Lists (containers, ports, env, volumes...) are matched by position, so each item
//! keeps its unknown fields; added items are appended, removed ones dropped. Emptying a field
//! removes its key, and any mapping that removal left empty.
//!
//! ```
//! use console_model::document::{Draft, KeyValue, validate};
//!
//! let text = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n";
//! let mut draft = Draft::from_yaml(text)?;
//! let mut form = draft.form();
//! form.daemon_set.labels.push(KeyValue::new("app", "agent"));
//! let problems = validate(&form); // per-field errors for the wizard to show
//! assert!(!problems.is_valid());
//! draft.apply(&form); // the selector follows the new label
//! assert!(draft.to_yaml().contains("matchLabels:\n      app: agent"));
//! # Ok::<(), console_model::document::ReadError>(())
//! ```
//!
//! Text is read and written by [`crate::yaml`], with kubectl's meaning: `defaultMode: 0420` is
//! 272 and `readOnly: yes` is true, as they are to kubectl, and a string such as `"on"` is
//! written quoted so kubectl reads it back as a string.
//!
//! Known limits of the text round trip: YAML comments, anchors and aliases (expanded),
//! quoting style and number spelling (`0420` comes back as `272`, `1e3` as `1000.0`) are not
//! kept; the values are.
//!
//! Layout:
//! - `mod.rs`: [`Draft`] and [`DraftForm`]: reading text, applying the form, writing text.
//! - `error.rs`: [`ReadError`] and [`WriteError`].
//! - `form.rs`: [`DaemonSetForm`] (metadata, labels and the selector rule, update strategy,
//!   node selection).
//! - `container.rs`: [`ContainerForm`] and its ports, env, resources, security context, mounts.
//! - `probe.rs`: [`ProbeForm`].
//! - `volume.rs`: [`VolumeForm`] and [`VolumeSource`].
//! - `claim.rs`: [`ClaimForm`], a new PersistentVolumeClaim.
//! - `lens.rs`: [`Lens`], one value of the form for reading, writing and its path.
//! - `path.rs`: [`FieldPath`], where a field is in Kubernetes' spelling, from the keys each
//!   form type declares once with its fields ([`Keyed`]).
//! - `step.rs`: [`Step`], which wizard step shows a field.
//! - `validate.rs`: [`validate()`], per-field errors and warnings at their fields' paths.
//! - `quantity.rs`: [`Quantity`], exact parsing and comparison of `100m`, `1Gi`, `1e3`.
//! - `names.rs`: DNS-1123 names, label keys and values, port names.
//! - `tree.rs`: reading and writing the YAML tree by path, only where a value differs.

mod claim;
mod container;
mod error;
mod form;
mod lens;
mod names;
mod path;
mod probe;
mod quantity;
mod step;
mod tree;
mod validate;
mod volume;

use serde_yaml::Value;

pub use crate::{field, variant};
pub use claim::{AccessMode, ClaimForm};
pub use container::{
    ContainerForm, EnvFromForm, EnvFromKind, EnvSource, EnvVarForm, PortForm, Protocol, PullPolicy,
    ResourceAmounts, ResourcesForm, SecurityContextForm, VolumeMountForm,
};
pub use error::{ReadError, WriteError};
pub use form::{
    ALIAS_ANNOTATION, DESCRIPTION_ANNOTATION, DaemonSetForm, TaintEffect, TolerationForm,
    TolerationOperator, UpdateStrategy,
};
pub use lens::Lens;
pub use names::{are_object_names, is_dns_label, is_dns_subdomain};
pub use path::{FieldPath, Keyed, Keys, Segment};
pub use probe::{ProbeAction, ProbeForm};
pub use quantity::{Quantity, QuantityError};
pub use step::Step;
pub use tree::{KeyValue, OneOf};
pub use validate::{Issue, Problem, Subject, Validation, validate};
pub use volume::{HostPathType, VolumeForm, VolumeSource};

use crate::yaml;
use path::keys;
use tree::{Node, read, write};

/// A DaemonSet and the new claims it mounts, kept as the YAML trees they were read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// In the order they were read; new claims are appended.
    documents: Vec<Document>,
}

#[derive(Clone, Debug, PartialEq)]
struct Document {
    kind: Kind,
    value: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    DaemonSet,
    Claim,
}

/// One object a create sends: which of the draft's it is, where it goes, and the JSON itself.
#[derive(Clone, Debug, PartialEq)]
pub struct NewObject {
    pub subject: Subject,
    /// The API collection it is created in (`/apis/apps/v1/namespaces/logging/daemonsets`).
    pub collection: String,
    pub namespace: String,
    pub name: String,
    pub object: serde_json::Value,
}

/// Everything the wizard edits: the DaemonSet and its new claims, in document order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftForm {
    pub daemon_set: DaemonSetForm,
    pub claims: Vec<ClaimForm>,
}

// Each is a document of its own: the paths of their fields start at the document.
keys!(DraftForm => DraftKeys {
    daemon_set: &[],
    claims: &[],
});

/// What the wizard starts from. Empty `name`/`image` keys are there so code mode shows what
/// to fill in; the label maps so the selector is written next to them.
const NEW_DAEMON_SET: &str = "\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ''
  namespace: ''
  labels: {}
spec:
  selector:
    matchLabels: {}
  template:
    metadata:
      labels: {}
    spec:
      containers:
      - name: ''
        image: ''
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
";

/// Every document's project, where the DaemonSet's form has it.
const NAMESPACE: Keys = DaemonSetForm::KEYS.namespace;

impl Draft {
    /// A fresh DaemonSet in a project: rolling updates one node at a time, one empty
    /// container, no claims.
    pub fn new_daemonset(namespace: &str) -> Self {
        let mut value = yaml::read(NEW_DAEMON_SET)
            .ok()
            .and_then(|documents| documents.into_iter().next())
            .expect("the built-in template is valid YAML");
        write(&mut value, NAMESPACE, &namespace.to_owned());
        Self {
            documents: vec![Document {
                kind: Kind::DaemonSet,
                value,
            }],
        }
    }

    /// Reads a manifest as kubectl does ([`yaml::read`]): YAML documents separated by `---`,
    /// or JSON when the text starts with `{`. Exactly one `apps/v1` DaemonSet and any number
    /// of `v1` PersistentVolumeClaims; empty documents are skipped.
    pub fn from_yaml(text: &str) -> Result<Self, ReadError> {
        Self::from_documents(yaml::read(text)?)
    }

    /// Reads JSON: one or more objects, or an array of objects read like YAML documents.
    pub fn from_json(text: &str) -> Result<Self, ReadError> {
        Self::from_documents(yaml::read_json(text)?)
    }

    fn from_documents(values: Vec<Value>) -> Result<Self, ReadError> {
        let mut documents = Vec::new();
        let mut daemon_set = None;
        for (index, value) in values.into_iter().enumerate() {
            let number = index + 1;
            if value.is_null() {
                continue;
            }
            let kind = classify(number, &value)?;
            if kind == Kind::DaemonSet {
                if let Some(first) = daemon_set {
                    return Err(ReadError::SeveralDaemonSets {
                        first,
                        second: number,
                    });
                }
                daemon_set = Some(number);
            }
            documents.push(Document { kind, value });
        }
        if daemon_set.is_none() {
            return Err(ReadError::MissingDaemonSet);
        }
        Ok(Self { documents })
    }

    /// The form the wizard shows, read from the documents.
    pub fn form(&self) -> DraftForm {
        DraftForm {
            daemon_set: DaemonSetForm::read(self.daemon_set()),
            claims: self.claims().map(ClaimForm::read).collect(),
        }
    }

    /// Writes the form back, changing only what differs. Claims are matched to claim
    /// documents by position: extra ones are appended as new documents, missing ones removed.
    /// A claim whose namespace matched the DaemonSet's (absent counts as empty) follows it
    /// when the project changes; new claims get the DaemonSet's namespace.
    pub fn apply(&mut self, form: &DraftForm) {
        let old_namespace: String = read(self.daemon_set(), NAMESPACE);
        let namespace = &form.daemon_set.namespace;
        form.daemon_set.write(&mut self.daemon_set_mut().value);
        let mut claims = form.claims.iter();
        self.documents.retain_mut(|document| {
            if document.kind != Kind::Claim {
                return true;
            }
            let Some(claim) = claims.next() else {
                return false;
            };
            claim.write(&mut document.value);
            if read::<String>(&document.value, NAMESPACE) == old_namespace {
                write(&mut document.value, NAMESPACE, namespace);
            }
            true
        });
        for claim in claims {
            let mut value = claim.create();
            write(&mut value, NAMESPACE, namespace);
            self.documents.push(Document {
                kind: Kind::Claim,
                value,
            });
        }
    }

    /// The DaemonSet's tree.
    pub fn daemon_set(&self) -> &Value {
        &self
            .documents
            .iter()
            .find(|d| d.kind == Kind::DaemonSet)
            .expect("a draft always holds exactly one DaemonSet")
            .value
    }

    /// Every document's tree, in order.
    pub fn documents(&self) -> impl Iterator<Item = &Value> {
        self.documents.iter().map(|d| &d.value)
    }

    /// The documents as multi-document YAML, in order, separated by `---`, written so that
    /// kubectl reads back the same values.
    pub fn to_yaml(&self) -> String {
        yaml::write_all(self.documents())
    }

    /// One JSON object per document, in order, for the API (each says its own `kind`), as
    /// kubectl would send them.
    pub fn to_json_documents(&self) -> Result<Vec<serde_json::Value>, WriteError> {
        self.documents
            .iter()
            .enumerate()
            .map(|(index, d)| {
                yaml::to_json(&d.value).map_err(|problem| WriteError::NotJson {
                    document: index + 1,
                    problem,
                })
            })
            .collect()
    }

    /// What a create sends, in the order it sends them: the new claims first (so the
    /// DaemonSet's pods find them), the DaemonSet last, each with the API collection it goes to.
    pub fn objects_to_create(&self) -> Result<Vec<NewObject>, WriteError> {
        let objects = self.to_json_documents()?;
        let mut claims = 0;
        let mut daemon_set = None;
        let mut ordered = Vec::with_capacity(objects.len());
        for (document, object) in self.documents.iter().zip(objects) {
            let text = |pointer: &str| {
                object
                    .pointer(pointer)
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let (namespace, name) = (text("/metadata/namespace"), text("/metadata/name"));
            match document.kind {
                Kind::DaemonSet => {
                    daemon_set = Some(NewObject {
                        subject: Subject::DaemonSet,
                        collection: format!("/apis/apps/v1/namespaces/{namespace}/daemonsets"),
                        namespace,
                        name,
                        object,
                    })
                }
                Kind::Claim => {
                    ordered.push(NewObject {
                        subject: Subject::Claim(claims),
                        collection: format!(
                            "/api/v1/namespaces/{namespace}/persistentvolumeclaims"
                        ),
                        namespace,
                        name,
                        object,
                    });
                    claims += 1;
                }
            }
        }
        ordered.extend(daemon_set);
        Ok(ordered)
    }

    fn daemon_set_mut(&mut self) -> &mut Document {
        self.documents
            .iter_mut()
            .find(|d| d.kind == Kind::DaemonSet)
            .expect("a draft always holds exactly one DaemonSet")
    }

    fn claims(&self) -> impl Iterator<Item = &Value> {
        self.documents
            .iter()
            .filter(|d| d.kind == Kind::Claim)
            .map(|d| &d.value)
    }
}

/// Decides what a document is, or why the console cannot take it.
fn classify(document: usize, value: &Value) -> Result<Kind, ReadError> {
    let found = match value {
        Value::Mapping(_) => None,
        Value::Sequence(_) => Some("a list"),
        Value::String(_) => Some("text"),
        Value::Number(_) => Some("a number"),
        Value::Bool(_) => Some("true or false"),
        Value::Tagged(_) => Some("a tagged value"),
        Value::Null => Some("empty"),
    };
    if let Some(found) = found {
        return Err(ReadError::NotAnObject { document, found });
    }
    let kind: String = read(value, &["kind"]);
    let api_version: String = read(value, &["apiVersion"]);
    let (expected_kind, expected_version) = match kind.as_str() {
        "" => return Err(ReadError::MissingKind { document }),
        "DaemonSet" => (Kind::DaemonSet, "apps/v1"),
        "PersistentVolumeClaim" => (Kind::Claim, "v1"),
        _ => {
            let name: String = read(value, &["metadata", "name"]);
            return Err(ReadError::UnsupportedKind {
                document,
                kind,
                name: (!name.is_empty()).then_some(name),
            });
        }
    };
    if api_version != expected_version {
        return Err(ReadError::UnsupportedApiVersion {
            document,
            kind,
            api_version,
            expected: expected_version,
        });
    }
    Ok(expected_kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_sends_the_claims_first_and_the_daemonset_last_each_to_its_collection() {
        let text = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: cache, namespace: logging}\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: logging}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: spool, namespace: logging}\n";
        let objects = Draft::from_yaml(text).unwrap().objects_to_create().unwrap();
        let summary: Vec<(Subject, &str, &str)> = objects
            .iter()
            .map(|o| (o.subject, o.collection.as_str(), o.name.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    Subject::Claim(0),
                    "/api/v1/namespaces/logging/persistentvolumeclaims",
                    "cache"
                ),
                (
                    Subject::Claim(1),
                    "/api/v1/namespaces/logging/persistentvolumeclaims",
                    "spool"
                ),
                (
                    Subject::DaemonSet,
                    "/apis/apps/v1/namespaces/logging/daemonsets",
                    "agent"
                ),
            ]
        );
        assert_eq!(objects[2].object["kind"], "DaemonSet");
    }

    const MINIMAL: &str = "\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: ops
spec:
  template:
    spec:
      containers:
      - name: agent
        image: agent:1
";

    const CLAIM: &str = "\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: ops
spec:
  accessModes:
  - ReadWriteMany
  resources:
    requests:
      storage: 1Gi
";

    #[test]
    fn a_new_daemon_set_has_the_wizard_defaults() {
        let draft = Draft::new_daemonset("logging");
        let form = draft.form().daemon_set;
        assert_eq!(form.namespace, "logging");
        assert_eq!(form.containers, [ContainerForm::default()]);
        assert_eq!(
            form.update_strategy,
            UpdateStrategy::RollingUpdate {
                max_unavailable: "1".into(),
                max_surge: String::new()
            }
        );
        assert!(form.selector_follows_labels);
        assert_eq!(draft.daemon_set()["apiVersion"], Value::from("apps/v1"));
        assert_eq!(draft.daemon_set()["kind"], Value::from("DaemonSet"));
    }

    #[test]
    fn several_documents_are_read_and_written_in_order() {
        let text = format!("{CLAIM}---\n{MINIMAL}");
        let draft = Draft::from_yaml(&text).unwrap();
        assert_eq!(draft.form().claims.len(), 1);
        assert_eq!(draft.to_yaml(), text);
    }

    #[test]
    fn empty_documents_are_skipped_but_counted() {
        // The first `---` opens an empty document, the second opens document 2.
        let error = Draft::from_yaml("---\n---\nkind: Service\n").unwrap_err();
        assert_eq!(
            error,
            ReadError::UnsupportedKind {
                document: 2,
                kind: "Service".into(),
                name: None
            }
        );
    }

    #[test]
    fn broken_yaml_reports_line_and_column() {
        let error = Draft::from_yaml("a: 1\n---\nb: [1, 2\nc: 3\n").unwrap_err();
        let ReadError::Syntax(error) = error else {
            panic!("{error:?}")
        };
        assert_eq!((error.line, error.column), (4, 2));
    }

    #[test]
    fn a_list_is_not_an_object() {
        assert_eq!(
            Draft::from_yaml("- a\n- b\n").unwrap_err(),
            ReadError::NotAnObject {
                document: 1,
                found: "a list"
            }
        );
    }

    #[test]
    fn a_document_without_kind_is_rejected() {
        assert_eq!(
            Draft::from_yaml("metadata: {name: x}\n").unwrap_err(),
            ReadError::MissingKind { document: 1 }
        );
    }

    #[test]
    fn an_old_daemon_set_api_version_is_rejected() {
        let text = MINIMAL.replace("apps/v1", "extensions/v1beta1");
        let error = Draft::from_yaml(&text).unwrap_err();
        assert_eq!(
            error,
            ReadError::UnsupportedApiVersion {
                document: 1,
                kind: "DaemonSet".into(),
                api_version: "extensions/v1beta1".into(),
                expected: "apps/v1"
            }
        );
        assert_eq!(
            error.to_string(),
            "document 1 is a DaemonSet in `extensions/v1beta1`; use `apiVersion: apps/v1`"
        );
    }

    #[test]
    fn claims_alone_are_missing_their_daemon_set() {
        assert_eq!(
            Draft::from_yaml(CLAIM).unwrap_err(),
            ReadError::MissingDaemonSet
        );
        assert_eq!(
            Draft::from_yaml("").unwrap_err(),
            ReadError::MissingDaemonSet
        );
    }

    #[test]
    fn json_is_read_in_key_order() {
        let json = r#"[{"kind":"DaemonSet","apiVersion":"apps/v1","metadata":{"name":"a"}}]"#;
        let draft = Draft::from_json(json).unwrap();
        assert_eq!(
            draft.to_yaml(),
            "kind: DaemonSet\napiVersion: apps/v1\nmetadata:\n  name: a\n"
        );
    }

    #[test]
    fn broken_json_reports_line_and_column() {
        let error = Draft::from_json("{\n\"kind\": }").unwrap_err();
        let ReadError::Syntax(error) = error else {
            panic!("{error:?}")
        };
        assert_eq!((error.line, error.column), (2, 9));
    }

    #[test]
    fn json_documents_come_out_one_per_object() {
        let draft = Draft::from_yaml(&format!("{MINIMAL}---\n{CLAIM}")).unwrap();
        let documents = draft.to_json_documents().unwrap();
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0]["kind"], "DaemonSet");
        assert_eq!(
            documents[1]["spec"]["resources"]["requests"]["storage"],
            "1Gi"
        );
    }

    #[test]
    fn an_added_claim_becomes_a_document_in_the_daemon_sets_namespace() {
        let mut draft = Draft::from_yaml(MINIMAL).unwrap();
        let mut form = draft.form();
        form.claims.push(ClaimForm {
            name: "cache".into(),
            storage_class_name: "fast".into(),
            size: "5Gi".into(),
            access_modes: vec![AccessMode::ReadWriteOnce],
        });
        draft.apply(&form);
        let claim = draft.documents().nth(1).unwrap();
        let expected: Value = serde_yaml::from_str(
            "apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: cache, namespace: ops}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  resources: {requests: {storage: 5Gi}}
",
        )
        .unwrap();
        assert_eq!(*claim, expected);
        assert_eq!(draft.form(), form);
    }

    #[test]
    fn a_removed_claim_removes_its_document() {
        let mut draft = Draft::from_yaml(&format!("{CLAIM}---\n{MINIMAL}")).unwrap();
        let mut form = draft.form();
        form.claims.clear();
        draft.apply(&form);
        assert_eq!(draft.to_yaml(), MINIMAL);
    }

    #[test]
    fn claims_follow_the_project() {
        let mut draft = Draft::from_yaml(&format!("{MINIMAL}---\n{CLAIM}")).unwrap();
        let mut form = draft.form();
        form.daemon_set.namespace = "logging".into();
        draft.apply(&form);
        let claim = draft.documents().nth(1).unwrap();
        assert_eq!(claim["metadata"]["namespace"], Value::from("logging"));
    }

    #[test]
    fn applying_an_unedited_form_changes_nothing() {
        let text = format!("{MINIMAL}---\n{CLAIM}");
        let mut draft = Draft::from_yaml(&text).unwrap();
        let before = draft.clone();
        draft.apply(&draft.form());
        assert_eq!(draft, before);
        assert_eq!(draft.to_yaml(), text);
    }
}
