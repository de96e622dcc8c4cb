//! Reading and writing a YAML tree by path, touching a node only when the form's value for it
//! differs from what the tree already says.
//!
//! Every form field goes through [`read()`] and [`write()`] with the same [`Field`] codec, so
//! writing back an unedited form compares equal at every leaf and leaves the tree untouched,
//! whatever odd spelling (`cpu: 1` vs `cpu: "1"`, `hostNetwork: false` vs absent) it used.

use serde_yaml::{Mapping, Value};

use super::path::keys;

/// How a form value is read from, and written to, one node of the tree.
pub(crate) trait Field: PartialEq + Sized {
    /// Reads the value from the node at a path, `None` when the key is absent or null.
    fn decode(node: Option<&Value>) -> Self;
    /// The node to store, or `None` to remove the key (the form field is empty).
    fn encode(&self) -> Option<Value>;
}

/// A part of a form that owns a mapping in the tree: a container, a port, a volume.
pub(crate) trait Node: PartialEq + Sized {
    /// Reads the part from its mapping; anything that is not a mapping reads as empty.
    fn read(node: &Value) -> Self;
    /// Applies the part onto its mapping, changing only the keys whose value differs.
    fn write(&self, node: &mut Value);
    /// A fresh mapping for an item the user added.
    fn create(&self) -> Value {
        let mut node = Value::Mapping(Mapping::new());
        self.write(&mut node);
        node
    }
}

/// The node at `path`, or `None` when a key on the way is missing or the node is null.
pub(crate) fn get<'a>(node: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut current = node;
    for key in path {
        current = current.as_mapping()?.get(*key)?;
    }
    (!current.is_null()).then_some(current)
}

/// Reads one form field.
pub(crate) fn read<T: Field>(node: &Value, path: &[&str]) -> T {
    T::decode(get(node, path))
}

/// Writes one form field if it differs from the tree; an empty field removes its key and any
/// mapping on the path that this removal left empty.
pub(crate) fn write<T: Field>(node: &mut Value, path: &[&str], value: &T) {
    if read::<T>(node, path) == *value {
        return;
    }
    match value.encode() {
        Some(encoded) => set(node, path, encoded),
        None => {
            remove(node, path);
        }
    }
}

/// Reads a list of form parts, one per item of the sequence at `path`.
pub(crate) fn read_list<T: Node>(node: &Value, path: &[&str]) -> Vec<T> {
    match get(node, path) {
        Some(Value::Sequence(items)) => items.iter().map(T::read).collect(),
        _ => Vec::new(),
    }
}

/// Writes a list of form parts by position, so each item keeps the fields the form does not
/// show; added items are appended, removed ones dropped from the end.
pub(crate) fn write_list<T: Node>(node: &mut Value, path: &[&str], items: &[T]) {
    if read_list::<T>(node, path) == items {
        return;
    }
    if items.is_empty() {
        remove(node, path);
        return;
    }
    let sequence = sequence_mut(node, path);
    sequence.truncate(items.len());
    for (index, item) in items.iter().enumerate() {
        match sequence.get_mut(index) {
            Some(existing) => item.write(existing),
            None => sequence.push(item.create()),
        }
    }
}

/// Reads an optional form part (a probe) from the mapping at `path`.
pub(crate) fn read_option<T: Node>(node: &Value, path: &[&str]) -> Option<T> {
    get(node, path).map(T::read)
}

/// Writes an optional form part: `None` removes the whole mapping, unknown fields included,
/// because the user removed the thing it describes.
pub(crate) fn write_option<T: Node>(node: &mut Value, path: &[&str], value: &Option<T>) {
    if read_option::<T>(node, path) == *value {
        return;
    }
    match value {
        None => {
            remove(node, path);
        }
        Some(part) if get(node, path).is_some() => part.write(child_mut(node, path)),
        Some(part) => set(node, path, part.create()),
    }
}

/// A mapping that holds exactly one of several keys (a probe's handler, a volume's source),
/// edited as an enum with one variant per key.
pub trait OneOf: Sized + PartialEq {
    /// The key that holds this variant.
    fn key(&self) -> &str;
    /// Reads the variant from the mapping that holds the key.
    fn read(node: &Value) -> Self;
    /// Writes this variant's fields under its key (`inner` is the key's mapping).
    fn write_fields(&self, inner: &mut Value);

    /// Writes the variant back, only if it differs; switching variants drops the old key and
    /// everything under it, since the API takes exactly one.
    fn write(&self, node: &mut Value) {
        let current = Self::read(node);
        if current == *self {
            return;
        }
        if current.key() != self.key() {
            remove(node, &[current.key()]);
        }
        self.write_fields(child_mut(node, &[self.key()]));
    }
}

/// One row of a string map (labels, node selector) as the form edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

// A map is edited as rows, so its problems are found by row: `metadata.labels[2].key`.
keys!(KeyValue => KeyValueKeys {
    key: &["key"],
    value: &["value"],
});

impl KeyValue {
    /// A row with both halves filled in.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// Reads a string map in the tree's order.
pub(crate) fn read_pairs(node: &Value, path: &[&str]) -> Vec<KeyValue> {
    match get(node, path) {
        Some(Value::Mapping(map)) => map
            .iter()
            .map(|(key, value)| KeyValue::new(text(key), text(value)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Writes a string map: changed values are replaced in place, new keys appended, keys missing
/// from the form removed. Existing keys keep their order.
pub(crate) fn write_pairs(node: &mut Value, path: &[&str], pairs: &[KeyValue]) {
    if read_pairs(node, path) == pairs {
        return;
    }
    if pairs.is_empty() {
        remove(node, path);
        return;
    }
    let map = mapping_mut(child_mut(node, path));
    map.retain(|key, _| pairs.iter().any(|pair| pair.key == text(key)));
    for pair in pairs {
        let existing = map
            .iter_mut()
            .find(|(key, _)| text(key) == pair.key)
            .map(|(_, value)| value);
        match existing {
            Some(value) if text(value) == pair.value => {}
            Some(value) => *value = Value::String(pair.value.clone()),
            None => {
                map.insert(
                    Value::String(pair.key.clone()),
                    Value::String(pair.value.clone()),
                );
            }
        }
    }
}

/// A scalar as the form shows it: strings as they are, numbers and booleans as YAML prints
/// them, anything else (null, lists, maps) as empty.
pub(crate) fn text(node: &Value) -> String {
    match node {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Tagged(tagged) => text(&tagged.value),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) => String::new(),
    }
}

/// The mapping at `path`, created (or replacing a non-mapping) when needed.
pub(crate) fn child_mut<'a>(node: &'a mut Value, path: &[&str]) -> &'a mut Value {
    let mut current = node;
    for key in path {
        current = mapping_mut(current)
            .entry(Value::String((*key).to_owned()))
            .or_insert(Value::Null);
    }
    mapping_mut(current);
    current
}

/// Removes the key at `path`; mappings on the path that this left empty go too. Returns
/// whether anything was removed, so a mapping that was already empty is never pruned.
pub(crate) fn remove(node: &mut Value, path: &[&str]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let Some(map) = node.as_mapping_mut() else {
        return false;
    };
    if rest.is_empty() {
        return map.shift_remove(*first).is_some();
    }
    let removed = map.get_mut(*first).is_some_and(|child| remove(child, rest));
    let emptied = map
        .get(*first)
        .and_then(Value::as_mapping)
        .is_some_and(Mapping::is_empty);
    if removed && emptied {
        map.shift_remove(*first);
    }
    removed
}

fn set(node: &mut Value, path: &[&str], value: Value) {
    *child_value_mut(node, path) = value;
}

/// The node at `path`, creating the mappings on the way; the last one may be anything.
fn child_value_mut<'a>(node: &'a mut Value, path: &[&str]) -> &'a mut Value {
    let mut current = node;
    for key in path {
        current = mapping_mut(current)
            .entry(Value::String((*key).to_owned()))
            .or_insert(Value::Null);
    }
    current
}

fn sequence_mut<'a>(node: &'a mut Value, path: &[&str]) -> &'a mut Vec<Value> {
    let target = child_value_mut(node, path);
    if !target.is_sequence() {
        *target = Value::Sequence(Vec::new());
    }
    match target {
        Value::Sequence(items) => items,
        _ => unreachable!("the node was made a sequence above"),
    }
}

/// Makes the node a mapping (anything else is replaced) and returns it.
fn mapping_mut(node: &mut Value) -> &mut Mapping {
    if !node.is_mapping() {
        *node = Value::Mapping(Mapping::new());
    }
    match node {
        Value::Mapping(map) => map,
        _ => unreachable!("the node was made a mapping above"),
    }
}

impl Field for String {
    fn decode(node: Option<&Value>) -> Self {
        node.map(text).unwrap_or_default()
    }
    fn encode(&self) -> Option<Value> {
        (!self.is_empty()).then(|| Value::String(self.clone()))
    }
}

/// A flag whose absence means `false` (`hostNetwork`, `readOnly`): `false` removes the key.
impl Field for bool {
    fn decode(node: Option<&Value>) -> Self {
        node.and_then(Value::as_bool).unwrap_or(false)
    }
    fn encode(&self) -> Option<Value> {
        self.then_some(Value::Bool(true))
    }
}

/// A flag where unset, `true` and `false` mean three different things (`runAsNonRoot`).
impl Field for Option<bool> {
    fn decode(node: Option<&Value>) -> Self {
        node.and_then(Value::as_bool)
    }
    fn encode(&self) -> Option<Value> {
        self.map(Value::Bool)
    }
}

/// A whole number; `1e3` (a float to YAML) counts, since kubectl sends it as `1000`.
impl Field for Option<i64> {
    fn decode(node: Option<&Value>) -> Self {
        node.and_then(|node| {
            node.as_i64().or_else(|| {
                let float = node.as_f64()?;
                // The cast saturates; the round trip tells whether the value fitted.
                (float.fract() == 0.0 && float as i64 as f64 == float).then_some(float as i64)
            })
        })
    }
    fn encode(&self) -> Option<Value> {
        self.map(Value::from)
    }
}

impl Field for Vec<String> {
    fn decode(node: Option<&Value>) -> Self {
        match node {
            Some(Value::Sequence(items)) => items.iter().map(text).collect(),
            _ => Vec::new(),
        }
    }
    fn encode(&self) -> Option<Value> {
        (!self.is_empty()).then(|| self.iter().cloned().map(Value::String).collect())
    }
}

/// An int-or-string field (`maxUnavailable`, a probe's `port`): digits are written as a
/// number, anything else (`25%`, a port name) as a string.
#[derive(PartialEq)]
pub(crate) struct IntOrString(pub String);

impl Field for IntOrString {
    fn decode(node: Option<&Value>) -> Self {
        Self(String::decode(node))
    }
    fn encode(&self) -> Option<Value> {
        if self.0.is_empty() {
            None
        } else if let Ok(number) = self.0.parse::<i64>() {
            Some(Value::from(number))
        } else {
            Some(Value::String(self.0.clone()))
        }
    }
}

/// Declares a closed set of Kubernetes keywords (`TCP`, `Always`) as a form enum, with the
/// codecs that read and write it.
///
/// `Enum` reads an absent or unknown keyword as its `#[default]` variant (the value Kubernetes
/// assumes); `Option<Enum>` reads them as `None`. Either way an unknown keyword in the tree is
/// left alone until the user picks another value.
macro_rules! keyword_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $keyword:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in the order a picker lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The keyword as Kubernetes spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $keyword,)+
                }
            }

            /// The value for a keyword, `None` for anything Kubernetes would reject.
            pub fn from_keyword(keyword: &str) -> Option<Self> {
                match keyword {
                    $($keyword => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::document::tree::Field for $name {
            fn decode(node: Option<&serde_yaml::Value>) -> Self {
                node.and_then(|n| Self::from_keyword(&$crate::document::tree::text(n)))
                    .unwrap_or_default()
            }
            fn encode(&self) -> Option<serde_yaml::Value> {
                Some(serde_yaml::Value::String(self.as_str().to_owned()))
            }
        }

        impl $crate::document::tree::Field for Option<$name> {
            fn decode(node: Option<&serde_yaml::Value>) -> Self {
                node.and_then(|n| $name::from_keyword(&$crate::document::tree::text(n)))
            }
            fn encode(&self) -> Option<serde_yaml::Value> {
                self.map(|v| serde_yaml::Value::String(v.as_str().to_owned()))
            }
        }

        impl $crate::document::tree::Field for Vec<$name> {
            fn decode(node: Option<&serde_yaml::Value>) -> Self {
                match node {
                    Some(serde_yaml::Value::Sequence(items)) => items
                        .iter()
                        .filter_map(|n| $name::from_keyword(&$crate::document::tree::text(n)))
                        .collect(),
                    _ => Vec::new(),
                }
            }
            fn encode(&self) -> Option<serde_yaml::Value> {
                (!self.is_empty()).then(|| {
                    self.iter()
                        .map(|v| serde_yaml::Value::String(v.as_str().to_owned()))
                        .collect()
                })
            }
        }
    };
}

pub(crate) use keyword_enum;

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    fn keys(node: &Value) -> Vec<String> {
        node.as_mapping().unwrap().keys().map(text).collect()
    }

    #[test]
    fn writing_an_equal_value_leaves_the_original_spelling() {
        let mut tree = yaml("cpu: 1\nflag: false\n");
        write(&mut tree, &["cpu"], &"1".to_owned());
        write(&mut tree, &["flag"], &false);
        assert_eq!(tree, yaml("cpu: 1\nflag: false\n"));
    }

    #[test]
    fn a_changed_value_is_replaced_where_it_stood() {
        let mut tree = yaml("a: 1\nb: x\nc: 3\n");
        write(&mut tree, &["b"], &"y".to_owned());
        assert_eq!(keys(&tree), ["a", "b", "c"]);
        assert_eq!(tree["b"], Value::from("y"));
    }

    #[test]
    fn an_emptied_field_removes_its_key_and_the_maps_it_emptied() {
        let mut tree = yaml("resources:\n  limits:\n    cpu: 1\nname: x\n");
        write(&mut tree, &["resources", "limits", "cpu"], &String::new());
        assert_eq!(tree, yaml("name: x\n"));
    }

    #[test]
    fn a_map_that_was_already_empty_is_not_pruned() {
        let mut tree = yaml("resources: {}\n");
        assert!(!remove(&mut tree, &["resources", "limits"]));
        assert_eq!(tree, yaml("resources: {}\n"));
    }

    #[test]
    fn a_new_field_creates_the_maps_on_its_path() {
        let mut tree = yaml("name: x\n");
        write(&mut tree, &["resources", "limits", "cpu"], &"1".to_owned());
        assert_eq!(tree, yaml("name: x\nresources:\n  limits:\n    cpu: '1'\n"));
    }

    #[test]
    fn string_maps_keep_their_order_and_append_new_keys() {
        let mut tree = yaml("labels:\n  z: 1\n  a: 2\n  m: 3\n");
        let pairs = [
            KeyValue::new("z", "1"),
            KeyValue::new("m", "changed"),
            KeyValue::new("b", "new"),
        ];
        write_pairs(&mut tree, &["labels"], &pairs);
        assert_eq!(keys(&tree["labels"]), ["z", "m", "b"]);
        assert_eq!(tree["labels"]["m"], Value::from("changed"));
    }

    #[test]
    fn int_or_string_writes_digits_as_numbers() {
        assert_eq!(IntOrString("2".into()).encode(), Some(Value::from(2)));
        assert_eq!(IntOrString("25%".into()).encode(), Some(Value::from("25%")));
    }
}
