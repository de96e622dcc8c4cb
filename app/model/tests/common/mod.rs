//! Helpers shared by the document model's integration tests.

// Each test binary compiles this module and uses a different part of it.
#![allow(dead_code)]

use console_model::{document::Draft, yaml};
use serde_yaml::Value;

/// A path into a tree: mapping keys, or indices where the node is a sequence.
pub type Path<'a> = &'a [&'a str];

/// Reads a fixture from `tests/manifests/`.
pub fn manifest(name: &str) -> String {
    let path = format!("{}/tests/manifests/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Parses every document of a text as kubectl does, skipping empty ones, as the draft does.
pub fn documents(text: &str) -> Vec<Value> {
    yaml::read(text)
        .unwrap()
        .into_iter()
        .filter(|v| !v.is_null())
        .collect()
}

/// The documents as the console writes them, so key order is part of the comparison (a
/// `Mapping`'s `==` ignores order).
pub fn print(documents: &[Value]) -> String {
    yaml::write_all(documents)
}

/// The draft's documents, cloned.
pub fn trees(draft: &Draft) -> Vec<Value> {
    draft.documents().cloned().collect()
}

/// The node at a path.
pub fn at<'v>(node: &'v Value, path: Path) -> Option<&'v Value> {
    path.iter().try_fold(node, |node, step| match node {
        Value::Sequence(items) => items.get(step.parse::<usize>().ok()?),
        Value::Mapping(map) => map.get(*step),
        _ => None,
    })
}

fn remove(node: &mut Value, path: Path) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = node;
    for step in parents {
        let next = match current {
            Value::Sequence(items) => step.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            Value::Mapping(map) => map.get_mut(*step),
            _ => None,
        };
        let Some(next) = next else { return };
        current = next;
    }
    if let Value::Mapping(map) = current {
        map.shift_remove(*last);
    }
}

/// Asserts that `edited` differs from `original` only at `path`: with the path removed from
/// both (and any mapping the edit created on the way), the trees are equal, key order included.
pub fn assert_only_changed(original: &Value, edited: &Value, path: Path) {
    let mut original = original.clone();
    let mut edited = edited.clone();
    remove(&mut original, path);
    remove(&mut edited, path);
    for depth in (1..path.len()).rev() {
        let prefix = &path[..depth];
        let created_and_empty = at(&original, prefix).is_none()
            && at(&edited, prefix)
                .and_then(Value::as_mapping)
                .is_some_and(|m| m.is_empty());
        if created_and_empty {
            remove(&mut edited, prefix);
        }
    }
    assert_eq!(edited, original, "trees differ outside {path:?}");
    assert_eq!(
        yaml::write(&edited),
        yaml::write(&original),
        "key order differs outside {path:?}"
    );
}
