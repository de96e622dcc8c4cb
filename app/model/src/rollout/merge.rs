//! JSON merge patch (RFC 7386) as the apiserver applies it, so the patches the console sends
//! are tested by what they do to an object, not by their text.

use serde_json::Value;

/// `patch` merged into `target`: objects merge key by key, `null` removes, anything else
/// replaces.
pub fn merged(target: Value, patch: &Value) -> Value {
    let Some(patch) = patch.as_object() else {
        return patch.clone();
    };
    let mut target = match target {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            let current = target.remove(key).unwrap_or(Value::Null);
            target.insert(key.clone(), merged(current, value));
        }
    }
    Value::Object(target)
}

/// `patch` applied to a typed object.
pub fn apply<T: serde::Serialize + serde::de::DeserializeOwned>(object: &T, patch: &Value) -> T {
    let value = serde_json::to_value(object).expect("a model object serializes");
    serde_json::from_value(merged(value, patch)).expect("a merged object reads back")
}

#[cfg(test)]
mod tests {
    use super::merged;
    use serde_json::json;

    #[test]
    fn objects_merge_nulls_remove_and_the_rest_replaces() {
        let target = json!({"a": {"b": 1, "c": 2}, "d": [1, 2], "e": "x"});
        let patch = json!({"a": {"b": null, "f": 3}, "d": [3], "e": null});
        assert_eq!(
            merged(target, &patch),
            json!({"a": {"c": 2, "f": 3}, "d": [3]})
        );
    }
}
