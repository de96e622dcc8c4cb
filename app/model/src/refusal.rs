//! Which fields an apiserver refusal is about, when it does not list them in `details.causes`:
//! the decoding errors of a 400 Bad Request ("cannot unmarshal string into Go struct field
//! ConfigMapVolumeSource.spec.template.spec.volumes.configMap.defaultMode of type int32"),
//! strict decoding's unknown fields, and malformed quantities.
//!
//! A decoding error names a path without list indices, so the path is looked up in the object
//! that was sent to find the very values of the wrong kind (`volumes[2]`, not every volume).

use serde_json::Value;

use crate::document::Quantity;

/// One field the apiserver could not take, with Kubernetes' spelling of its path
/// (`spec.template.spec.containers[0].env[1].value`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRefusal {
    pub path: String,
    pub reason: Reason,
}

/// Why the field was refused, for the app to say in the user's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The value is of the wrong kind: `found` is JSON's word (`string`, `number`, `bool`,
    /// `array`, `object`), `expected` Go's type (`int32`, `string`, `[]string`).
    WrongType { found: String, expected: String },
    /// A field the API does not have (a typo, or a field of another version).
    UnknownField,
    /// A field given twice.
    DuplicateField,
    /// Not a quantity such as `100m`, `1Gi` or `2`.
    NotQuantity,
}

/// The fields a refusal's message names, found in `object` (what was sent). Empty when the
/// message is not one of these decoding errors.
pub fn fields(message: &str, object: &Value) -> Vec<FieldRefusal> {
    let mut found = Vec::new();
    if let Some((kind, path, expected)) = wrong_type(message) {
        let reason = Reason::WrongType {
            found: kind.to_owned(),
            expected: expected.to_owned(),
        };
        let mut paths = Vec::new();
        locate(
            object,
            &path.split('.').collect::<Vec<_>>(),
            String::new(),
            kind,
            &mut paths,
        );
        if paths.is_empty() {
            paths.push(path.to_owned());
        }
        found.extend(paths.into_iter().map(|path| FieldRefusal {
            path,
            reason: reason.clone(),
        }));
    }
    for (marker, reason) in [
        ("unknown field \"", Reason::UnknownField),
        ("duplicate field \"", Reason::DuplicateField),
    ] {
        for piece in message.split(marker).skip(1) {
            if let Some((path, _)) = piece.split_once('"') {
                found.push(FieldRefusal {
                    path: path.to_owned(),
                    reason: reason.clone(),
                });
            }
        }
    }
    if message.contains("quantities must match the regular expression") {
        let mut paths = Vec::new();
        bad_quantities(object, String::new(), &mut paths);
        found.extend(paths.into_iter().map(|path| FieldRefusal {
            path,
            reason: Reason::NotQuantity,
        }));
    }
    found
}

/// `cannot unmarshal KIND[ literal] into Go struct field TYPE.PATH of type EXPECTED`.
fn wrong_type(message: &str) -> Option<(&str, &str, &str)> {
    let rest = message.split_once("cannot unmarshal ")?.1;
    let (kind, rest) = rest.split_once(' ')?;
    let rest = rest.split_once("into Go struct field ")?.1;
    let (field, rest) = rest.split_once(" of type ")?;
    let expected = rest.split([',', ';', '\n']).next()?.trim();
    // The first segment is the Go type that holds the field.
    let path = field.split_once('.')?.1;
    Some((kind, path, expected))
}

/// Collects the paths under `node` that `segments` reach and whose value is of JSON `kind`.
/// Lists on the way are searched item by item; a segment the object lacks that starts with
/// a capital is an embedded Go struct (`VolumeSource`) and is passed over. At the end, a map
/// or list of the wrong values (`nodeSelector: {a: 1}`) is searched one level down.
fn locate(node: &Value, segments: &[&str], at: String, kind: &str, out: &mut Vec<String>) {
    if let Value::Array(items) = node
        && !segments.is_empty()
    {
        for (index, item) in items.iter().enumerate() {
            locate(item, segments, format!("{at}[{index}]"), kind, out);
        }
        return;
    }
    let Some((first, rest)) = segments.split_first() else {
        if is_kind(node, kind) {
            out.push(at);
        } else {
            let children: Vec<(String, &Value)> = match node {
                Value::Object(fields) => fields
                    .iter()
                    .map(|(key, value)| (format!("{at}.{key}"), value))
                    .collect(),
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(index, value)| (format!("{at}[{index}]"), value))
                    .collect(),
                _ => Vec::new(),
            };
            out.extend(
                children
                    .into_iter()
                    .filter(|(_, value)| is_kind(value, kind))
                    .map(|(path, _)| path),
            );
        }
        return;
    };
    match node.get(first) {
        Some(child) => {
            let path = if at.is_empty() {
                (*first).to_owned()
            } else {
                format!("{at}.{first}")
            };
            locate(child, rest, path, kind, out);
        }
        None if first.starts_with(char::is_uppercase) => locate(node, rest, at, kind, out),
        None => {}
    }
}

fn is_kind(value: &Value, kind: &str) -> bool {
    matches!(
        (kind, value),
        ("string", Value::String(_))
            | ("number", Value::Number(_))
            | ("bool", Value::Bool(_))
            | ("array", Value::Array(_))
            | ("object", Value::Object(_))
    )
}

/// Values under any `requests`, `limits`, `sizeLimit` or `capacity` that are not quantities.
fn bad_quantities(node: &Value, at: String, out: &mut Vec<String>) {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_owned()
        } else {
            format!("{at}.{key}")
        }
    };
    match node {
        Value::Object(fields) => {
            for (key, value) in fields {
                let path = join(key);
                match (key.as_str(), value) {
                    ("requests" | "limits" | "capacity", Value::Object(amounts)) => {
                        for (name, amount) in amounts {
                            if !is_quantity(amount) {
                                out.push(format!("{path}.{name}"));
                            }
                        }
                    }
                    ("sizeLimit", amount) if !is_quantity(amount) => out.push(path),
                    _ => bad_quantities(value, path, out),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                bad_quantities(item, format!("{at}[{index}]"), out);
            }
        }
        _ => {}
    }
}

fn is_quantity(value: &Value) -> bool {
    match value {
        Value::String(text) => Quantity::parse(text).is_ok(),
        Value::Number(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn daemon_set(pod: Value) -> Value {
        json!({"kind": "DaemonSet", "spec": {"template": {"spec": pod}}})
    }

    fn wrong(path: &str, found: &str, expected: &str) -> FieldRefusal {
        FieldRefusal {
            path: path.into(),
            reason: Reason::WrongType {
                found: found.into(),
                expected: expected.into(),
            },
        }
    }

    #[test]
    fn a_decoding_error_points_at_the_very_volume_whose_mode_is_text() {
        let object = daemon_set(json!({"volumes": [
            {"name": "a", "configMap": {"name": "a", "defaultMode": 420}},
            {"name": "b", "configMap": {"name": "b", "defaultMode": "0420"}},
        ]}));
        let message = "DaemonSet in version \"v1\" cannot be handled as a DaemonSet: json: cannot \
            unmarshal string into Go struct field ConfigMapVolumeSource.spec.template.spec.volumes.\
            VolumeSource.configMap.defaultMode of type int32";
        assert_eq!(
            fields(message, &object),
            [wrong(
                "spec.template.spec.volumes[1].configMap.defaultMode",
                "string",
                "int32"
            )]
        );
    }

    #[test]
    fn a_wrong_value_in_a_map_points_at_its_key() {
        let object = daemon_set(json!({"nodeSelector": {"zone": "a", "disks": 1}}));
        let message = "json: cannot unmarshal number into Go struct field PodSpec.spec.template.\
            spec.nodeSelector of type string";
        assert_eq!(
            fields(message, &object),
            [wrong(
                "spec.template.spec.nodeSelector.disks",
                "number",
                "string"
            )]
        );
    }

    #[test]
    fn an_env_value_given_as_true_points_at_that_variable() {
        let object = daemon_set(json!({"containers": [{"name": "c", "env": [
            {"name": "A", "value": "x"}, {"name": "B", "value": true}
        ]}]}));
        let message = "json: cannot unmarshal bool into Go struct field EnvVar.spec.template.spec.\
            containers.env.value of type string";
        assert_eq!(
            fields(message, &object),
            [wrong(
                "spec.template.spec.containers[0].env[1].value",
                "bool",
                "string"
            )]
        );
    }

    #[test]
    fn a_number_with_a_fraction_is_named_by_its_literal_and_still_found() {
        let object = daemon_set(json!({"containers": [{"ports": [{"containerPort": 80.5}]}]}));
        let message = "json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.\
            template.spec.containers.ports.containerPort of type int32";
        assert_eq!(
            fields(message, &object),
            [wrong(
                "spec.template.spec.containers[0].ports[0].containerPort",
                "number",
                "int32"
            )]
        );
    }

    #[test]
    fn unknown_fields_of_strict_decoding_are_each_named() {
        let message = "strict decoding error: unknown field \"spec.template.spec.containers[0].bar\", \
            unknown field \"spec.template.spec.containers[0].foo\"";
        let found = fields(message, &json!({}));
        assert_eq!(
            found.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            [
                "spec.template.spec.containers[0].bar",
                "spec.template.spec.containers[0].foo"
            ]
        );
        assert!(found.iter().all(|f| f.reason == Reason::UnknownField));
    }

    #[test]
    fn a_malformed_quantity_is_found_among_the_resources() {
        let object = daemon_set(json!({"containers": [{"resources": {
            "requests": {"cpu": "100m", "memory": "lots"}, "limits": {"cpu": true}
        }}]}));
        let message = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
        let paths: Vec<String> = fields(message, &object)
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(
            paths,
            [
                "spec.template.spec.containers[0].resources.limits.cpu",
                "spec.template.spec.containers[0].resources.requests.memory"
            ]
        );
    }

    #[test]
    fn other_messages_name_no_field() {
        assert!(fields("daemonsets.apps \"a\" already exists", &json!({})).is_empty());
    }
}
