//! Why a text is not a manifest kubectl would read, and where: every refusal carries the line
//! and column (both from 1) so the editor can put its marker there.

/// A refusal at a place in the text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {problem}")]
pub struct Error {
    pub line: usize,
    pub column: usize,
    pub problem: Problem,
}

/// What is wrong, in terms the app can say in the user's language.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Not YAML at all; the parser's own words (libyaml's, the same as kubectl's).
    #[error("{0}")]
    Syntax(String),
    /// Not JSON, for a text that starts like JSON; serde_json's words.
    #[error("{0}")]
    Json(String),
    /// kubectl splits documents at lines starting with `---` and allows only a comment after it.
    #[error("a `---` line may only be followed by a comment, not `{0}`")]
    Separator(String),
    /// `*name` before (or inside) the node that `&name` marks.
    #[error("the alias `*{0}` refers to no anchor defined before it")]
    UnknownAnchor(String),
    /// Aliases that expand to more than a manifest ever holds (a "billion laughs" text).
    #[error("the aliases expand to more than {0} values")]
    ExcessiveAliasing(usize),
    /// Nested deeper than any manifest is.
    #[error("the text is nested deeper than {0} levels")]
    TooDeep(usize),
    /// A mapping key that JSON cannot have.
    #[error("a key must be text, a number or true/false, not {0}")]
    UnsupportedKey(KeyKind),
    /// An explicit tag its value does not fit, e.g. `!!int abc`.
    #[error("`{value}` cannot be read as {tag}")]
    Tag { tag: String, value: String },
    /// `<<:` with something other than a mapping or a list of mappings.
    #[error("`<<` merges mappings only, or a list of mappings")]
    MergeNotMapping,
    /// `.inf` or `.nan`, which JSON (and so the apiserver) cannot carry.
    #[error("`{0}` is not a number JSON can carry")]
    NotJson(String),
}

/// What a key was that JSON cannot have as one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyKind {
    #[error("null")]
    Null,
    #[error("a list")]
    List,
    #[error("a mapping")]
    Mapping,
    /// Above `i64::MAX`: sigs.k8s.io/yaml has no key spelling for Go's `uint64`.
    #[error("a number this large")]
    HugeNumber,
}
