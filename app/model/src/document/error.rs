//! Why a text could not become a draft, or a draft could not become JSON. Each variant says
//! where (line and column, or which `---` document, counted from 1) so the user can fix it.

use crate::yaml;

/// Why imported YAML or JSON is not a DaemonSet the console can create.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The text is not a manifest kubectl would read (not YAML or JSON, or YAML that JSON
    /// cannot carry), with the line and column for the editor's marker.
    #[error("the text could not be read: {0}")]
    Syntax(#[from] yaml::Error),
    /// A document is a list or a scalar instead of a Kubernetes object.
    #[error("document {document} is {found}, not a Kubernetes object (a mapping of fields)")]
    NotAnObject {
        document: usize,
        found: &'static str,
    },
    /// A document has no `kind`.
    #[error("document {document} has no `kind`; set `kind: DaemonSet` (or PersistentVolumeClaim)")]
    MissingKind { document: usize },
    /// A document is some other kind of object.
    #[error(
        "document {document} is a {kind}{}; the console creates DaemonSets (with any new \
         PersistentVolumeClaims they mount)",
        named(.name)
    )]
    UnsupportedKind {
        document: usize,
        kind: String,
        name: Option<String>,
    },
    /// A DaemonSet or claim in an API version the console does not write.
    #[error("document {document} is a {kind} in `{api_version}`; use `apiVersion: {expected}`")]
    UnsupportedApiVersion {
        document: usize,
        kind: String,
        api_version: String,
        expected: &'static str,
    },
    /// No document is a DaemonSet (including empty text).
    #[error(
        "there is no DaemonSet; add a document with `apiVersion: apps/v1` and `kind: DaemonSet`"
    )]
    MissingDaemonSet,
    /// More than one document is a DaemonSet.
    #[error("documents {first} and {second} are both DaemonSets; import one DaemonSet at a time")]
    SeveralDaemonSets { first: usize, second: usize },
}

/// Why a draft could not be turned into JSON for the API.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// YAML allows things JSON does not, such as a list or null as a mapping key.
    #[error("document {document} cannot be sent as JSON: {problem}")]
    NotJson {
        document: usize,
        problem: yaml::NotJson,
    },
}

fn named(name: &Option<String>) -> String {
    name.as_ref()
        .map(|name| format!(" (`{name}`)"))
        .unwrap_or_default()
}
