//! Editing a live object as YAML (edit YAML): what of it the user edits, reading the edited text
//! back as the one object a replace sends (with kubectl's meaning), and carrying the user's
//! changes onto a newer version of the object when someone else changed it meanwhile.

use serde_json::{Map, Value};

use crate::yaml;

/// The object as the user edits it: without `status` (the controller's; a replace ignores it)
/// and `managedFields` (bookkeeping of server-side apply).
pub fn editable(mut object: Value) -> Value {
    if let Some(fields) = object.as_object_mut() {
        fields.remove("status");
        if let Some(metadata) = fields.get_mut("metadata").and_then(Value::as_object_mut) {
            metadata.remove("managedFields");
        }
    }
    object
}

/// Why the text cannot be sent.
#[derive(Clone, Debug, PartialEq)]
pub enum TextProblem {
    /// Not a manifest kubectl would read, and where.
    Syntax(yaml::Error),
    /// Valid YAML, but a list or a scalar instead of the DaemonSet's fields.
    NotAnObject,
    /// More than one document.
    SeveralDocuments,
}

impl TextProblem {
    /// Line and column, for a syntax error.
    pub fn position(&self) -> Option<(u32, u32)> {
        match self {
            TextProblem::Syntax(error) => {
                let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                Some((number(error.line), number(error.column)))
            }
            TextProblem::NotAnObject | TextProblem::SeveralDocuments => None,
        }
    }
}

/// The text as the JSON object a PUT sends, read as kubectl reads it (`0644` is 420).
pub fn read_object(text: &str) -> Result<Value, TextProblem> {
    let mut documents = yaml::read(text)
        .map_err(TextProblem::Syntax)?
        .into_iter()
        .filter(|document| !document.is_null());
    let document = match (documents.next(), documents.next()) {
        (Some(document), None) => document,
        (None, _) => return Err(TextProblem::NotAnObject),
        (Some(_), Some(_)) => return Err(TextProblem::SeveralDocuments),
    };
    // The reader only makes trees JSON can carry; anything else is not an object anyway.
    match yaml::to_json(&document) {
        Ok(value) if value.is_object() => Ok(value),
        _ => Err(TextProblem::NotAnObject),
    }
}

/// The user's changes (from `base` to `mine`) made to `latest`, with `latest`'s
/// `resourceVersion`. Where the user and the server changed the same field, the user's value
/// wins; the review that follows shows the result against `latest`.
pub fn rebase(base: &Value, mine: &Value, latest: &Value) -> Value {
    let mut merged = merge3(Some(base), Some(mine), Some(latest)).unwrap_or(Value::Null);
    if let (Some(metadata), Some(version)) = (
        merged.get_mut("metadata").and_then(Value::as_object_mut),
        latest.pointer("/metadata/resourceVersion"),
    ) {
        metadata.insert("resourceVersion".into(), version.clone());
    }
    merged
}

/// A three-way merge of JSON values; `None` is an absent field. Mappings merge key by key, and
/// lists of the same length item by item (so a container's image and its environment can be
/// changed by different people); anything else changed on both sides takes `mine`.
fn merge3(base: Option<&Value>, mine: Option<&Value>, latest: Option<&Value>) -> Option<Value> {
    if mine == base || mine == latest {
        return latest.cloned();
    }
    if latest == base {
        return mine.cloned();
    }
    match (base, mine, latest) {
        (Some(Value::Object(b)), Some(Value::Object(m)), Some(Value::Object(l))) => {
            let mut keys: Vec<&String> = l.keys().chain(m.keys()).chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            let merged: Map<String, Value> = keys
                .into_iter()
                .filter_map(|key| {
                    merge3(b.get(key), m.get(key), l.get(key)).map(|value| (key.clone(), value))
                })
                .collect();
            Some(Value::Object(merged))
        }
        (Some(Value::Array(b)), Some(Value::Array(m)), Some(Value::Array(l)))
            if b.len() == m.len() && m.len() == l.len() =>
        {
            let merged = (0..b.len())
                .map(|i| merge3(Some(&b[i]), Some(&m[i]), Some(&l[i])).unwrap_or(Value::Null))
                .collect();
            Some(Value::Array(merged))
        }
        _ => mine.cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn daemonset(image: &str, annotations: Value, version: &str) -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {"name": "agent", "resourceVersion": version, "annotations": annotations},
            "spec": {"template": {"spec": {"containers": [
                {"name": "agent", "image": image, "env": [{"name": "LEVEL", "value": "info"}]}
            ]}}},
        })
    }

    #[test]
    fn the_editor_shows_neither_managed_fields_nor_status() {
        let object = editable(json!({
            "kind": "DaemonSet",
            "metadata": {"name": "agent", "resourceVersion": "7", "managedFields": [{"manager": "kubectl"}]},
            "status": {"numberReady": 3},
        }));
        assert_eq!(
            object,
            json!({"kind": "DaemonSet", "metadata": {"name": "agent", "resourceVersion": "7"}})
        );
        let text = yaml::write_json(&object);
        assert!(text.contains("resourceVersion: '7'"), "{text}");
        assert_eq!(read_object(&text), Ok(object));
    }

    #[test]
    fn broken_yaml_is_reported_with_its_line_and_column() {
        let problem = read_object("metadata:\n  name: agent\n spec: {}\n").unwrap_err();
        assert_eq!(problem.position().map(|(line, _)| line), Some(3));
        assert!(matches!(problem, TextProblem::Syntax(_)));
    }

    #[test]
    fn yaml_1_1_values_mean_what_kubectl_reads() {
        let object =
            read_object("spec:\n  defaultMode: 0420\n  readOnly: yes\n  value: \"on\"\n").unwrap();
        assert_eq!(
            object,
            json!({"spec": {"defaultMode": 272, "readOnly": true, "value": "on"}})
        );
    }

    #[test]
    fn strings_that_look_like_other_values_stay_strings_through_the_editor() {
        let object = json!({"metadata": {"annotations": {"a": "yes", "b": "0644", "c": "~"}}});
        assert_eq!(read_object(&yaml::write_json(&object)), Ok(object));
    }

    #[test]
    fn several_documents_cannot_replace_one_daemonset() {
        assert_eq!(
            read_object("kind: DaemonSet\n---\nkind: DaemonSet\n"),
            Err(TextProblem::SeveralDocuments)
        );
    }

    #[test]
    fn a_list_or_a_scalar_is_not_an_object() {
        assert_eq!(read_object("- a\n- b\n"), Err(TextProblem::NotAnObject));
        assert_eq!(read_object("just text"), Err(TextProblem::NotAnObject));
    }

    #[test]
    fn rebasing_keeps_the_servers_change_and_the_users_change_with_the_latest_version() {
        let base = daemonset("agent:1", json!({}), "10");
        let mine = daemonset("agent:2", json!({}), "10");
        let latest = daemonset("agent:1", json!({"team": "logs"}), "11");
        assert_eq!(
            rebase(&base, &mine, &latest),
            daemonset("agent:2", json!({"team": "logs"}), "11")
        );
    }

    #[test]
    fn rebasing_merges_changes_to_different_fields_of_the_same_container() {
        let base = daemonset("agent:1", json!({}), "10");
        let mine = daemonset("agent:2", json!({}), "10");
        let mut latest = daemonset("agent:1", json!({}), "11");
        latest["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"] = json!("debug");
        let mut expected = daemonset("agent:2", json!({}), "11");
        expected["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"] = json!("debug");
        assert_eq!(rebase(&base, &mine, &latest), expected);
    }

    #[test]
    fn when_both_change_the_same_field_the_users_value_wins() {
        let base = daemonset("agent:1", json!({}), "10");
        let mine = daemonset("agent:2", json!({}), "10");
        let latest = daemonset("agent:3", json!({}), "11");
        assert_eq!(
            rebase(&base, &mine, &latest),
            daemonset("agent:2", json!({}), "11")
        );
    }

    #[test]
    fn fields_the_user_removed_stay_removed_and_fields_the_server_removed_too() {
        let base = json!({"metadata": {"labels": {"a": "1", "b": "2"}, "resourceVersion": "1"}});
        let mine = json!({"metadata": {"labels": {"a": "1"}, "resourceVersion": "1"}});
        let latest = json!({"metadata": {"labels": {"b": "2"}, "resourceVersion": "2"}});
        assert_eq!(
            rebase(&base, &mine, &latest),
            json!({"metadata": {"labels": {}, "resourceVersion": "2"}})
        );
    }
}
