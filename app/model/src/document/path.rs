//! Where a form field lives in the draft, in Kubernetes' own spelling, declared once per field.
//!
//! Every form type names the Kubernetes keys of its fields with [`keys!`], right after its
//! definition. Reading and writing the tree, validation, the wizard's lenses, the step a
//! problem belongs to and the apiserver's causes all take a field's [`FieldPath`] from there,
//! so a path cannot be misspelled in one of them and silently match nothing.

use std::fmt;

use super::Subject;

/// The keys from a form value to one of its fields: usually one, several where the form
/// flattens the object (`capabilities.add`), none where a field is the value itself.
pub type Keys = &'static [&'static str];

/// A form type whose fields know their Kubernetes keys.
pub trait Keyed {
    /// One [`Keys`] per field, named as the fields are (an enum: one per variant, named as
    /// the variant, and one per field of its variants, a field name meaning the same key in
    /// every variant).
    type Keys: 'static;
    const KEYS: Self::Keys;
}

/// Declares the Kubernetes keys of a form type's fields: `keys!(PortForm => PortKeys { name:
/// &["name"], container_port: &["containerPort"] })`.
macro_rules! keys {
    ($form:ident => $keys:ident { $($field:ident: $path:expr),* $(,)? }) => {
        #[doc = concat!("The Kubernetes keys of [`", stringify!($form), "`]'s fields.")]
        #[derive(Clone, Copy, Debug)]
        // An enum's variants are named as they are spelled in the enum.
        #[allow(non_snake_case)]
        pub struct $keys {
            $(pub $field: $crate::document::path::Keys,)*
        }

        impl $crate::document::path::Keyed for $form {
            type Keys = $keys;
            const KEYS: $keys = $keys { $($field: $path,)* };
        }
    };
}
pub(crate) use keys;

/// The keys of a pod template field, from the DaemonSet: `pod!("containers")`.
macro_rules! pod {
    ($key:literal) => {
        &["spec", "template", "spec", $key]
    };
}
pub(crate) use pod;

/// One step of a [`FieldPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A field of the draft: which document, and the path inside it. Shown as Kubernetes spells
/// it (`spec.template.spec.containers[0].image`, a key that is not a plain name in brackets:
/// `metadata.annotations[kubesphere.io/alias-name]`), a new claim's fields after the claim's
/// place (`claims[0]:spec.accessModes`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldPath {
    subject: Subject,
    segments: Vec<Segment>,
}

impl FieldPath {
    /// The top of a document of the draft.
    pub fn of(subject: Subject) -> Self {
        Self {
            subject,
            segments: Vec::new(),
        }
    }

    /// The field `keys` below this one.
    pub fn join(&self, keys: &[&str]) -> Self {
        let mut path = self.clone();
        let keys = keys.iter().map(|key| Segment::Key((*key).to_owned()));
        path.segments.extend(keys);
        path
    }

    /// The item at `index` of the list here.
    pub fn at(&self, index: usize) -> Self {
        let mut path = self.clone();
        path.segments.push(Segment::Index(index));
        path
    }

    /// The document the field is in.
    pub fn subject(&self) -> Subject {
        self.subject
    }

    /// The path inside the document.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether the field is a part of `outer` (and not `outer` itself).
    pub fn is_inside(&self, outer: &FieldPath) -> bool {
        self.subject == outer.subject
            && self.segments.len() > outer.segments.len()
            && self.segments.starts_with(&outer.segments)
    }

    /// What follows `keys` when the path lies at or below them.
    pub fn below(&self, keys: &[&str]) -> Option<&[Segment]> {
        strip_keys(&self.segments, keys)
    }

    /// Reads a path inside one document as the apiserver writes it in `details.causes[].field`,
    /// a map key in brackets (`resources.limits[cpu]`) being the same as after a dot. `None`
    /// for text that is not a path.
    pub fn parse(subject: Subject, text: &str) -> Option<Self> {
        let mut path = Self::of(subject);
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(inner) = rest.strip_prefix('[') {
                let (inside, after) = inner.split_once(']')?;
                path.segments.push(match inside.parse() {
                    Ok(index) => Segment::Index(index),
                    Err(_) => Segment::Key(inside.to_owned()),
                });
                rest = after;
            } else {
                // A dot separates segments; the first key has none before it.
                let name = if path.segments.is_empty() {
                    rest
                } else {
                    rest.strip_prefix('.')?
                };
                let end = name.find(['.', '[']).unwrap_or(name.len());
                if end == 0 {
                    return None;
                }
                path.segments.push(Segment::Key(name[..end].to_owned()));
                rest = &name[end..];
            }
        }
        Some(path)
    }

    /// The path inside its document, as the apiserver and the YAML locator spell it.
    pub fn in_document(&self) -> String {
        let mut text = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Index(index) => text.push_str(&format!("[{index}]")),
                Segment::Key(key) if is_plain(key) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(key);
                }
                Segment::Key(key) => text.push_str(&format!("[{key}]")),
            }
        }
        text
    }
}

/// What follows `keys` at the start of `segments`, if they start with them.
pub(crate) fn strip_keys<'a>(segments: &'a [Segment], keys: &[&str]) -> Option<&'a [Segment]> {
    let prefix = segments.get(..keys.len())?;
    let matches = prefix
        .iter()
        .zip(keys)
        .all(|(segment, key)| matches!(segment, Segment::Key(k) if k == key));
    matches.then(|| &segments[keys.len()..])
}

/// A key that reads back from after a dot: a name, not a number, nothing that separates.
fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key.parse::<usize>().is_err()
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Subject::Claim(index) = self.subject {
            write!(f, "claims[{index}]:")?;
        }
        f.write_str(&self.in_document())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn daemon_set(text: &str) -> FieldPath {
        FieldPath::parse(Subject::DaemonSet, text).unwrap()
    }

    #[test]
    fn a_path_is_shown_as_kubernetes_spells_it() {
        let path = FieldPath::of(Subject::DaemonSet)
            .join(pod!("containers"))
            .at(0)
            .join(&["resources", "limits", "cpu"]);
        assert_eq!(
            path.to_string(),
            "spec.template.spec.containers[0].resources.limits.cpu"
        );
        let alias = FieldPath::of(Subject::DaemonSet).join(&[
            "metadata",
            "annotations",
            "kubesphere.io/alias-name",
        ]);
        assert_eq!(
            alias.to_string(),
            "metadata.annotations[kubesphere.io/alias-name]"
        );
        let claim = FieldPath::of(Subject::Claim(1)).join(&["spec", "accessModes"]);
        assert_eq!(claim.to_string(), "claims[1]:spec.accessModes");
        assert_eq!(claim.in_document(), "spec.accessModes");
    }

    #[test]
    fn a_map_key_in_brackets_is_the_same_field_as_after_a_dot() {
        assert_eq!(
            daemon_set("spec.template.spec.containers[0].resources.requests[cpu]"),
            daemon_set("spec.template.spec.containers[0].resources.requests.cpu")
        );
    }

    #[test]
    fn text_that_is_not_a_path_is_not_read_as_one() {
        for text in ["spec..name", ".spec", "spec.", "spec[0", "spec[0]name"] {
            assert_eq!(FieldPath::parse(Subject::DaemonSet, text), None, "{text}");
        }
    }

    #[test]
    fn a_field_is_inside_the_item_that_holds_it() {
        let container = daemon_set("spec.template.spec.containers[0]");
        assert!(daemon_set("spec.template.spec.containers[0].image").is_inside(&container));
        assert!(!container.is_inside(&container));
        assert!(!daemon_set("spec.template.spec.containers[1].image").is_inside(&container));
    }

    #[test]
    fn below_counts_whole_keys_only() {
        let path = daemon_set("metadata.labelsExtra");
        assert_eq!(path.below(&["metadata", "labels"]), None);
        assert_eq!(
            daemon_set("metadata.labels[2].key").below(&["metadata", "labels"]),
            Some(&[Segment::Index(2), Segment::Key("key".into())][..])
        );
    }

    fn segment() -> impl Strategy<Value = Segment> {
        prop_oneof![
            (0usize..20).prop_map(Segment::Index),
            "[a-zA-Z][a-zA-Z0-9]{0,12}".prop_map(Segment::Key),
            "[a-z]{1,8}\\.io/[a-z-]{1,8}".prop_map(Segment::Key),
        ]
    }

    proptest! {
        #[test]
        fn every_path_reads_back_from_how_it_is_shown(
            claim in proptest::option::of(0usize..4),
            first in "[a-z]{1,8}",
            rest in proptest::collection::vec(segment(), 0..8),
        ) {
            let subject = claim.map_or(Subject::DaemonSet, Subject::Claim);
            let mut segments = vec![Segment::Key(first)];
            segments.extend(rest);
            let path = FieldPath { subject, segments };
            prop_assert_eq!(FieldPath::parse(subject, &path.in_document()), Some(path));
        }
    }
}
