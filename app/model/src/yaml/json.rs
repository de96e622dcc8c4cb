//! JSON in and out as kubectl has it: a text that starts with `{` is read as a stream of JSON
//! objects (apimachinery's `GuessJSONStream`), and a tree is sent as the JSON that
//! sigs.k8s.io/yaml would make of it.

use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use super::error::{Error, KeyKind, Problem};

/// Whether kubectl would read `text` as JSON: its first character after whitespace is `{`.
pub fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches([' ', '\t', '\r', '\n'])
        .starts_with('{')
}

/// One or more JSON values one after the other; a top-level array stands for its items.
/// Key order is kept.
pub fn read(text: &str) -> Result<Vec<Value>, Error> {
    let mut values = Vec::new();
    // Straight into YAML trees, so key order is kept.
    for next in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        let value = next.map_err(|error| Error {
            line: error.line(),
            column: error.column(),
            problem: Problem::Json(error.to_string()),
        })?;
        match value {
            Value::Sequence(items) => values.extend(items),
            value => values.push(value),
        }
    }
    Ok(values)
}

/// An object from the API as a tree, to show as YAML.
pub fn from_json(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(flag) => Value::Bool(*flag),
        serde_json::Value::Number(number) => {
            // A JSON number always reads as a YAML one.
            Value::deserialize(number.clone()).unwrap_or(Value::Null)
        }
        serde_json::Value::String(text) => Value::String(text.clone()),
        serde_json::Value::Array(items) => Value::Sequence(items.iter().map(from_json).collect()),
        serde_json::Value::Object(fields) => Value::Mapping(
            fields
                .iter()
                .map(|(key, value)| (Value::String(key.clone()), from_json(value)))
                .collect::<Mapping>(),
        ),
    }
}

/// Why a tree cannot be JSON: a key JSON cannot have, or a number it cannot carry.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotJson {
    #[error("a key must be text, a number or true/false, not {0}")]
    Key(KeyKind),
    #[error("`{0}` is not a number JSON can carry")]
    Number(String),
}

/// The JSON that kubectl sends for the same tree. A float with no fraction is sent as an
/// integer, as Go's `encoding/json` prints it (`1e3` arrives as `1000`, which an `int32`
/// field takes; `1000.0` would be refused).
pub fn to_json(value: &Value) -> Result<serde_json::Value, NotJson> {
    Ok(match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(flag) => serde_json::Value::Bool(*flag),
        Value::Number(number) => {
            if let Some(int) = number.as_i64() {
                int.into()
            } else if let Some(int) = number.as_u64() {
                int.into()
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                if !float.is_finite() {
                    return Err(NotJson::Number(number.to_string()));
                }
                integral(float)
                    .or_else(|| serde_json::Number::from_f64(float))
                    .map(serde_json::Value::Number)
                    .ok_or_else(|| NotJson::Number(number.to_string()))?
            }
        }
        Value::String(text) => serde_json::Value::String(text.clone()),
        Value::Sequence(items) => {
            serde_json::Value::Array(items.iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Value::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (key, value) in map {
                object.insert(key_text(key)?, to_json(value)?);
            }
            serde_json::Value::Object(object)
        }
        Value::Tagged(tagged) => to_json(&tagged.value)?,
    })
}

/// A whole float as the integer Go prints for it, when one fits.
fn integral(float: f64) -> Option<serde_json::Number> {
    if float.fract() != 0.0 {
        return None;
    }
    // The casts saturate; the round trip tells whether the value fitted.
    let signed = float as i64;
    // 2^63 and 2^64 round-trip through the saturating casts, so they are excluded by hand.
    if signed as f64 == float && float < 2f64.powi(63) {
        return Some(signed.into());
    }
    let unsigned = float as u64;
    (unsigned as f64 == float && float < 2f64.powi(64)).then(|| unsigned.into())
}

fn key_text(key: &Value) -> Result<String, NotJson> {
    match key {
        Value::String(text) => Ok(text.clone()),
        Value::Bool(flag) => Ok(flag.to_string()),
        Value::Number(number) => Ok(number.to_string()),
        Value::Null => Err(NotJson::Key(KeyKind::Null)),
        Value::Sequence(_) => Err(NotJson::Key(KeyKind::List)),
        Value::Mapping(_) => Err(NotJson::Key(KeyKind::Mapping)),
        Value::Tagged(tagged) => key_text(&tagged.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_floats_are_sent_as_integers_as_go_prints_them() {
        let tree: Value = serde_yaml::from_str("a: 1000.0\nb: 0.5\nc: -3.0\nd: 1.0e30").unwrap();
        assert_eq!(
            to_json(&tree).unwrap().to_string(),
            r#"{"a":1000,"b":0.5,"c":-3,"d":1e+30}"#
        );
    }

    #[test]
    fn infinity_cannot_be_sent() {
        assert_eq!(
            to_json(&Value::from(f64::INFINITY)),
            Err(NotJson::Number(".inf".into()))
        );
    }

    #[test]
    fn a_text_that_starts_with_a_brace_is_a_json_stream_in_key_order() {
        let text = " \n{\"kind\": \"B\", \"apiVersion\": \"v1\"}\n{\"kind\": \"A\"}";
        assert!(looks_like_json(text));
        let values = read(text).unwrap();
        assert_eq!(values.len(), 2);
        assert_eq!(
            serde_yaml::to_string(&values[0]).unwrap(),
            "kind: B\napiVersion: v1\n"
        );
        assert!(!looks_like_json("kind: A"));
    }

    #[test]
    fn broken_json_is_refused_at_its_line_and_column() {
        let error = read("{\n\"kind\": }").unwrap_err();
        assert_eq!((error.line, error.column), (2, 9));
    }

    #[test]
    fn api_objects_become_trees_and_back() {
        let object = json!({"metadata": {"name": "a", "resourceVersion": "7"}, "spec": {"n": 3}});
        assert_eq!(to_json(&from_json(&object)).unwrap(), object);
    }
}
